"""The story page's written parts: a checked, cited summary plus timeline, disagreements and SEO.

    write_story(story, articles, analyses, groups, settings=None) -> Written

Settings (all optional):
    summary_sentences   how many summary sentences (default: 5 to 8, more with more sources)
    compress            drop parentheticals/attribution when the check still passes (True)
    llm_url, llm_model  an OpenAI-compatible endpoint: the model drafts, the checker filters
    llm_timeout         seconds per request (30)

Every summary sentence cites the sentences it rests on (`Citation.number` indexes
`Written.sources`, 1-based) and carries the checker's verdict on exactly those passages.
Unsupported sentences never reach the page.
"""

from __future__ import annotations

import numpy as np

from crosscheck.model import (Analysis, Article, Citation, ClaimGroup, Evidence, Story, SummarySentence,
                              Written)
from crosscheck.write.check import check_sentence
from crosscheck.write.compress import compressions
from crosscheck.write.sections import (disagreements, meta_description, seo_title, timeline, unknowns)
from crosscheck.write.select import (PARAPHRASE_SIMILARITY, Candidate, build_candidates, select,
                                     tfidf_matrix)
from crosscheck.write.text import words

CITE_SIMILARITY = 0.35  # looser than a paraphrase: the checker decides whether it may be cited


def write_story(story: Story, articles: list[Article], analyses: list[Analysis],
                groups: list[ClaimGroup], settings: dict | None = None) -> Written:
    settings = settings or {}
    known = {x.article_id for x in analyses}
    sources = source_order([a for a in articles if a.id in known])
    count = settings.get("summary_sentences") or default_length(articles, groups)
    mode = "extractive"
    summary: list[SummarySentence] = []
    conflicts = disagreements(groups)
    if settings.get("llm_url"):
        from crosscheck.write.llm import abstractive_summary  # optional backend, imported on use

        drafted = abstractive_summary(articles, analyses, sources, count, settings, conflicts)
        if drafted is not None:
            summary = drafted
            mode = f"abstractive:{settings.get('llm_model') or 'default'}"
    if mode == "extractive":
        summary = extractive_summary(articles, analyses, groups, sources, count,
                                     compress=settings.get("compress", True))
    for s in summary:
        s.disagreement = s.disagreement or disagreement_for(s, conflicts)
    return Written(
        story_id=story.id,
        mode=mode,
        summary=summary,
        timeline=timeline(analyses, groups, sources),
        disagreements=conflicts,
        unknowns=unknowns(groups),
        seo_title=seo_title(story, summary),
        meta_description=meta_description(summary),
        sources=sources,
    )


def source_order(articles: list[Article]) -> list[str]:
    """Article ids, oldest first (unknown dates last), input order breaking ties."""
    indexed = list(enumerate(articles))
    indexed.sort(key=lambda x: (x[1].published is None,
                                x[1].published.timestamp() if x[1].published else 0.0, x[0]))
    return [a.id for _, a in indexed]


def default_length(articles: list[Article], groups: list[ClaimGroup]) -> int:
    """5 sentences for one source, up to 8 as sources and corroborated/conflicting groups grow."""
    origins = {a.origin for a in articles if not a.duplicate_of}
    shared = sum(1 for g in groups if g.kind in ("corroborated", "conflicting"))
    return max(5, min(8, 4 + len(origins) + shared // 3))


def extractive_summary(articles: list[Article], analyses: list[Analysis], groups: list[ClaimGroup],
                       sources: list[str], count: int, compress: bool = True) -> list[SummarySentence]:
    selectable, everything = build_candidates(articles, analyses, groups, sources)
    if not selectable:
        return []
    position = {c.key: i for i, c in enumerate(everything)}
    matrix = tfidf_matrix(everything)
    similarity_all = (matrix @ matrix.T).toarray()
    rows = [position[c.key] for c in selectable]
    similarity = similarity_all[rows][:, rows]
    close = similarity_all[rows] >= PARAPHRASE_SIMILARITY
    corroboration = [{everything[j].origin for j in np.flatnonzero(close[i])} - {selectable[i].origin}
                     for i in range(len(rows))]
    chosen = select(selectable, count, similarity, corroboration)
    lead, rest = chosen[:1], chosen[1:]
    # Lead first; then in the order the sources tell it (earlier in an article = the news,
    # later = background), older sources first on ties.
    rest.sort(key=lambda i: (round(selectable[i].relative_position, 1), selectable[i].published_rank,
                             selectable[i].position))
    rest = _topics_together(lead + rest, selectable)[len(lead):]
    number = {aid: n for n, aid in enumerate(sources, start=1)}
    out: list[SummarySentence] = []
    for i in lead + rest:
        cited = citing_candidates(selectable[i], everything, similarity_all[rows[i]])
        sentence = cited_sentence(cited, number, compress)
        if sentence is not None:
            out.append(sentence)
    return out


def _topics_together(order: list[int], candidates: list[Candidate]) -> list[int]:
    """Keep sentences about the same claim group next to each other (first mention decides)."""
    out: list[int] = []
    for i in order:
        if i in out:
            continue
        out.append(i)
        topic = {g.id for g in candidates[i].groups}
        out.extend(j for j in order if j not in out and topic & {g.id for g in candidates[j].groups})
    return out


def citing_candidates(chosen: Candidate, everything: list[Candidate], similarity_row) -> list[Candidate]:
    """The chosen sentence plus, per other article, its best near-paraphrase that supports it."""
    best: dict[str, tuple[float, Candidate]] = {}
    for j, other in enumerate(everything):
        if other.sentence.article_id == chosen.sentence.article_id:
            continue
        sim = float(similarity_row[j])
        if sim < CITE_SIMILARITY:
            continue
        label = check_sentence(chosen.sentence.text, [other.passage]).label
        # a close paraphrase that misses a detail still corroborates the fact; anything with a
        # missing or contradicted name, number, date or role ("unsupported") never does
        if not (label == "supported" or (label == "partial" and sim >= PARAPHRASE_SIMILARITY)):
            continue
        if sim > best.get(other.sentence.article_id, (0.0, None))[0]:
            best[other.sentence.article_id] = (sim, other)
    return [chosen] + [c for _, c in sorted(best.values(), key=lambda x: (-x[0], x[1].key))]


def cited_sentence(cited: list[Candidate], number: dict[str, int], compress: bool) -> SummarySentence | None:
    """The first candidate's text (compressed when still supported) with its checked citations."""
    own = cited[0].sentence
    # checked against what each citation will highlight in the article, not the analysis' copy
    passages = [c.passage for c in cited]
    citations = [Citation(number[c.sentence.article_id],
                          Evidence(c.sentence.article_id, c.sentence.index, c.sentence.start, c.sentence.end))
                 for c in cited if c.sentence.article_id in number]
    check = check_sentence(own.text, passages)
    text, compressed = own.text, False
    if compress:
        for shorter in compressions(own.text):
            # the shorter sentence must stand on its own source sentence, not only on the others
            if check_sentence(shorter, [cited[0].passage]).label == "supported":
                shorter_check = check_sentence(shorter, passages)
                if shorter_check.label == "supported":
                    text, check, compressed = shorter, shorter_check, True
                    break
    if check.label == "unsupported":
        return None
    return SummarySentence(text=text, citations=citations, check=check, compressed=compressed)


def disagreement_for(sentence: SummarySentence, conflicts: list[ClaimGroup]) -> str | None:
    """The conflicting group a sentence touches, shown next to it on the page.

    A sentence touches a group when it cites one of the group's sentences or names one of its
    values. For a disputed role ("role:Prime Minister of Japan") naming either person at all is
    enough — a reader who meets "Takaichi" must see that sources disagree on who holds the office.
    Role conflicts are looked at first.
    """
    cited = {(c.evidence.article_id, c.evidence.sentence_index) for c in sentence.citations}
    tokens = set(words(sentence.text))
    for group in sorted(conflicts, key=lambda g: not g.slot.startswith("role:")):
        for value, evidences in group.values.items():
            if cited & {(e.article_id, e.sentence_index) for e in evidences}:
                return group.id
            value_tokens = {t for t in words(value) if len(t) > 2}
            if not value_tokens:
                continue
            if value_tokens <= tokens or (group.slot.startswith("role:") and value_tokens & tokens):
                return group.id
    return None
