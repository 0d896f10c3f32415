"""`crosscheck feeds add/list`, `poll` and `status` as an operator types them (SQLite, in-process)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from crosscheck.cli import app
from tests.queue import corpus
from tests.queue.server import Route


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env={"CROSSCHECK_QUEUE_HOST_INTERVAL": "0", **(env or {})})


def test_feeds_add_is_idempotent_and_list_shows_the_feed(tmp_path, feed_server):
    db = str(tmp_path / "cli.db")
    url = feed_server.url("/feed.xml")
    assert run("feeds", "add", url, "--db", db).exit_code == 0
    again = run("feeds", "add", url, "--db", db)
    assert again.exit_code == 0 and "already followed" in again.output
    listed = json.loads(run("feeds", "list", "--db", db, "--json").stdout)
    assert [f["url"] for f in listed] == [url]


def test_feeds_add_refuses_what_is_not_an_http_url(tmp_path):
    result = run("feeds", "add", "file:///etc/passwd", "--db", str(tmp_path / "cli.db"))
    assert result.exit_code == 2 and "not an http(s) URL" in result.output


def test_poll_then_status_shows_the_articles_stories_and_throughput(tmp_path, feed_server):
    db = str(tmp_path / "cli.db")
    feed_server.routes["/feed.xml"] = Route(body=corpus.rss(corpus.articles(8, per_topic=4)),
                                           headers={"Content-Type": "application/rss+xml"})
    run("feeds", "add", feed_server.url("/feed.xml"), "--db", db)
    polled = run("poll", "--db", db)
    assert polled.exit_code == 0, polled.output
    assert "8 articles analysed" in polled.output
    status = json.loads(run("status", "--db", db, "--json").stdout)
    assert status["backend"].startswith("sqlite") and status["queue"] == []
    assert status["pending_articles"] == 0 and status["feeds"][0]["articles_added"] == 8
    assert {t["stage"] for t in status["throughput"]} >= {"fetch_feed", "understand", "assign", "write"}


def test_worker_refuses_sqlite_with_a_clear_message(tmp_path):
    result = run("worker", "--db", str(tmp_path / "cli.db"))
    assert result.exit_code == 2 and "needs PostgreSQL" in result.output
