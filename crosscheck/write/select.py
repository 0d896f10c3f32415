"""Extractive multi-document sentence selection.

Each source sentence is a candidate. A candidate scores for being central to the story
(TF-IDF cosine to the story centroid), for being stated early by its source (news puts the
facts first), for being corroborated (other independent origins carry a near-paraphrase),
and for covering claim groups that are not covered yet (corroborated and conflicting
claims first). Selection is greedy with a redundancy penalty (maximal marginal
relevance), so the same fact from three outlets is chosen once; the paraphrases become
extra citations of that sentence instead.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from crosscheck.model import Analysis, Article, ClaimGroup, Sentence
from crosscheck.write.text import Reading, read, stem

# Group kinds in the order a reader needs them; single-source claims go to "unknowns".
GROUP_WEIGHT = {"conflicting": 1.0, "corroborated": 1.0, "refinement": 0.6, "single": 0.25}
# Weights of the selection score (tried on the first half of the Multi-News dev clusters only).
W_CENTRALITY, W_POSITION, W_CORROBORATED = 0.50, 0.30, 0.20
W_COVERAGE, W_REDUNDANCY = 0.25, 0.60
PARAPHRASE_SIMILARITY = 0.5
MAX_CANDIDATES = 3000  # sentences compared pairwise per story, at most (about 70 MB of similarities)  # cosine above which two sentences say the same thing
REDUNDANT_SIMILARITY = 0.55  # never select a sentence this close to one already chosen
_DANGLING_START = re.compile(r"^[\"“‘']?(He|She|They|It|This|That|These|Those|But|And|Also|However|His|Her|Their)\b")
_FURNITURE = re.compile(r"(related articles|sign in|share this|click here|subscribe|all rights reserved|"
                        r"photo:|image:|getty images|ap photo|toggle caption|enlarge this image|"
                        r"follow us|newsletter|\bcookies?\b|advertisement|"
                        # embedded-widget boilerplate that scrapers leave in body text
                        r"location information to your tweets|tweet location history|as an interest to stay up to date|"
                        r"sign up for|enable javascript|video is (no longer )?available|"
                        r"your browser does not support|the page you requested)", re.IGNORECASE)


@dataclass
class Candidate:
    sentence: Sentence
    origin: str
    reading: Reading
    position: int  # sentence index in its article
    relative_position: float  # 0 = first sentence, 1 = last
    published_rank: int  # order of its article among the sources
    groups: list[ClaimGroup] = field(default_factory=list)
    # what choosing this sentence covers: a group id, or (for a conflict) group id + one side,
    # so that both sides of a disagreement get a sentence
    covers: dict[str, float] = field(default_factory=dict)
    # what the citation will highlight: the article's own text at the sentence's offsets
    passage: str = ""
    score: float = 0.0
    corroborating_origins: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, int]:
        return (self.sentence.article_id, self.sentence.index)


def is_summary_material(sentence: Sentence) -> bool:
    """A full sentence of body text: not a heading, caption, credit or page furniture."""
    text = sentence.text.strip()
    n_words = len(text.split())
    if n_words < 6 or n_words > 60:
        return False
    if not re.search(r"[.!?][\"'”’)]*$", text):
        return False  # headings and captions carry no final punctuation
    if text.endswith("?"):
        return False
    if _FURNITURE.search(text):
        return False
    if sum(c.isalpha() for c in text) < 0.6 * len(text):
        return False
    return has_substance(text)


_REPORTING = frozenset(stem(w) for w in """report reported reports reporting cite cited citing source sources
said says told according statement government officials official news agency media""".split())


def has_substance(text: str) -> bool:
    """More than an attribution line ("On December 24, Kyodo News reported, citing sources.")."""
    reading = read(text)
    name_tokens = {t for name in reading.names for t in name}
    substance = [w for w in reading.stems if w not in _REPORTING and w not in name_tokens]
    return len(substance) >= 3


def build_candidates(articles: list[Article], analyses: list[Analysis], groups: list[ClaimGroup],
                     source_order: list[str]) -> tuple[list[Candidate], list[Candidate]]:
    """(selectable candidates, all readable sentences incl. copies) for one story."""
    by_id = {a.id: a for a in articles}
    group_index: dict[tuple[str, int], list[ClaimGroup]] = {}
    covers_index: dict[tuple[str, int], dict[str, float]] = {}
    for g in groups:
        for value, evidences in g.values.items():
            key = f"{g.id}={value}" if g.kind == "conflicting" else g.id
            for e in evidences:
                where = (e.article_id, e.sentence_index)
                bucket = group_index.setdefault(where, [])
                if g not in bucket:
                    bucket.append(g)
                covers_index.setdefault(where, {})[key] = GROUP_WEIGHT.get(g.kind, 0.3)
    rank = {aid: i for i, aid in enumerate(source_order)}
    # very large stories: only each article's first sentences compete (news puts facts first),
    # which keeps the sentence-by-sentence similarity matrix small
    per_article = max(12, MAX_CANDIDATES // max(1, len(analyses)))
    selectable: list[Candidate] = []
    everything: list[Candidate] = []
    for analysis in analyses:
        article = by_id.get(analysis.article_id)
        if article is None:
            continue
        total = max(1, len(analysis.sentences) - 1)
        for s in analysis.sentences[:per_article]:
            if not is_summary_material(s):
                continue
            c = Candidate(sentence=s, origin=article.origin, reading=read(s.text), position=s.index,
                          relative_position=s.index / total, published_rank=rank.get(s.article_id, 0),
                          groups=group_index.get((s.article_id, s.index), []),
                          covers=covers_index.get((s.article_id, s.index), {}),
                          passage=article.text[s.start:s.end])
            everything.append(c)
            if not article.duplicate_of:
                selectable.append(c)
    return selectable, everything


def tfidf_matrix(candidates: list[Candidate]) -> sparse.csr_matrix:
    """Rows: L2-normalised TF-IDF vectors of the candidates' content stems (sparse)."""
    docs = [c.reading.stems for c in candidates]
    df = Counter(w for d in docs for w in set(d))
    vocab = {w: i for i, w in enumerate(sorted(df))}
    n = len(docs)
    rows, cols, values = [], [], []
    for row, d in enumerate(docs):
        weights = {vocab[w]: (1.0 + math.log(tf)) * (math.log((1 + n) / (1 + df[w])) + 1.0)
                   for w, tf in Counter(d).items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        for col, v in sorted(weights.items()):
            rows.append(row)
            cols.append(col)
            values.append(v / norm)
    return sparse.csr_matrix((values, (rows, cols)), shape=(n, max(1, len(vocab))))


def select(candidates: list[Candidate], count: int, similarity: np.ndarray,
           corroboration: list[set[str]]) -> list[int]:
    """Indices of the chosen candidates (greedy MMR over salience, coverage and redundancy)."""
    if not candidates:
        return []
    centroid = similarity.mean(axis=1)  # mean cosine to every sentence of the story
    span = centroid.max() - centroid.min()
    centrality = (centroid - centroid.min()) / span if span > 0 else np.ones_like(centroid)
    origins = {c.origin for c in candidates}
    base = np.zeros(len(candidates))
    for i, c in enumerate(candidates):
        position = 1.0 / math.sqrt(1.0 + c.position)
        corroborated = min(len(corroboration[i]), 3) / 3 if len(origins) > 1 else 0.0
        words = len(c.reading.tokens)
        length = 1.0 if 10 <= words <= 40 else 0.6
        dangling = 0.15 if _DANGLING_START.match(c.sentence.text) else 0.0
        base[i] = (W_CENTRALITY * centrality[i] + W_POSITION * position
                   + W_CORROBORATED * corroborated) * length - dangling
        c.score = float(base[i])
    chosen: list[int] = []
    covered: set[str] = set()
    while len(chosen) < min(count, len(candidates)):
        best, best_value = -1, -1e9
        for i, c in enumerate(candidates):
            if i in chosen:
                continue
            redundancy = max((similarity[i, j] for j in chosen), default=0.0)
            if redundancy >= REDUNDANT_SIMILARITY:
                continue
            coverage = max((w for key, w in c.covers.items() if key not in covered), default=0.0)
            value = base[i] + W_COVERAGE * coverage - W_REDUNDANCY * redundancy
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        covered.update(candidates[best].covers)
    return chosen
