"""Steps run twice, or by several workers at once, end with each article and story once."""

from __future__ import annotations

import threading

from crosscheck import pipeline
from crosscheck.ingest.sources import article_from_record
from crosscheck.store.feeds import FeedStore
from tests.queue import corpus


def records(n: int, per_topic: int = 5):
    return [article_from_record({"url": i.url, "title": i.title, "text": i.text, "source": i.outlet,
                                 "published": i.published.isoformat()}, f"r{n}")
            for n, i in enumerate(corpus.articles(n, per_topic=per_topic))]


def run_at_once(n: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run(index: int) -> None:
        barrier.wait()
        try:
            work(index)
        except BaseException as exc:  # noqa: BLE001 — collected and asserted on
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_storing_the_same_articles_from_several_workers_at_once_keeps_one_copy(store):
    batch = records(30)
    outcomes = []
    errors = run_at_once(4, lambda _: outcomes.append(pipeline.store_articles(store, records(30))))
    assert errors == []
    assert store.count_articles() == len(batch)
    assert sum(s.new for run in outcomes for s in run) == len(batch)  # each stored by exactly one


def test_an_article_given_twice_in_one_batch_is_stored_once(store):
    article = records(1)[0]
    twice = pipeline.store_articles(store, [article, records(1)[0]])
    assert [s.new for s in twice] == [True, False] and twice[1].article_id == article.id
    assert store.count_articles() == 1


def test_assigning_from_several_workers_at_once_puts_each_article_in_one_story(store, settings):
    stored = pipeline.store_articles(store, records(30))
    pipeline.analyze_articles(store, [s.article_id for s in stored])
    errors = run_at_once(3, lambda _: pipeline.assign_pending(store, settings, analysed_only=True))
    assert errors == []
    assert store.pending_articles() == []
    stories = store.list_stories(limit=1000)
    assert sum(s.article_count for s in stories) == 30
    for story in stories:
        assert story.article_count == len(store.story_articles(story.id))


def test_analysing_the_same_articles_on_several_workers_saves_one_analysis_each(store):
    ids = [s.article_id for s in pipeline.store_articles(store, records(16, per_topic=4))]
    errors = run_at_once(3, lambda _: pipeline.analyze_articles(store, ids))
    assert errors == []
    assert len(store.get_analyses(ids)) == 16


def test_a_story_that_changed_while_written_stays_stale_for_the_next_write(store, settings, monkeypatch):
    stored = pipeline.store_articles(store, records(5))
    pipeline.analyze_articles(store, [s.article_id for s in stored])
    story_id = pipeline.assign_pending(store, settings).stories[0]
    compose = pipeline._compose

    def compose_while_an_article_joins(store_, sid, settings_):
        result = compose(store_, sid, settings_)
        store.save_story(sid, title="same story", profile={})  # an assignment lands meanwhile
        return result

    monkeypatch.setattr(pipeline, "_compose", compose_while_an_article_joins)
    assert pipeline.write_story_if_current(store, story_id, settings) is False
    assert story_id in store.stale_story_ids()
    monkeypatch.undo()
    assert pipeline.write_story_if_current(store, story_id, settings) is True
    assert store.stale_story_ids() == []


def test_host_slots_handed_to_racing_workers_never_coincide(store):
    from datetime import datetime, timezone

    feeds = FeedStore(store)
    now = datetime.now(timezone.utc)
    slots = []
    errors = run_at_once(6, lambda _: slots.append(feeds.reserve_host_slot("example.test", 2.0, now)))
    assert errors == []
    gaps = sorted((s - now).total_seconds() for s in slots)
    assert gaps == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
