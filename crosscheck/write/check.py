"""Is a sentence supported by the passages it cites?

A structural, model-free checker (no NLI model ships in any registry package we can use):
the sentence's numbers and amounts, dates and times, names, "<title> <name>" roles and
negation must be found in the *cited* passages — not merely somewhere in the story — and
its content words must align with them. The things that must co-occur (who did what, how
much, when) must also be found together in one cited passage or two adjacent ones, so
that facts stitched together from unrelated sentences do not pass.

Labels: "unsupported" when a hard fact is missing or contradicted, or most content is not
in the cited text; "partial" when smaller details are missing (a first name, an ordinal,
a few content words); "supported" otherwise. The score (0..1) ranks sentences by support.
"""

from __future__ import annotations

import itertools
import re

from crosscheck.model import CheckResult
from crosscheck.write.text import DATE_WORDS, STOPWORDS, Amount, Reading, read, show_date, stem

# Thresholds on the content-word recall, set by looking at the first half of QAGS-C only
# (bench/checker.py reports both halves; see bench/README-write.md).
UNSUPPORTED_BELOW = 0.60
PARTIAL_BELOW = 0.90
# Weights of the score's parts: recall of content words in all cited text and in the best one
# or two adjacent passages, fragment density, and locality of content-word pairs. Chosen on
# half A of QAGS-C (a small grid moved its AUC by about 0.01).
W_RECALL, W_WINDOW, W_DENSITY, W_LOCAL = 0.20, 0.20, 0.30, 0.30
LOCAL_DISTANCE = 8  # words apart that still count as "close together" in a passage
LOOSE_BELOW = 0.60  # fragment density under which a sentence is at best "partial"
PAIRED_BELOW = 0.90  # share of content-word pairs found close together, under which: "partial"
HARD_PENALTY = 0.25
SOFT_PENALTY = 0.08


def check_sentence(sentence: str, cited_passages: list[str]) -> CheckResult:
    """Check one sentence against the text it cites (pure; fast; deterministic)."""
    claim = read(sentence)
    passages = [read(p) for p in cited_passages if p and p.strip()]
    if not claim.tokens:
        return CheckResult("unsupported", 0.0, ["sentence has no words"])
    if not passages:
        return CheckResult("unsupported", 0.0, ["no cited text"])

    hard: list[str] = []
    soft: list[str] = []
    cited_tokens = set().union(*(p.tokens for p in passages))
    # parts of hyphenated and elided words count too: "al-Assad", "Côte d'Azur"
    cited_tokens |= {part for t in cited_tokens for part in re.split(r"[-']", t) if part}
    cited_stems = set().union(*(p.stems for p in passages)) | {stem(t) for t in cited_tokens}

    _check_amounts(claim, passages, hard, soft)
    _check_dates(claim, passages, hard)
    _check_names(claim, cited_tokens, hard, soft)
    _check_roles(claim, passages, hard, soft)
    _check_negation(claim, passages, hard, soft)
    _check_together(claim, passages, soft)

    cited_stems |= {stem(part) for w in list(cited_stems) if "-" in w for part in w.split("-") if part}
    content = claim.stems or [stem(t) for t in claim.tokens]
    novel = [w for w in dict.fromkeys(content) if not _known(w, cited_stems)]
    recall = 1.0 - sum(1 for w in content if not _known(w, cited_stems)) / len(content)
    windows = _windows(passages)
    best_window = max(_recall(content, window) for window in windows)
    density, scattered = _fragments(claim, passages)
    local = _local_pairs(claim, passages)
    shown = [w for w in novel if w not in DATE_WORDS]  # months and weekdays are reported as dates
    if shown:
        (soft if recall >= UNSUPPORTED_BELOW else hard).append(
            "words not in cited text: " + ", ".join(shown[:6]))
    elif novel and not any(r.startswith("date ") for r in hard):
        # a month/weekday word used as a word ("protesters march"): still a word not in the text
        (soft if recall >= UNSUPPORTED_BELOW else hard).append(
            "words not in cited text: " + ", ".join(novel[:6]))
    if scattered >= 3:
        soft.append(f"pieced together from {scattered} separate cited sentences")
    elif density < LOOSE_BELOW:
        soft.append(f"only loosely follows the cited text (fragment density {density:.2f})")
    if local < PAIRED_BELOW:
        soft.append(f"words paired here stand apart in the cited text ({local:.0%} of pairs close)")

    score = W_RECALL * recall + W_WINDOW * best_window + W_DENSITY * density + W_LOCAL * local
    score -= HARD_PENALTY * len(hard) + SOFT_PENALTY * len(soft)
    score = round(min(1.0, max(0.0, score)), 4)

    if hard or recall < UNSUPPORTED_BELOW:
        label = "unsupported"
    elif soft or recall < PARTIAL_BELOW:
        label = "partial"
    else:
        label = "supported"
    reasons = hard + soft or ["every name, number, date and content word is in the cited text"]
    return CheckResult(label, score, reasons)


# ---------------------------------------------------------------- facts


def _same_amount(a: Amount, b: Amount) -> bool:
    if a.kind != b.kind and "number" not in (a.kind, b.kind):
        return False
    if a.kind == "ordinal" or b.kind == "ordinal":
        return a.kind == b.kind and a.value == b.value
    if a.value == b.value:
        return True
    # a rounded restatement ("$328 million" for "$328.5 million") within 1 %
    return max(a.value, b.value) > 0 and abs(a.value - b.value) / max(a.value, b.value) <= 0.01


def _check_amounts(claim: Reading, passages: list[Reading], hard: list[str], soft: list[str]) -> None:
    cited = [a for p in passages for a in p.amounts]
    for amount in claim.amounts:
        if any(_same_amount(amount, c) for c in cited):
            continue
        if amount.kind == "ordinal":
            soft.append(f"ordinal '{amount.text}' not in cited text")
        else:
            hard.append(f"number '{amount.text}' not in cited text")


def _check_dates(claim: Reading, passages: list[Reading], hard: list[str]) -> None:
    cited = set().union(*(p.dates for p in passages))
    cited_months = {k.split(":")[1].split("-")[0] for k in cited if k.startswith(("month:", "day:"))}
    missing_days = {k.split(":")[1].split("-")[0] for k in claim.dates if k.startswith("day:") and k not in cited}
    for key in sorted(claim.dates):
        if key in cited:
            continue
        if key.startswith("month:") and (key.split(":")[1] in cited_months or key.split(":")[1] in missing_days):
            continue  # the month is in the cited text, or already reported with its day
        hard.append(f"date '{show_date(key)}' not in cited text")


def _check_names(claim: Reading, cited_tokens: set[str], hard: list[str], soft: list[str]) -> None:
    for name in claim.names:
        missing = [t for t in name if t not in cited_tokens and stem(t) not in cited_tokens
                   and not all(part in cited_tokens for part in re.split(r"[-']", t) if part)]
        if not missing:
            continue
        if len(missing) == len(name):
            hard.append(f"name '{' '.join(name)}' not in cited text")
        else:
            soft.append(f"'{' '.join(missing)}' of name '{' '.join(name)}' not in cited text")


def _check_roles(claim: Reading, passages: list[Reading], hard: list[str], soft: list[str]) -> None:
    cited_roles = [r for p in passages for r in p.roles]
    for title, holder in claim.roles:
        same_title = [h for t, h in cited_roles if t == title]
        if any(set(h) & set(holder) for h in same_title):
            continue
        if same_title:
            others = " / ".join(sorted({" ".join(h) for h in same_title}))
            hard.append(f"role conflict: cited text names {others} as {title}, not {' '.join(holder)}")
            continue
        # "X, the prime minister, …": title and holder together in one passage is enough
        if any(title in p.text.lower() and set(holder) <= set(p.tokens) for p in passages):
            continue
        soft.append(f"'{' '.join(holder)}' as {title} not stated in cited text")


def _check_negation(claim: Reading, passages: list[Reading], hard: list[str], soft: list[str]) -> None:
    best = max(_windows(passages), key=lambda w: _recall(claim.stems, w))
    if claim.negated and not any(p.negated for p in best):
        hard.append("negation not in the closest cited text")
        return
    # the reverse needs the one closest sentence: a neighbour's "not" says nothing about this one
    closest = max(passages, key=lambda p: _recall(claim.stems, [p]))
    if closest.negated and not claim.negated and _recall(claim.stems, [closest]) >= 0.8:
        soft.append("the closest cited sentence is negated")


def _anchors(claim: Reading) -> list[tuple[str, object]]:
    """The sentence's checkable facts: who (names), how much (amounts), when (dates)."""
    out: list[tuple[str, object]] = [("name", n) for n in claim.names]
    out += [("amount", a) for a in claim.amounts if a.kind != "ordinal"]
    out += [("date", d) for d in claim.dates if not d.startswith("weekday")]
    return out


def _has(passage: Reading, anchor: tuple[str, object]) -> bool:
    kind, value = anchor
    if kind == "name":
        return set(value) & set(passage.tokens) == set(value) or value[-1] in passage.tokens
    if kind == "amount":
        return any(_same_amount(value, a) for a in passage.amounts)
    key = str(value)
    return key in passage.dates or (key.startswith("month:") and any(
        d.startswith(("day:" + key[6:] + "-")) for d in passage.dates))


def _check_together(claim: Reading, passages: list[Reading], soft: list[str]) -> None:
    anchors = _anchors(claim)
    if len(anchors) < 2:
        return
    windows = _windows(passages)
    present = [a for a in anchors if any(_has(p, a) for p in passages)]
    for a, b in itertools.combinations(present, 2):
        if not any(any(_has(p, a) for p in w) and any(_has(p, b) for p in w) for w in windows):
            soft.append(f"{_show(a)} and {_show(b)} are never stated together in cited text")
            return


def _show(anchor: tuple[str, object]) -> str:
    kind, value = anchor
    if kind == "name":
        return "'" + " ".join(value) + "'"
    if kind == "amount":
        return f"'{value.text}'"
    return f"'{show_date(str(value))}'"


# ---------------------------------------------------------------- alignment


def _windows(passages: list[Reading]) -> list[list[Reading]]:
    """Each passage alone and each pair of neighbours (a fact may span two sentences)."""
    out = [[p] for p in passages]
    out += [[a, b] for a, b in zip(passages, passages[1:])]
    return out


def _recall(content: list[str], window: list[Reading]) -> float:
    if not content:
        return 1.0
    have = window[0].stem_set if len(window) == 1 else window[0].stem_set | window[1].stem_set
    return sum(1 for w in content if w in have) / len(content)


def _known(word: str, cited_stems: set[str]) -> bool:
    if word in cited_stems:
        return True
    # "semi-final" is supported by "semi - final", "ten-year" by "ten year"
    return "-" in word and all(stem(p) in cited_stems for p in word.split("-") if p)


def _fragments(claim: Reading, passages: list[Reading]) -> tuple[float, int]:
    """How the sentence is pieced together from the cited text.

    Greedy longest-match cover of the sentence's word sequence by word sequences of single
    cited passages (as in Grusky et al.'s extractive fragments). Returns the density — sum of
    squared fragment lengths over the squared sentence length, 1.0 for a verbatim copy — and
    the number of separate, non-adjacent passages its content fragments come from.
    """
    mine = claim.token_stems
    # a passage may also be read without its bracketed asides, so dropping "(left)" is no gap
    theirs = [p.token_stems for p in passages] + [p.unbracketed_stems for p in passages]
    where: dict[str, list[tuple[int, int]]] = {}
    for pi, tokens in enumerate(theirs):
        for ti, t in enumerate(tokens):
            where.setdefault(t, []).append((pi, ti))
    i, n, squares = 0, len(mine), 0
    used: list[int] = []
    previous = -1
    while i < n:
        best_len, best_pi = 0, -1
        for pi, ti in where.get(mine[i], ()):
            length = 1
            tokens = theirs[pi]
            pi %= len(passages)
            while i + length < n and ti + length < len(tokens) and tokens[ti + length] == mine[i + length]:
                length += 1
            if length > best_len or (length == best_len and pi == previous):
                best_len, best_pi = length, pi
        if best_len == 0:
            i += 1
            continue
        squares += best_len * best_len
        contentful = best_len >= 2 or mine[i] not in STOPWORDS
        if contentful:
            used.append(best_pi)
            previous = best_pi
        i += best_len
    density = squares / (n * n) if n else 0.0
    groups = 0
    for pi in sorted(set(used)):
        if pi - 1 not in used:
            groups += 1
    return density, groups


def _local_pairs(claim: Reading, passages: list[Reading]) -> float:
    """Share of consecutive content-word pairs that stand close together in one cited passage.

    "Scholes says … not ready" built from "scholes" in one clause and "not ready" in another
    keeps every word but loses the pairing; stop words and small deletions do not matter.
    """
    content = [st for t, st in zip(claim.tokens, claim.token_stems) if t not in STOPWORDS]
    pairs = list(zip(content, content[1:]))
    if not pairs:
        return 1.0
    positions = [p.positions for p in passages]
    found = 0
    for a, b in pairs:
        if any(0 < j - i <= LOCAL_DISTANCE for where in positions
               for i in where.get(a, ()) for j in where.get(b, ())):
            found += 1
    return found / len(pairs)
