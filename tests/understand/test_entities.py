from datetime import datetime, timezone

from crosscheck.model import Article
from crosscheck.understand import analyze, link_entities


def _entity_with_alias(analyses, alias):
    keys = {m.entity_key for a in analyses for m in a.mentions if m.text == alias}
    assert len(keys) == 1, f"{alias!r} → {keys}"
    return keys.pop()


def test_takaichi_variants_are_one_entity(seed_analyses):
    analyses = list(seed_analyses.values())
    assert _entity_with_alias(analyses, "Takaichi") == _entity_with_alias(analyses, "Sanae Takaichi")


def test_trump_variants_across_articles_are_one_entity(seed_analyses):
    # 000 only says "Trump" / "U.S. President Trump"; 003 says "President Donald Trump"
    a000, a003 = seed_analyses["000"], seed_analyses["003"]
    assert _entity_with_alias([a000], "Trump") == _entity_with_alias([a003], "Donald Trump")


def test_titles_are_stripped_from_names(seed_analyses):
    names = {m.text for a in seed_analyses.values() for m in a.mentions}
    assert not any(n.startswith(("Prime Minister", "PM ", "President", "U.S. President")) for n in names)


def test_person_mislabelled_by_ner_is_still_one_person(seed_analyses):
    # spaCy labels "Trump" ORG in several 000 sentences; the entity is a person all the same
    entity = next(e for a in seed_analyses.values() for e in a.entities if "Trump" in e.aliases)
    assert entity.label == "PERSON" and entity.key.startswith("person:")


def test_surname_and_short_forms_link_within_a_new_text():
    text = ("Chinese President Xi Jinping met PM Takaichi in Beijing on Monday. "
            "Xi said the talks were candid. Prime Minister Sanae Takaichi later called U.S. President Trump.")
    [analysis] = analyze([Article(id="t", title="", text=text,
                                  published=datetime(2026, 4, 20, tzinfo=timezone.utc))])
    entities = link_entities([analysis])
    by_alias = {alias: e.key for e in entities for alias in e.aliases}
    assert by_alias["Xi"] == by_alias["Xi Jinping"]
    assert by_alias["Takaichi"] == by_alias["Sanae Takaichi"]


def test_linking_again_changes_nothing(seed_analyses):
    analyses = list(seed_analyses.values())
    before = [(m.text, m.entity_key) for a in analyses for m in a.mentions]
    link_entities(analyses)
    assert [(m.text, m.entity_key) for a in analyses for m in a.mentions] == before


def test_mention_spans_point_at_the_name(seed_articles, seed_analyses):
    for sid, analysis in seed_analyses.items():
        text = seed_articles[sid].text
        for m in analysis.mentions:
            assert text[m.evidence.start:m.evidence.end] == m.text


def test_headings_left_in_the_body_give_no_mentions(seed_articles, seed_analyses):
    text = seed_articles["003"].text
    heading = text.index("The Strategy Behind Takaichi Trump US Visit 2026")
    assert not any(heading <= m.evidence.start < heading + 48 for m in seed_analyses["003"].mentions)


def test_spelling_variants_of_one_person_are_one_entity():
    text = ("Greek President Karolos Papoulias met the cabinet on Monday. "
            "Later, President Carolos Papoulias called for calm.")
    [analysis] = analyze([Article(id="t", title="", text=text)])
    keys = {m.entity_key for m in analysis.mentions if m.text.endswith("Papoulias")}
    assert len(keys) == 1


def test_headline_case_sentence_gives_no_role():
    text = "Greek Prime Minister Calls Bank Workers' Deaths Murder And Vows Action Against Rioters."
    [analysis] = analyze([Article(id="t", title="", text=text)])
    assert analysis.roles == []
