"""Periodic re-clustering (`crosscheck recluster`): fix what arrival order got wrong.

Streaming assignment decides once, in arrival order; a story that opened on a vague first
article, or two stories that turned out to be one, stay that way. `recluster` re-reads a set of
articles as a batch — a fresh stream, a refinement pass, then Ward's linkage splitting any
group that holds two events (see `regroup`) — and then maps the new groups onto the old story
ids so that links and comments survive: a new group keeps the id of the old story whose majority
of members it holds; a group that holds no old story's majority gets a fresh id from its
earliest article.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime

from crosscheck.cluster.assign import Clusterer, Settings, StoryProfile, _utc, new_story_id
from crosscheck.cluster.features import ArticleFeatures
from crosscheck.cluster.idf import Idf
from crosscheck.model import Analysis, Article


@dataclass
class Reclustering:
    membership: dict[str, list[str]]  # story id -> article ids (sorted)
    renamed: dict[str, str] = field(default_factory=dict)  # retired old id -> id now holding most of it
    profiles: list[StoryProfile] = field(default_factory=list)  # to persist, replacing the old ones

    def story_of(self) -> dict[str, str]:
        return {a: s for s, members in self.membership.items() for a in members}


def _order_key(article: Article):
    return (article.published is not None, _utc(article.published or datetime.min), article.id)


def regroup(articles: list[Article], analyses: dict[str, Analysis] | None = None,
            settings: Settings | None = None, idf: Idf | None = None,
            dense: dict[str, list[float]] | None = None) -> list[list[str]]:
    """Batch grouping: stream and refine, then let Ward's linkage split what holds two events.

    Streaming must decide at once and cannot undo an early wrong join; a batch can. First a fresh
    stream in publication order and one refinement pass (every article moves to the story whose
    final centroid fits it best: this joins stories that arrival order split). Then each group
    is checked by Ward's linkage, which may only split it: two sibling events that share their
    vocabulary still differ in their mean vectors (bench/README-cluster.md). Splitting only,
    never merging across groups, keeps the recluster from creating false merges.
    Near-duplicates follow their first copy.
    """
    s = settings or Settings()
    return _group(articles, _read(articles, analyses or {}, dense or {}, s, idf), s, idf)


def _read(articles: list[Article], analyses: dict[str, Analysis], dense: dict[str, list[float]],
          s: Settings, idf: Idf | None) -> dict[str, ArticleFeatures]:
    """Every article's features, read once: the grouping and the rebuilt profiles share them."""
    reader = Clusterer(settings=s, idf=idf)
    return {a.id: reader.features(a, analyses.get(a.id), dense.get(a.id)) for a in articles}


def _group(articles: list[Article], features: dict[str, ArticleFeatures], s: Settings,
           idf: Idf | None) -> list[list[str]]:
    ordered = sorted(articles, key=_order_key)
    present = {a.id for a in ordered}
    originals = [a for a in ordered if not (a.duplicate_of and a.duplicate_of in present)]
    by_id = {a.id: a for a in originals}
    groups: list[list[str]] = []
    for group in _stream_and_refine(originals, features, s, idf):
        if 1 < len(group) <= s.max_block:
            groups += _ward([by_id[i] for i in group], [features[i] for i in group], s)
        else:
            groups.append(group)
    group_of = {article_id: i for i, group in enumerate(groups) for article_id in group}
    copy_of = {a.id: a.duplicate_of for a in ordered}
    for article in ordered:
        if article.id in group_of:
            continue
        # A near-duplicate goes with its first copy (following copies of copies).
        original, seen = article.duplicate_of, {article.id}
        while original not in group_of and original in copy_of and original not in seen:
            seen.add(original)
            original = copy_of[original]
        if original in group_of:
            groups[group_of[original]].append(article.id)
        else:  # defensive: a cycle of copies has no first copy
            groups.append([article.id])
        group_of[article.id] = group_of.get(original, len(groups) - 1)
    return [sorted(group) for group in groups]


def _ward(block: list[Article], features: list, s: Settings) -> list[list[str]]:
    """Split one group where Ward's linkage puts a merge above `s.ward_cut`.

    Ward's cost of a merge grows with the size of both sides and the distance of their means,
    so two sizeable sibling events inside one group come apart, while a group of one event
    (whose halves' means differ only by noise) stays whole.
    """
    if len(block) == 1:
        return [[block[0].id]]
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.sparse import csr_matrix

    # One sparse row per article: the unit term, name and headline vectors scaled by the square
    # roots of their weights, so a dot product is the weighted sum of the three cosines.
    parts = [("terms", s.weights[0]), ("entities", s.weights[1]), ("title", s.weights[2])]
    columns: dict[tuple[int, str], int] = {}
    data, cols, indptr = [], [], [0]
    for f in features:
        for part, (name, weight) in enumerate(parts):
            if weight <= 0:
                continue
            scale = math.sqrt(weight)
            for key, value in getattr(f, name).items():
                cols.append(columns.setdefault((part, key), len(columns)))
                data.append(value * scale)
        indptr.append(len(data))
    matrix = csr_matrix((data, cols, indptr), shape=(len(features), max(1, len(columns))))
    gram = (matrix @ matrix.T).toarray()
    norms = np.diag(gram)
    distances = np.sqrt(np.clip(norms[:, None] + norms[None, :] - 2.0 * gram, 0.0, None))
    condensed = distances[np.triu_indices(len(block), 1)]
    labels = fcluster(linkage(condensed, "ward"), s.ward_cut, "distance")
    out: dict[int, list[str]] = {}
    for article, label in zip(block, labels):
        out.setdefault(int(label), []).append(article.id)
    return list(out.values())


def _stream_and_refine(block: list[Article], features: dict[str, ArticleFeatures], s: Settings,
                       idf: Idf | None) -> list[list[str]]:
    """Stream with no time limit, then move each article to the story whose final centroid fits best."""
    clusterer = Clusterer(settings=replace(s, max_live_stories=max(s.max_live_stories, len(block) + 1),
                                           window_days=max(s.window_days, 36500.0)), idf=idf)
    first_pass = {}
    for article in block:  # Clusterer.assign, minus the feature reading already done
        best, _ = clusterer.nearest(features[article.id])
        if best is None:
            best = clusterer._open(article)
        clusterer._add(best, article, features[article.id], reinforce=True)
        first_pass[article.id] = best.profile.story_id
    # A story always keeps its own best member, so refinement never empties a story by accident.
    groups: dict[str, list[str]] = {}
    for article in block:
        best, _ = clusterer.nearest(features[article.id])
        target = best.profile.story_id if best is not None else first_pass[article.id]
        groups.setdefault(target, []).append(article.id)
    return list(groups.values())


def stable_ids(groups: list[list[str]], previous: dict[str, str],
               first_article: dict[str, str] | None = None) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Name new groups after the old stories they mostly continue.

    `previous` maps article id -> old story id. A group inherits an old id when it holds more
    than half of that old story's members (so at most one group can), larger groups choosing
    first. Returns (membership, renamed), where renamed maps each retired old id to the new
    story holding most of its former members (for redirects).
    """
    old_size: dict[str, int] = {}
    for story in previous.values():
        old_size[story] = old_size.get(story, 0) + 1
    taken: set[str] = set()
    membership: dict[str, list[str]] = {}
    ordered = sorted(groups, key=lambda g: (-len(g), g[0] if g else ""))
    for group in ordered:
        overlap: dict[str, int] = {}
        for article_id in group:
            old = previous.get(article_id)
            if old is not None:
                overlap[old] = overlap.get(old, 0) + 1
        story_id = None
        for old, count in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
            if old not in taken and 2 * count > old_size[old]:
                story_id = old
                break
        if story_id is None:
            story_id = new_story_id((first_article or {}).get(group[0], group[0]))
            while story_id in taken or story_id in old_size:
                story_id = new_story_id(story_id)
        taken.add(story_id)
        membership[story_id] = sorted(group)
    renamed: dict[str, str] = {}
    where = {a: s for s, members in membership.items() for a in members}
    for old in sorted(set(old_size) - set(membership)):
        counts: dict[str, int] = {}
        for article_id, story in previous.items():
            if story == old and article_id in where:
                counts[where[article_id]] = counts.get(where[article_id], 0) + 1
        if counts:
            renamed[old] = min(counts, key=lambda s: (-counts[s], s))
    return membership, renamed


def recluster(articles: list[Article], previous: dict[str, str],
              analyses: dict[str, Analysis] | None = None, settings: Settings | None = None,
              idf: Idf | None = None, dense: dict[str, list[float]] | None = None) -> Reclustering:
    """Regroup `articles` and keep old story ids where membership mostly stays.

    `previous` maps article id -> current story id. Pure: reads nothing, writes nothing. The
    returned profiles carry the new ids and replace the stored profiles of every story in
    `previous` (the retired ones are listed in `renamed`). `dense` (article id -> embedding,
    when an embedder is configured) is read with the rest of each article's features.
    """
    s = settings or Settings()
    features = _read(articles, analyses or {}, dense or {}, s, idf)
    groups = _group(articles, features, s, idf)
    earliest = {}
    by_id = {a.id: a for a in articles}
    for group in groups:
        first = min((by_id[i] for i in group), key=_order_key)
        for i in group:
            earliest[i] = first.id
    membership, renamed = stable_ids(groups, previous, earliest)
    # Rebuild each story's profile by streaming its members into a fresh clusterer.
    profiles = []
    for story_id, members in sorted(membership.items()):
        clusterer = Clusterer(settings=s, idf=idf)
        live = None
        for article in sorted((by_id[i] for i in members), key=_order_key):
            if live is None:
                live = clusterer._open(article)
            duplicate = bool(article.duplicate_of) and article.duplicate_of in members
            clusterer._add(live, article, features[article.id], reinforce=not duplicate)
        profile = live.profile
        profiles.append(StoryProfile(story_id=story_id, last_published=profile.last_published,
                                     state=profile.state))
    return Reclustering(membership=membership, renamed=renamed, profiles=profiles)
