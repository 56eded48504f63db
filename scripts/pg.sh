#!/usr/bin/env bash
# A throw-away PostgreSQL on loopback for the tests (KPI_TEST_STORE=postgres) and benchmarks.
#   scripts/pg.sh start DIR   installs Debian's postgresql if missing (as root), initdb in DIR, starts it on a free
#                             port (fsync off: test data only) and prints its address postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pg.sh stop DIR    stops it (immediate) and removes DIR
# PostgreSQL refuses to run as root: as root, it runs as the postgres user (runuser).
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
start)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then echo "PostgreSQL is not installed and this is not root: apt-get install postgresql" >&2; exit 1; fi
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -c listen_addresses=127.0.0.1 -k $dir \
-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -n "$bin" ] && [ -d "$dir/data" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
esac
