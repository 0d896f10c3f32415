"""First version: an extractive summary of lead sentences, each citing the article it is from.

The writing issue replaces this with claim-covering selection and a checker.
"""

from __future__ import annotations

from crosscheck.model import (Analysis, Article, CheckResult, Citation, ClaimGroup, Evidence, Story,
                              SummarySentence, Written)


def write_story(story: Story, articles: list[Article], analyses: list[Analysis],
                groups: list[ClaimGroup], settings: dict | None = None) -> Written:
    max_sentences = (settings or {}).get("summary_sentences", 5)
    by_id = {a.id: a for a in articles}
    # Originals before copies, then oldest first: the lead of each source in turn.
    order = sorted((x for x in analyses if x.article_id in by_id and not by_id[x.article_id].duplicate_of),
                   key=lambda x: (by_id[x.article_id].published is None, by_id[x.article_id].published or 0))
    sources = [x.article_id for x in order]
    summary: list[SummarySentence] = []
    depth = 0
    while len(summary) < max_sentences and any(depth < len(x.sentences) for x in order):
        for number, analysis in enumerate(order, start=1):
            if depth < len(analysis.sentences) and len(summary) < max_sentences:
                s = analysis.sentences[depth]
                evidence = Evidence(s.article_id, s.index, s.start, s.end)
                summary.append(SummarySentence(
                    text=s.text, citations=[Citation(number, evidence)],
                    check=CheckResult("supported", 1.0, ["verbatim from the cited sentence"])))
        depth += 1
    return Written(story_id=story.id, mode="extractive", summary=summary, sources=sources,
                   seo_title=story.title[:70], meta_description=(summary[0].text[:160] if summary else ""))
