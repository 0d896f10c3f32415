"""Throughput of the task queue: articles/s end to end with 1, 2 and 4 worker processes on one
PostgreSQL, against the in-process SQLite path; and the I/O-heavy fetch stage on its own.

    CROSSCHECK_TEST_POSTGRES=$(bash scripts/test-postgres.sh | tail -1) \\
        .venv/bin/python bench/scale.py [--articles 600] [--pages 240] [--delay-ms 150] [--workers 1,2,4]

Everything is local: feeds and pages are served from 127.0.0.1 by this script (pages after a
random delay around --delay-ms, like a real site's response time), each PostgreSQL run gets a
fresh database on the server CROSSCHECK_TEST_POSTGRES points at (its role must be allowed to
CREATE DATABASE), and workers are real `crosscheck worker` processes.

End to end: the articles arrive as full-content entries spread over 8 feeds; the clock runs from
the scheduler pass until every article is stored, analysed, in a story and every story written.
Fetch stage: link-only feeds over 16 local "sites"; only the fetch queue is worked
(`--queue fetch`), and the clock runs until every page is fetched, extracted and stored.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import psycopg  # noqa: E402
from sqlalchemy import text  # noqa: E402

from crosscheck.config import load_settings  # noqa: E402
from crosscheck.queue import inline, tasks  # noqa: E402
from crosscheck.store import Store  # noqa: E402
from crosscheck.store.feeds import FeedStore  # noqa: E402
from tests.queue import corpus  # noqa: E402
from tests.queue.server import FeedServer, Route  # noqa: E402

FEEDS = 8
SITES = 16
ENV = {"CROSSCHECK_QUEUE_WRITE_DELAY": "1", "CROSSCHECK_QUEUE_ASSIGN_DELAY": "0.5",
       "CROSSCHECK_QUEUE_HOST_INTERVAL": "0.05", "CROSSCHECK_FETCH_TIMEOUT": "10"}


def fresh_database(admin_url: str) -> tuple[str, callable]:
    name = f"cc_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # generated name, not input

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return admin_url.rsplit("/", 1)[0] + "/" + name, drop


def count(store: Store, sql: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


def wait_for(condition, timeout_s: float, every_s: float = 0.2) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out: the run did not finish")
        time.sleep(every_s)


def start_workers(db: str, n: int, queue: str | None, log: Path) -> list[subprocess.Popen]:
    env = {**os.environ, **ENV}
    args = [sys.executable, "-m", "crosscheck.cli", "worker", "--db", db, "--concurrency", "1"]
    if queue:
        args += ["--queue", queue]
    handle = log.open("ab")
    return [subprocess.Popen(args, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT) for _ in range(n)]


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        try:
            w.wait(20)
        except subprocess.TimeoutExpired:
            w.kill()


def workers_ready(store: Store, n: int) -> bool:
    try:
        return count(store, "SELECT count(*) FROM procrastinate_workers") >= n
    except Exception:  # noqa: BLE001 — the schema is being installed by the first worker
        return False


def full_content_feeds(n_articles: int) -> tuple[FeedServer, list[str]]:
    items = corpus.articles(n_articles)
    server = FeedServer()
    urls = []
    for f in range(FEEDS):
        server.routes[f"/feed{f}.xml"] = Route(body=corpus.rss(items[f::FEEDS]),
                                               headers={"Content-Type": "application/rss+xml"})
        urls.append(server.url(f"/feed{f}.xml"))
    return server, urls


def end_to_end_sqlite(n_articles: int) -> float:
    server, urls = full_content_feeds(n_articles)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(None, db=str(Path(tmp) / "bench.db"))
        store = Store.open(settings.db)
        for url in urls:
            FeedStore(store).add_feed(url, 900)
        started = time.perf_counter()
        report = inline.poll_once(settings)
        elapsed = time.perf_counter() - started
        assert count(store, "SELECT count(*) FROM articles WHERE story_id IS NULL") == 0
        assert report.analysed == n_articles, report
        store.close()
    server.close()
    return n_articles / elapsed


def end_to_end_postgres(admin_url: str, n_articles: int, n_workers: int, log: Path) -> float:
    server, urls = full_content_feeds(n_articles)
    db, drop = fresh_database(admin_url)
    store = Store.open(db)
    for url in urls:
        FeedStore(store).add_feed(url, 900)
    workers = start_workers(db, n_workers, None, log)
    try:
        wait_for(lambda: workers_ready(store, n_workers), 60)
        time.sleep(1.0)
        started = time.perf_counter()
        tasks.schedule(load_settings(None, db=db))
        wait_for(lambda: count(store, "SELECT count(*) FROM articles") == n_articles
                 and count(store, "SELECT count(*) FROM articles WHERE story_id IS NULL") == 0
                 and count(store, "SELECT count(*) FROM stories WHERE stale") == 0
                 and count(store, "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo','doing') "
                                  "AND task_name <> 'crosscheck.poll'") == 0, 900)
        elapsed = time.perf_counter() - started
    finally:
        stop_workers(workers)
        store.close()
        drop()
        server.close()
    return n_articles / elapsed


def fetch_stage(admin_url: str, n_pages: int, delay_ms: float, n_workers: int, log: Path) -> float:
    items = corpus.articles(n_pages)
    rng = random.Random(3)
    sites = [FeedServer() for _ in range(SITES)]
    by_site: dict[int, list] = {}
    for number, item in enumerate(items):
        site = sites[number % SITES]
        path = f"/{number}.html"
        moved = corpus.SyntheticArticle(url=site.url(path), title=item.title, text=item.text,
                                        published=item.published, outlet=item.outlet, topic=item.topic)
        # Response time of a real news site: around delay_ms, some much slower.
        delay = rng.uniform(0.5, 1.5) * delay_ms / 1000 * (3 if rng.random() < 0.05 else 1)
        site.routes[path] = Route(body=corpus.page(moved), delay_s=delay, headers={"Content-Type": "text/html"})
        by_site.setdefault(number % SITES, []).append(moved)
    db, drop = fresh_database(admin_url)
    store = Store.open(db)
    for index, site in enumerate(sites):
        site.routes["/feed.xml"] = Route(body=corpus.rss(by_site[index], full_content=False),
                                         headers={"Content-Type": "application/rss+xml"})
        FeedStore(store).add_feed(site.url("/feed.xml"), 900)
    workers = start_workers(db, n_workers, "fetch", log)
    try:
        wait_for(lambda: workers_ready(store, n_workers), 60)
        time.sleep(1.0)
        started = time.perf_counter()
        tasks.schedule(load_settings(None, db=db))
        wait_for(lambda: count(store, "SELECT count(*) FROM articles") == n_pages, 900)
        elapsed = time.perf_counter() - started
    finally:
        stop_workers(workers)
        store.close()
        drop()
        for site in sites:
            site.close()
    return n_pages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--pages", type=int, default=240)
    parser.add_argument("--delay-ms", type=float, default=150.0)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--skip", choices=["end-to-end", "fetch"], action="append", default=[])
    args = parser.parse_args()
    admin_url = os.environ.get("CROSSCHECK_TEST_POSTGRES")
    if not admin_url:
        raise SystemExit("set CROSSCHECK_TEST_POSTGRES to a PostgreSQL URL whose role may CREATE DATABASE")
    counts = [int(n) for n in args.workers.split(",")]
    log = Path(tempfile.gettempdir()) / "crosscheck-bench-scale-workers.log"
    print(f"machine: {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; worker logs: {log}")

    if "end-to-end" not in args.skip:
        print(f"\nEnd to end ({args.articles} full-content articles in {FEEDS} feeds: store, understand, "
              "assign, write)")
        sqlite_rate = end_to_end_sqlite(args.articles)
        print(f"  SQLite, in-process          {sqlite_rate:7.1f} articles/s   (1.00× SQLite)")
        base = None
        for n in counts:
            rate = end_to_end_postgres(admin_url, args.articles, n, log)
            base = base or rate
            print(f"  PostgreSQL, {n} worker{'s' if n > 1 else ' '}         {rate:7.1f} articles/s   "
                  f"({rate / sqlite_rate:.2f}× SQLite, {rate / base:.2f}× one worker)")

    if "fetch" not in args.skip:
        print(f"\nFetch stage ({args.pages} link-only pages on {SITES} local sites, ~{args.delay_ms:.0f} ms "
              "per response; fetch, extract, store)")
        base = None
        for n in counts:
            rate = fetch_stage(admin_url, args.pages, args.delay_ms, n, log)
            base = base or rate
            print(f"  {n} worker{'s' if n > 1 else ' '} (concurrency 1 each)  {rate:7.1f} pages/s   "
                  f"({rate / base:.2f}× one worker)")


if __name__ == "__main__":
    main()
