"""Polite fetching for feed polling: robots.txt, a per-host rate limit, backoff, conditional GET.

This is ingestion's network edge for the queue (as `ingest.http_fetch` is for the CLI). The
state that several workers must agree on (each host's next free request slot, its backoff, its
robots.txt) lives in the database (`FeedStore`), so the limits hold across machines.

- robots.txt (RFC 9309, read with `urllib.robotparser`): fetched once a day per host; 4xx means
  no rules, 5xx or unreachable means "disallow everything" until the next try; `Crawl-delay`
  widens the host's request spacing.
- Rate limit: requests to one host are spaced `min_host_interval_s` apart across all workers.
- Backoff: a 429/5xx/timeout backs the *host* off (Retry-After honoured); any failed poll backs
  the *feed* off: next poll after interval × 2^(errors-1), capped.
- Conditional GET: the ETag and Last-Modified of the last 200 are sent back; a 304 is cheap.
- Bodies are streamed with a byte cap and a total deadline, so a 50 MB or slow-drip body costs
  one clear error, not the worker's memory or time.
"""

from __future__ import annotations

import os
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import httpx

from crosscheck.config import Settings
from crosscheck.ingest import FetchError, FetchResult
from crosscheck.store.feeds import Feed, FeedStore, HostState

TRANSIENT_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Politeness:
    user_agent: str
    timeout_s: float = 20.0  # per connect/read, and the whole body's deadline
    min_host_interval_s: float = 1.0  # spacing between requests to one host, all workers together
    poll_interval_s: int = 900  # a healthy feed is polled this often
    feed_backoff_max_s: float = 6 * 3600.0
    host_backoff_base_s: float = 30.0
    host_backoff_max_s: float = 3600.0
    max_feed_bytes: int = 10 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    max_robots_bytes: int = 512 * 1024
    robots_ttl_s: float = 24 * 3600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Politeness:
        """Settings' user agent and timeout; CROSSCHECK_QUEUE_* variables tune the rest."""
        env = os.environ
        return cls(
            user_agent=settings.user_agent, timeout_s=settings.fetch_timeout,
            min_host_interval_s=float(env.get("CROSSCHECK_QUEUE_HOST_INTERVAL", cls.min_host_interval_s)),
            poll_interval_s=int(env.get("CROSSCHECK_QUEUE_POLL_INTERVAL", cls.poll_interval_s)),
            host_backoff_base_s=float(env.get("CROSSCHECK_QUEUE_HOST_BACKOFF", cls.host_backoff_base_s)),
        )

    def feed_delay(self, feed: Feed, consecutive_errors: int) -> float:
        """Seconds until a feed that just failed `consecutive_errors` times in a row is tried again."""
        return min(feed.poll_interval_s * 2 ** (consecutive_errors - 1), self.feed_backoff_max_s)

    def host_delay(self, consecutive_errors: int) -> float:
        return min(self.host_backoff_base_s * 2 ** (consecutive_errors - 1), self.host_backoff_max_s)


class PoliteFetchError(FetchError):
    """A fetch that was refused or failed; `reason` is one line for logs and `crosscheck status`."""

    def __init__(self, url: str, reason: str):
        super().__init__(reason)
        self.url = url
        self.reason = reason


class RobotsDisallowed(PoliteFetchError):
    pass


class HostBackingOff(PoliteFetchError):
    def __init__(self, url: str, until: datetime):
        super().__init__(url, f"host backing off until {until.isoformat(timespec='seconds')}")
        self.until = until


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class PoliteFetcher:
    """Fetch URLs the way a well-behaved crawler does. Thread-safe; one per worker process."""

    def __init__(self, feeds: FeedStore, politeness: Politeness, *, client: httpx.Client | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], datetime] = _utcnow):
        self.feeds = feeds
        self.politeness = politeness
        self.client = client or httpx.Client(
            follow_redirects=True, headers={"User-Agent": politeness.user_agent},
            timeout=httpx.Timeout(politeness.timeout_s, connect=min(10.0, politeness.timeout_s)))
        self.sleep = sleep
        self.clock = clock
        self._robots: dict[str, tuple[datetime, urllib.robotparser.RobotFileParser]] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------ the one public call

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              max_bytes: int | None = None, accept: str = "*/*") -> FetchResult:
        """GET `url` politely. A 304 comes back as a FetchResult with status 304 and no content.

        Raises RobotsDisallowed, HostBackingOff or PoliteFetchError (network, status, size).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PoliteFetchError(url, "not an http(s) URL")
        host = parts.netloc.lower()
        state = self.feeds.host_state(host)
        if state.backoff_until and state.backoff_until > self.clock():
            raise HostBackingOff(url, state.backoff_until)
        robots = self._robots_for(parts.scheme, host, state)
        if not robots.can_fetch(self.politeness.user_agent, url):
            raise RobotsDisallowed(url, "disallowed by robots.txt")
        spacing = max(self.politeness.min_host_interval_s, float(robots.crawl_delay(self.politeness.user_agent) or 0))
        self._wait_for_slot(host, spacing)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            result = self._get(url, headers, max_bytes or self.politeness.max_page_bytes)
        except httpx.TimeoutException as exc:
            self._host_failed(host, None)
            raise PoliteFetchError(url, f"timed out after {self.politeness.timeout_s:g} s ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            self._host_failed(host, None)
            raise PoliteFetchError(url, f"network error: {type(exc).__name__}: {exc}") from None
        if result.status in TRANSIENT_STATUSES:
            self._host_failed(host, result.headers.get("retry-after"))
            raise PoliteFetchError(url, f"HTTP {result.status}")
        if result.status >= 400:
            raise PoliteFetchError(url, f"HTTP {result.status}")
        if state.consecutive_errors:
            self.feeds.host_ok(host)
        return result

    # ------------------------------------------------------------ internals

    def _wait_for_slot(self, host: str, spacing: float) -> None:
        now = self.clock()
        slot = self.feeds.reserve_host_slot(host, spacing, now)
        wait = (slot - now).total_seconds()
        if wait > 0:
            self.sleep(wait)

    def _host_failed(self, host: str, retry_after: str | None) -> None:
        at_least = 0.0
        if retry_after and retry_after.strip().isdigit():
            at_least = float(retry_after.strip())
        self.feeds.host_failed(host, now=self.clock(), delay_for=self.politeness.host_delay, at_least_s=at_least)

    def _get(self, url: str, headers: dict[str, str], max_bytes: int) -> FetchResult:
        deadline = time.monotonic() + self.politeness.timeout_s
        with self.client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise PoliteFetchError(url, f"body of {int(declared)} bytes is over the {max_bytes}-byte limit")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise PoliteFetchError(url, f"body is over the {max_bytes}-byte limit")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("body took longer than the deadline")
                chunks.append(chunk)
            return FetchResult(url=url, final_url=str(response.url), status=response.status_code,
                               content=b"".join(chunks), content_type=response.headers.get("content-type", ""),
                               headers={k.lower(): v for k, v in response.headers.items()})

    def _robots_for(self, scheme: str, host: str, state: HostState) -> urllib.robotparser.RobotFileParser:
        now = self.clock()
        ttl = timedelta(seconds=self.politeness.robots_ttl_s)
        with self._robots_lock:
            cached = self._robots.get(host)
        if cached and now - cached[0] < ttl:
            return cached[1]
        if state.robots_fetched_at and now - state.robots_fetched_at < ttl and state.robots_status is not None:
            parser = _parse_robots(state.robots_status, state.robots_txt or "")
            fetched_at = state.robots_fetched_at
        else:
            status, body = self._fetch_robots(f"{scheme}://{host}/robots.txt", host)
            self.feeds.save_robots(host, status, body, now)
            parser, fetched_at = _parse_robots(status, body), now
            if status == 0 or status >= 500:
                # Unreachable: disallow for now, but ask again after the host's backoff, not a day.
                fetched_at = now - ttl + timedelta(seconds=self.politeness.host_delay(1))
                self.feeds.save_robots(host, status, body, fetched_at)
        with self._robots_lock:
            self._robots[host] = (fetched_at, parser)
        return parser

    def _fetch_robots(self, url: str, host: str) -> tuple[int, str]:
        """(status, body); status 0 when the host could not be reached."""
        self._wait_for_slot(host, self.politeness.min_host_interval_s)
        try:
            result = self._get(url, {"Accept": "text/plain"}, self.politeness.max_robots_bytes)
        except (httpx.HTTPError, PoliteFetchError):
            return 0, ""
        return result.status, result.content.decode("utf-8", "replace") if result.status < 300 else ""


def _parse_robots(status: int, body: str) -> urllib.robotparser.RobotFileParser:
    """RFC 9309 §2.3.1: 2xx → the rules; 4xx → no rules; 5xx or unreachable → disallow all."""
    parser = urllib.robotparser.RobotFileParser()
    if 200 <= status < 300:
        parser.parse(body.splitlines())
    elif 400 <= status < 500:
        parser.allow_all = True
    else:
        parser.disallow_all = True
    return parser
