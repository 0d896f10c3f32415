"""Faults on the PostgreSQL queue: a worker killed with kill -9 mid-batch, feeds that misbehave,
and the database dropping every connection. Workers run as real `crosscheck worker` processes."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta

import psycopg
import pytest

from crosscheck.store import Store
from crosscheck.store.feeds import FeedStore
from tests.queue import corpus
from tests.queue.conftest import Route, wait_until
from tests.queue.helpers import (assert_every_article_once_and_stories_consistent, count, finished,
                                 schedule)

RSS = {"Content-Type": "application/rss+xml"}


def test_workers_killed_mid_batch_store_every_article_exactly_once(pg_url, feed_server, start_worker):
    """Two worker processes (one per core); kill -9 both while the feed is being stored, restart
    them, kill -9 one again while articles are analysed and assigned, restart it."""
    items = corpus.articles(2000)
    feed_server.routes["/wire.xml"] = Route(body=corpus.rss(items), headers=RSS)
    store = Store.open(pg_url)
    FeedStore(store).add_feed(feed_server.url("/wire.xml"), 900)
    schedule(pg_url)

    workers = [start_worker(pg_url, concurrency=1) for _ in range(2)]
    wait_until(lambda: count(store, "SELECT count(*) FROM articles") >= 300, 60, "the feed to be half-stored")
    for worker in workers:
        worker.kill9()  # one of them holds the fetch_feed job, storing entries 500 to a transaction

    workers = [start_worker(pg_url, concurrency=1) for _ in range(2)]
    wait_until(lambda: count(store, "SELECT count(*) FROM analyses") >= 300, 90, "analysis to be under way")
    workers[0].kill9()  # while understand/assign/write jobs run
    assert count(store, "SELECT count(*) FROM articles WHERE story_id IS NULL") > 0, "killed mid-batch"

    start_worker(pg_url, concurrency=1)
    wait_until(lambda: finished(store, len(items)), 300, "the restarted workers to finish the batch")
    assert_every_article_once_and_stories_consistent(store, {i.url for i in items})
    store.close()


def _fifty_megabytes(out) -> None:
    chunk = b"<item><title>padding</title></item>" * 2000
    for _ in range(50 * 1024 * 1024 // len(chunk)):
        out.write(chunk)


def test_misbehaving_feeds_cost_one_clear_error_each_and_are_retried_with_backoff(pg_url, feed_servers,
                                                                                  start_worker):
    good, failing, slow, malformed, huge = (feed_servers() for _ in range(5))  # five sites
    items = corpus.articles(12)
    good.routes["/feed.xml"] = Route(body=corpus.rss(items), headers=RSS)
    failing.routes["/feed.xml"] = Route(status=500, body=b"internal error")
    slow.routes["/feed.xml"] = Route(delay_s=4, body=corpus.rss(items), headers=RSS)
    malformed.routes["/feed.xml"] = Route(body=b"<rss><channel><<<>>>&&&", headers=RSS)
    huge.routes["/feed.xml"] = Route(body=_fifty_megabytes, headers=RSS)
    expected = {failing: "HTTP 500", slow: "timed out", malformed: "malformed feed", huge: "byte limit"}
    store = Store.open(pg_url)
    feeds = FeedStore(store)
    for server in (good, *expected):
        feeds.add_feed(server.url("/feed.xml"), 60)
    worker = start_worker(pg_url)
    schedule(pg_url)
    wait_until(lambda: all(f.last_polled for f in feeds.list_feeds()), 60, "every feed to be polled once")
    wait_until(lambda: finished(store, len(items)), 60, "the good feed's articles to be written")

    assert worker.alive()
    by_url = {f.url: f for f in feeds.list_feeds()}
    healthy = by_url[good.url("/feed.xml")]
    assert healthy.last_error is None and healthy.articles_added == len(items)
    log = worker.output()
    for server, reason in expected.items():
        feed = by_url[server.url("/feed.xml")]
        assert (feed.consecutive_errors, feed.total_errors) == (1, 1)
        assert reason in feed.last_error and "\n" not in feed.last_error
        assert feed.next_poll_at - feed.last_polled == timedelta(seconds=60)  # first retry: one interval
        assert log.count(f"error: feed {feed.url}: ") == 1, log
    failures = [f for f in feeds.failures(limit=100) if f.task == "fetch_feed"]
    assert sorted(f.subject for f in failures) == sorted(s.url("/feed.xml") for s in expected)

    feeds.make_due()  # the backoff has not elapsed yet; force the second round
    schedule(pg_url)
    wait_until(lambda: all(f.consecutive_errors == 2 for f in feeds.list_feeds() if f.url != healthy.url),
               60, "a second failed round")
    assert worker.alive()
    for feed in feeds.list_feeds():
        if feed.url != healthy.url:
            assert feed.next_poll_at - feed.last_polled == timedelta(seconds=120)  # doubled
    store.close()


def test_work_resumes_when_the_database_drops_every_connection(pg_url, feed_server, start_worker):
    """Every session of the test database is terminated (pg_terminate_backend), twice: what a
    server restart does to clients, without stopping the server other tests use meanwhile."""

    def drop_every_connection():
        with psycopg.connect(pg_url, autocommit=True) as admin:
            dropped = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
        assert dropped > 0

    _work_goes_on_through(drop_every_connection, pg_url, feed_server, start_worker)


@pytest.mark.pg_restart
def test_work_resumes_after_the_database_server_restarts(pg_url, feed_server, start_worker):
    """The real thing: the PostgreSQL server is restarted (stopped, then started) mid-run, twice.
    scripts/run-tests.sh runs this alone, before the parallel suite, since it stops the server."""
    cluster = _local_cluster()

    def restart_server():
        subprocess.run(["pg_ctlcluster", *cluster, "restart"], check=True, timeout=120)

    _work_goes_on_through(restart_server, pg_url, feed_server, start_worker)


def _work_goes_on_through(outage, pg_url, feed_server, start_worker):
    items = corpus.articles(300)
    feed_server.routes["/wire.xml"] = Route(body=corpus.rss(items), headers=RSS)
    store = Store.open(pg_url)
    FeedStore(store).add_feed(feed_server.url("/wire.xml"), 900)
    worker = start_worker(pg_url)
    schedule(pg_url)
    wait_until(lambda: count(store, "SELECT count(*) FROM analyses") >= 40, 60, "analysis to be under way")
    for _ in range(2):  # twice: the first reconnection must itself survive the next outage
        outage()
        wait_until(lambda: count(store, "SELECT count(*) FROM analyses") >= 80, 90, "work to go on")
    wait_until(lambda: finished(store, len(items)), 120, "the worker to finish after the outages")
    assert worker.alive()
    assert_every_article_once_and_stories_consistent(store, {i.url for i in items})
    store.close()


def _local_cluster() -> tuple[str, str]:
    """(version, name) of the local cluster serving CROSSCHECK_TEST_POSTGRES; we must be root."""
    listing = shutil.which("pg_lsclusters")
    if os.geteuid() != 0 or not listing:
        if os.environ.get("CROSSCHECK_REQUIRE_POSTGRES") == "1":
            pytest.fail("restarting the database needs root and Debian's pg_ctlcluster")
        pytest.skip("restarting the database needs root and Debian's pg_ctlcluster")
    port = str(psycopg.conninfo.conninfo_to_dict(os.environ["CROSSCHECK_TEST_POSTGRES"]).get("port", 5432))
    for line in subprocess.run([listing, "-h"], capture_output=True, text=True, check=True).stdout.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    pytest.skip(f"no local cluster on port {port}")
