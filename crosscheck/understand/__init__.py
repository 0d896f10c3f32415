"""Stage 2 — understand: sentences, entities, roles, resolved times and claims per article.

Contract used by `pipeline.py`:

    analyze(articles: list[Article], *, n_process=1, llm=None) -> list[Analysis]
                                                         (batched; same order as input)
    split_sentences(article_id, text) -> list[Sentence]  (fast, no model)
    link_entities(analyses) -> list[Entity]              (canonical entities across a story;
                                                          rewrites keys in place, idempotent)

Per article: sentences (model-free splitter) → NER over the whole text (one batched
`nlp.pipe`, NER only) → names NER found once searched for again ("Takaichi's push") → roles
and unnamed role references (patterns anchored on the mentions) → entities linked within the
article → temporal expressions resolved against the publication date → tagger + parser over
only the sentences holding an event word (Docs cut from the NER pass, a second batched pass)
→ claims. Headings left in the body ("The Strategy Behind …") give no mentions or claims.
Mention, role, time and claim evidence are character spans into `Article.text`.
"""

from __future__ import annotations

from crosscheck.model import Analysis, Article, Evidence, Mention, TimeExpression
from crosscheck.understand import nlp
from crosscheck.understand.claims import ArticleContext, claims_in_sentence, needs_parse
from crosscheck.understand.entities import (is_heading, link_entities, mentions_from_doc,
                                            propagate_names)
from crosscheck.understand.roles import descriptors_in_sentence, qualify_roles, roles_in_sentence
from crosscheck.understand.sentences import split_sentences
from crosscheck.understand.timeexpr import find_times


def analyze(articles: list[Article], *, n_process: int = 1, llm=None) -> list[Analysis]:
    """Read every article; `n_process` > 1 splits the batch over that many forked processes.

    `llm` (an `crosscheck.understand.llm.LLMClaimProposer`, off unless given) may add claims;
    they pass the same schema and source-span checks as the rule-based ones.
    """
    if n_process > 1 and len(articles) > 1:
        analyses = _analyze_in_processes(articles, n_process)
    else:
        analyses = _analyze(articles)
    if llm is not None:
        for article, analysis in zip(articles, analyses):
            analysis.claims += llm.propose(article, analysis)
    return analyses


def _analyze_in_processes(articles: list[Article], n_process: int) -> list[Analysis]:
    """Contiguous chunks in forked workers that share the already loaded model (copy-on-write);
    results come back in input order, so the output does not depend on `n_process`."""
    import multiprocessing

    nlp.load()
    size = -(-len(articles) // n_process)
    chunks = [articles[i:i + size] for i in range(0, len(articles), size)]
    with multiprocessing.get_context("fork").Pool(len(chunks), initializer=_one_math_thread) as pool:
        parts = pool.map(_analyze, chunks)
    return [a for part in parts for a in part]


def _one_math_thread() -> None:
    """Each worker process gets one BLAS/OpenMP thread: n processes on n cores, not n × n
    threads fighting for them (measured: 2 processes run 2.5× slower oversubscribed)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _analyze(articles: list[Article]) -> list[Analysis]:
    sentences = [split_sentences(a.id, a.text) for a in articles]
    body = [[s for s in ss if not is_heading(s.text)] for ss in sentences]
    docs = nlp.entities([a.text for a in articles]) if articles else []

    mentions: list[dict[int, list[Mention]]] = [{} for _ in articles]
    for ai, doc in enumerate(docs):
        for s in body[ai]:
            inside = [e for e in doc.ents if s.start <= e.start_char and e.end_char <= s.end]
            mentions[ai][s.index] = mentions_from_doc(inside, s.article_id, s.index, 0)

    analyses: list[Analysis] = []
    contexts: list[ArticleContext] = []
    for ai, article in enumerate(articles):
        analysis = Analysis(article_id=article.id, sentences=sentences[ai])
        propagate_names(body[ai], mentions[ai])
        roles, descriptors = [], []
        for s in body[ai]:
            roles += roles_in_sentence(s, mentions[ai].get(s.index, []))
            descriptors += descriptors_in_sentence(s)
        analysis.mentions = [m for s in body[ai] for m in mentions[ai].get(s.index, [])]
        analysis.roles = qualify_roles(roles)
        link_entities([analysis])  # within the article: "Takaichi" joins "Sanae Takaichi"
        published = article.published.date() if article.published else None
        times_by_sentence: dict[int, list[TimeExpression]] = {}
        for s in sentences[ai]:
            found = [TimeExpression(text=f.text,
                                    evidence=Evidence(article.id, s.index, s.start + f.start, s.start + f.end),
                                    interval=f.interval, relative=f.relative)
                     for f in find_times(s.text, published)]
            if found:
                times_by_sentence[s.index] = found
            analysis.times += found
        contexts.append(ArticleContext(
            article_id=article.id, published=published, sentences=sentences[ai],
            mentions_by_sentence=mentions[ai], roles=analysis.roles, descriptors=descriptors,
            times_by_sentence=times_by_sentence,
            person_keys={e.key for e in analysis.entities if e.label == "PERSON"}, text=article.text))
        analyses.append(analysis)

    to_parse = [(ai, s) for ai, ss in enumerate(body) for s in ss if needs_parse(s.text)]
    parsed = nlp.parse([nlp.sentence_doc(docs[ai], s.start, s.end) for ai, s in to_parse])
    parsed_by: list[dict[int, object]] = [{} for _ in articles]
    for (ai, s), doc in zip(to_parse, parsed):
        parsed_by[ai][s.index] = doc
    for ai, analysis in enumerate(analyses):
        for s in body[ai]:
            analysis.claims += claims_in_sentence(contexts[ai], s, parsed_by[ai].get(s.index))
    return analyses


__all__ = ["analyze", "split_sentences", "link_entities"]
