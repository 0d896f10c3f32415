"""Checks shared by the queue tests: is the work finished, and is every story consistent."""

from __future__ import annotations

from sqlalchemy import text

from crosscheck.config import load_settings
from crosscheck.queue import tasks
from crosscheck.store import Store


def count(store: Store, sql: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def queued_jobs(store: Store) -> int:
    return count(store, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")


def finished(store: Store, articles: int) -> bool:
    """Every article stored and in a story, no story waiting to be written, the queue empty."""
    return (count(store, "SELECT count(*) FROM articles") >= articles
            and count(store, "SELECT count(*) FROM articles WHERE story_id IS NULL") == 0
            and count(store, "SELECT count(*) FROM stories WHERE stale") == 0
            and queued_jobs(store) == 0)


def schedule(db: str) -> int:
    return tasks.schedule(load_settings(None, db=db))


def assert_every_article_once_and_stories_consistent(store: Store, urls: set[str]) -> None:
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT canonical_url, count(*) FROM articles GROUP BY canonical_url")).all()
    copies = {url: n for url, n in stored}
    assert set(copies) == urls, "every article stored (and nothing else)"
    assert max(copies.values()) == 1, "no article stored twice"
    assert count(store, "SELECT count(*) FROM articles WHERE story_id IS NULL") == 0
    assert count(store, "SELECT count(*) FROM analyses") == len(urls), "one analysis per article"
    in_stories = 0
    for row in store.list_stories(limit=100000):
        members = {a.id for a in store.story_articles(row.id)}
        assert row.article_count == len(members) > 0, f"story {row.id}: header counts its members"
        written, _ = store.get_written(row.id)
        assert written is not None and written.summary, f"story {row.id} is written"
        assert set(written.sources) <= members, f"story {row.id} cites only its own articles"
        in_stories += len(members)
    assert in_stories == len(urls)
    assert store.stale_story_ids() == []
