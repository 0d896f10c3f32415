"""Titles attached to people: "Japanese Prime Minister X", "U.S. President Y", "Y, the Angels
general manager" → Role(holder, "Prime Minister of Japan" / "President of the United States").

Patterns over the sentence text, anchored on the NER mentions for the name, so a title is only
a role when a name follows (or precedes, for appositions). A bare title ("President Donald
Trump") is qualified from the same holder's qualified title elsewhere in the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crosscheck.model import Evidence, Mention, Role, Sentence
from crosscheck.understand.gazetteer import TITLE_ALTERNATION, TITLE_PREFIXES, TITLES, country_of

# A qualifier word is capitalised and is not itself the start of a title ("Prime", "Vice").
_TITLE_START = "|".join(sorted({re.escape(t.split()[0]) for t in TITLES}, key=len, reverse=True))
_QWORD = rf"(?!(?i:{_TITLE_START})\b)[A-Z][\w.&-]*"
_MOD = rf"(?P<mod>U\.S\.|U\.K\.|US|UK|{_QWORD}(?:\s+{_QWORD}){{0,2}}(?:'s|’s)?)"
_PREFIX = rf"(?P<prefix>(?i:{'|'.join(TITLE_PREFIXES)})\s+)?"
_PRE = re.compile(rf"(?:{_MOD}\s+)?\b{_PREFIX}(?P<title>(?i:{TITLE_ALTERNATION}))\.?\s+(?=[A-Z])")
_APPOS = re.compile(rf",\s+(?:the\s+|a\s+|an\s+)?(?:{_MOD}\s+)?{_PREFIX}(?P<title>(?i:{TITLE_ALTERNATION}))"
                    rf"(?:\s+(?:of|for|at|with)\s+(?:the\s+)?(?P<of>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){{0,3}}))?\s*(?=[,.;)]|$)")
# Role words that refer to a holder without naming them: "the Japanese leader", "the U.S. President".
_DESCRIPTOR = re.compile(
    rf"\b(?:[Tt]he|[Aa])\s+(?P<mod>U\.S\.|U\.K\.|US|UK|[A-Z][a-z]+(?:'s|’s)?)\s+(?P<title>(?i:leader|{TITLE_ALTERNATION}))\b(?!\s+[A-Z])")
# "former Prime Minister X" does not hold the role now: not a statement about who holds it.
_FORMER = re.compile(r"\b(?:former|ex-|late|then|then-|outgoing|incoming|would-be|future)\s*$", re.I)
HEAD_OF_GOVERNMENT = {"President", "Prime Minister", "Premier", "Chancellor", "King", "Queen", "Leader"}


@dataclass(frozen=True)
class Descriptor:
    """An unnamed reference to a role holder at `Article.text[start:end]`."""

    start: int
    end: int
    country: str
    title: str


def normalise_role(title: str, mod: str | None, of: str | None = None, prefix: str | None = None) -> str:
    """'Japanese' + 'prime minister' → 'Prime Minister of Japan'; 'Angels' + 'general manager'
    → 'General Manager of Angels'; a bare title stays bare."""
    norm = TITLES.get(title.lower().rstrip("."), title.title())
    if prefix and prefix.strip():
        norm = f"{prefix.strip().title()} {norm}"
    qualifier = of or mod
    if not qualifier:
        return norm
    qualifier = re.sub(r"(?:'s|’s)$", "", qualifier.strip())
    country = country_of(qualifier, capitals=False)
    return f"{norm} of {country or qualifier}"


def _mod_ok(mod: str | None, sentence_mentions: list[Mention], mod_start: int) -> bool:
    """A qualifier is a country word, or an organisation NER found right there."""
    if not mod:
        return True
    if country_of(re.sub(r"(?:'s|’s)$", "", mod), capitals=False):
        return True
    return any(m.evidence.start <= mod_start < m.evidence.end and m.label in ("ORG", "GPE", "NORP")
               for m in sentence_mentions)


def roles_in_sentence(sentence: Sentence, mentions: list[Mention]) -> list[Role]:
    from crosscheck.understand.entities import is_title_case

    if is_title_case(sentence.text):
        return []  # a headline: "Greek Prime Minister Calls Bank Workers" names no one
    text, base = sentence.text, sentence.start
    roles: list[Role] = []
    by_start = {m.evidence.start - base: m for m in mentions}
    for m in _PRE.finditer(text):
        holder = by_start.get(m.end())
        if holder is None or _FORMER.search(text[:m.start()]):
            continue
        mod = m.group("mod")
        if mod and not _mod_ok(mod, mentions, base + m.start("mod")):
            mod = None
        if mod and mod.lower() in {"the", "a", "an", "former", "then"}:
            mod = None
        start = m.start("mod") if mod else m.start("title")
        roles.append(Role(holder=holder.entity_key, holder_name=holder.text,
                          role=normalise_role(m.group("title"), mod, prefix=m.group("prefix")),
                          evidence=Evidence(sentence.article_id, sentence.index, base + start, holder.evidence.end)))
    for m in _APPOS.finditer(text):
        holder = next((x for x in mentions if x.evidence.end - base == m.start() and x.label == "PERSON"), None)
        if holder is None:
            continue
        mod = m.group("mod")
        if mod and not _mod_ok(mod, mentions, base + m.start("mod")):
            continue
        roles.append(Role(holder=holder.entity_key, holder_name=holder.text,
                          role=normalise_role(m.group("title"), mod, m.group("of"), m.group("prefix")),
                          evidence=Evidence(sentence.article_id, sentence.index,
                                            holder.evidence.start, base + m.end())))
    return roles


def qualify_roles(roles: list[Role]) -> list[Role]:
    """'President' held by someone who is 'President of the United States' elsewhere in the
    same article becomes that role; duplicates are kept (each is a separate statement)."""
    qualified: dict[tuple[str, str], str] = {}
    for r in roles:
        if " of " in r.role:
            qualified.setdefault((r.holder_name.lower(), r.role.split(" of ")[0]), r.role)
            # a surname-only mention of the same person shares the qualification
            qualified.setdefault((r.holder_name.split()[-1].lower(), r.role.split(" of ")[0]), r.role)
    out = []
    for r in roles:
        if " of " not in r.role:
            full = qualified.get((r.holder_name.lower(), r.role)) or qualified.get(
                (r.holder_name.split()[-1].lower(), r.role))
            if full:
                r = Role(r.holder, r.holder_name, full, r.evidence)
        out.append(r)
    return out


def descriptors_in_sentence(sentence: Sentence) -> list[Descriptor]:
    out = []
    for m in _DESCRIPTOR.finditer(sentence.text):
        country = country_of(re.sub(r"(?:'s|’s)$", "", m.group("mod")), capitals=False)
        if country:
            title = TITLES.get(m.group("title").lower(), m.group("title").title())
            out.append(Descriptor(sentence.start + m.start(), sentence.start + m.end(), country, title))
    return out


def holder_for(descriptor: Descriptor, roles: list[Role]) -> Role | None:
    """The role holder an unnamed reference points at, from the article's own roles."""
    wanted = f" of {descriptor.country}"
    for r in roles:
        if not r.role.endswith(wanted):
            continue
        title = r.role[: -len(wanted)]
        if title == descriptor.title or (descriptor.title == "Leader" and title in HEAD_OF_GOVERNMENT):
            return r
    return None
