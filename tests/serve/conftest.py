"""A small real corpus (the two seeds, the first ECB+ records of the bundled demo and three saved
news pages with outlets, dates and URLs) run through
the whole pipeline once per backend, and a fresh app (fresh rate limits) per test on top of it.

Building the corpus takes seconds, so it is shared by every test of a backend (session scope);
tests that write (accounts, comments) use names of their own and never assume an empty table.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.conftest import REPO, fresh_postgres_database

DEMO = REPO / "crosscheck" / "demo" / "corpus"
ECB_RECORDS = 12  # enough for several multi-article stories, entities and related stories
PASSWORD = "correct horse battery staple"


def build_reader_db(db: str, workdir: Path) -> None:
    """Seeds, ECB+ records and saved pages through ingest → … → write."""
    from crosscheck import pipeline
    from crosscheck.config import load_settings
    from crosscheck.store import Store

    lines = (DEMO / "ecbplus-sample.jsonl").read_text(encoding="utf-8").splitlines()[:ECB_RECORDS]
    sample = workdir / "ecbplus-head.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store.open(db)
    try:
        targets = [str(DEMO / "seeds"), str(sample), str(REPO / "tests" / "fixtures" / "html")]
        report = pipeline.ingest_targets(store, targets, load_settings(None, db=db))
        assert report.ok, report.errors
    finally:
        store.close()


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """Real argon2id, with the smallest cost settings: the defaults take ~0.3 s per hash here,
    which is right for production and far too slow for dozens of sign-ups in tests."""
    from argon2 import PasswordHasher

    from crosscheck.serve import accounts

    monkeypatch.setattr(accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


_built: dict[str, str] = {}


def sqlite_reader_db(tmp_path_factory) -> str:
    """The SQLite reader database, built once per test session (the browser tests share it)."""
    if "sqlite" not in _built:
        workdir = tmp_path_factory.mktemp("reader-sqlite")
        db = str(workdir / "reader.db")
        build_reader_db(db, workdir)
        _built["sqlite"] = db
    return _built["sqlite"]


@pytest.fixture(scope="session",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def reader_db(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        yield sqlite_reader_db(tmp_path_factory)
        return
    workdir = tmp_path_factory.mktemp("reader-postgres")
    with fresh_postgres_database() as url:
        build_reader_db(url, workdir)
        yield url


@pytest.fixture(scope="session")
def reader_store(reader_db):
    from crosscheck.store import Store

    store = Store.open(reader_db)
    yield store
    store.close()


@pytest.fixture
def app(reader_store):
    from crosscheck.config import load_settings
    from crosscheck.serve.app import create_app

    return create_app(load_settings(None, db=reader_store.url, secret_key="test-" + uuid.uuid4().hex),
                      store=reader_store)


def new_client(app) -> TestClient:
    # https: the session cookie is Secure, so a client on plain http would (rightly) not send it.
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


@pytest.fixture
def client(app) -> TestClient:
    with new_client(app) as c:
        yield c


CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def csrf_of(client: TestClient, path: str = "/signin") -> str:
    """The CSRF token a page gives this client (visiting it also sets the session cookie)."""
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_up(client: TestClient, username: str | None = None, password: str = PASSWORD) -> str:
    username = username or "u" + uuid.uuid4().hex[:10]
    response = client.post("/signup", data={"username": username, "password": password, "next": "/",
                                            "csrf": csrf_of(client, "/signup")})
    assert response.status_code == 303, response.text
    return username


def story_with_summary(store):
    """The story with the most origins that has a written summary with citations."""
    for row in store.list_stories(limit=100, order="covered"):
        written, _ = store.get_written(row.id)
        if written and any(s.citations for s in written.summary):
            return row, written
    pytest.fail("the reader corpus produced no story with a cited summary")
