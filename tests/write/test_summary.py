"""write_story on the seed story: cited, checked, non-redundant, with disagreements shown."""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from datetime import date

from crosscheck.model import Analysis, Article, Claim, ClaimGroup, Evidence, TimeInterval
from crosscheck.understand import split_sentences
from crosscheck.write import check_sentence, write_story

PM_ASSERTION = re.compile(r"Prime Minister (Takahashi Hayato|Sanae Takaichi)")


def _cited_text(written, articles, citation) -> str:
    text = {a.id: a.text for a in articles}[written.sources[citation.number - 1]]
    return text[citation.evidence.start:citation.evidence.end]


def test_default_summary_has_five_to_eight_sentences(seed_story, seed_articles, seed_analyses):
    written = write_story(seed_story, seed_articles, seed_analyses, [])
    assert 5 <= len(written.summary) <= 8
    assert written.mode == "extractive"


def test_summary_length_follows_the_setting(seed_story, seed_articles, seed_analyses):
    written = write_story(seed_story, seed_articles, seed_analyses, [], {"summary_sentences": 3})
    assert len(written.summary) == 3


def test_citations_point_at_the_source_sentence_they_quote(seed_story, seed_articles, seed_analyses):
    written = write_story(seed_story, seed_articles, seed_analyses, [])
    assert sorted(written.sources) == sorted(a.id for a in seed_articles)
    for sentence in written.summary:
        assert sentence.citations
        first = sentence.citations[0]
        assert written.sources[first.number - 1] == first.evidence.article_id
        cited = _cited_text(written, seed_articles, first)
        if not sentence.compressed:
            assert cited == sentence.text


def test_every_summary_sentence_passes_the_check_on_its_own_citations(seed_story, seed_articles, seed_analyses):
    written = write_story(seed_story, seed_articles, seed_analyses, [])
    for sentence in written.summary:
        passages = [_cited_text(written, seed_articles, c) for c in sentence.citations]
        result = check_sentence(sentence.text, passages)
        assert result.label == "supported"
        assert sentence.check == result


def test_same_fact_from_two_outlets_appears_once_citing_both(seed_story, seed_articles, seed_analyses):
    # A second outlet carrying 003's story word for word from its second paragraph on.
    original = seed_articles[1]
    copy_text = original.text[original.text.index("Takaichi's push"):]
    copy = Article(id="wire-copy", title=original.title, text=copy_text, source="another-outlet",
                   published=original.published)
    articles = seed_articles + [copy]
    analyses = seed_analyses + [Analysis(copy.id, split_sentences(copy.id, copy.text))]
    written = write_story(seed_story, articles, analyses, [], {"summary_sentences": 8})
    texts = [s.text for s in written.summary]
    assert len(texts) == len(set(texts))
    shared = [s for s in written.summary if s.text in copy_text]
    assert shared, "expected at least one sentence the two outlets share"
    for sentence in shared:
        cited = {written.sources[c.number - 1] for c in sentence.citations}
        assert {original.id, copy.id} <= cited


def test_pm_sentences_carry_the_disagreement(seed_story, seed_articles, seed_analyses, pm_conflict):
    written = write_story(seed_story, seed_articles, seed_analyses, [pm_conflict], {"summary_sentences": 8})
    asserting = [s for s in written.summary if PM_ASSERTION.search(s.text)]
    assert asserting, "the seed summary should mention the Prime Minister"
    assert all(s.disagreement == pm_conflict.id for s in asserting)
    assert written.disagreements == [pm_conflict]


def test_conflict_is_shown_even_without_the_title_in_the_sentence(seed_story, seed_articles, seed_analyses,
                                                                   pm_conflict):
    written = write_story(seed_story, seed_articles, seed_analyses, [pm_conflict], {"summary_sentences": 8})
    naming = [s for s in written.summary if "Takaichi" in s.text or "Takahashi" in s.text]
    assert naming and all(s.disagreement == pm_conflict.id for s in naming)


def test_single_source_groups_become_unknowns(seed_story, seed_articles, seed_analyses):
    contract = [Evidence(s.article_id, s.index, s.start, s.end)
                for a in seed_analyses for s in a.sentences if "Lockheed" in s.text]
    single = ClaimGroup(id="group-contract", story_id=seed_story.id, kind="single", slot="contract:Lockheed Martin",
                        summary="Lockheed Martin: $328.5 million contract", values={"$328.5 million": contract})
    corroborated = replace(single, id="group-visit", kind="corroborated")
    written = write_story(seed_story, seed_articles, seed_analyses, [single, corroborated])
    assert written.unknowns == [single]


def test_timeline_is_sorted_keeps_granularity_and_merges_a_group(seed_story, seed_articles, seed_analyses):
    a000, a003 = seed_analyses
    s_visit = next(s for s in a000.sentences if "late March 2026" in s.text)
    s_call = next(s for s in a003.sentences if "January 2, 2026" in s.text)
    s_spring = next(s for s in a003.sentences if "spring visit" in s.text)
    late_march = TimeInterval(date(2026, 3, 21), date(2026, 3, 31), "part-of-month", "2026-03 (late)")
    jan2 = TimeInterval(date(2026, 1, 2), date(2026, 1, 2), "day", "2026-01-02")

    def claim(s, ordinal, time, planned):
        return Claim(id=f"{s.article_id}:{s.index}:{ordinal}", article_id=s.article_id, action="visit",
                     actors=[], evidence=Evidence(s.article_id, s.index, s.start, s.end), text=s.text,
                     time=time, planned=planned)
    visit_a, call, visit_b = claim(s_visit, 0, late_march, True), claim(s_call, 0, jan2, False), \
        claim(s_spring, 1, late_march, True)
    analyses = [replace(a000, claims=[visit_a]), replace(a003, claims=[call, visit_b])]
    group = ClaimGroup(id="group-visit", story_id=seed_story.id, kind="corroborated", slot="visit",
                       summary="visit to the U.S.", claim_ids=[visit_a.id, visit_b.id])
    written = write_story(seed_story, seed_articles, analyses, [group])
    assert [item.interval for item in written.timeline] == [jan2, late_march]
    visit = written.timeline[1]
    assert visit.planned and visit.interval.granularity == "part-of-month"
    assert {c.evidence.article_id for c in visit.citations} == {a000.article_id, a003.article_id}


def test_timeline_falls_back_to_time_expressions_without_claims(seed_story, seed_articles, seed_analyses):
    from crosscheck.model import TimeExpression
    a000 = seed_analyses[0]
    s = next(s for s in a000.sentences if "late March 2026" in s.text)
    interval = TimeInterval(date(2026, 3, 21), date(2026, 3, 31), "part-of-month", "2026-03 (late)")
    expression = TimeExpression("late March 2026", Evidence(s.article_id, s.index, s.start, s.end), interval)
    analyses = [replace(a000, times=[expression]), seed_analyses[1]]
    written = write_story(seed_story, seed_articles, analyses, [])
    assert [(i.interval, i.text) for i in written.timeline] == [(interval, s.text)]


def test_seo_title_and_meta_description_fit_their_limits(seed_story, seed_articles, seed_analyses):
    long_title = replace(seed_story, title=" ".join(["Takaichi Trump US Visit 2026"] * 5))
    written = write_story(long_title, seed_articles, seed_analyses, [])
    assert 0 < len(written.seo_title) <= 70 and written.seo_title.endswith("…")
    assert 0 < len(written.meta_description) <= 160


def test_output_is_deterministic(seed_story, seed_articles, seed_analyses, pm_conflict):
    first = write_story(seed_story, seed_articles, seed_analyses, [pm_conflict])
    second = write_story(seed_story, seed_articles, seed_analyses, [pm_conflict])
    assert asdict(first) == asdict(second)


def test_story_without_sentences_gives_an_empty_summary(seed_story, seed_articles):
    written = write_story(seed_story, seed_articles, [Analysis(a.id) for a in seed_articles], [])
    assert written.summary == [] and written.meta_description == ""


def test_claims_stage_conflict_is_attached_to_every_pm_sentence(seed_story, seed_articles):
    from crosscheck.reconcile import reconcile
    from crosscheck.understand import analyze
    analyses = analyze(seed_articles)
    groups = reconcile(seed_story.id, seed_articles, analyses)
    pm_groups = {g.id for g in groups if g.kind == "conflicting" and g.slot.startswith("role:Prime Minister")}
    assert pm_groups, "the claims stage should find who is Prime Minister of Japan disputed"
    written = write_story(seed_story, seed_articles, analyses, groups, {"summary_sentences": 8})
    naming = [s for s in written.summary if re.search(r"Takahashi|Hayato|Takaichi", s.text)]
    assert any(PM_ASSERTION.search(s.text) for s in naming)
    assert all(s.disagreement in pm_groups for s in naming)
    assert pm_groups <= {g.id for g in written.disagreements}


def test_both_sides_of_a_conflict_make_a_short_summary(seed_story, seed_articles, seed_analyses, pm_conflict):
    written = write_story(seed_story, seed_articles, seed_analyses, [pm_conflict], {"summary_sentences": 2})
    text = " ".join(s.text for s in written.summary)
    assert "Takahashi Hayato" in text and "Sanae Takaichi" in text


def test_near_duplicate_copy_is_cited_but_never_quoted_first(seed_story, seed_articles, seed_analyses):
    original = seed_articles[1]
    copy = Article(id="copy-of-003", title=original.title, text=original.text, source="aggregator",
                   duplicate_of=original.id)
    articles = seed_articles + [copy]
    analyses = seed_analyses + [Analysis(copy.id, split_sentences(copy.id, copy.text))]
    written = write_story(seed_story, articles, analyses, [], {"summary_sentences": 8})
    assert all(written.sources[s.citations[0].number - 1] != copy.id for s in written.summary)
    from_original = [s for s in written.summary if written.sources[s.citations[0].number - 1] == original.id]
    assert from_original
    assert all(copy.id in {written.sources[c.number - 1] for c in s.citations} for s in from_original)


def test_sentence_whose_offsets_miss_the_article_text_never_reaches_the_page(seed_story, seed_articles,
                                                                              seed_analyses):
    a000 = seed_analyses[0]
    lead = max(a000.sentences, key=lambda s: len(s.text))
    # offsets that point at the wrong stretch of the article: the citation would highlight other text
    shifted = replace(lead, start=lead.start + 400, end=lead.end + 400)
    broken = replace(a000, sentences=[shifted if s is lead else s for s in a000.sentences])
    written = write_story(seed_story, seed_articles, [broken, seed_analyses[1]], [], {"summary_sentences": 30})
    assert lead.text not in {s.text for s in written.summary}
    healthy = write_story(seed_story, seed_articles, seed_analyses, [], {"summary_sentences": 30})
    assert lead.text in {s.text for s in healthy.summary}
