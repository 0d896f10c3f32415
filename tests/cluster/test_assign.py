"""Streaming assignment on the real seeds and real ECB+ articles."""

import json
from datetime import datetime, timezone

import pytest

from crosscheck.cluster import Clusterer, StoryProfile
from crosscheck.model import Article


def _ecb(shared_data, doc_id: str) -> Article:
    for line in (shared_data / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["doc_id"] == doc_id:
            return Article(id=doc_id, title=doc["title"], text=doc["text"],
                           published=datetime(2026, 1, 4, tzinfo=timezone.utc))
    raise KeyError(doc_id)


def test_the_two_seed_articles_land_in_one_story(seed_articles):
    clusterer = Clusterer()
    first, second = (clusterer.assign(a) for a in seed_articles)
    assert first == second


def test_related_article_teasers_do_not_join_the_seed_story(seed_articles, teaser_articles):
    clusterer = Clusterer()
    story = [clusterer.assign(a) for a in seed_articles][0]
    teaser_stories = [clusterer.assign(t) for t in teaser_articles]
    assert len(teaser_articles) == 4
    assert story not in teaser_stories


def test_teasers_arriving_first_do_not_pull_the_seeds_apart(seed_articles, teaser_articles):
    clusterer = Clusterer()
    teaser_stories = {clusterer.assign(t) for t in teaser_articles}
    seed_stories = {clusterer.assign(a) for a in seed_articles}
    assert len(seed_stories) == 1
    assert not seed_stories & teaser_stories


def test_an_unrelated_ecb_article_starts_a_new_story(seed_articles, shared_data):
    clusterer = Clusterer()
    story = [clusterer.assign(a) for a in seed_articles][0]
    assert clusterer.assign(_ecb(shared_data, "1_1ecb")) != story


def test_articles_about_one_ecb_event_share_a_story(shared_data):
    clusterer = Clusterer()
    stories = {clusterer.assign(_ecb(shared_data, doc_id)) for doc_id in ("1_1ecb", "1_2ecb", "1_3ecb")}
    assert len(stories) == 1


def test_a_near_duplicate_joins_its_first_copy_without_moving_the_centroid(seed_articles):
    clusterer = Clusterer()
    original = seed_articles[0]
    story = clusterer.assign(original)
    before = dict(clusterer.changed()[0].state["terms"])
    copy = Article(id="syndicated", title="Unrelated headline about football",
                   text="A completely different text about a football match.", duplicate_of=original.id,
                   published=original.published)
    assert clusterer.assign(copy) == story
    profile = clusterer.changed()[0]
    assert profile.state["terms"] == before
    assert profile.state["duplicates"] == 1


def test_assignment_is_deterministic(seed_articles, teaser_articles):
    runs = []
    for _ in range(2):
        clusterer = Clusterer()
        runs.append([clusterer.assign(a) for a in seed_articles + teaser_articles])
    assert runs[0] == runs[1]


def test_profiles_round_trip_through_json_and_keep_assigning(seed_articles):
    clusterer = Clusterer()
    story = clusterer.assign(seed_articles[0])
    stored = [StoryProfile(p.story_id, p.last_published, json.loads(json.dumps(p.state)))
              for p in clusterer.changed()]
    restarted = Clusterer(stored)
    assert restarted.assign(seed_articles[1]) == story


def test_changed_lists_each_touched_story_once_then_clears(seed_articles, teaser_articles):
    clusterer = Clusterer()
    for article in seed_articles + teaser_articles:
        clusterer.assign(article)
    changed = clusterer.changed()
    assert len({p.story_id for p in changed}) == len(changed) == 1 + len(teaser_articles)
    assert clusterer.changed() == []


def test_stories_outside_the_time_window_are_not_joined(seed_articles):
    clusterer = Clusterer()
    story = clusterer.assign(seed_articles[0])
    much_later = Article(id="later", title=seed_articles[1].title, text=seed_articles[1].text,
                         published=datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert clusterer.assign(much_later) != story


@pytest.mark.parametrize("published", [None, datetime(2026, 1, 3)])
def test_undated_and_naive_dates_are_accepted(seed_articles, published):
    clusterer = Clusterer()
    story = clusterer.assign(seed_articles[0])
    later = Article(id="x", title=seed_articles[1].title, text=seed_articles[1].text, published=published)
    assert clusterer.assign(later) == story
