#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL cluster for the test suite and print its URL.
#
# Why a private cluster: tests must not depend on, or damage, a system database, and a
# fixed port (54329) keeps the URL stable across runs. Idempotent: a second run finds the
# cluster initialised and running and only re-checks the role and database.
# Run as root on a machine with Debian's `postgresql` package installed.
#
#   export KIOSQUE_TEST_PG_URL="$(scripts/pg-for-tests.sh)"
set -euo pipefail

PORT="${KIOSQUE_PG_PORT:-54329}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${KIOSQUE_PG_DATA:-$ROOT/var/pgtest}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
    echo "PostgreSQL server binaries not found; apt-get install postgresql" >&2
    exit 1
fi
as_pg() { runuser -u postgres -- "$@"; }

mkdir -p "$DATA"
chown postgres:postgres "$DATA"
chmod 700 "$DATA"
if [[ ! -f "$DATA/PG_VERSION" ]]; then
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
fi
psql_pg() { as_pg psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qAtX "$@"; }
if [[ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname='kiosque'")" != "1" ]]; then
    psql_pg -c "CREATE ROLE kiosque LOGIN PASSWORD 'kiosque' CREATEDB"
fi
if [[ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname='kiosque_test'")" != "1" ]]; then
    psql_pg -c "CREATE DATABASE kiosque_test OWNER kiosque"
fi
echo "postgresql://kiosque:kiosque@127.0.0.1:$PORT/kiosque_test"
