"""First, honest baseline: cosine over title+lead word counts plus shared capitalised names.

The stories issue replaces this with a measured, indexed clusterer behind the same contract.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from crosscheck.model import Analysis, Article

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = set("""a an the and or of to in on for with at by from as is are was were be been it its this that
these those he she they we you his her their our your not but if than then so such into over after before
about also has have had will would can could should may might said says say more most new one two""".split())
THRESHOLD = 0.25


@dataclass
class StoryProfile:
    story_id: str
    last_published: datetime | None = None
    state: dict = field(default_factory=dict)


def _terms(article: Article) -> Counter:
    lead = " ".join(article.text.split()[:120])
    words = [w.lower() for w in _WORD.findall(f"{article.title} {article.title} {lead}")]
    return Counter(w for w in words if w not in _STOP and len(w) > 2)


def _cosine(a: dict, b: dict) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


class Clusterer:
    def __init__(self, profiles: list[StoryProfile] | None = None):
        self._profiles = {p.story_id: p for p in profiles or []}
        self._changed: set[str] = set()

    def assign(self, article: Article, analysis: Analysis | None = None) -> str:
        terms = _terms(article)
        best, best_score = None, 0.0
        for profile in self._profiles.values():
            score = _cosine(terms, profile.state.get("terms", {}))
            if score > best_score:
                best, best_score = profile, score
        if best is None or best_score < THRESHOLD:
            best = StoryProfile(story_id="s" + hashlib.sha256(article.id.encode()).hexdigest()[:12])
            self._profiles[best.story_id] = best
        merged = Counter(best.state.get("terms", {}))
        merged.update(terms)
        best.state["terms"] = dict(merged.most_common(300))
        if article.published and (best.last_published is None or article.published > best.last_published):
            best.last_published = article.published
        self._changed.add(best.story_id)
        return best.story_id

    def changed(self) -> list[StoryProfile]:
        out = [self._profiles[i] for i in sorted(self._changed)]
        self._changed.clear()
        return out
