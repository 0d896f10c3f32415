"""Dates, titles and languages as pages and records write them."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crosscheck.ingest.metadata import normalise_language, parse_datetime, strip_site_suffix


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2026-01-02T08:30:00+09:00", datetime(2026, 1, 2, 8, 30, tzinfo=timezone(timedelta(hours=9)))),
        ("2019-11-18T17:02:02Z", datetime(2019, 11, 18, 17, 2, 2, tzinfo=UTC)),
        ("Tue, 19 Nov 2019 02:24:00 +0000", datetime(2019, 11, 19, 2, 24, tzinfo=UTC)),  # RSS pubDate
        ("November 18, 2019 5:02 pm", datetime(2019, 11, 18, 17, 2, tzinfo=UTC)),
        ("2015-03-30", datetime(2015, 3, 30, tzinfo=UTC)),  # date only, naive → UTC
        (1574168580, datetime(2019, 11, 19, 13, 3, tzinfo=UTC)),  # Unix seconds
        ("1574168580000", datetime(2019, 11, 19, 13, 3, tzinfo=UTC)),  # JavaScript milliseconds
    ],
)
def test_dates_as_sources_write_them(written, expected):
    assert parse_datetime(written) == expected


def test_text_that_is_not_a_date_gives_none():
    assert parse_datetime("not a date") is None and parse_datetime("") is None


@pytest.mark.parametrize(
    ("title", "site", "host", "expected"),
    [
        ("Major WeWork layoffs to begin today | The Real Deal New York", "The Real Deal New York", None, "Major WeWork layoffs to begin today"),
        ("2020 Audi e-tron Sportback revealed - SlashGear", None, "www.slashgear.com", "2020 Audi e-tron Sportback revealed"),
        ("Nadal keeps Spain alive | Sportsnet.ca", "Sportsnet", None, "Nadal keeps Spain alive"),
        # A dash inside the headline that does not name the site stays.
        ("Japan - US summit set for spring", "Kyodo News", "english.kyodonews.net", "Japan - US summit set for spring"),
    ],
)
def test_title_loses_only_a_site_name_suffix(title, site, host, expected):
    assert strip_site_suffix(title, site, host) == expected


def test_language_tags_are_reduced_to_the_primary_subtag():
    assert [normalise_language(v) for v in ("en-US", "pt_BR", "EN", "x", None)] == ["en", "pt", "en", None, None]
