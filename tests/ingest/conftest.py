"""Fixtures for ingestion tests: saved real pages/feeds/records and a local HTTP server."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import FIXTURES


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 — keep test output clean
        pass


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def page_truth() -> dict[str, dict]:
    """{page file name: {url, articleBody}} for the saved benchmark pages."""
    return json.loads((FIXTURES / "html" / ".ground-truth.json").read_text(encoding="utf-8"))


@pytest.fixture
def local_server():
    """An HTTP server on 127.0.0.1 serving tests/fixtures/; yields its base URL."""
    handler = partial(_QuietHandler, directory=str(FIXTURES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
