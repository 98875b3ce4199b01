#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the tests, on 127.0.0.1 and a free
# port, in a temporary directory.
#   eval "$(bash scripts/pg-test-server.sh start)"   # exports CL_TEST_POSTGRES, CL_PG_DIR
#   bash scripts/pg-test-server.sh stop "$CL_PG_DIR"
# PostgreSQL refuses to run as root, so as root the server runs as the
# 'postgres' user that Debian's package creates.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    [[ -x $bin/initdb ]] || { echo "pg-test-server: $bin/initdb missing (install postgresql-15)" >&2; exit 1; }
    dir=$(mktemp -d /tmp/cl-pg.XXXXXX)
    chmod 755 "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export CL_TEST_POSTGRES='host=127.0.0.1 port=$port user=postgres dbname=postgres'"
    echo "export CL_PG_DIR='$dir'"
    ;;
  stop)
    dir=${2:?usage: pg-test-server.sh stop DIR}
    if [[ -d $dir/data ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-test-server.sh start | stop DIR" >&2
    exit 2
    ;;
esac
