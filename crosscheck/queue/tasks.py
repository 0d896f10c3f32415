"""The procrastinate app: the queue's tasks, how work is deferred, and the worker loop.

Queues: "fetch" (network-bound: feeds and pages) and "process" (CPU: understand, assign, write,
and the scheduler pass). A worker takes both unless told otherwise (`--queue`).

How the locks make bursts cheap and assignment safe:
- `fetch_feed` / `fetch_page` carry a queueing lock per URL: a URL waits in the queue once.
- `assign` has one queueing lock ("assign") and is scheduled a moment ahead, so a burst of
  finished analyses asks for one assignment pass, not one per article; the pass itself runs
  under the story lock (a PostgreSQL advisory lock, see `FeedStore.story_lock`).
- `write` has a queueing lock *and* a lock per story, and waits until the story has had no new
  article for `WRITE_DELAY_S` (at most `WRITE_MAX_WAIT_S`): a story that keeps gaining articles
  during a burst is rewritten once after it, and never by two workers at once.

A worker killed with `kill -9` leaves its jobs in "doing". Every worker runs a side loop that
retries jobs whose worker stopped sending heartbeats (procrastinate's stalled-job query), so a
restarted worker — or any other — finishes them; the steps are idempotent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from datetime import timedelta

import procrastinate
import psycopg
from procrastinate import exceptions as pq_exceptions
from procrastinate.schema import SchemaManager
from procrastinate.worker import Worker

from crosscheck.config import Settings
from crosscheck.queue import steps
from crosscheck.store import database_url

logger = logging.getLogger("crosscheck.queue")

ASSIGN_DELAY_S = float(os.environ.get("CROSSCHECK_QUEUE_ASSIGN_DELAY", 2.0))
WRITE_DELAY_S = float(os.environ.get("CROSSCHECK_QUEUE_WRITE_DELAY", 5.0))
WRITE_MAX_WAIT_S = float(os.environ.get("CROSSCHECK_QUEUE_WRITE_MAX_WAIT", 120.0))
SWEEP_AFTER = timedelta(minutes=5)  # work waiting this long with nothing queued was left by a crash
UNDERSTAND_CHUNK = 8  # articles per understand job: amortises job overhead, keeps jobs short
SCHEMA_LOCK_KEY = 0x63726F737371  # advisory lock id while installing the queue's schema

# Transient failures (a timeout, a 503, the database restarting) are retried with growing waits:
# 1+2, 1+4, 1+8 … seconds, 10 attempts in all (about 17 minutes), then the job is "failed".
RETRY = procrastinate.RetryStrategy(max_attempts=10, wait=1, exponential_wait=2)

app = procrastinate.App(connector=procrastinate.PsycopgConnector())

_env: steps.Env | None = None
_env_lock = threading.Lock()
_settings: Settings | None = None


def conninfo(db: str) -> str:
    """A libpq URL for psycopg from the store's database setting."""
    url = database_url(db)
    if not url.startswith("postgresql"):
        raise ValueError(f"{db}: the task queue needs PostgreSQL (SQLite runs in-process: crosscheck poll)")
    return "postgresql://" + url.split("://", 1)[1]


def configure(settings: Settings) -> None:
    """Tell this process which database the tasks work on (the worker does this at start)."""
    global _settings, _env
    with _env_lock:
        old, _settings, _env = _env, settings, None
    if old is not None:
        try:
            old.close()
        except Exception:  # noqa: BLE001 — its connections may already be gone (database restart)
            pass


def _current_env() -> steps.Env:
    global _env
    with _env_lock:
        if _env is None:
            if _settings is None:
                raise RuntimeError("crosscheck.queue.tasks.configure(settings) was not called")
            _env = steps.Env.open(_settings, QueueDispatch(), log=logger.warning)
        return _env


def _run(stage: str, subject: str, step: Callable[[steps.Env], int]) -> None:
    env = _current_env()
    steps.run_step(env, stage, subject, lambda: step(env))


# ---------------------------------------------------------------- tasks


@app.task(name="crosscheck.fetch_feed", queue="fetch", retry=RETRY)
def fetch_feed(url: str) -> None:
    _run("fetch_feed", url, lambda env: steps.fetch_feed(env, url))


@app.task(name="crosscheck.fetch_page", queue="fetch", retry=RETRY)
def fetch_page(url: str, feed_url: str) -> None:
    _run("fetch_page", url, lambda env: steps.fetch_page(env, url, feed_url))


@app.task(name="crosscheck.understand", queue="process", retry=RETRY)
def understand(article_ids: list[str]) -> None:
    _run("understand", f"{article_ids[0]} (+{len(article_ids) - 1})", lambda env: steps.understand(env, article_ids))


@app.task(name="crosscheck.assign", queue="process", retry=RETRY)
def assign() -> None:
    _run("assign", "pending articles", steps.assign)


@app.task(name="crosscheck.write", queue="process", retry=RETRY)
def write(story_id: str, requested_at: float | None = None) -> None:
    """Write a story once its burst is over: not until it has gone `WRITE_DELAY_S` without a new
    article (a trailing debounce), but never later than `WRITE_MAX_WAIT_S` after it was asked for."""
    env = _current_env()
    now = time.time()
    requested_at = requested_at or now
    updated = env.feeds.story_updated(story_id)
    quiet_s = now - updated.timestamp() if updated else WRITE_DELAY_S
    if quiet_s < WRITE_DELAY_S and now - requested_at < WRITE_MAX_WAIT_S:
        _defer(write, f"write:{story_id}", lock=f"write:{story_id}", priority=5,
               schedule_in={"seconds": WRITE_DELAY_S - quiet_s}, story_id=story_id, requested_at=requested_at)
        return
    _run("write", story_id, lambda env: steps.write(env, story_id))


@app.periodic(cron="* * * * *", periodic_id="poll")
@app.task(name="crosscheck.poll", queue="process", queueing_lock="poll")
def poll(timestamp: int | None = None) -> None:
    """The scheduler: every minute one worker hands out the due feeds (and, when the queue holds
    no processing work, re-queues anything a crash left behind)."""
    _run("poll", "due feeds", lambda env: steps.poll(env, sweep_after=None if _processing_queued(env) else SWEEP_AFTER))


def _processing_queued(env: steps.Env) -> bool:
    from sqlalchemy import text

    with env.store.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT EXISTS (SELECT 1 FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
            "AND task_name IN ('crosscheck.understand', 'crosscheck.assign', 'crosscheck.write'))")).scalar())


class QueueDispatch:
    """Follow-up work becomes jobs any worker may take."""

    def fetch_feed(self, url: str) -> None:
        _defer(fetch_feed, f"feed:{url}", url=url)

    def fetch_pages(self, urls: Sequence[str], feed_url: str) -> None:
        for url in urls:
            _defer(fetch_page, f"page:{url}", url=url, feed_url=feed_url)

    def understand(self, article_ids: Sequence[str]) -> None:
        ids = list(article_ids)
        chunks = [{"article_ids": ids[i:i + UNDERSTAND_CHUNK]} for i in range(0, len(ids), UNDERSTAND_CHUNK)]
        if chunks:
            understand.batch_defer(*chunks)

    def assign(self) -> None:
        # Ahead of the understand jobs already queued: stories fill as analyses land, not at the end.
        _defer(assign, "assign", schedule_in={"seconds": ASSIGN_DELAY_S}, priority=10)

    def write(self, story_ids: Sequence[str]) -> None:
        for story_id in story_ids:
            _defer(write, f"write:{story_id}", lock=f"write:{story_id}",
                   schedule_in={"seconds": WRITE_DELAY_S}, priority=5, story_id=story_id)


def _defer(task, queueing_lock: str, *, lock: str | None = None, schedule_in: dict | None = None,
           priority: int = 0, **kwargs) -> None:
    options: dict = {"queueing_lock": queueing_lock, "priority": priority}
    if lock:
        options["lock"] = lock
    if schedule_in:
        options["schedule_in"] = schedule_in
    try:
        task.configure(**options).defer(**kwargs)
    except pq_exceptions.AlreadyEnqueued:
        pass  # the same work is already waiting in the queue: that job will do it


# ---------------------------------------------------------------- schema, scheduler pass, worker


def ensure_schema(db: str) -> None:
    """Install procrastinate's tables once per database (safe when many workers start at once)."""
    with psycopg.connect(conninfo(db), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is None:
                conn.execute(SchemaManager.get_schema())
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def open_app(settings: Settings):
    """`with open_app(settings):` defer jobs from this process (the CLI, tests, benches)."""
    import contextlib

    @contextlib.contextmanager
    def opened():
        configure(settings)
        ensure_schema(settings.db)
        connector = procrastinate.SyncPsycopgConnector(conninfo=conninfo(settings.db), min_size=1, max_size=4)
        with app.replace_connector(connector):
            with app.open():
                yield app

    return opened()


def schedule(settings: Settings) -> int:
    """One scheduler pass from outside a worker (`crosscheck poll` on PostgreSQL): due feeds and
    left-behind work become jobs. Returns how many feeds were handed out."""
    with open_app(settings):
        env = _current_env()
        sweep_after = None if _processing_queued(env) else SWEEP_AFTER
        try:
            return steps.run_step(env, "poll", "due feeds", lambda: steps.poll(env, sweep_after=sweep_after))
        finally:
            configure(settings)  # closes this env


async def _retry_stalled_jobs(every_s: float, stalled_after_s: float) -> None:
    """Put back in the queue the jobs of workers that stopped sending heartbeats (killed, lost)."""
    while True:
        try:
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after_s):
                logger.warning("retrying job %s (%s) left by a stopped worker", job.id, job.task_name)
                await app.job_manager.retry_job(job)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 — the database may be restarting; try next round
            logger.warning("could not check for stalled jobs: %s", exc)
        await asyncio.sleep(every_s)


class _ConnectionLost(Exception):
    """The worker stopped without being asked to: its database connection went away."""


def run_worker(settings: Settings, *, concurrency: int = 1, queues: list[str] | None = None,
               heartbeat_s: float = 5.0, stalled_after_s: float = 15.0, name: str | None = None,
               reconnect_max_s: float = 30.0, log: Callable[[str], None] = print) -> None:
    """Run a worker until SIGINT/SIGTERM. If the database goes away (restart, failover), wait and
    connect again: jobs it was running are retried, by it or by another worker."""
    configure(settings)
    delay = 1.0
    while True:
        started = time.monotonic()
        try:
            ensure_schema(settings.db)
            asyncio.run(_worker(settings, concurrency, queues, heartbeat_s, stalled_after_s, name))
            return  # stopped by a signal
        except (_ConnectionLost, psycopg.OperationalError, pq_exceptions.ConnectorException, OSError) as exc:
            if time.monotonic() - started > 60:
                delay = 1.0  # it ran a good while: this is a new outage, start the backoff again
            reason = " ".join(str(exc).split())[:200] or "connection lost"
            log(f"worker: database unavailable ({type(exc).__name__}: {reason}); reconnecting in {delay:.0f} s")
            time.sleep(delay)
            delay = min(delay * 2, reconnect_max_s)
            configure(settings)  # fresh Store connections too


async def _worker(settings: Settings, concurrency: int, queues: list[str] | None, heartbeat_s: float,
                  stalled_after_s: float, name: str | None) -> None:
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(settings.db), min_size=1,
                                               max_size=concurrency + 4)
    stopping = asyncio.Event()
    with app.replace_connector(connector):
        async with app.open_async():
            worker = Worker(app, concurrency=concurrency, queues=queues, name=name,
                            update_heartbeat_interval=heartbeat_s, stalled_worker_timeout=stalled_after_s,
                            delete_jobs="successful", install_signal_handlers=False)
            recovery = asyncio.create_task(_retry_stalled_jobs(heartbeat_s, stalled_after_s))

            def stop() -> None:
                stopping.set()
                recovery.cancel()  # a stopping worker unregisters: its own jobs would look stalled
                worker.stop()

            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop)
            try:
                await worker.run()
            finally:
                recovery.cancel()
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(signum)
    if not stopping.is_set():
        # procrastinate stops a worker whose heartbeat or listener lost the database.
        raise _ConnectionLost("the worker lost its database connection")
