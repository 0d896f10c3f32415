"""Light, safe sentence compression: drop parentheticals and attribution clauses.

Only deletions, never rewrites; the caller keeps a shortened sentence only when the checker
still finds it supported by the same cited sentence, and marks it as compressed.
"""

from __future__ import annotations

import re

_PARENTHETICAL = re.compile(r"\s*[(\[][^()\[\]]{1,120}[)\]]")
_LEADING_ACCORDING = re.compile(r"^(?:According to|As reported by|Citing)\s+[^,\"“”]{2,60},\s+(?P<first>\w)")
_TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:according to\s+[^,\"“”]{2,60}|(?:[A-Z][\w.'’\-]*\s+){0,4}(?:said|says|reported|reports|told \w+)"
    r"(?:\s+on\s+\w+)?|(?:said|says)\s+(?:[A-Z][\w.'’\-]*\s*){1,4}(?:,\s+[^,\"“”]{2,60})?)\s*(?P<end>[.!?])$")


def compressions(sentence: str) -> list[str]:
    """Shorter versions of the sentence, most compressed first (empty when none applies)."""
    quoted = bool(re.search(r"[\"“”]", sentence))
    steps: list[str] = []
    text = _drop_parentheticals(sentence)
    if text != sentence:
        steps.append(text)
    if not quoted:  # a quotation needs its speaker; keep attribution there
        shorter = _drop_attribution(text)
        if shorter != text:
            steps.append(shorter)
    return [s for s in reversed(steps) if len(s.split()) >= 5]


def _drop_parentheticals(text: str) -> str:
    out = _PARENTHETICAL.sub("", text)
    return re.sub(r"\s+([,.;:!?])", r"\1", out).strip()


def _drop_attribution(text: str) -> str:
    out = _LEADING_ACCORDING.sub(lambda m: m.group("first").upper(), text)
    out = _TRAILING_ATTRIBUTION.sub(lambda m: m.group("end"), out)
    return out.strip()
