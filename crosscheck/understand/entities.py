"""Entity mentions from spaCy's NER, and canonical entities across a story's articles.

spaCy's small model labels the same name differently from sentence to sentence ("Trump" as
ORG, "Lockheed Martin" as PERSON; shared/PITFALLS.md), so entities are canonicalised by
*name*, across labels: titles and possessives are stripped, a lone surname or given name joins
the one full name in the story that contains it ("Takaichi" → "Sanae Takaichi", "Xi" → "Xi
Jinping"), and the label is decided by vote (holding a title counts as being a person).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from crosscheck.model import Analysis, Entity, Evidence, Mention
from crosscheck.understand.gazetteer import (HONORIFICS, TITLE_ALTERNATION, country_key, country_of,
                                             slug)

# spaCy label → the labels Crosscheck keeps (model.EntityLabel); others are not entities here.
KEPT_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP",
               "EVENT": "EVENT", "FAC": "LOC"}
_LABEL_PREFERENCE = ["PERSON", "GPE", "ORG", "LOC", "EVENT", "NORP", "OTHER"]

_COUNTRY_MOD = r"(?:U\.S\.|US|UK|U\.K\.|[A-Z][a-z]+(?:'s|’s)?)"
_LEADING_TITLES = re.compile(
    rf"^(?:(?:the|The)\s+)?(?:{_COUNTRY_MOD}\s+)?(?:(?i:{TITLE_ALTERNATION}|{'|'.join(HONORIFICS)})\.?\s+)+")


def clean_name(text: str, label: str = "PERSON") -> str:
    """The bare name in a mention: no leading 'the', trailing possessive, and for people no
    title or honorific ("U.S. President Trump" → "Trump"; "General Motors" stays)."""
    name = re.sub(r"\s+", " ", text.strip())
    name = re.sub(r"(?:'s|’s|'|’)$", "", name)
    stripped = _LEADING_TITLES.sub("", name) if label == "PERSON" else name
    # Keep the title when nothing capitalised is left ("the President" is no name).
    if stripped and stripped[0].isupper():
        name = stripped
    name = re.sub(r"^(?:the|The)\s+", "", name)
    return name.strip(" ,.;:-")


def provisional_key(label: str, name: str) -> str:
    country = country_of(name) if label in ("GPE", "NORP", "LOC") else None
    if country:
        return country_key(country)
    prefix = {"NORP": "norp", "LOC": "loc"}.get(label, label.lower())
    return f"{prefix}:{slug(name)}"


def is_heading(text: str) -> bool:
    """A heading or title line left in the body: no final punctuation, mostly Capitalised Words."""
    if re.search(r"[.!?\"”’)]$", text.strip()):
        return False
    return is_title_case(text)


def is_title_case(text: str) -> bool:
    """Mostly Capitalised Words ("Greek Prime Minister Calls Bank Workers …"): a headline, where
    capitals no longer mark names."""
    words = re.findall(r"[A-Za-z][\w'’-]*", text)
    if not words or len(words) > 16:
        return False
    capitalised = sum(w[0].isupper() for w in words if w.lower() not in {"a", "an", "the", "of", "and", "in", "on", "for", "to", "with", "at", "by", "vs"})
    content = sum(1 for w in words if w.lower() not in {"a", "an", "the", "of", "and", "in", "on", "for", "to", "with", "at", "by", "vs"})
    return content > 1 and capitalised / content >= 0.6


def mentions_from_doc(ents, article_id: str, sentence_index: int, offset: int) -> list[Mention]:
    """Mentions from spaCy entity spans (`ents`, character offsets + `offset` = offsets into
    the article text) that lie in sentence `sentence_index`."""
    out: list[Mention] = []
    for ent in ents:
        label = KEPT_LABELS.get(ent.label_)
        if label is None:
            continue
        name = clean_name(ent.text, label)
        if not name or not re.search(r"[A-Za-z]", name) or not name[0].isupper():
            continue
        # Evidence points at the name itself, not at a stripped title or possessive.
        local = ent.text.find(name)
        start = offset + ent.start_char + max(local, 0)
        mention = Mention(text=name, label=label,
                          evidence=Evidence(article_id, sentence_index, start, start + len(name)))
        mention.entity_key = provisional_key(label, name)
        out.append(mention)
    return out


def link_entities(analyses: list[Analysis]) -> list[Entity]:
    """Canonical entities over `analyses` (one article or a whole story), rewriting in place.

    Rewrites `Mention.entity_key`, `Role.holder`, `Claim.actors/targets/places` and sets each
    `Analysis.entities`; returns the story-wide list. Idempotent: linking already-linked
    analyses again (e.g. per article, then per story) gives the same keys.
    """
    holder_names = {clean_name(r.holder_name).lower() for a in analyses for r in a.roles}
    votes: dict[str, Counter] = defaultdict(Counter)  # lower-case name → label votes
    spelled: dict[str, Counter] = defaultdict(Counter)  # lower-case name → spellings
    for a in analyses:
        for m in a.mentions:
            low = m.text.lower()
            votes[low][m.label] += 1
            spelled[low][m.text] += 1
    for low in holder_names:
        if low in votes:  # a title-holder is a person, whatever NER said elsewhere
            votes[low]["PERSON"] += sum(votes[low].values()) + 1

    def label_of(low: str) -> str:
        return max(votes[low], key=lambda lab: (votes[low][lab], -_LABEL_PREFERENCE.index(lab)))

    # Longer names absorb the shorter ones their tokens contain.
    names = sorted(votes, key=lambda n: (-len(n.split()), -sum(votes[n].values()), n))
    canonical: dict[str, str] = {}
    for low in names:
        if country_of(low) and label_of(low) in ("GPE", "NORP", "LOC"):
            canonical[low] = low
            continue
        tokens = low.split()
        target = None
        if len(tokens) == 1 and len(low) > 1:
            fuller = [n for n in names if len(n.split()) > 1 and low in n.split()
                      and (label_of(n) == "PERSON" or label_of(n) == label_of(low))
                      and canonical.get(n) == n]
            if fuller:
                target = max(fuller, key=lambda n: (sum(votes[n].values()), n))
        canonical[low] = target or low

    _merge_spelling_variants(canonical, votes, label_of)

    group_votes: dict[str, Counter] = defaultdict(Counter)
    aliases: dict[str, set[str]] = defaultdict(set)
    for low, head in canonical.items():
        group_votes[head].update(votes[low])
        aliases[head].update(spelled[low])
    key_of_head: dict[str, str] = {}
    entities: dict[str, Entity] = {}
    for head, counter in group_votes.items():
        label = max(counter, key=lambda lab: (counter[lab], -_LABEL_PREFERENCE.index(lab)))
        display = max(spelled[head], key=lambda s: (spelled[head][s], s))
        country = country_of(head) if label in ("GPE", "NORP", "LOC") else None
        if country:
            key, display, label = country_key(country), country, "GPE"
        else:
            key = f"{label.lower()}:{slug(display)}"
        key_of_head[head] = key
        entity = entities.setdefault(key, Entity(key=key, name=display, label=label))
        entity.aliases = sorted(set(entity.aliases) | aliases[head])

    for a in analyses:
        remap: dict[str, Counter] = defaultdict(Counter)
        for m in a.mentions:
            new = key_of_head[canonical[m.text.lower()]]
            remap[m.entity_key][new] += 1
            m.entity_key = new
        mapping = {old: c.most_common(1)[0][0] for old, c in remap.items()}
        for r in a.roles:
            low = clean_name(r.holder_name).lower()
            r.holder = key_of_head[canonical[low]] if low in canonical else mapping.get(r.holder, r.holder)
        for c in a.claims:
            c.actors = _dedupe(mapping.get(k, k) for k in c.actors)
            c.targets = _dedupe(mapping.get(k, k) for k in c.targets)
            c.places = _dedupe(mapping.get(k, k) for k in c.places)
        used = {m.entity_key for m in a.mentions}
        a.entities = [entities[k] for k in sorted(used) if k in entities]
    return [entities[k] for k in sorted(entities)]


def _merge_spelling_variants(canonical: dict[str, str], votes: dict[str, Counter], label_of) -> None:
    """"Carolos Papoulias" and "Karolos Papoulias": people's full names with the same surname
    and nearly the same spelling are one person (transliterations, typos)."""
    from difflib import SequenceMatcher

    heads = sorted({h for h in canonical.values() if len(h.split()) > 1 and label_of(h) == "PERSON"},
                   key=lambda n: (-sum(votes[n].values()), n))
    merged: dict[str, str] = {}
    for n, head in enumerate(heads):
        if head in merged:
            continue
        for other in heads[n + 1:]:
            if other not in merged and other.split()[-1] == head.split()[-1] \
                    and SequenceMatcher(None, head, other).ratio() >= 0.85:
                merged[other] = head
    for low, head in list(canonical.items()):
        canonical[low] = merged.get(head, head)


def _dedupe(keys) -> list[str]:
    out: list[str] = []
    for k in keys:
        if k not in out:
            out.append(k)
    return out


# Capitalised words that are never a person's name on their own, even when they are part of one.
_NOT_NAMES = {"will", "may", "mark", "bill", "the", "and", "new", "van", "von", "de", "la", "le",
              "del", "da", "di", "bin", "al", "jr", "sr", "ii", "iii", "saint", "st", "san"}


def propagate_names(sentences, mentions_by_sentence: dict[int, list[Mention]]) -> None:
    """Add the mentions NER missed of names it found elsewhere in the article, in place.

    The small model finds "Sanae Takaichi" but often not a later "Takaichi's push" or "For
    Takaichi", and tags a name in one sentence but not in the next. Every name found is searched
    for again, and for people each name token too ("Takaichi"), keeping the label it had.
    """
    labels: dict[str, str] = {}
    for ms in mentions_by_sentence.values():
        for m in ms:
            if len(m.text) >= 3 and m.text[0].isupper():
                # a person's label wins: "Trump" seen once as PERSON is a person
                if labels.get(m.text) != "PERSON":
                    labels[m.text] = m.label
    for name, label in list(labels.items()):
        if label != "PERSON":
            continue
        for token in name.split():  # two letters is a name too: "Xi", "Li", "Wu"
            if len(token) >= 2 and token[0].isupper() and token.lower() not in _NOT_NAMES \
                    and not country_of(token) and not _LEADING_TITLES.match(token + " X"):
                labels.setdefault(token, "PERSON")
    if not labels:
        return
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(labels, key=lambda p: (-len(p), p)))
                         + r")\b(?!-)")
    for s in sentences:
        existing = mentions_by_sentence.setdefault(s.index, [])
        spans = [(m.evidence.start, m.evidence.end) for m in existing]
        added = False
        for found in pattern.finditer(s.text):
            start, end = s.start + found.start(), s.start + found.end()
            if any(a < end and start < b for a, b in spans):
                continue
            label = labels[found.group(0)]
            mention = Mention(text=found.group(0), label=label,
                              evidence=Evidence(s.article_id, s.index, start, end))
            mention.entity_key = provisional_key(label, mention.text)
            existing.append(mention)
            spans.append((start, end))
            added = True
        if added:
            existing.sort(key=lambda m: m.evidence.start)
