"""Model-free reading of a sentence: words, stems, numbers, dates, names and roles.

Everything here is regular expressions and small word lists, so the checker and the
selector run at tens of thousands of sentences per second on one core and behave the same
everywhere. Lower-cased text (QAGS) is handled: names are then found only through roles
and the content-word comparison, since capital letters carry no signal there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

# A compact English stop list: function words only, so that content words (including
# verbs such as "visit", "killed") are what the checker compares.
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each either few for
from further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up upon very was we were what when
where which while who whom why will with would you your yours yourself yourselves
's s t d ll m re ve y one's said says say told tell according also would could might may must
shall will via per yet still even ever much many well back like just get got
mr mrs ms dr
""".split())

NEGATIONS = frozenset("not no never none nobody nothing neither nor n't cannot without".split())

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "half": 0.5,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
_CURRENCY = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "usd": "USD",
             "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
             "yen": "JPY", "yuan": "CNY", "rupees": "INR"}

# Titles that make "<title> <Name>" a role statement the checker must find in the cited text.
ROLE_TITLES = (
    "prime minister", "deputy prime minister", "foreign minister", "defense minister",
    "defence minister", "finance minister", "minister", "vice president", "president",
    "chancellor", "secretary of state", "secretary", "king", "queen", "prince", "princess",
    "governor", "mayor", "senator", "sen.", "rep.", "representative", "ambassador", "chief executive",
    "ceo", "chairman", "chairwoman", "chair", "spokesman", "spokeswoman", "spokesperson",
    "general", "gen.", "chief", "judge", "justice", "pope", "premier", "leader", "coach",
    "director", "commissioner", "sheriff", "officer", "inspector", "captain", "speaker",
)
_ROLE_RE = re.compile(
    r"\b((?i:" + "|".join(re.escape(t) for t in sorted(ROLE_TITLES, key=len, reverse=True)) + r"))\s+"
    r"((?:[A-Z][\w'’\-]+\.?\s+){0,3}[A-Z][\w'’\-]+)")

_ORDINAL_RE = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,:]\d+)*")
_CAP_SEQ_RE = re.compile(
    r"\b(?:[A-Z][a-zA-Z'’\-]*\.?|[A-Z]{2,})(?:\s+(?:(?:of|de|von|van|al|bin|the|and|for)\s+)?"
    r"(?:[A-Z][a-zA-Z'’\-]*\.?|[A-Z]{2,}))*")
_AMOUNT_RE = re.compile(
    r"(?P<cur>us\$|\$|€|£|¥)?\s?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|(?:"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r"))\b"
    r"(?:[\s\-]?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?"
    r"(?:\s?(?P<pct>%|percent|per cent|pc)\b)?"
    r"(?:\s?(?P<cur2>dollars|dollar|euros|euro|pounds|yen|yuan|rupees|usd))?",
    re.IGNORECASE)
_TIME_RE = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s?(a\.?m\.?|p\.?m\.?)(?![a-z])", re.IGNORECASE)
_CLOCK_RE = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_YEAR_RE = re.compile(r"\b(1[89]\d{2}|20\d{2})s?\b")
_MONTH_DAY_RE = re.compile(
    r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\b", re.IGNORECASE)
_MONTH_RE = re.compile(r"\b(" + "|".join(k for k in _MONTHS if len(k) > 3 or k in ("may",)) + r")\b",
                       re.IGNORECASE)
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def _join_acronyms(text: str) -> str:
    """"U.S." → "US " (same length kept, so offsets stay valid) rather than the words "u", "s"."""
    return re.sub(r"\b((?:[A-Z]\.){2,})", lambda m: m.group(1).replace(".", "") + " " * m.group(1).count("."),
                  text)


def words(text: str) -> list[str]:
    """Lower-cased word and number tokens."""
    text = _join_acronyms(text)
    out = []
    for w in _WORD_RE.findall(text):
        w = w.lower().replace("’", "'")
        out.append(w[:-2] if w.endswith("'s") and len(w) > 2 else w)  # possessive: "Hayato's" → "hayato"
    return out


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: enough to match "visits"/"visited"/"visiting" and plurals.

    Not a linguistic stemmer: it only has to map the inflections of one word to one key,
    the same way on both sides of a comparison.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isalpha():
        return w
    base = w
    for suffix, keep in (("ational", "ate"), ("ization", "ize"), ("iveness", "ive"), ("fulness", "ful"),
                         ("ousness", "ous"), ("ements", ""), ("ement", ""), ("ments", ""), ("ment", ""),
                         ("ingly", ""), ("edly", ""), ("ings", ""), ("ing", ""), ("ies", "y"),
                         ("ied", "y"), ("ers", ""), ("er", ""), ("ed", ""), ("ly", ""), ("es", "e"),
                         ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                break
            base = w[: len(w) - len(suffix)] + keep
            if keep == "" and len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "planned" → "plann" → "plan"
            break
    if base.endswith("e") and len(base) > 3:
        base = base[:-1]  # "agree"/"agreed"/"agrees" → "agre"
    return base


DATE_WORDS = frozenset(stem(w) for w in list(_MONTHS) + list(_WEEKDAYS))


@dataclass(frozen=True)
class Amount:
    value: float
    kind: str  # "number", "percent", "USD", "EUR", …, "ordinal"
    text: str


def amounts(text: str) -> list[Amount]:
    """Numbers and amounts with their scale resolved: "$328.5 million" → 328500000 USD."""
    out: list[Amount] = []
    masked = _dates_masked(text)
    for m in _AMOUNT_RE.finditer(masked):
        raw = m.group("num")
        low = raw.lower()
        if low in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[low])
            if low == "one" and not (m.group("scale") or m.group("cur") or m.group("cur2")):
                continue  # "one of the …" is not a quantity worth checking
            if low == "half" and not m.group("scale"):
                continue
        else:
            try:
                value = float(raw.replace(",", ""))
            except ValueError:
                continue
        scale = (m.group("scale") or "").lower()
        if scale in ("m", "b", "k") and not (m.group("cur") or m.group("cur2")):
            # a bare "5 m" is more often metres than millions
            if scale == "m":
                scale = ""
        value *= _SCALES.get(scale, 1.0)
        cur = (m.group("cur") or m.group("cur2") or "").lower()
        kind = "percent" if m.group("pct") else _CURRENCY.get(cur, "number")
        out.append(Amount(value, kind, m.group(0).strip()))
    for word in dict.fromkeys(m.group(1).lower() for m in _ORDINAL_RE.finditer(text)):
        out.append(Amount(float(_ORDINALS[word]), "ordinal", word))
    return out


def _dates_masked(text: str) -> str:
    """Blank out years, times and day-of-month numbers so they are not read as amounts."""
    def blank(m: re.Match) -> str:
        return " " * (m.end() - m.start())
    for pattern in (_MONTH_DAY_RE, _TIME_RE, _CLOCK_RE, _YEAR_RE):
        text = pattern.sub(blank, text)
    return text


def dates(text: str) -> set[str]:
    """Date and time facts as comparable keys: "year:2026", "month:3", "day:3-24", "time:17:00"."""
    keys: set[str] = set()
    for m in _YEAR_RE.finditer(text):
        keys.add(f"year:{m.group(1)}")
    for m in _MONTH_DAY_RE.finditer(text):
        month = _MONTHS[(m.group(1) or m.group(4)).lower()]
        day = int(m.group(2) or m.group(3))
        if 1 <= day <= 31:
            keys.add(f"day:{month}-{day}")
    for m in _MONTH_RE.finditer(text):
        word = m.group(1)
        if word.lower() == "may" and not word[0].isupper():
            continue  # the verb "may"
        if word.lower() == "march" and not word[0].isupper() and not re.search(
                r"\b(in|late|early|mid|since|until|by|last|next|of)\s+march\b", text, re.IGNORECASE):
            continue  # the verb/noun "march"
        keys.add(f"month:{_MONTHS[word.lower()]}")
    for m in _WEEKDAY_RE.finditer(text):
        keys.add(f"weekday:{m.group(1).lower()}")
    for m in _TIME_RE.finditer(text):
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)
        keys.add(f"time:{hour:02d}:{int(m.group(2) or 0):02d}")
    return keys


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def show_date(key: str) -> str:
    """A date key as a reader writes it: "day:1-2" → "January 2", "time:17:00" → "17:00"."""
    kind, _, value = key.partition(":")
    if kind == "day":
        month, day = value.split("-")
        return f"{_MONTH_NAMES[int(month) - 1]} {int(day)}"
    if kind == "month":
        return _MONTH_NAMES[int(value) - 1]
    if kind == "weekday":
        return value.capitalize()
    return value


_NAME_STOP = frozenset("""the a an this that these those it its he she they we i you his her their our
in on at of for by to from with as and or but if when while after before since during
however meanwhile although though because so also then there here yet
mr mrs ms dr prof sir""".split())


_TITLE_WORDS = frozenset(w.rstrip(".") for t in ROLE_TITLES for w in t.split()) - {"of", "state"}


def names(text: str) -> list[tuple[str, ...]]:
    """Capitalised word sequences as lower-case token tuples ("Prime Minister Sanae Takaichi").

    The sentence-initial word counts only as part of a longer sequence, and function words
    and month/weekday names are dropped. Returns nothing for lower-cased text.
    """
    out: list[tuple[str, ...]] = []
    text = _join_acronyms(text)
    for m in _CAP_SEQ_RE.finditer(text):
        tokens = [t for t in words(m.group(0))]
        at_start = m.start() == 0 or re.match(r"[\s\"'“‘(\[]*$", text[: m.start()]) is not None \
            or re.search(r"[.!?:;]\s+[\"'“‘]?$", text[: m.start()]) is not None
        while tokens and (tokens[0] in _NAME_STOP or tokens[0] in _MONTHS or tokens[0] in _WEEKDAYS):
            tokens.pop(0)
            at_start = False
        # titles are checked as roles, not as part of the name: "Japanese Prime Minister X" → ("x",)
        tokens = [t for t in tokens if t not in _MONTHS and t not in _WEEKDAYS and t not in _TITLE_WORDS]
        if not tokens:
            continue
        if at_start and len(tokens) == 1:
            continue  # "Officials said …": a capital that only marks the sentence start
        if all(t in STOPWORDS for t in tokens):
            continue
        out.append(tuple(tokens))
    return out


def roles(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """("prime minister", ("takahashi", "hayato")) for each "<Title> <Name>" in the text."""
    out = []
    for m in _ROLE_RE.finditer(text):
        title = m.group(1).lower().rstrip(".")
        start = m.start(1)
        # a title counts when written as a title: capitalised, or the text is all lower-case
        if not (text[start].isupper() or text == text.lower()):
            continue
        holder = tuple(t for t in words(m.group(2)) if t not in _NAME_STOP)
        if holder:
            out.append((title, holder))
    return out


@dataclass
class Reading:
    """Everything the checker and the selector need from one piece of text, read once."""

    text: str
    tokens: list[str] = field(default_factory=list)
    stems: list[str] = field(default_factory=list)  # content stems, in order
    token_stems: list[str] = field(default_factory=list)  # every token stemmed, stop words kept
    unbracketed_stems: list[str] = field(default_factory=list)  # the same without "( … )" asides
    amounts: list[Amount] = field(default_factory=list)
    dates: set[str] = field(default_factory=set)
    names: list[tuple[str, ...]] = field(default_factory=list)
    roles: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    negated: bool = False

    @cached_property
    def stem_set(self) -> frozenset[str]:
        return frozenset(self.stems)

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Token stem → its positions in the text (for alignment)."""
        where: dict[str, list[int]] = {}
        for i, st in enumerate(self.token_stems):
            where.setdefault(st, []).append(i)
        return where


_BRACKETED = re.compile(r"[(\[][^()\[\]]{1,120}[)\]]")


@lru_cache(maxsize=16384)
def read(text: str) -> Reading:
    tokens = words(text)
    return Reading(
        text=text,
        tokens=tokens,
        stems=[stem(w) for w in tokens if w not in STOPWORDS and not w.isdigit() and len(w) > 1],
        token_stems=[stem(w) for w in tokens],
        unbracketed_stems=[stem(w) for w in words(_BRACKETED.sub(" ", text))] if _BRACKETED.search(text) else [],
        amounts=amounts(text),
        dates=dates(text),
        names=names(text),
        roles=roles(text),
        negated=any(t in NEGATIONS or t.endswith("n't") for t in tokens),
    )
