"""The queue's tables: feeds to poll, per-host politeness, stage throughput and task failures.

A small class over `Store.engine` (migration 0003). It also holds the writes that must be safe
when several worker processes run at once on one PostgreSQL database:

- `add_article_once`: INSERT … ON CONFLICT DO NOTHING, so two workers storing the same article
  (same id, canonical URL or text) end with one row and no error;
- `save_written_if_unchanged`: a story's summary is saved, and its stale flag cleared, only if no
  article joined the story while it was being written (compare-and-set on `stories.updated`);
- `story_lock()`: one process at a time assigns articles to stories (a PostgreSQL session
  advisory lock: released by the server if the holder dies, so a killed worker never wedges it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import json

from sqlalchemy import (Column, Float, Integer, MetaData, String, Table, Text, delete, func, insert,
                        or_, select, text, update)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from crosscheck.model import Analysis, Article, ClaimGroup, Entity, Written
from crosscheck.store.repo import Store, article_row, index_for_search, to_json
from crosscheck.store.schema import UTCDateTime, analyses, articles, mentions, stories

_metadata = MetaData()

feeds = Table(
    "feeds", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("added", UTCDateTime, nullable=False),
    Column("poll_interval_s", Integer, nullable=False),
    Column("next_poll_at", UTCDateTime, nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled", UTCDateTime),
    Column("last_success", UTCDateTime),
    Column("last_error", Text),
    Column("last_error_at", UTCDateTime),
    Column("consecutive_errors", Integer, nullable=False, default=0),
    Column("total_errors", Integer, nullable=False, default=0),
    Column("entries_seen", Integer, nullable=False, default=0),
    Column("articles_added", Integer, nullable=False, default=0),
)

feed_hosts = Table(
    "feed_hosts", _metadata,
    Column("host", Text, primary_key=True),
    Column("next_fetch_at", UTCDateTime),
    Column("backoff_until", UTCDateTime),
    Column("consecutive_errors", Integer, nullable=False, default=0),
    Column("robots_txt", Text),
    Column("robots_status", Integer),
    Column("robots_fetched_at", UTCDateTime),
)

stage_runs = Table(
    "stage_runs", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("stage", String(32), nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("items", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
)

task_failures = Table(
    "task_failures", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task", String(64), nullable=False),
    Column("subject", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)

STORY_LOCK_KEY = 0x63726F7373636B  # "crossck": the one advisory lock id for story assignment
_local_story_lock = threading.RLock()  # SQLite: one process, serialise its threads


@dataclass
class Feed:
    id: int
    url: str
    added: datetime
    poll_interval_s: int
    next_poll_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    last_polled: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_errors: int = 0
    total_errors: int = 0
    entries_seen: int = 0
    articles_added: int = 0


@dataclass
class HostState:
    host: str
    next_fetch_at: datetime | None = None
    backoff_until: datetime | None = None
    consecutive_errors: int = 0
    robots_txt: str | None = None
    robots_status: int | None = None
    robots_fetched_at: datetime | None = None


@dataclass
class StageThroughput:
    stage: str
    runs: int
    items: int
    busy_seconds: float  # summed task time (across all workers)
    first: datetime
    last: datetime

    @property
    def items_per_second(self) -> float:
        """Items over the wall-clock span they were finished in (what the fleet achieved)."""
        span = (self.last - self.first).total_seconds()
        return self.items / span if span > 0 else float(self.items)


@dataclass
class Failure:
    task: str
    subject: str
    error: str
    at: datetime


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class FeedStore:
    def __init__(self, store: Store):
        self.store = store
        self.engine = store.engine
        self.dialect = store.dialect

    def _insert(self, table):
        return (pg_insert if self.dialect == "postgresql" else sqlite_insert)(table)

    # ------------------------------------------------------------ articles, stories (race-safe)

    def add_article_once(self, article: Article, signature: bytes | None = None) -> bool:
        """Insert unless an article with the same id, canonical URL or text exists; True if inserted.

        ON CONFLICT DO NOTHING (no conflict target) covers every unique constraint, so two
        workers racing on one article never raise and never store it twice.
        """
        return article.id in self.add_articles_once([(article, signature)])

    def add_articles_once(self, items: list[tuple[Article, bytes | None]]) -> set[str]:
        """`add_article_once` for many (one statement per 500 on PostgreSQL); the ids inserted."""
        inserted: set[str] = set()
        for start in range(0, len(items), 500):
            rows = [article_row(a, sig) for a, sig in items[start:start + 500]]
            with self.engine.begin() as conn:
                if self.dialect == "postgresql":
                    # RETURNING, not rowcount: psycopg reports -1 for INSERT … ON CONFLICT DO NOTHING.
                    query = self._insert(articles).values(rows).on_conflict_do_nothing().returning(articles.c.id)
                    inserted.update(r[0] for r in conn.execute(query))
                    continue
                for row in rows:
                    if conn.execute(self._insert(articles).values(**row).on_conflict_do_nothing()
                                    .returning(articles.c.id)).first() is not None:
                        inserted.add(row["id"])
                        index_for_search(conn, row)
        return inserted

    def existing_ids(self, batch: list[Article]) -> dict[str, str]:
        """{article.id: id of the stored copy} for those of `batch` already stored under the same
        id, canonical URL or text (`Store.find_existing` for many, in three queries per 500)."""
        found: dict[str, str] = {}
        for start in range(0, len(batch), 500):
            chunk = batch[start:start + 500]
            ids = [a.id for a in chunk]
            urls = [a.canonical_url for a in chunk if a.canonical_url]
            hashes = [a.content_hash for a in chunk]
            query = select(articles.c.id, articles.c.canonical_url, articles.c.content_hash).where(
                or_(articles.c.id.in_(ids), articles.c.canonical_url.in_(urls), articles.c.content_hash.in_(hashes)))
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            by_id = {r[0]: r[0] for r in rows}
            by_url = {r[1]: r[0] for r in rows if r[1]}
            by_hash = {r[2]: r[0] for r in rows}
            for a in chunk:
                hit = by_id.get(a.id) or (by_url.get(a.canonical_url) if a.canonical_url else None) \
                    or by_hash.get(a.content_hash)
                if hit:
                    found[a.id] = hit
        return found

    def save_analyses(self, batch: list[Analysis]) -> None:
        """`Store.save_analysis` for many in one transaction; safe with other workers at once.

        Entities are upserted (INSERT … ON CONFLICT DO UPDATE, aliases merged and sorted as the
        Store does), in key order so two workers never deadlock on the same entities.
        """
        if self.dialect != "postgresql":
            for analysis in batch:
                self.store.save_analysis(analysis)
            return
        if not batch:
            return
        ids = [a.article_id for a in batch]
        merged: dict[str, Entity] = {}
        for analysis in batch:
            for e in analysis.entities:
                known = merged.setdefault(e.key, Entity(e.key, e.name, e.label, []))
                known.aliases = sorted(set(known.aliases) | set(e.aliases))
        mention_rows = [{"article_id": a.article_id, "entity_key": m.entity_key,
                         "sentence_index": m.evidence.sentence_index, "start": m.evidence.start,
                         "end": m.evidence.end} for a in batch for m in a.mentions if m.entity_key]
        with self.engine.begin() as conn:
            conn.execute(delete(analyses).where(analyses.c.article_id.in_(ids)))
            conn.execute(insert(analyses), [{"article_id": a.article_id, "data": to_json(Analysis, a)} for a in batch])
            conn.execute(delete(mentions).where(mentions.c.article_id.in_(ids)))
            if mention_rows:
                conn.execute(insert(mentions), mention_rows)
            if merged:
                conn.execute(_UPSERT_ENTITY, [{"key": e.key, "name": e.name, "label": e.label,
                                               "aliases": json.dumps(e.aliases)}
                                              for e in sorted(merged.values(), key=lambda e: e.key)])

    def pending_ids(self, ingested_before: datetime | None = None, limit: int | None = None) -> list[str]:
        """Ids of stored articles not yet in a story, oldest first."""
        query = select(articles.c.id).where(articles.c.story_id.is_(None))
        if ingested_before is not None:
            query = query.where(articles.c.ingested_at < ingested_before)
        query = query.order_by(articles.c.ingested_at, articles.c.id)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def pending_analysed_ids(self) -> list[str]:
        """Pending articles that already have an analysis, in publication order (undated last)."""
        query = (select(articles.c.id).join(analyses, analyses.c.article_id == articles.c.id)
                 .where(articles.c.story_id.is_(None))
                 .order_by(articles.c.published.is_(None), articles.c.published, articles.c.id))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def pending_among(self, article_ids: list[str]) -> list[str]:
        """Those of `article_ids` that are stored and not yet in a story, in the order given."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(article_ids), 500):
                chunk = article_ids[start:start + 500]
                found.update(r[0] for r in conn.execute(select(articles.c.id).where(
                    articles.c.id.in_(chunk), articles.c.story_id.is_(None))))
        return [i for i in article_ids if i in found]

    def known_urls(self, canonical_urls: list[str]) -> set[str]:
        """Those canonical URLs already stored."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(canonical_urls), 500):
                chunk = canonical_urls[start:start + 500]
                found.update(r[0] for r in conn.execute(select(articles.c.canonical_url)
                                                        .where(articles.c.canonical_url.in_(chunk))))
        return found

    def stale_story_ids(self, updated_before: datetime) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(stories.c.id).where(
                stories.c.stale.is_(True), stories.c.updated < updated_before).order_by(stories.c.id))]

    def story_updated(self, story_id: str) -> datetime | None:
        with self.engine.connect() as conn:
            return conn.execute(select(stories.c.updated).where(stories.c.id == story_id)).scalar()

    def save_written_if_unchanged(self, story_id: str, written: Written, groups: list[ClaimGroup],
                                  updated: datetime) -> bool:
        """Save a story's text and clear `stale` only if the story was not changed meanwhile."""
        with self.engine.begin() as conn:
            result = conn.execute(update(stories)
                                  .where(stories.c.id == story_id, stories.c.updated == updated)
                                  .values(written=to_json(Written, written),
                                          groups=to_json(list[ClaimGroup], groups), stale=False))
        return result.rowcount == 1

    @contextmanager
    def story_lock(self) -> Iterator[None]:
        """Hold the story-assignment lock for the block (blocks until it is free)."""
        if self.dialect != "postgresql":
            with _local_story_lock:
                yield
            return
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STORY_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STORY_LOCK_KEY})
                    conn.commit()
                except Exception:  # noqa: BLE001 — connection lost: the server already freed the lock
                    conn.invalidate()

    # ------------------------------------------------------------ feeds

    def add_feed(self, url: str, poll_interval_s: int, now: datetime | None = None) -> tuple[Feed, bool]:
        """Add a feed (due at once); (feed, True) when new, (existing feed, False) otherwise."""
        now = now or _utcnow()
        with self.engine.begin() as conn:
            created = conn.execute(self._insert(feeds).values(
                url=url, added=now, poll_interval_s=poll_interval_s, next_poll_at=now,
                consecutive_errors=0, total_errors=0, entries_seen=0, articles_added=0,
            ).on_conflict_do_nothing().returning(feeds.c.id)).first() is not None
        return self.get_feed(url), bool(created)

    def get_feed(self, url: str) -> Feed | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(feeds).where(feeds.c.url == url)).mappings().first()
        return Feed(**row) if row else None

    def list_feeds(self) -> list[Feed]:
        with self.engine.connect() as conn:
            return [Feed(**r) for r in conn.execute(select(feeds).order_by(feeds.c.id)).mappings()]

    def claim_due_feeds(self, now: datetime, lease_s: float, limit: int = 500) -> list[Feed]:
        """Feeds due by `now`; each is pushed `lease_s` ahead so the next pass doesn't take it again
        while its fetch is queued (the fetch sets the real next time)."""
        with self.engine.begin() as conn:
            query = (select(feeds).where(feeds.c.next_poll_at <= now)
                     .order_by(feeds.c.next_poll_at, feeds.c.id).limit(limit))
            if self.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)  # two schedulers split, never share
            due = [Feed(**r) for r in conn.execute(query).mappings()]
            if due:
                conn.execute(update(feeds).where(feeds.c.id.in_([f.id for f in due]))
                             .values(next_poll_at=now + timedelta(seconds=lease_s)))
        return due

    def make_due(self, url: str | None = None, now: datetime | None = None) -> None:
        """Poll now (one feed, or every feed): `crosscheck poll --now` and tests."""
        query = update(feeds).values(next_poll_at=now or _utcnow())
        if url:
            query = query.where(feeds.c.url == url)
        with self.engine.begin() as conn:
            conn.execute(query)

    def feed_fetched(self, url: str, *, now: datetime, next_poll_at: datetime, etag: str | None,
                     last_modified: str | None, entries: int, added: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.url == url).values(
                etag=etag, last_modified=last_modified, last_polled=now, last_success=now,
                next_poll_at=next_poll_at, last_error=None, consecutive_errors=0,
                entries_seen=feeds.c.entries_seen + entries,
                articles_added=feeds.c.articles_added + added))

    def feed_not_modified(self, url: str, *, now: datetime, next_poll_at: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(feeds).where(feeds.c.url == url).values(
                last_polled=now, last_success=now, next_poll_at=next_poll_at, last_error=None,
                consecutive_errors=0))

    def feed_failed(self, url: str, error: str, *, now: datetime,
                    delay_for: Callable[[Feed, int], float]) -> Feed | None:
        """Record one error; the next poll waits `delay_for(feed, consecutive errors)` seconds."""
        with self.engine.begin() as conn:
            query = select(feeds).where(feeds.c.url == url)
            if self.dialect == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).mappings().first()
            if row is None:
                return None
            feed = Feed(**row)
            errors = feed.consecutive_errors + 1
            next_at = now + timedelta(seconds=delay_for(feed, errors))
            conn.execute(update(feeds).where(feeds.c.url == url).values(
                last_polled=now, last_error=" ".join(error.split()), last_error_at=now,
                consecutive_errors=errors, total_errors=feed.total_errors + 1, next_poll_at=next_at))
        return self.get_feed(url)

    # ------------------------------------------------------------ hosts: rate limit, backoff, robots

    def _ensure_host(self, conn, host: str) -> None:
        conn.execute(self._insert(feed_hosts).values(host=host, consecutive_errors=0).on_conflict_do_nothing())

    def host_state(self, host: str) -> HostState:
        with self.engine.connect() as conn:
            row = conn.execute(select(feed_hosts).where(feed_hosts.c.host == host)).mappings().first()
        return HostState(**row) if row else HostState(host=host)

    def reserve_host_slot(self, host: str, min_interval_s: float, now: datetime) -> datetime:
        """The time this process may send its next request to `host`, spacing every worker's
        requests to one host at least `min_interval_s` apart."""
        spacing = timedelta(seconds=min_interval_s)
        if self.dialect == "postgresql":  # one statement: the row lock lasts only for it
            query = self._insert(feed_hosts).values(host=host, consecutive_errors=0, next_fetch_at=now + spacing)
            query = query.on_conflict_do_update(
                index_elements=[feed_hosts.c.host],
                set_={"next_fetch_at": func.greatest(feed_hosts.c.next_fetch_at, now) + spacing},
            ).returning(feed_hosts.c.next_fetch_at)
            with self.engine.begin() as conn:
                return conn.execute(query).scalar_one() - spacing
        with self.engine.begin() as conn:
            self._ensure_host(conn, host)
            free = conn.execute(select(feed_hosts.c.next_fetch_at).where(feed_hosts.c.host == host)).scalar()
            slot = max(now, free) if free else now
            conn.execute(update(feed_hosts).where(feed_hosts.c.host == host).values(next_fetch_at=slot + spacing))
        return slot

    def host_failed(self, host: str, *, now: datetime, delay_for: Callable[[int], float],
                    at_least_s: float = 0.0) -> datetime:
        """Back the host off after a 429/5xx/timeout; returns when it may be tried again."""
        with self.engine.begin() as conn:
            self._ensure_host(conn, host)
            errors = conn.execute(select(feed_hosts.c.consecutive_errors)
                                  .where(feed_hosts.c.host == host)).scalar_one() + 1
            until = now + timedelta(seconds=max(delay_for(errors), at_least_s))
            conn.execute(update(feed_hosts).where(feed_hosts.c.host == host)
                         .values(consecutive_errors=errors, backoff_until=until))
        return until

    def host_ok(self, host: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(feed_hosts).where(feed_hosts.c.host == host,
                                                  feed_hosts.c.consecutive_errors > 0)
                         .values(consecutive_errors=0, backoff_until=None))

    def save_robots(self, host: str, status: int, body: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            self._ensure_host(conn, host)
            conn.execute(update(feed_hosts).where(feed_hosts.c.host == host)
                         .values(robots_txt=body, robots_status=status, robots_fetched_at=now))

    # ------------------------------------------------------------ throughput, failures

    def record_stage(self, stage: str, items: int, seconds: float, now: datetime | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(stage_runs).values(stage=stage, items=items, seconds=seconds,
                                                   finished_at=now or _utcnow()))

    def throughput(self, since: datetime) -> list[StageThroughput]:
        query = (select(stage_runs.c.stage, func.count(), func.sum(stage_runs.c["items"]),
                        func.sum(stage_runs.c.seconds), func.min(stage_runs.c.finished_at),
                        func.max(stage_runs.c.finished_at))
                 .where(stage_runs.c.finished_at >= since).group_by(stage_runs.c.stage)
                 .order_by(stage_runs.c.stage))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [StageThroughput(stage=r[0], runs=r[1], items=r[2] or 0, busy_seconds=r[3] or 0.0,
                                first=_as_datetime(r[4]), last=_as_datetime(r[5]))
                for r in rows]

    def record_failure(self, task: str, subject: str, error: str, now: datetime | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(task_failures).values(task=task, subject=subject,
                                                      error=" ".join(str(error).split())[:2000],
                                                      at=now or _utcnow()))

    def failures(self, since: datetime | None = None, limit: int = 20) -> list[Failure]:
        query = select(task_failures).order_by(task_failures.c.at.desc(), task_failures.c.id.desc()).limit(limit)
        if since is not None:
            query = query.where(task_failures.c.at >= since)
        with self.engine.connect() as conn:
            return [Failure(task=r["task"], subject=r["subject"], error=r["error"], at=r["at"])
                    for r in conn.execute(query).mappings()]


# Aliases merged as the Store merges them: the sorted union (COLLATE "C": code-point order, as Python).
_UPSERT_ENTITY = text(
    "INSERT INTO entities (key, name, label, aliases) VALUES (:key, :name, :label, CAST(:aliases AS jsonb)) "
    "ON CONFLICT (key) DO UPDATE SET aliases = ("
    " SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a COLLATE \"C\"), '[]'::jsonb) FROM ("
    "  SELECT DISTINCT jsonb_array_elements_text(entities.aliases || EXCLUDED.aliases) AS a) AS merged)")


def _as_datetime(value) -> datetime:
    if isinstance(value, str):  # SQLite aggregate over a DATETIME column
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
