"""Fetching pages over HTTP: the only place ingestion touches the network.

`read_articles` never fetches on its own: the pipeline injects `http_fetch` (or a test
double serving local pages), so the stages stay pure and tests never reach the internet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

USER_AGENT = "Crosscheck/0.1 (news story engine; +https://github.com/crosscheck)"
MAX_BODY_BYTES = 20 * 1024 * 1024  # a news page is far below this; stop reading beyond it
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


@dataclass
class FetchResult:
    """What one HTTP fetch returned (after redirects)."""

    url: str  # what was asked for
    final_url: str  # where redirects ended
    status: int
    content: bytes
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)


class FetchError(Exception):
    """The page could not be fetched (network, status, size); the message is one line."""


def http_fetch(url: str, *, max_bytes: int = MAX_BODY_BYTES, timeout: httpx.Timeout = TIMEOUT,
               user_agent: str = USER_AGENT) -> FetchResult:
    """GET `url` with a clear User-Agent, timeouts and a body-size cap.

    Raises FetchError for network failures, non-2xx statuses and bodies over `max_bytes`.
    """
    headers = {"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    try:
        with httpx.Client(follow_redirects=True, timeout=timeout, headers=headers) as client:
            with client.stream("GET", url) as response:
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"page is larger than {max_bytes} bytes")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"page is larger than {max_bytes} bytes")
                    chunks.append(chunk)
                if response.status_code >= 400:
                    raise FetchError(f"HTTP {response.status_code}")
                return FetchResult(
                    url=url,
                    final_url=str(response.url),
                    status=response.status_code,
                    content=b"".join(chunks),
                    content_type=response.headers.get("content-type", ""),
                    headers=dict(response.headers),
                )
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from exc
