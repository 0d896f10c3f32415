"""Near-duplicate detection: MinHash signatures and an LSH index over them.

Exact duplicates (same canonical URL, same content hash) are caught by the store; this finds
copies with small edits (a wire story re-published with another headline or footer), which
must count as the first copy's origin, not as a second source.
"""

from __future__ import annotations

import re

from datasketch import LeanMinHash, MinHash, MinHashLSH

from crosscheck.ingest.identity import normalise_text

NUM_PERM = 128
SEED = 20260101  # fixed: signatures must compare across runs and machines
SHINGLE_WORDS = 3
THRESHOLD = 0.7  # estimated Jaccard of word 3-shingles above which two texts are one copy
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(normalise_text(text))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhash(text: str) -> LeanMinHash:
    sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
    sketch.update_batch(list(_shingles(text)))
    return LeanMinHash(sketch)


def signature(text: str) -> bytes:
    """A serialisable MinHash of the text (stored by the pipeline, restored by `load_signature`)."""
    lean = minhash(text)
    buffer = bytearray(lean.bytesize())
    lean.serialize(buffer)
    return bytes(buffer)


def load_signature(data: bytes) -> LeanMinHash:
    return LeanMinHash.deserialize(bytearray(data))


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets."""
    return load_signature(a).jaccard(load_signature(b))


class NearDuplicateIndex:
    """Articles added so far; `query` returns the first-added article the text nearly copies."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._order: dict[str, int] = {}
        self._sketches: dict[str, LeanMinHash] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._order

    def add(self, article_id: str, signature_bytes: bytes) -> None:
        if article_id in self._order:
            return
        sketch = load_signature(signature_bytes)
        self._lsh.insert(article_id, sketch)
        self._order[article_id] = len(self._order)
        self._sketches[article_id] = sketch

    def query(self, signature_bytes: bytes) -> str | None:
        """Id of the earliest-added article whose estimated similarity reaches the threshold."""
        sketch = load_signature(signature_bytes)
        # LSH gives candidates; the estimate filters the banding's false positives.
        matches = [
            c for c in self._lsh.query(sketch) if self._sketches[c].jaccard(sketch) >= self.threshold
        ]
        return min(matches, key=self._order.__getitem__) if matches else None
