#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages (if missing), starts a private
# server on 127.0.0.1 and creates the test database. Prints the URL to use
# as KITAPORTAL_POSTGRES_URL. Safe to run again: a running server is reused.
set -euo pipefail

port="${KITAPORTAL_PG_PORT:-54329}"
root="${KITAPORTAL_PG_DIR:-/tmp/kitaportal-pg}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres.sh: PostgreSQL is not installed; run as root or: apt-get install postgresql" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

run() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

if ! run "$bin/pg_isready -q -h 127.0.0.1 -p $port"; then
  mkdir -p "$root"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$root"
  if [ ! -f "$root/data/PG_VERSION" ]; then
    run "$bin/initdb -D $root/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >&2
  fi
  run "$bin/pg_ctl -D $root/data -l $root/server.log -w -o \"-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >&2
fi
run "$bin/psql -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='kitaportal'\"" | grep -q 1 ||
  run "$bin/createdb -h 127.0.0.1 -p $port -U postgres kitaportal" >&2
echo "postgres://postgres@127.0.0.1:$port/kitaportal?sslmode=disable"
