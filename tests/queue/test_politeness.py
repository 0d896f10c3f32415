"""Polite fetching: robots.txt, User-Agent, conditional GET, per-host spacing, backoff, size cap."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crosscheck.queue.feeds import HostBackingOff, Politeness, PoliteFetcher, PoliteFetchError, RobotsDisallowed
from crosscheck.store import Store
from crosscheck.store.feeds import Feed, FeedStore
from tests.queue.server import Route

UA = "CrosscheckTest/1.0 (+https://example.invalid/bot)"


@pytest.fixture
def feeds(tmp_path):
    store = Store.open(str(tmp_path / "polite.db"))
    yield FeedStore(store)
    store.close()


def fetcher(feeds, waits=None, **overrides) -> PoliteFetcher:
    politeness = Politeness(user_agent=UA, timeout_s=2.0, min_host_interval_s=overrides.pop("interval", 0.0),
                            **overrides)
    return PoliteFetcher(feeds, politeness, sleep=(waits.append if waits is not None else lambda s: None))


def test_robots_txt_disallow_is_respected_and_the_page_never_requested(feeds, feed_server):
    feed_server.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n")
    feed_server.routes["/private/feed.xml"] = Route(body=b"<rss/>")
    with pytest.raises(RobotsDisallowed):
        fetcher(feeds).fetch(feed_server.url("/private/feed.xml"))
    assert feed_server.hits("/private/feed.xml") == 0


def test_every_request_carries_the_configured_user_agent(feeds, feed_server):
    feed_server.routes["/feed.xml"] = Route(body=b"<rss/>")
    fetcher(feeds).fetch(feed_server.url("/feed.xml"))
    agents = {headers.get("user-agent") for _, headers in feed_server.requests}
    assert agents == {UA}  # robots.txt and the feed alike


def test_robots_txt_is_read_once_per_host_not_per_request(feeds, feed_server):
    feed_server.routes["/a.xml"] = Route(body=b"<rss/>")
    feed_server.routes["/b.xml"] = Route(body=b"<rss/>")
    polite = fetcher(feeds)
    polite.fetch(feed_server.url("/a.xml"))
    polite.fetch(feed_server.url("/b.xml"))
    fetcher(feeds).fetch(feed_server.url("/a.xml"))  # another worker: reads the stored copy
    assert feed_server.hits("/robots.txt") == 1


def test_unreachable_robots_txt_means_disallow_for_now(feeds, feed_server):
    feed_server.routes["/robots.txt"] = Route(status=503, body=b"busy")
    feed_server.routes["/feed.xml"] = Route(body=b"<rss/>")
    with pytest.raises(RobotsDisallowed):
        fetcher(feeds).fetch(feed_server.url("/feed.xml"))


def test_etag_and_last_modified_are_sent_back_and_304_returns_no_body(feeds, feed_server):
    feed_server.routes["/feed.xml"] = Route(body=b"<rss/>", etag='"v7"')
    polite = fetcher(feeds)
    first = polite.fetch(feed_server.url("/feed.xml"))
    second = polite.fetch(feed_server.url("/feed.xml"), etag=first.headers["etag"],
                          last_modified="Mon, 02 Mar 2026 08:00:00 GMT")
    assert (first.status, second.status, second.content) == (200, 304, b"")
    _, headers = feed_server.requests[-1]
    assert headers["if-none-match"] == '"v7"' and headers["if-modified-since"].startswith("Mon, 02 Mar")


def test_requests_to_one_host_are_spaced_across_fetchers(feeds, feed_server):
    feed_server.routes["/feed.xml"] = Route(body=b"<rss/>")
    waits: list[float] = []
    first, second = fetcher(feeds, waits, interval=30.0), fetcher(feeds, waits, interval=30.0)
    first.fetch(feed_server.url("/feed.xml"))  # robots.txt, then the feed: two slots
    second.fetch(feed_server.url("/feed.xml"))  # a second worker waits its turn too
    assert len(waits) == 2 and waits[0] == pytest.approx(30.0, abs=1) and waits[1] == pytest.approx(60.0, abs=1)


def test_a_503_with_retry_after_backs_the_host_off(feeds, feed_server):
    feed_server.routes["/feed.xml"] = Route(status=503, body=b"busy", headers={"Retry-After": "600"})
    polite = fetcher(feeds)
    with pytest.raises(PoliteFetchError, match="HTTP 503"):
        polite.fetch(feed_server.url("/feed.xml"))
    with pytest.raises(HostBackingOff) as backing_off:
        polite.fetch(feed_server.url("/feed.xml"))
    assert feed_server.hits("/feed.xml") == 1
    assert backing_off.value.until - datetime.now(timezone.utc) > timedelta(seconds=590)


def test_a_client_error_does_not_back_the_host_off(feeds, feed_server):
    feed_server.routes["/page.html"] = Route(body=b"<html></html>")
    polite = fetcher(feeds)
    with pytest.raises(PoliteFetchError, match="HTTP 404"):
        polite.fetch(feed_server.url("/gone.html"))
    assert polite.fetch(feed_server.url("/page.html")).status == 200


def test_an_oversized_body_is_cut_off_with_a_clear_reason(feeds, feed_server):
    def endless(out):
        for _ in range(2000):
            out.write(b"x" * 65536)

    feed_server.routes["/huge.xml"] = Route(body=endless)
    with pytest.raises(PoliteFetchError, match="over the 1048576-byte limit"):
        fetcher(feeds).fetch(feed_server.url("/huge.xml"), max_bytes=1024 * 1024)


def test_feed_backoff_doubles_per_consecutive_error_and_is_capped():
    politeness = Politeness(user_agent=UA, feed_backoff_max_s=3600)
    feed = Feed(id=1, url="http://x/feed", added=datetime.now(timezone.utc), poll_interval_s=600,
                next_poll_at=datetime.now(timezone.utc))
    assert [politeness.feed_delay(feed, n) for n in (1, 2, 3, 4)] == [600, 1200, 2400, 3600]
