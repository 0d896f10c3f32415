"""Find temporal expressions in text and resolve them against the publication date.

Why not dateparser for everything: `search_dates("… in late March next year …")` with a
December 2025 base returns 2025-03-24 — wrong year, and "late" is lost (shared/PITFALLS.md).
News relative expressions ("late March next year", "in April", "a spring visit", "next
year") are a small closed grammar, so they are resolved here with calendar arithmetic.
Fully written dates ("January 2, 2026", "2 January 2026") are parsed here too: the month
table and `datetime.date` are all they need, and the same pattern finder must see them anyway
to keep their character spans.

Every result keeps the granularity the text gave (a day, a part of a month, a month, a
season, a quarter, a year) instead of faking a day, as DESIGN.md asks.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from crosscheck.model import TimeInterval

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}
# Meteorological seasons (northern hemisphere): whole months, so "late March" nests in spring.
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end of": (21, 31),
         "beginning of": (1, 10), "middle of": (11, 20)}
ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2,
                    "3rd": 3, "4th": 4, "q1": 1, "q2": 2, "q3": 3, "q4": 4}

_MONTH = (r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|"
          r"Oct\.?|Nov\.?|Dec\.?)")
_PART = r"(?:(?P<part>early|mid|late|the end of|end of|the beginning of|beginning of|the middle of|middle of)[\s-]+)?"
_YEAR_REL = r"(?P<yrel>next year|this year|last year)"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Ordered: the longest, most specific pattern first; matches never overlap (see find_times).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("mdy", re.compile(rf"\b{_MONTH}\s+{_DAY}(?:\s*,\s*|\s+){_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b")),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("md", re.compile(rf"\b{_MONTH}(?:\s+|(?<=\.)){_DAY}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)(?![\d:])")),
    ("dm", re.compile(rf"\b{_DAY}\s+{_MONTH}\b")),
    ("month", re.compile(rf"\b{_PART}{_MONTH}(?:\s+(?:of\s+)?(?:{_YEAR}|{_YEAR_REL}))?\b")),
    ("season", re.compile(r"\b(?:(?P<part>early|late|mid)[\s-]+)?(?P<season>spring|summer|autumn|fall|winter)"
                          r"(?:\s+(?:of\s+)?(?:(?P<year>(?:19|20)\d\d)|(?P<yrel>next year|this year|last year)))?\b",
                          re.I)),
    ("quarter", re.compile(r"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
                           r"(?:\s+of\s+(?:(?P<year>(?:19|20)\d\d)|(?P<yrel>next year|this year|last year)))?\b"
                           r"|\b(?P<q2>Q[1-4])\s+(?P<year2>(?:19|20)\d\d)\b", re.I)),
    ("yearpart", re.compile(r"\b(?P<part>early|late|the end of|end of|the beginning of|beginning of|"
                            r"the middle of|middle of|mid)[\s-]+(?:(?P<year>(?:19|20)\d\d)|(?P<yrel>next year|this year|last year))\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                       r"(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("weekend", re.compile(r"\b(?P<wkmod>the|this|last|next)\s+weekend\b", re.I)),
    ("yearrel", re.compile(r"\b(?P<yrel>next year|this year|last year)\b", re.I)),
    ("monthrel", re.compile(r"\b(?P<mrel>next month|this month|last month)\b", re.I)),
    ("weekrel", re.compile(r"\b(?P<wrel>next week|this week|last week)\b", re.I)),
    ("dayrel", re.compile(r"\b(?P<drel>today|yesterday|tomorrow|tonight)\b", re.I)),
    ("weekday", re.compile(r"\b(?:(?P<wmod>last|next|this|on)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("year", re.compile(r"(?<![\d$£€.,-])\b(?:in|by|since|during|until|of|for|from|before|after)\s+(?P<year>(?:19|20)\d\d)\b(?![.,]?\d)")),
]


@dataclass(frozen=True)
class FoundTime:
    """A temporal expression at `text[start:end]` and what it resolved to."""

    start: int
    end: int
    text: str
    interval: TimeInterval | None
    relative: bool  # depended on the publication date (or could not be resolved without it)


def find_times(text: str, published: date | None) -> list[FoundTime]:
    """All temporal expressions in `text`, left to right, resolved against `published`."""
    taken: list[tuple[int, int]] = []
    found: list[FoundTime] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span("year") if kind == "year" else m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind in ("md", "month") and _month_is_other_word(text, m):
                continue
            if kind == "season" and _season_is_other_word(text, m):
                continue
            resolved = _resolve(kind, m.groupdict(), published)
            if resolved is None:
                continue
            interval, relative = resolved
            taken.append((s, e))
            found.append(FoundTime(s, e, text[s:e], interval, relative))
    found.sort(key=lambda f: f.start)
    return found


def _month_is_other_word(text: str, m: re.Match[str]) -> bool:
    """'May' the verb and 'March' the noun/verb are only months next to a day, year or 'in'."""
    word = m.group("month").lower().rstrip(".")
    if word not in ("may", "march", "mar", "jan", "sep", "dec") or m.groupdict().get("day"):
        return False
    if m.groupdict().get("year") or m.groupdict().get("yrel") or m.groupdict().get("part"):
        return False
    before = text[max(0, m.start() - 12):m.start()].lower()
    return not re.search(r"\b(in|since|until|by|of|from|early|late|mid|before|after|through)\s+$", before)


_SEASON_CONTEXT = re.compile(r"\b(?:in|this|last|next|the|a|an|by|until|since|during|early|late|mid|of|before|after)"
                             r"[\s-]+(?:[a-z]+\s+){0,2}$", re.I)


def _season_is_other_word(text: str, m: re.Match[str]) -> bool:
    """'fall back', 'hot spring', 'wound spring': a season word is a time only after 'in',
    'this', 'a', 'early', … or before a year."""
    if m.group("year") or m.group("yrel") or m.group("part"):
        return False
    return not _SEASON_CONTEXT.search(text[max(0, m.start() - 30):m.start()])


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _month_num(raw: str) -> int:
    return MONTHS[raw.lower().rstrip(".")]


def _year_from(groups: dict, published: date | None) -> tuple[int | None, bool]:
    """The year the expression names, and whether that needed the publication date."""
    if groups.get("year"):
        return int(groups["year"]), False
    if groups.get("year2"):
        return int(groups["year2"]), False
    rel = (groups.get("yrel") or "").lower()
    if rel:
        if published is None:
            return None, True
        return published.year + {"next year": 1, "this year": 0, "last year": -1}[rel], True
    return None, True


def _nearest_year_for_month(month: int, published: date) -> int:
    """A bare month means the occurrence nearest the publication date (within ±6 months)."""
    candidates = [published.year - 1, published.year, published.year + 1]
    pub_index = published.year * 12 + published.month - 1
    return min(candidates, key=lambda y: (abs(y * 12 + month - 1 - pub_index), -y))


def _month_interval(year: int, month: int, part: str | None) -> TimeInterval:
    last = calendar.monthrange(year, month)[1]
    if part:
        lo, hi = PARTS[part]
        label = f"{year}-{month:02d} ({part.split()[0] if part != 'end of' else 'late'})"
        return TimeInterval(date(year, month, lo), date(year, month, min(hi, last)), "part-of-month", label)
    return TimeInterval(date(year, month, 1), date(year, month, last), "month", f"{year}-{month:02d}")


def _season_bounds(season: str, year: int) -> tuple[date, date]:
    first, last = SEASONS[season]
    end_year = year + 1 if first > last else year  # winter 2025 runs into February 2026
    return date(year, first, 1), date(end_year, last, calendar.monthrange(end_year, last)[1])


def _normal_part(part: str | None) -> str | None:
    if not part:
        return None
    part = part.lower().replace("the ", "")
    return {"beginning of": "early", "middle of": "mid", "end of": "late"}.get(part, part)


def _resolve(kind: str, g: dict, published: date | None) -> tuple[TimeInterval | None, bool] | None:
    try:
        return _resolve_unchecked(kind, g, published)
    except (ValueError, KeyError):  # "February 30", an impossible day: not a date
        return None


def _resolve_unchecked(kind: str, g: dict, pub: date | None) -> tuple[TimeInterval | None, bool] | None:
    if kind in ("mdy", "dmy", "iso"):
        month = int(g["mnum"]) if g.get("mnum") else _month_num(g["month"])
        d = date(int(g["year"]), month, int(g["day"]))
        return TimeInterval(d, d, "day", d.isoformat()), False
    if kind in ("md", "dm"):
        month, day = _month_num(g["month"]), int(g["day"])
        if not 1 <= day <= 31:
            return None
        if pub is None:
            return None, True
        d = date(_nearest_year_for_month(month, pub), month, day)
        return TimeInterval(d, d, "day", d.isoformat()), True
    if kind == "month":
        month = _month_num(g["month"])
        year, relative = _year_from(g, pub)
        if year is None:
            if pub is None:
                return None, True
            year = _nearest_year_for_month(month, pub)
        part = _normal_part(g.get("part"))
        return _month_interval(year, month, part), relative
    if kind == "season":
        season = g["season"].lower()
        year, relative = _year_from(g, pub)
        if year is None:
            if pub is None:
                return None, True
            # A bare season means the current one, or the next one if this year's is over.
            year = next(y for y in (pub.year - 1, pub.year, pub.year + 1)
                        if _season_bounds(season, y)[1] >= pub)
        start, end = _season_bounds(season, year)
        part = (g.get("part") or "").lower()
        if part:  # early/mid/late season: a third of it
            third = (end - start) // 3
            if part == "early":
                end = start + third
            elif part == "mid":
                start, end = start + third, start + 2 * third
            else:
                start = end - third
        label = f"{year} {(part + ' ') if part else ''}{season}"
        return TimeInterval(start, end, "season", label), relative
    if kind == "quarter":
        q = ORDINAL_QUARTERS[(g.get("q") or g.get("q2")).lower()]
        year, relative = _year_from(g, pub)
        if year is None:
            if pub is None:
                return None, True
            year = pub.year
        start = date(year, 3 * q - 2, 1)
        end_month = 3 * q
        end = date(year, end_month, calendar.monthrange(year, end_month)[1])
        return TimeInterval(start, end, "quarter", f"{year}-Q{q}"), relative
    if kind == "yearpart":
        year, relative = _year_from(g, pub)
        if year is None:
            return None, True
        part = _normal_part(g["part"])
        start, end = {"early": (date(year, 1, 1), date(year, 4, 30)),
                      "mid": (date(year, 5, 1), date(year, 8, 31)),
                      "late": (date(year, 9, 1), date(year, 12, 31))}[part]
        return TimeInterval(start, end, "year", f"{year} ({part})"), relative
    if kind in ("yearrel", "year"):
        year, relative = _year_from(g, pub)
        if year is None:
            return None, True
        return TimeInterval(date(year, 1, 1), date(year, 12, 31), "year", str(year)), relative
    if kind == "monthrel":
        if pub is None:
            return None, True
        shift = {"next month": 1, "this month": 0, "last month": -1}[g["mrel"].lower()]
        index = pub.year * 12 + pub.month - 1 + shift
        return _month_interval(index // 12, index % 12 + 1, None), True
    if kind == "weekrel":
        if pub is None:
            return None, True
        shift = {"next week": 7, "this week": 0, "last week": -7}[g["wrel"].lower()]
        monday = pub - timedelta(days=pub.weekday()) + timedelta(days=shift)
        sunday = monday + timedelta(days=6)
        return TimeInterval(monday, sunday, "week", f"{monday.isoformat()}/P1W"), True
    if kind == "ago":
        if pub is None:
            return None, True
        n = int(g["n"]) if g["n"].isdigit() else _NUMBER_WORDS[g["n"].lower()]
        unit = g["unit"].lower()
        if unit == "day":
            d = pub - timedelta(days=n)
            return TimeInterval(d, d, "day", d.isoformat()), True
        if unit == "week":
            monday = pub - timedelta(days=pub.weekday() + 7 * n)
            return TimeInterval(monday, monday + timedelta(days=6), "week", f"{monday.isoformat()}/P1W"), True
        if unit == "month":
            index = pub.year * 12 + pub.month - 1 - n
            return _month_interval(index // 12, index % 12 + 1, None), True
        year = pub.year - n
        return TimeInterval(date(year, 1, 1), date(year, 12, 31), "year", str(year)), True
    if kind == "weekend":
        if pub is None:
            return None, True
        saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)  # the latest Saturday, or today
        if g["wkmod"].lower() == "next":
            saturday += timedelta(days=7)
        elif g["wkmod"].lower() == "last" and saturday == pub:
            saturday -= timedelta(days=7)
        sunday = saturday + timedelta(days=1)
        return TimeInterval(saturday, sunday, "day", f"{saturday.isoformat()}/{sunday.isoformat()}"), True
    if kind == "dayrel":
        if pub is None:
            return None, True
        d = pub + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[g["drel"].lower()])
        return TimeInterval(d, d, "day", d.isoformat()), True
    if kind == "weekday":
        if pub is None:
            return None, True
        target = WEEKDAYS[g["wd"].lower()]
        mod = (g.get("wmod") or "").lower()
        if mod == "next":
            delta = (target - pub.weekday()) % 7 or 7
            d = pub + timedelta(days=delta)
        else:  # news reports the past: the most recent such weekday (the day itself counts)
            d = pub - timedelta(days=(pub.weekday() - target) % 7)
        return TimeInterval(d, d, "day", d.isoformat()), True
    return None
