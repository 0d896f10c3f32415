"""Stage 2 — understand: sentences, entities, roles, resolved times and claims per article.

Contract used by `pipeline.py`:

    analyze(articles: list[Article]) -> list[Analysis]   (batched; same order as input)
    split_sentences(article_id, text) -> list[Sentence]  (fast, no model)
"""

from crosscheck.understand.sentences import split_sentences
from crosscheck.model import Analysis, Article


def analyze(articles: list[Article]) -> list[Analysis]:
    return [Analysis(article_id=a.id, sentences=split_sentences(a.id, a.text)) for a in articles]


__all__ = ["analyze", "split_sentences"]
