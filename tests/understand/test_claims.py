from datetime import date

from crosscheck.understand import analyze


def _claims(analysis, action, *, sentence_has=""):
    return [c for c in analysis.claims if c.action == action and sentence_has in c.text]


def _key(analysis, alias):
    return next(e.key for e in analysis.entities if alias in e.aliases)


def test_kyodo_report_is_dated_and_attributed(seed_analyses):
    a = seed_analyses["000"]
    [report] = _claims(a, "report", sentence_has="Kyodo")
    assert report.time.start == date(2025, 12, 24) and report.time.granularity == "day"
    assert report.actors == [_key(a, "Kyodo News")]
    assert report.attribution == "Kyodo News, citing government sources"


def test_what_kyodo_reported_carries_its_attribution(seed_analyses):
    [visit] = [c for c in _claims(seed_analyses["000"], "visit") if c.evidence.sentence_index == 1]
    assert visit.attribution == "Kyodo News, citing government sources"


def test_phone_call_on_january_2_has_both_leaders(seed_analyses):
    a = seed_analyses["003"]
    [call] = _claims(a, "call")
    assert call.time.start == date(2026, 1, 2) == call.time.end
    assert set(call.actors) == {_key(a, "Sanae Takaichi"), _key(a, "Donald Trump")}


def test_planned_us_visit_in_late_march_2026(seed_analyses):
    a = seed_analyses["000"]
    late_march = [c for c in _claims(a, "visit") if c.time and c.time.label == "2026-03 (late)"]
    assert late_march
    for visit in late_march:
        assert visit.planned
        assert visit.actors == [_key(a, "Takahashi Hayato")]
        assert visit.places == [_key(a, "U.S")]


def test_spring_visit_by_the_japanese_leader_resolves_to_takaichi(seed_analyses):
    a = seed_analyses["003"]
    [visit] = [c for c in _claims(a, "visit") if c.places]
    assert visit.actors == [_key(a, "Sanae Takaichi")]
    assert visit.time.label == "2026 spring" and visit.planned


def test_trump_visit_to_china_in_april(seed_analyses):
    a = seed_analyses["000"]
    april = [c for c in _claims(a, "visit") if c.time and c.time.label == "2026-04"]
    assert april and all(c.actors == [_key(a, "Trump")] and c.places == [_key(a, "China")] for c in april)


def test_summit_with_xi_in_april_is_takaichis(seed_analyses):
    a = seed_analyses["003"]
    [summit] = [c for c in _claims(a, "meeting") if _key(a, "Xi Jinping") in c.targets]
    assert summit.actors == [_key(a, "Sanae Takaichi")]
    assert summit.time.label == "2026-04" and summit.planned


def test_contract_carries_its_amount(seed_analyses):
    a = seed_analyses["003"]
    [contract] = _claims(a, "contract")
    assert contract.actors == [_key(a, "Pentagon")]
    assert _key(a, "Lockheed Martin") in contract.targets
    assert [(q.value, q.unit) for q in contract.quantities] == [(328.5e6, "USD")]


def test_davos_proposal_is_a_planned_meeting_at_davos(seed_analyses):
    a = seed_analyses["000"]
    [davos] = _claims(a, "meeting", sentence_has="Davos")
    assert davos.places == [_key(a, "Davos Forum")] and davos.planned


def test_attack_counts_are_quantities(seed_articles):
    [teasers] = analyze([seed_articles["teasers"]])
    counts = {(q.value, q.unit) for c in teasers.claims if c.action == "attack" for q in c.quantities}
    assert {(92.0, "killed"), (33.0, "killed")} <= counts


def test_claim_evidence_is_its_sentence(seed_articles, seed_analyses):
    for sid, analysis in seed_analyses.items():
        text = seed_articles[sid].text
        for c in analysis.claims:
            s = analysis.sentences[c.evidence.sentence_index]
            assert (c.evidence.start, c.evidence.end) == (s.start, s.end)
            assert text[c.evidence.start:c.evidence.end] == c.text


def test_claim_ids_are_unique(seed_analyses):
    ids = [c.id for a in seed_analyses.values() for c in a.claims]
    assert len(ids) == len(set(ids))


def test_headings_give_no_claims(seed_analyses):
    assert not any("Strategy Behind" in c.text or c.text.startswith("Regional Tensions")
                   for c in seed_analyses["003"].claims)


def test_without_publication_date_claim_times_stay_open(seed_articles):
    from dataclasses import replace

    undated = replace(seed_articles["000"], id="undated", published=None)
    [analysis] = analyze([undated])
    assert all(c.time is None for c in analysis.claims if "April" in c.text)
    assert any(t.relative and t.interval is None for t in analysis.times)


def test_analysis_is_deterministic(seed_articles):
    first = analyze([seed_articles["000"], seed_articles["003"]])
    second = analyze([seed_articles["003"], seed_articles["000"]])
    assert first[0] == second[1] and first[1] == second[0]


def test_worker_processes_give_the_same_analysis(seed_articles):
    articles = [seed_articles["000"], seed_articles["003"], seed_articles["teasers"]]
    assert analyze(articles, n_process=2) == analyze(articles)


def test_related_article_teasers_give_no_claims(seed_articles, seed_analyses):
    teasers = [link.text for link in seed_articles["003"].related]
    assert teasers  # the fixture kept them aside, as ingest does
    assert not any(t[:40] in c.text for t in teasers for c in seed_analyses["003"].claims)
