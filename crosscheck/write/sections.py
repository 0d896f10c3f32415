"""The page's other written parts: timeline, disagreements, unknowns, SEO title and description."""

from __future__ import annotations

import re

from crosscheck.model import (Analysis, Citation, Claim, ClaimGroup, Evidence, Story, SummarySentence,
                              TimeInterval, TimelineItem)

SEO_TITLE_MAX = 70
META_DESCRIPTION_MAX = 160
UNKNOWNS_MAX = 5


def disagreements(groups: list[ClaimGroup]) -> list[ClaimGroup]:
    """"Where sources disagree": every conflicting group, with both sides' evidence as given."""
    return [g for g in groups if g.kind == "conflicting"]


def unknowns(groups: list[ClaimGroup]) -> list[ClaimGroup]:
    """"What we don't know yet": claims only one origin makes (a short list).

    Events and figures first; a title only one source states comes last, since titles are
    more often simply not repeated than in doubt.
    """
    singles = [g for g in groups if g.kind == "single"]
    return sorted(singles, key=lambda g: g.slot.startswith("role:"))[:UNKNOWNS_MAX]


def timeline(analyses: list[Analysis], groups: list[ClaimGroup], sources: list[str]) -> list[TimelineItem]:
    """Dated items from the claims (their intervals keep the granularity the text gave).

    Claims of one group with the same interval become one item citing all their sources.
    Without claims (the claims stage not run), sentences with resolved time expressions
    stand in, so the page still gets a timeline.
    """
    number = {aid: n for n, aid in enumerate(sources, start=1)}
    claims = [c for a in analyses for c in a.claims if c.time is not None and c.article_id in number]
    if claims:
        return _timeline_from_claims(claims, groups, number)
    return _timeline_from_times(analyses, number)


def _timeline_from_claims(claims: list[Claim], groups: list[ClaimGroup],
                          number: dict[str, int]) -> list[TimelineItem]:
    group_of = {cid: g.id for g in groups for cid in g.claim_ids}
    merged: dict[tuple, list[Claim]] = {}
    for claim in claims:
        key = (group_of.get(claim.id, claim.id), claim.time)
        merged.setdefault(key, []).append(claim)
    items = []
    for (_, interval), members in merged.items():
        members.sort(key=lambda c: (number[c.article_id], c.evidence.sentence_index))
        citations = _citations([c.evidence for c in members], number)
        items.append(TimelineItem(interval=interval, text=members[0].text, citations=citations,
                                  planned=any(c.planned for c in members)))
    return _sorted_unique(items)


def _timeline_from_times(analyses: list[Analysis], number: dict[str, int]) -> list[TimelineItem]:
    items = []
    for analysis in analyses:
        if analysis.article_id not in number:
            continue
        by_index = {s.index: s for s in analysis.sentences}
        for t in analysis.times:
            sentence = by_index.get(t.evidence.sentence_index)
            if t.interval is None or sentence is None:
                continue
            evidence = Evidence(sentence.article_id, sentence.index, sentence.start, sentence.end)
            planned = bool(re.search(r"\b(plan|plans|planned|will|expected|intends|aims|scheduled)\b",
                                     sentence.text))
            items.append(TimelineItem(interval=t.interval, text=sentence.text,
                                      citations=_citations([evidence], number), planned=planned))
    return _sorted_unique(items)


def _citations(evidences: list[Evidence], number: dict[str, int]) -> list[Citation]:
    seen, out = set(), []
    for e in evidences:
        if (e.article_id, e.sentence_index) not in seen:
            seen.add((e.article_id, e.sentence_index))
            out.append(Citation(number[e.article_id], e))
    return out


def _sorted_unique(items: list[TimelineItem]) -> list[TimelineItem]:
    seen, out = set(), []
    for item in sorted(items, key=lambda i: (i.interval.start, i.interval.end, _rank(i.interval), i.text)):
        key = (item.interval, item.text)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _rank(interval: TimeInterval) -> int:
    order = ["day", "part-of-month", "month", "season", "quarter", "year"]
    return order.index(interval.granularity) if interval.granularity in order else len(order)


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary, with an ellipsis, so the result is at most `limit` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def seo_title(story: Story, summary: list[SummarySentence]) -> str:
    title = (story.title or "").strip()
    if not title and summary:
        title = summary[0].text.rstrip(".")
    return _shorten(title, SEO_TITLE_MAX)


def meta_description(summary: list[SummarySentence]) -> str:
    """The lead summary sentence(s) that fit; only checked, undisputed sentences are used."""
    usable = [s.text for s in summary if s.check.label == "supported" and not s.disagreement] \
        or [s.text for s in summary]
    if not usable:
        return ""
    text = usable[0]
    for more in usable[1:]:
        if len(text) + 1 + len(more) > META_DESCRIPTION_MAX:
            break
        text = f"{text} {more}"
    return _shorten(text, META_DESCRIPTION_MAX)
