#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite and print its URL on the last line.
# Installs Debian's postgresql when missing (needs root, as in CI). Idempotent.
set -euo pipefail
DB=crosscheck_test
ROLE=crosscheck
PASSWORD=crosscheck-test-only  # a throwaway local role for tests, listening on loopback only

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then echo "postgresql is not installed and we are not root" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$VERSION main"; then
  pg_createcluster "$VERSION" main >/dev/null
fi
pg_ctlcluster "$VERSION" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='$ROLE'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASSWORD'\""
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='$DB'\"" | grep -q 1 \
  || su postgres -c "createdb -O $ROLE $DB"
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:5432/$DB"
