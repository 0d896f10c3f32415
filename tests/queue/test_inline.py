"""The same steps in one process (SQLite's way, and `crosscheck poll --inline` on PostgreSQL)."""

from __future__ import annotations

from crosscheck.queue import inline
from crosscheck.queue.feeds import Politeness
from crosscheck.queue.status import gather
from crosscheck.store.feeds import FeedStore
from tests.queue import corpus
from tests.queue.helpers import assert_every_article_once_and_stories_consistent
from tests.queue.server import Route

RSS = {"Content-Type": "application/rss+xml"}


def polite(settings) -> Politeness:
    return Politeness(user_agent=settings.user_agent, timeout_s=5, min_host_interval_s=0)


def serve_link_only(feed_server, items):
    moved = []
    for n, item in enumerate(items):
        path = f"/story/{n}.html"
        page = corpus.SyntheticArticle(url=feed_server.url(path), title=item.title, text=item.text,
                                       published=item.published, outlet=item.outlet, topic=item.topic)
        feed_server.routes[path] = Route(body=corpus.page(page), headers={"Content-Type": "text/html"})
        moved.append(page)
    feed_server.routes["/links.xml"] = Route(body=corpus.rss(moved, full_content=False), headers=RSS)
    return moved


def test_one_poll_stores_full_and_link_only_entries_and_writes_every_story(store, settings, feed_server):
    items = corpus.articles(40, per_topic=10)
    feed_server.routes["/full.xml"] = Route(body=corpus.rss(items[:24]), headers=RSS, etag='"a"')
    pages = serve_link_only(feed_server, items[24:])
    feeds = FeedStore(store)
    feeds.add_feed(feed_server.url("/full.xml"), 900)
    feeds.add_feed(feed_server.url("/links.xml"), 900)
    report = inline.poll_once(settings, politeness=polite(settings))
    assert (report.feeds, report.pages, report.failures) == (2, 16, 0)
    assert_every_article_once_and_stories_consistent(store, {i.url for i in items[:24]} | {p.url for p in pages})


def test_polling_again_stores_nothing_twice_and_sends_the_etag(store, settings, feed_server):
    items = corpus.articles(12, per_topic=6)
    feed_server.routes["/full.xml"] = Route(body=corpus.rss(items), headers=RSS, etag='"a"')
    feeds = FeedStore(store)
    feeds.add_feed(feed_server.url("/full.xml"), 900)
    inline.poll_once(settings, politeness=polite(settings))
    feeds.make_due()
    again = inline.poll_once(settings, politeness=polite(settings))
    assert again.analysed == 0 and store.count_articles() == len(items)
    assert feed_server.requests[-1][1].get("if-none-match") == '"a"'


def test_a_feed_not_yet_due_is_not_fetched(store, settings, feed_server):
    feed_server.routes["/full.xml"] = Route(body=corpus.rss(corpus.articles(6)), headers=RSS)
    FeedStore(store).add_feed(feed_server.url("/full.xml"), 900)
    inline.poll_once(settings, politeness=polite(settings))
    inline.poll_once(settings, politeness=polite(settings))
    assert feed_server.hits("/full.xml") == 1


def test_status_reports_feed_health_failures_and_throughput(store, settings, feed_server):
    feed_server.routes["/full.xml"] = Route(body=corpus.rss(corpus.articles(6)), headers=RSS)
    feeds = FeedStore(store)
    feeds.add_feed(feed_server.url("/full.xml"), 900)
    feeds.add_feed(feed_server.url("/broken.xml"), 900)  # 404
    inline.poll_once(settings, politeness=polite(settings))
    status = gather(store)
    by_url = {f.url: f for f in status.feeds}
    assert by_url[feed_server.url("/full.xml")].last_success is not None
    assert by_url[feed_server.url("/broken.xml")].last_error == "HTTP 404"
    assert [(f.task, f.subject, f.error) for f in status.failures] == [
        ("fetch_feed", feed_server.url("/broken.xml"), "HTTP 404")]
    stages = {t.stage: t.items for t in status.throughput}
    assert stages["fetch_feed"] == 6 and stages["understand"] == 6 and stages["assign"] == 6
    assert status.pending_articles == 0 and status.stale_stories == 0
