"""Fixtures shared by every test: real seed articles and the labelled public data in ../shared."""

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"
SHARED = REPO.parent / "shared"  # CI clones the repo with shared/ beside it


@pytest.fixture
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture
def seed_texts() -> dict[str, str]:
    """{"000": text of the translated aggregator article, "003": text of the AI-written one}."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return data


# ---------------------------------------------------------------- databases
# Every test that takes `db_url` or `store` runs twice: on a fresh SQLite file and on a fresh
# PostgreSQL database. PostgreSQL comes from CROSSCHECK_TEST_POSTGRES (set by scripts/run-tests.sh,
# which starts a local server); without it those cases skip, unless CROSSCHECK_REQUIRE_POSTGRES=1
# (CI), where a missing server is a failure, not a skip.

POSTGRES = os.environ.get("CROSSCHECK_TEST_POSTGRES")


@contextmanager
def fresh_postgres_database():
    """A new, empty PostgreSQL database for one test (or session), dropped afterwards.

    Skips without a server, except under CROSSCHECK_REQUIRE_POSTGRES=1 (CI), where it fails."""
    import psycopg

    if not POSTGRES:
        if os.environ.get("CROSSCHECK_REQUIRE_POSTGRES") == "1":
            pytest.fail("CROSSCHECK_REQUIRE_POSTGRES=1 but CROSSCHECK_TEST_POSTGRES is not set")
        pytest.skip("no PostgreSQL (set CROSSCHECK_TEST_POSTGRES; scripts/run-tests.sh does)")
    name = f"cc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # name is generated above, never user input
    try:
        yield f"{POSTGRES.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "crosscheck.db")
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def store(db_url):
    from crosscheck.store import Store

    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture
def settings(db_url):
    from crosscheck.config import load_settings

    return load_settings(None, db=db_url)
