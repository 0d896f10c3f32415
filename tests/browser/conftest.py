"""A real server on a loopback port and Debian's Chromium driven by Playwright.

Never `playwright install`: the browser is /usr/bin/chromium from the `chromium` package. Without
it these tests skip, unless CROSSCHECK_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        if os.environ.get("CROSSCHECK_REQUIRE_BROWSER") == "1":
            pytest.fail("CROSSCHECK_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing "
                        "(apt-get install -y chromium chromium-driver)")
        pytest.skip("no /usr/bin/chromium (apt-get install -y chromium chromium-driver)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    """The demo corpus sample the reader tests use (built once per session, shared)."""
    from tests.serve.conftest import sqlite_reader_db

    return sqlite_reader_db(tmp_path_factory)


@pytest.fixture(scope="session")
def live_server(demo_db, chromium_path):
    """uvicorn serving the demo database in a thread; yields its base URL."""
    import uvicorn

    from crosscheck.config import load_settings
    from crosscheck.serve.app import create_app

    app = create_app(load_settings(None, db=demo_db, secret_key="browser-test-secret"))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # the kernel picks a free port; uvicorn serves this very socket
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="session")
def _chromium(chromium_path, tmp_path_factory):
    """One Chromium for the session, with a fresh profile directory of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path_factory.mktemp("chromium-profile")), executable_path=chromium_path,
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def browser_context(_chromium):
    """The shared browser, as a new visitor: no cookies, no open pages left from other tests."""
    _chromium.clear_cookies()
    yield _chromium
    for page in _chromium.pages:
        page.close()
