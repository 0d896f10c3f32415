"""The must-hold outcomes of issue 3 on the two seed articles (one story, two sources)."""

import pytest

from crosscheck.reconcile import reconcile
from crosscheck.understand import analyze


@pytest.fixture(scope="module")
def story(seed_articles):
    articles = [seed_articles["000"], seed_articles["003"]]
    return articles, analyze(articles)


@pytest.fixture(scope="module")
def groups(story):
    articles, analyses = story
    return reconcile("story-seeds", articles, analyses)


def _quoted(groups_or_group, articles):
    texts = {a.id: a.text for a in articles}
    group = groups_or_group
    return {value: [texts[e.article_id][e.start:e.end] for e in evs] for value, evs in group.values.items()}


def test_prime_minister_of_japan_is_a_conflict_between_the_sources(groups, story):
    [role] = [g for g in groups if g.slot == "role:Prime Minister of Japan"]
    assert role.kind == "conflicting"
    assert set(role.values) == {"Takahashi Hayato", "Sanae Takaichi"}
    assert {e.article_id for e in role.values["Takahashi Hayato"]} == {"seed-000"}
    assert {e.article_id for e in role.values["Sanae Takaichi"]} == {"seed-003"}
    assert "Takahashi Hayato" in role.summary and "Sanae Takaichi" in role.summary


def test_april_china_engagement_conflicts_on_who(groups, story):
    articles, _ = story
    april = [g for g in groups if g.kind == "conflicting" and g.slot.startswith("actor:")]
    assert len(april) == 1
    [group] = april
    assert "2026-04" in group.slot and "gpe:china" in group.slot
    quoted = _quoted(group, articles)
    trump_side = next(v for v in quoted if v.startswith("Donald Trump"))
    takaichi_side = next(v for v in quoted if v.startswith("Sanae Takaichi"))
    assert any("Trump's visit to China in April" in s for s in quoted[trump_side])
    assert any("summit with Xi Jinping in April" in s for s in quoted[takaichi_side])


def test_late_march_and_spring_visit_is_a_refinement_not_a_conflict(groups):
    visits = [g for g in groups if "2026-03 (late)" in g.values and "2026 spring" in g.values]
    assert len(visits) == 1
    [visit] = visits
    assert visit.kind == "refinement"
    assert "gpe:united-states" in visit.slot
    assert not any(g.kind == "conflicting" and "2026 spring" in g.values for g in groups)


def test_davos_proposal_is_single_source(groups, story):
    articles, _ = story
    [davos] = [g for g in groups if "davos" in g.slot]
    assert davos.kind == "single"
    assert all(e.article_id == "seed-000" for evs in davos.values.values() for e in evs)
    assert any("Davos Forum" in s for ss in _quoted(davos, articles).values() for s in ss)


def test_lockheed_contract_is_single_source_with_its_amount(groups):
    [contract] = [g for g in groups if g.slot.startswith("event:contract")]
    assert contract.kind == "single"
    assert "$328.5 million" in contract.values and "$328.5 million" in contract.summary
    assert {e.article_id for evs in contract.values.values() for e in evs} == {"seed-003"}


def test_every_group_cites_sentences_of_its_sources(groups, story):
    articles, analyses = story
    sentences = {(a.article_id, s.index): (s.start, s.end) for a in analyses for s in a.sentences}
    for g in groups:
        assert g.values and g.summary
        for evs in g.values.values():
            for e in evs:
                start, end = sentences[(e.article_id, e.sentence_index)]
                assert start <= e.start < e.end <= end


def test_teasers_as_an_article_join_no_conflict(story, seed_articles):
    articles, analyses = story
    before = {tuple(sorted(g.claim_ids)) for g in reconcile("s", articles, analyses) if g.kind == "conflicting"}
    with_teasers = articles + [seed_articles["teasers"]]
    after_groups = reconcile("s", with_teasers, analyses + analyze([seed_articles["teasers"]]))
    after = {tuple(sorted(g.claim_ids)) for g in after_groups if g.kind == "conflicting"}
    assert after == before
    assert not any(cid.startswith("seed-003-teasers") for g in after_groups if g.kind != "single"
                   for cid in g.claim_ids)


def test_copies_of_one_origin_do_not_corroborate(story):
    from dataclasses import replace

    articles, analyses = story
    copy = replace(articles[1], id="seed-003-copy", source="another-aggregator", duplicate_of="seed-003")
    [copy_analysis] = analyze([copy])
    groups = reconcile("s", [articles[1], copy], [analyses[1], copy_analysis])
    contract = next(g for g in groups if g.slot.startswith("event:contract"))
    assert contract.kind == "single"


def test_independent_sources_corroborate(story):
    from dataclasses import replace

    articles, analyses = story
    other = replace(articles[1], id="wire", source="Reuters", duplicate_of=None,
                    provenance=replace(articles[1].provenance, ai_generated=False, cited_origins=[]))
    [other_analysis] = analyze([other])
    groups = reconcile("s", [articles[1], other], [analyses[1], other_analysis])
    contract = next(g for g in groups if g.slot.startswith("event:contract"))
    assert contract.kind == "corroborated"
    assert len(contract.origins["$328.5 million"]) == 2


def test_different_figures_from_independent_sources_conflict(story):
    from dataclasses import replace

    articles, analyses = story
    text = articles[1].text.replace("$328.5 million", "$500 million")
    other = replace(articles[1], id="wire", text=text, source="Reuters",
                    provenance=replace(articles[1].provenance, ai_generated=False, cited_origins=[]))
    [other_analysis] = analyze([other])
    groups = reconcile("s", [articles[1], other], [analyses[1], other_analysis])
    contract = next(g for g in groups if g.slot.startswith("event:contract"))
    assert contract.kind == "conflicting"
    assert set(contract.values) == {"$328.5 million", "$500 million"}


def test_reconcile_is_deterministic_and_leaves_inputs_alone(story):
    import copy

    articles, analyses = story
    snapshot = copy.deepcopy(analyses)
    first = reconcile("s", articles, analyses)
    assert analyses == snapshot
    assert reconcile("s", list(reversed(articles)), list(reversed(analyses))) == first


def test_without_publication_dates_roles_still_conflict_and_dates_do_not(story):
    from dataclasses import replace

    articles, _ = story
    undated = [replace(a, published=None) for a in articles]
    groups = reconcile("s", undated, analyze(undated))
    kinds = {g.slot: g.kind for g in groups}
    assert kinds["role:Prime Minister of Japan"] == "conflicting"
    # relative dates stay unresolved: nothing may clash on them
    assert not any(g.kind == "conflicting" and not g.slot.startswith("role:") for g in groups)


def test_summaries_name_sources_readably(groups):
    role = next(g for g in groups if g.slot == "role:Prime Minister of Japan")
    assert "toutiao.com" in role.summary and "example-ai-news" in role.summary


def _two_sources(text_a, text_b):
    from crosscheck.model import Article

    articles = [Article(id="a", title="", text=text_a, source="Outlet A"),
                Article(id="b", title="", text=text_b, source="Outlet B")]
    return reconcile("s", articles, analyze(articles))


def test_one_attack_dated_differently_by_two_sources_conflicts():
    groups = _two_sources("Police said John Smith shot a guard in Houston on June 20, 2005.",
                          "John Smith shot a guard in Houston on June 24, 2005, police said.")
    [attack] = [g for g in groups if g.slot.startswith("event:attack")]
    assert attack.kind == "conflicting" and set(attack.values) == {"2005-06-20", "2005-06-24"}


def test_arrests_at_different_dates_are_different_events_not_a_conflict():
    groups = _two_sources("John Smith was arrested by police in Houston in May 2005.",
                          "John Smith was arrested by police in Houston in June 1998.")
    assert not any(g.kind == "conflicting" for g in groups)


def test_same_doer_different_victim_counts_without_common_time_or_place_do_not_conflict():
    groups = _two_sources("The gunman John Smith killed three people.",
                          "John Smith killed five people, police said.")
    assert not any(g.kind == "conflicting" for g in groups)
