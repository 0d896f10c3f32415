"""Periodic re-clustering keeps story ids where membership mostly stays."""

import json
from datetime import datetime, timedelta, timezone

from crosscheck.cluster import Clusterer, recluster
from crosscheck.cluster.recluster import stable_ids
from crosscheck.model import Article


def _topic_articles(shared_data, topics=("1", "3")) -> list[Article]:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    out = []
    for line in (shared_data / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["topic"] in topics:
            out.append(Article(id=doc["doc_id"], title=doc["title"], text=doc["text"],
                               published=start + timedelta(hours=len(out))))
    return out


def test_recluster_keeps_every_id_when_membership_is_unchanged(shared_data):
    articles = _topic_articles(shared_data)
    clusterer = Clusterer()
    first = recluster(articles, {a.id: clusterer.assign(a) for a in articles})
    again = recluster(articles, first.story_of())
    assert again.membership == first.membership  # same groups under the same ids
    assert again.renamed == {}


def test_recluster_never_mixes_topics_and_keeps_most_ids(shared_data):
    articles = _topic_articles(shared_data)
    clusterer = Clusterer()
    previous = {a.id: clusterer.assign(a) for a in articles}
    result = recluster(articles, previous)
    for members in result.membership.values():
        assert len({m.split("_")[0] for m in members}) == 1  # topic 1 and topic 3 never share a story
    kept = sum(result.story_of()[a] == previous[a] for a in previous)
    assert kept >= 0.75 * len(previous)


def test_a_story_that_keeps_most_members_keeps_its_id():
    previous = {"a1": "old-1", "a2": "old-1", "a3": "old-1", "a4": "old-1", "b1": "old-2"}
    membership, renamed = stable_ids([["a1", "a2", "a3"], ["a4", "b1"]], previous)
    assert membership["old-1"] == ["a1", "a2", "a3"]
    assert "old-2" not in membership or membership["old-2"] == ["a4", "b1"]


def test_merged_stories_keep_the_larger_id_and_redirect_the_other():
    previous = {"a1": "big", "a2": "big", "a3": "big", "b1": "small"}
    membership, renamed = stable_ids([["a1", "a2", "a3", "b1"]], previous)
    assert list(membership) == ["big"]
    assert renamed == {"small": "big"}


def test_a_group_holding_no_majority_gets_a_fresh_id():
    previous = {"a1": "old", "a2": "old", "a3": "old", "a4": "old"}
    membership, _ = stable_ids([["a1", "a2", "a3"], ["a4", "n1", "n2"]], previous)
    assert "old" in membership and membership["old"] == ["a1", "a2", "a3"]
    fresh = [s for s in membership if s != "old"]
    assert len(fresh) == 1 and membership[fresh[0]] == ["a4", "n1", "n2"]


def test_recluster_is_deterministic(shared_data):
    articles = _topic_articles(shared_data)
    previous = {a.id: "s-old" for a in articles}
    assert recluster(articles, previous).membership == recluster(list(reversed(articles)), previous).membership


def test_recluster_joins_a_story_that_streaming_split_and_redirects_its_id(shared_data):
    articles = _topic_articles(shared_data, topics=("1",))
    reid = [a.id for a in articles if a.id.endswith("ecb")]
    lohan = [a.id for a in articles if a.id.endswith("ecbplus")]
    previous = {a: ("big" if i < 2 * len(reid) // 3 else "small") for i, a in enumerate(reid)}
    previous.update({a: "lohan" for a in lohan})
    result = recluster(articles, previous)
    story_of = result.story_of()
    assert result.renamed.get("small") == "big"
    assert sum(story_of[a] == "big" for a in reid) >= 0.9 * len(reid)
    # No false merge either way. (Ward's linkage cuts this 21-article Lohan event in two, 12 + 9:
    # a known over-split, see bench/README-cluster.md; the larger part keeps the id.)
    assert not {story_of[a] for a in lohan} & {story_of[a] for a in reid}
    assert sum(story_of[a] == "lohan" for a in lohan) > 0.5 * len(lohan)


def test_recluster_splits_two_merged_events_and_the_larger_part_keeps_the_id(shared_data):
    # Topic 3 (two prison escapes): each event is one tight group. (Topic 1's Lohan event is
    # itself cut in two by Ward's linkage, so no part of it holds a majority of a merged story.)
    articles = _topic_articles(shared_data, topics=("3",))
    previous = {a.id: "mixed" for a in articles}
    result = recluster(articles, previous)
    story_of = result.story_of()
    events = {"ecb": [a.id for a in articles if a.id.endswith("ecb")],
              "ecbplus": [a.id for a in articles if a.id.endswith("ecbplus")]}
    larger, smaller = sorted(events.values(), key=len, reverse=True)
    assert sum(story_of[a] == "mixed" for a in larger) >= 0.9 * len(larger)
    assert sum(story_of[a] != "mixed" for a in smaller) >= 0.9 * len(smaller)


def test_near_duplicates_follow_their_first_copy_through_recluster(shared_data):
    import dataclasses

    articles = _topic_articles(shared_data, topics=("3",))
    original = articles[0]
    copy = dataclasses.replace(original, id="copy-1", duplicate_of=original.id)
    copy_of_copy = dataclasses.replace(original, id="copy-2", duplicate_of="copy-1")
    # Two copies pointing at each other (never written by ingest) must not hang the batch.
    loop_a = dataclasses.replace(articles[1], id="loop-a", duplicate_of="loop-b")
    loop_b = dataclasses.replace(articles[1], id="loop-b", duplicate_of="loop-a")
    batch = articles + [copy, copy_of_copy, loop_a, loop_b]
    result = recluster(batch, {a.id: "s-old" for a in batch})
    story_of = result.story_of()
    assert story_of["copy-1"] == story_of["copy-2"] == story_of[original.id]
    assert {"loop-a", "loop-b"} <= set(story_of)
