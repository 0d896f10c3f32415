"""The nearest-story index stays bounded however many stories arrive."""

from datetime import datetime, timedelta, timezone

from crosscheck.cluster import Clusterer, Settings
from crosscheck.cluster.index import StoryIndex
from crosscheck.model import Article


def _words(i: int) -> str:
    """Text sharing no word with any other i."""
    return " ".join(f"w{i}x{k}" for k in range(5))


def test_posting_lists_keep_only_the_most_recent_stories():
    index = StoryIndex(posting_cap=3)
    for i in range(10):
        index.update(f"s{i}", {"shared", f"own{i}"})
    assert index.candidates({"shared": 1.0}, limit=10) == ["s7", "s8", "s9"]
    assert index.candidates({"own0": 1.0}, limit=10) == ["s0"]  # still findable by its own key


def test_candidates_rank_by_shared_weight():
    index = StoryIndex()
    index.update("a", {"quake", "iran"})
    index.update("b", {"quake"})
    assert index.candidates({"quake": 0.5, "iran": 0.5}, limit=1) == ["a"]


def test_removed_stories_are_not_candidates():
    index = StoryIndex()
    index.update("a", {"quake"})
    index.remove("a")
    assert index.candidates({"quake": 1.0}, limit=5) == []


def test_stories_idle_past_the_window_leave_memory(seed_articles):
    clusterer = Clusterer(settings=Settings(window_days=10))
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for day in range(60):
        clusterer.assign(Article(id=f"a{day}", title=_words(day), text=_words(day),
                                 published=start + timedelta(days=day)))
    assert len(clusterer.stories()) <= 11
    assert len(clusterer.changed()) == 60  # every story is still handed out for persisting


def test_undated_archives_keep_at_most_the_live_cap():
    clusterer = Clusterer(settings=Settings(max_live_stories=5))
    for i in range(20):
        clusterer.assign(Article(id=f"u{i}", title=_words(i), text=_words(i)))
    assert len(clusterer.stories()) == 5
