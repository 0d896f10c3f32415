"""Local feed servers, fresh PostgreSQL databases and worker subprocesses for the queue tests.

Every feed is served from 127.0.0.1 by a server started here; nothing reaches the internet.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, fresh_postgres_database
from tests.queue.server import FeedServer, Route  # noqa: F401 — tests import Route from here

# How a worker subprocess is tuned for tests: short delays so faults heal within seconds.
WORKER_ENV = {
    "CROSSCHECK_QUEUE_WRITE_DELAY": "2",
    "CROSSCHECK_QUEUE_ASSIGN_DELAY": "0.2",
    "CROSSCHECK_QUEUE_HOST_INTERVAL": "0",
    "CROSSCHECK_QUEUE_HOST_BACKOFF": "1",
    "CROSSCHECK_FETCH_TIMEOUT": "1.5",
}


@pytest.fixture
def feed_servers():
    """`feed_servers()` starts another local server (one per "site": hosts back off separately)."""
    started: list[FeedServer] = []

    def start() -> FeedServer:
        server = FeedServer()
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture
def feed_server(feed_servers) -> FeedServer:
    return feed_servers()


@pytest.fixture
def pg_url():
    """A fresh PostgreSQL database (the queue needs PostgreSQL; SQLite runs in-process)."""
    with fresh_postgres_database() as url:
        yield url


class Worker:
    """`crosscheck worker` in a subprocess, as an operator runs it."""

    def __init__(self, db: str, log: Path, concurrency: int = 2, extra_env: dict[str, str] | None = None):
        env = {**os.environ, **WORKER_ENV, **(extra_env or {}), "PYTHONUNBUFFERED": "1"}
        self.log = log
        self.handle = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crosscheck.cli", "worker", "--db", db, "--concurrency", str(concurrency),
             "--heartbeat", "1", "--stalled-after", "5"],
            cwd=REPO, env=env, stdout=self.handle, stderr=subprocess.STDOUT)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill9(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(tmp_path):
    workers: list[Worker] = []

    def start(db: str, concurrency: int = 2, **extra_env: str) -> Worker:
        worker = Worker(db, tmp_path / f"worker{len(workers)}.log", concurrency, extra_env)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    for worker in workers[-2:]:
        print(worker.output()[-4000:])  # shown by pytest when the test failed


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str, every_s: float = 0.25) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every_s)
    raise AssertionError(f"timed out after {timeout_s:.0f} s waiting for {what}")
