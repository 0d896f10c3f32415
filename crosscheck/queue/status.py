"""`crosscheck status`: what is waiting, what failed and why, how each feed is doing, how fast.

Read-only; the same report on SQLite (no queue: only the backlog in the tables) and PostgreSQL
(plus procrastinate's jobs by queue, task and state).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from crosscheck.store import Store
from crosscheck.store.feeds import Failure, Feed, FeedStore, StageThroughput


@dataclass
class QueueCount:
    queue: str
    task: str
    status: str  # todo | doing | failed
    jobs: int


@dataclass
class Status:
    backend: str  # "postgresql (procrastinate)" or "sqlite (in-process)"
    queue: list[QueueCount] = field(default_factory=list)
    pending_articles: int = 0  # stored, not yet in a story
    stale_stories: int = 0  # gained articles since last written
    feeds: list[Feed] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    throughput: list[StageThroughput] = field(default_factory=list)
    window_minutes: int = 15

    def as_json(self) -> dict:
        data = asdict(self)
        data["throughput"] = [dict(asdict(t), items_per_second=round(t.items_per_second, 3))
                              for t in self.throughput]
        return data


def gather(store: Store, *, window: timedelta = timedelta(minutes=15), failures: int = 20) -> Status:
    feeds = FeedStore(store)
    now = datetime.now(timezone.utc)
    status = Status(backend="postgresql (procrastinate)" if store.dialect == "postgresql" else "sqlite (in-process)",
                    window_minutes=int(window.total_seconds() // 60))
    with store.engine.connect() as conn:
        status.pending_articles = conn.execute(text("SELECT count(*) FROM articles WHERE story_id IS NULL")).scalar_one()
        status.stale_stories = conn.execute(text("SELECT count(*) FROM stories WHERE stale")).scalar_one()
        if store.dialect == "postgresql" and conn.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar():
            rows = conn.execute(text(
                "SELECT queue_name, task_name, status::text, count(*) FROM procrastinate_jobs "
                "WHERE status IN ('todo', 'doing', 'failed') GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")).all()
            status.queue = [QueueCount(queue=r[0], task=r[1], status=r[2], jobs=r[3]) for r in rows]
    status.feeds = feeds.list_feeds()
    status.failures = feeds.failures(limit=failures)
    status.throughput = feeds.throughput(now - window)
    return status
