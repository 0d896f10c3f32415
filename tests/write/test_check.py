"""The checker: a sentence is judged only against the passages it cites."""

from __future__ import annotations

import pytest

from crosscheck.write import check_sentence
from crosscheck.write.text import amounts, dates, read


@pytest.fixture
def sentences_000(seed_analyses) -> list[str]:
    return [s.text for s in seed_analyses[0].sentences]


@pytest.fixture
def sentences_003(seed_analyses) -> list[str]:
    return [s.text for s in seed_analyses[1].sentences]


def _with(sentences: list[str], phrase: str) -> str:
    return next(s for s in sentences if phrase in s)


def test_every_seed_sentence_is_supported_by_itself(seed_analyses):
    for analysis in seed_analyses:
        for s in analysis.sentences:
            result = check_sentence(s.text, [s.text])
            assert result.label == "supported", (s.text, result.reasons)
            assert result.score == 1.0


def test_changed_amount_is_unsupported_and_named(sentences_003):
    contract = _with(sentences_003, "$328.5 million")
    result = check_sentence(contract.replace("$328.5 million", "$382.5 million"), [contract])
    assert result.label == "unsupported"
    assert any("382.5" in r for r in result.reasons)


def test_amount_written_differently_still_matches():
    passage = "The Pentagon awarded Lockheed Martin a $328.5 million contract on Monday."
    result = check_sentence("Lockheed Martin was awarded a contract worth 328.5 million dollars.", [passage])
    assert not any("number" in r for r in result.reasons)


def test_swapped_company_name_is_unsupported(sentences_003):
    contract = _with(sentences_003, "Lockheed Martin")
    result = check_sentence(contract.replace("Lockheed Martin", "Raytheon"), [contract])
    assert result.label == "unsupported"
    assert any("raytheon" in r for r in result.reasons)


def test_role_given_to_another_person_is_a_conflict(sentences_000):
    cited = _with(sentences_000, "Japanese Prime Minister Takahashi Hayato plans")
    claim = cited.replace("Takahashi Hayato", "Sanae Takaichi")
    result = check_sentence(claim, [cited])
    assert result.label == "unsupported"
    assert any(r.startswith("role conflict") and "takahashi hayato" in r for r in result.reasons)


def test_fact_from_another_article_is_not_support(sentences_000, sentences_003):
    call = _with(sentences_003, "January 2, 2026")
    assert check_sentence(call, sentences_003).label == "supported"
    result = check_sentence(call, sentences_000)
    assert result.label == "unsupported"
    assert any("January 2" in r for r in result.reasons)


def test_date_not_in_cited_text_is_reported(sentences_000):
    cited = _with(sentences_000, "plans to visit the U.S. in March 2026")
    result = check_sentence(cited.replace("March 2026", "May 2026"), [cited])
    assert result.label == "unsupported"
    assert any("'May'" in r for r in result.reasons)


def test_added_negation_is_unsupported(sentences_003):
    cited = _with(sentences_003, "agreed in a phone call")
    result = check_sentence(cited.replace("agreed", "did not agree"), [cited])
    assert result.label == "unsupported"
    assert any("negation" in r for r in result.reasons)


def test_missing_first_name_is_only_partial():
    passage = "President Trump spoke to reporters in Washington on Friday."
    result = check_sentence("President Donald Trump spoke to reporters in Washington on Friday.", [passage])
    assert result.label == "partial"
    assert any("donald" in r for r in result.reasons)


def test_facts_stitched_from_separate_sentences_score_below_a_verbatim_copy(sentences_003):
    first = _with(sentences_003, "Lockheed Martin")
    stitched = "Takaichi gains essential diplomatic leverage with a $328.5 million contract for Taiwan."
    verbatim = check_sentence(first, sentences_003)
    pieced = check_sentence(stitched, sentences_003)
    assert pieced.score < verbatim.score
    assert pieced.label != "supported"


def test_lower_cased_text_is_checked_by_its_numbers_and_words():
    passage = "an estimated 1,600 migrants have died so far this year on the mediterranean crossing."
    assert check_sentence("an estimated 1,600 migrants have died so far this year.", [passage]).label == "supported"
    assert check_sentence("an estimated 16,000 migrants have died so far this year.", [passage]).label == "unsupported"


def test_no_cited_text_is_unsupported():
    assert check_sentence("Trump will visit China in April.", []).label == "unsupported"


def test_scale_words_and_currency_are_resolved():
    (amount,) = [a for a in amounts("a $328.5 million contract") if a.kind != "ordinal"]
    assert (amount.value, amount.kind) == (328_500_000.0, "USD")


def test_dates_read_years_months_days_and_clock_times():
    assert {"year:2026", "day:1-2", "month:1"} <= dates("on January 2, 2026")
    assert "time:17:00" in dates("at 5 p.m. Sunday")
    assert "month:5" not in dates("officials may decide later")


def test_titles_are_read_as_roles_not_names():
    reading = read("Japanese Prime Minister Takahashi Hayato met U.S. President Trump.")
    assert ("prime minister", ("takahashi", "hayato")) in reading.roles
    assert ("president", ("trump",)) in reading.roles
    assert all("minister" not in name for name in reading.names)


def test_amount_and_date_from_unrelated_sentences_are_not_paired(sentences_003):
    result = check_sentence("Lockheed Martin was awarded a $328.5 million contract on January 2, 2026.",
                            sentences_003)
    assert result.label != "supported"
    assert any("never stated together" in r for r in result.reasons)
