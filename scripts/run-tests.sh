#!/usr/bin/env bash
# Run the test suite against SQLite and a real local PostgreSQL, with a real Chromium for the
# browser tests. Servers are started here (Debian packages, installed when missing and root),
# never assumed. CI sets CROSSCHECK_REQUIRE_POSTGRES=1 / CROSSCHECK_REQUIRE_BROWSER=1 so a
# missing server fails the run instead of skipping tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${CROSSCHECK_TEST_POSTGRES:-}" ]; then
  if url=$(bash scripts/test-postgres.sh | tail -n 1) && [ -n "$url" ]; then
    export CROSSCHECK_TEST_POSTGRES="$url"
  else
    echo "warning: no local PostgreSQL; PostgreSQL tests will skip" >&2
  fi
fi

if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; } \
    >/dev/null || echo "warning: could not install chromium; browser tests will skip" >&2
fi

if [ $# -eq 0 ] && [ -n "${CROSSCHECK_TEST_POSTGRES:-}" ]; then
  # Restarts the PostgreSQL server itself, so it runs alone, before the parallel suite.
  .venv/bin/python -m pytest -q -m pg_restart tests/queue/test_faults.py
fi
exec .venv/bin/python -m pytest -n 2 --dist loadfile -m "not pg_restart" "$@"
