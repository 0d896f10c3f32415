"""The work of each queue task, written once for both ways of running it.

fetch feed → fetch page (link-only entries) → understand → assign (one at a time) → write story.

Each step does its own piece through `pipeline.py` and hands the follow-up work to a
`Dispatch`: on PostgreSQL the procrastinate one (`tasks.py`) defers jobs that any worker on any
machine may run; on SQLite the in-process one (`inline.py`) runs them right here, in order. The
steps themselves never know which.

Every step may run twice or die half-way: storing is race-safe and skips what is stored,
analysis skips what is analysed, assignment takes only pending articles under the story lock,
and a story's text is kept only if the story did not change while it was written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol

from crosscheck import ingest, pipeline
from crosscheck.config import Settings
from crosscheck.queue.feeds import Politeness, PoliteFetcher, PoliteFetchError
from crosscheck.store import Store
from crosscheck.store.feeds import FeedStore

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


class Dispatch(Protocol):
    """Where follow-up work goes. Each call may be repeated: duplicates are harmless."""

    def fetch_feed(self, url: str) -> None: ...
    def fetch_pages(self, urls: Sequence[str], feed_url: str) -> None: ...
    def understand(self, article_ids: Sequence[str]) -> None: ...
    def assign(self) -> None: ...
    def write(self, story_ids: Sequence[str]) -> None: ...


class RetryLater(Exception):
    """A transient failure (host backing off, timeout, 5xx, database gone): run the task again."""


@dataclass
class Env:
    """What a step needs; one per process (a worker, or an in-process run)."""

    settings: Settings
    store: Store
    feeds: FeedStore
    politeness: Politeness
    fetcher: PoliteFetcher
    copies: pipeline.RecentCopies
    dispatch: Dispatch
    log: Callable[[str], None] = field(default=lambda line: None)

    @classmethod
    def open(cls, settings: Settings, dispatch: Dispatch, *, politeness: Politeness | None = None,
             log: Callable[[str], None] | None = None, fetcher: PoliteFetcher | None = None) -> Env:
        store = Store.open(settings.db)
        feeds = FeedStore(store)
        politeness = politeness or Politeness.from_settings(settings)
        return cls(settings=settings, store=store, feeds=feeds, politeness=politeness,
                   fetcher=fetcher or PoliteFetcher(feeds, politeness),
                   copies=pipeline.RecentCopies(store, settings), dispatch=dispatch,
                   log=log or (lambda line: None))

    def close(self) -> None:
        self.fetcher.close()
        self.store.close()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def run_step(env: Env, stage: str, subject: str, step: Callable[[], int]) -> int:
    """Run one step: time it for `crosscheck status`, and record why it failed if it did."""
    started = time.perf_counter()
    try:
        items = step()
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, RetryLater) else str(exc)
        env.log(f"error: {stage} {subject}: {reason}")
        try:
            env.feeds.record_failure(stage, subject, reason)
        except Exception:  # noqa: BLE001 — the database itself may be what failed; the queue retries
            pass
        raise
    env.feeds.record_stage(stage, items, time.perf_counter() - started)
    return items


# ---------------------------------------------------------------- the steps


def poll(env: Env, *, now: datetime | None = None, sweep_after: timedelta | None = timedelta(minutes=5)) -> int:
    """One scheduler pass: hand out every due feed, and pick up any work left behind by a crash
    (`sweep_after=None`: not now, e.g. while the queue still holds work that will do it)."""
    now = now or _utcnow()
    due = env.feeds.claim_due_feeds(now, lease_s=env.politeness.poll_interval_s)
    for feed in due:
        env.dispatch.fetch_feed(feed.url)
    if sweep_after is not None:
        sweep(env, older_than=sweep_after, now=now)
    return len(due)


def sweep(env: Env, *, older_than: timedelta, now: datetime | None = None) -> None:
    """Articles stored but still without a story, and stories still stale, after `older_than`:
    their task was lost (a crash between storing and handing on), so hand them on again."""
    now = now or _utcnow()
    pending = env.feeds.pending_ids(ingested_before=now - older_than)
    if pending:
        env.dispatch.understand(pending)
    stale = env.feeds.stale_story_ids(updated_before=now - older_than)
    if stale:
        env.dispatch.write(stale)


def fetch_feed(env: Env, url: str) -> int:
    """Poll one feed politely; store full-content entries, hand on link-only ones. Returns entries."""
    feed = env.feeds.get_feed(url)
    if feed is None:
        return 0  # removed since it was scheduled
    now = _utcnow()
    next_poll = now + timedelta(seconds=feed.poll_interval_s)
    try:
        result = env.fetcher.fetch(url, etag=feed.etag, last_modified=feed.last_modified,
                                   max_bytes=env.politeness.max_feed_bytes, accept=FEED_ACCEPT)
    except PoliteFetchError as exc:
        _feed_failed(env, url, exc.reason, now)
        return 0
    if result.status == 304:
        env.feeds.feed_not_modified(url, now=now, next_poll_at=next_poll)
        return 0
    read = pipeline.store_feed(env.store, result.content, url, env.copies)
    if read.feed_error:
        _feed_failed(env, url, read.feed_error, now)
        return 0
    for line in read.errors:
        env.log(line)
        env.feeds.record_failure("read_entry", line.split(": ", 2)[1] if line.count(": ") >= 2 else url, line)
    # New articles, and ones stored by an earlier run of this task that died before handing on.
    to_understand = env.feeds.pending_among([s.article_id for s in read.stored])
    env.dispatch.understand(to_understand)
    canonical = {link: ingest.canonical_url(link) for link in read.links}
    known = env.feeds.known_urls(list(canonical.values()))
    env.dispatch.fetch_pages([link for link, c in canonical.items() if c not in known], url)
    # Validators last: if we die before this line, the next poll re-reads the whole feed.
    env.feeds.feed_fetched(url, now=now, next_poll_at=next_poll, etag=result.headers.get("etag"),
                           last_modified=result.headers.get("last-modified"), entries=read.entries,
                           added=sum(s.new for s in read.stored))
    return read.entries


def _feed_failed(env: Env, url: str, reason: str, now: datetime) -> None:
    feed = env.feeds.feed_failed(url, reason, now=now, delay_for=env.politeness.feed_delay)
    env.feeds.record_failure("fetch_feed", url, reason)
    if feed is not None:
        env.log(f"error: feed {url}: {reason} (failed {feed.consecutive_errors}× in a row; "
                f"next try {feed.next_poll_at.isoformat(timespec='seconds')})")


def fetch_page(env: Env, url: str, feed_url: str) -> int:
    """Fetch one link-only entry's page and store its article. Returns 1 when stored."""
    if env.feeds.known_urls([ingest.canonical_url(url)]):
        return 0
    try:
        result = env.fetcher.fetch(url, max_bytes=env.politeness.max_page_bytes, accept=PAGE_ACCEPT)
    except PoliteFetchError as exc:
        if _transient(exc):
            raise RetryLater(f"{url}: {exc.reason}") from None
        env.log(f"error: {url}: {exc.reason}")
        env.feeds.record_failure("fetch_page", url, exc.reason)
        return 0
    try:
        stored = pipeline.store_page(env.store, result.content, result.final_url or url,
                                     f"{feed_url}#{url}", env.copies)
    except ingest.IngestError as exc:
        env.log(str(exc))
        env.feeds.record_failure("fetch_page", url, exc.reason)
        return 0
    if env.feeds.pending_among([stored.article_id]):
        env.dispatch.understand([stored.article_id])
    return int(stored.new)


def _transient(exc: PoliteFetchError) -> bool:
    from crosscheck.queue.feeds import HostBackingOff

    reason = exc.reason
    return (isinstance(exc, HostBackingOff) or reason.startswith(("timed out", "network error"))
            or reason in {f"HTTP {s}" for s in (429, 500, 502, 503, 504)})


def understand(env: Env, article_ids: Sequence[str]) -> int:
    """Analyse these articles (any worker, in parallel), then ask for an assignment pass."""
    analysed = pipeline.analyze_articles(env.store, article_ids, env.settings)
    env.dispatch.assign()
    return analysed


def assign(env: Env) -> int:
    """Put every analysed pending article into a story (one process at a time); ask for writes."""
    assigned = pipeline.assign_pending(env.store, env.settings, analysed_only=True)
    env.dispatch.write(assigned.stories)
    return len(assigned.articles)


def write(env: Env, story_id: str) -> int:
    """Reconcile and write one story. If it changed meanwhile, ask for another write."""
    if pipeline.write_story_if_current(env.store, story_id, env.settings):
        return 1
    env.dispatch.write([story_id])
    return 0
