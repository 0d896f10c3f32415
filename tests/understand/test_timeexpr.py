from datetime import date

import pytest

from crosscheck.understand.timeexpr import find_times

PUBLISHED_000 = date(2025, 12, 24)


@pytest.mark.parametrize("phrase, start, end, granularity", [
    ("On December 24, Kyodo reported.", date(2025, 12, 24), date(2025, 12, 24), "day"),
    ("They spoke on January 2, 2026, by phone.", date(2026, 1, 2), date(2026, 1, 2), "day"),
    ("a visit in late March next year", date(2026, 3, 21), date(2026, 3, 31), "part-of-month"),
    ("before the visit to China in April", date(2026, 4, 1), date(2026, 4, 30), "month"),
    ("a spring 2026 summit", date(2026, 3, 1), date(2026, 5, 31), "season"),
    ("talks expected next year", date(2026, 1, 1), date(2026, 12, 31), "year"),
    ("to visit the U.S. in March 2026", date(2026, 3, 1), date(2026, 3, 31), "month"),
    ("in the first quarter of 2026", date(2026, 1, 1), date(2026, 3, 31), "quarter"),
    ("the shooting eight days ago", date(2025, 12, 16), date(2025, 12, 16), "day"),
    ("voting began on Dec.14", date(2025, 12, 14), date(2025, 12, 14), "day"),
])
def test_expression_resolves_against_publication_date(phrase, start, end, granularity):
    [found] = find_times(phrase, PUBLISHED_000)
    assert (found.interval.start, found.interval.end, found.interval.granularity) == (start, end, granularity)


def test_bare_season_means_the_coming_one():
    [found] = find_times("a potential spring visit", date(2026, 1, 3))
    assert found.interval.label == "2026 spring"


def test_late_march_nests_inside_spring_of_the_same_year():
    [late_march] = find_times("in late March 2026", None)
    [spring] = find_times("a spring 2026 summit", None)
    assert spring.interval.contains(late_march.interval)


def test_relative_expressions_stay_unresolved_without_publication_date():
    found = find_times("in April, and late March next year", None)
    assert [f.interval for f in found] == [None, None]
    assert all(f.relative for f in found)


def test_absolute_dates_resolve_without_publication_date():
    [found] = find_times("on January 2, 2026", None)
    assert found.interval.start == date(2026, 1, 2) and not found.relative


def test_may_the_verb_is_not_a_month():
    assert find_times("Errors may occur and talks may march on.", PUBLISHED_000) == []


def test_span_points_at_the_expression():
    text = "The summit is set for late March next year in Washington."
    [found] = find_times(text, PUBLISHED_000)
    assert text[found.start:found.end] == "late March next year"


def test_season_words_outside_time_context_are_not_times():
    assert find_times("She was not tempted to fall back into old habits.", PUBLISHED_000) == []
