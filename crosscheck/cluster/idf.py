"""Inverse document frequencies for terms and entity names.

The default table ships with the package (`_idf_table.py`), computed once on the ECB+ dev
articles (CC BY 3.0, "ECB+ corpus, NewsReader project") with the same tokeniser, so the
weights never depend on what happened to arrive first and a restarted pipeline weighs words
exactly as before. Words the table never saw get the highest weight: in news, an unseen word
is usually a rare name or place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from crosscheck.model import Article


class Idf:
    def __init__(self, documents: int, term_df: dict[str, int], entity_df: dict[str, int]):
        self.documents = documents
        self.term_df = term_df
        self.entity_df = entity_df
        self._unseen = self._idf(1)

    def _idf(self, df: int) -> float:
        return math.log((self.documents + 1) / (df + 1)) + 1.0

    def term(self, term: str) -> float:
        df = self.term_df.get(term)
        return self._unseen if df is None else self._idf(df)

    def entity(self, key: str) -> float:
        df = self.entity_df.get(key)
        return self._unseen if df is None else self._idf(df)

    def to_dict(self, min_df: int = 2) -> dict:
        return {"documents": self.documents,
                "terms": {t: c for t, c in sorted(self.term_df.items()) if c >= min_df},
                "entities": {e: c for e, c in sorted(self.entity_df.items()) if c >= min_df}}


def fit_idf(articles: Iterable[Article]) -> Idf:
    """Document frequencies over `articles`, with the clusterer's own tokeniser."""
    from crosscheck.cluster.features import capitalised_phrases, tokens

    documents = 0
    term_df: dict[str, int] = {}
    entity_df: dict[str, int] = {}
    for article in articles:
        documents += 1
        text = f"{article.title}\n{article.text}"
        for t in set(tokens(text)):
            term_df[t] = term_df.get(t, 0) + 1
        for e in set(capitalised_phrases(article.title) + capitalised_phrases(article.text)):
            entity_df[e] = entity_df.get(e, 0) + 1
    return Idf(documents, term_df, entity_df)


_DEFAULT: Idf | None = None


def default_idf() -> Idf:
    """The table shipped with the package (ECB+ dev, all 772 articles)."""
    global _DEFAULT
    if _DEFAULT is None:
        from crosscheck.cluster._idf_table import TABLE

        _DEFAULT = Idf(TABLE["documents"], TABLE["terms"], TABLE["entities"])
    return _DEFAULT
