"""Pairwise stance of a text towards a claim: agree / disagree / discuss / unrelated.

The signal reconcile uses to tell whether one source backs, disputes or merely mentions
another's statement, scored on FNC-1 by bench/fnc1.py. Unsupervised and rule-based:

1. **related?** — the share of the claim's content words (names weigh double) found in the
   text; below `RELATED_THRESHOLD` the text is about something else;
2. **disputes?** — the sentences of the text that share the claim's words are searched for
   refutation cues ("hoax", "denied", "no evidence", "fake") and for figures that contradict
   the claim's figures;
3. **hedges?** — the same sentences' hedging and attribution cues ("reportedly",
   "allegedly", "claims", "according to", "unconfirmed") make it a discussion; a text that
   states the claim's content without hedging agrees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

RELATED_THRESHOLD = 0.30  # these three were set on a quarter of FNC-1 dev: bench/fnc1.py --calibrate
MIN_REFUTATIONS = 1  # refutation cues needed in the sentences about the claim
AGREE_THRESHOLD = 0.4  # share of claim words a sentence must restate to count as stating it

_STOP = set("""a an the and or but if of to in on at by for with from as is are was were be been being
this that these those it its it's he she they them his her their we you i our your not no
has have had do does did will would can could should may might must than then there here
what which who whom whose when where why how all any both each few more most other some such
only own same so too very just also into over after before about against between through during
out up down off again further once under said says say new news report reports video photo
watch update breaking exclusive""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_REFUTE = re.compile(
    r"\b(?:hoax|fake|fakes|faked|false(?:ly)?|untrue|not true|deny|denies|denied|denial|debunk\w*|"
    r"fabricat\w*|no evidence|baseless|bogus|refut\w*|dismiss(?:ed|es)?|doctored|photoshopped|"
    r"satir\w*|prank|misleading|made up|never happened|incorrect|rejects?|rejected|"
    r"contrary to|not (?:the case|real|genuine|authentic))\b", re.I)
_HEDGE = re.compile(
    r"\b(?:reportedly|allegedly|alleged|claims?|claimed|rumou?r\w*|unconfirmed|unverified|"
    r"may|might|could|appears?|apparently|according to|suggests?|purported\w*|speculat\w*|"
    r"possibly|believed|said to|supposedly|if true|it is unclear|not yet confirmed|"
    r"could not be (?:independently )?verified)\b", re.I)
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")


@dataclass(frozen=True)
class Stance:
    label: str  # "agree" | "disagree" | "discuss" | "unrelated"
    relatedness: float  # share of the claim's content words the text contains (names double)
    reasons: tuple[str, ...] = ()


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'").removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def content_words(text: str) -> dict[str, float]:
    """Stemmed content words with weights: capitalised (name-like) words and numbers weigh 2."""
    out: dict[str, float] = {}
    for m in _WORD.finditer(text):
        word = m.group(0)
        if word.lower() in _STOP or len(word) < 2:
            continue
        weight = 2.0 if (word[0].isupper() and m.start() > 0) or word[0].isdigit() else 1.0
        stem = _stem(word)
        out[stem] = max(out.get(stem, 0.0), weight)
    return out


def stance(claim_text: str, body_text: str) -> Stance:
    """How `body_text` stands towards `claim_text` (e.g. a headline and an article body)."""
    claim = content_words(claim_text)
    if not claim:
        return Stance("unrelated", 0.0)
    body_stems, sentences = _read_body(body_text)
    total = sum(claim.values())
    relatedness = sum(w for s, w in claim.items() if s in body_stems) / total
    if relatedness < RELATED_THRESHOLD:
        return Stance("unrelated", relatedness)

    # The sentences that talk about the claim: they share at least two of its words.
    relevant = []
    best = 0.0
    for sentence, stems in sentences:
        shared = sum(w for s, w in claim.items() if s in stems)
        if sum(1 for s in claim if s in stems) >= 2:
            relevant.append(sentence)
            best = max(best, shared / total)
    window = " ".join(relevant[:8]) or body_text[:1000]
    reasons: list[str] = []
    refutes = [m.group(0).lower() for m in _REFUTE.finditer(window)]
    claim_refutes = {m.group(0).lower() for m in _REFUTE.finditer(claim_text)}
    refutes = [r for r in refutes if r not in claim_refutes]  # "hoax" in both is agreement
    if len(refutes) >= MIN_REFUTATIONS:
        reasons.append("refutes: " + ", ".join(sorted(set(refutes))))
        return Stance("disagree", relatedness, tuple(reasons))
    if _figures_clash(claim_text, window):
        return Stance("disagree", relatedness, ("different figures",))
    hedges = [m.group(0).lower() for m in _HEDGE.finditer(window)]
    if hedges:
        reasons.append("hedges: " + ", ".join(sorted(set(hedges))))
    if best >= AGREE_THRESHOLD and len(hedges) <= len(relevant) // 3:
        return Stance("agree", relatedness, tuple(reasons + ["restates the claim"]))
    return Stance("discuss", relatedness, tuple(reasons))


@lru_cache(maxsize=1024)
def _read_body(body_text: str) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...]]:
    """Stems of the whole text and of each sentence (cached: one text meets many claims)."""
    sentences = tuple((s, frozenset(_stem(w) for w in _WORD.findall(s))) for s in _SENTENCE.split(body_text))
    return frozenset().union(*(st for _, st in sentences)) if sentences else frozenset(), sentences


def _figures_clash(claim_text: str, window: str) -> bool:
    """The claim gives a figure, the text gives figures for it, and none of them match."""
    claim_numbers = {n.replace(",", "") for n in _NUMBER.findall(claim_text) if not _is_year(n)}
    if not claim_numbers:
        return False
    text_numbers = {n.replace(",", "") for n in _NUMBER.findall(window) if not _is_year(n)}
    return bool(text_numbers) and not (claim_numbers & text_numbers)


def _is_year(n: str) -> bool:
    return len(n) == 4 and n.startswith(("19", "20"))


BASELINE_THRESHOLD = 0.22  # the baseline's own best on the calibration split


def lexical_overlap_baseline(claim_text: str, body_text: str, threshold: float = BASELINE_THRESHOLD) -> str:
    """The comparison baseline: word overlap decides related/unrelated; related is 'discuss'
    (the commonest related class), with no reading of the text's stance."""
    claim = {w.lower() for w in _WORD.findall(claim_text) if w.lower() not in _STOP}
    if not claim:
        return "unrelated"
    body = {w.lower() for w in _WORD.findall(body_text)}
    return "discuss" if len(claim & body) / len(claim) >= threshold else "unrelated"
