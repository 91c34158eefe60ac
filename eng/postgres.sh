#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests, from the machine's PostgreSQL binaries.
#   eng/postgres.sh start DIR PORT   initdb (once) and start; prints the connection string on stdout
#   eng/postgres.sh stop DIR         stop it
# Durability settings are relaxed (fsync off): the tests check behaviour, not power-loss safety.
# POSTGRES_DURABLE=1 keeps PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on), as the benchmarks need.
set -euo pipefail
action=${1:?usage: postgres.sh start DIR PORT | stop DIR}
dir=${2:?the cluster directory}
port=${3:-55432}

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && bin=$candidate
done
[ -n "$bin" ] || bin=$(dirname "$(command -v initdb)")
[ -x "$bin/initdb" ] || { echo "PostgreSQL's initdb was not found; install the 'postgresql' package." >&2; exit 3; }

# initdb refuses to run as root: run the server as the postgres user when we are root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 3; }
    fi
    relaxed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${POSTGRES_DURABLE:-0}" = 1 ] && relaxed=""
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir $relaxed -c max_connections=400" >/dev/null \
        || { cat "$dir/server.log" >&2; exit 3; }
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: postgres.sh start DIR PORT | stop DIR" >&2
    exit 1
    ;;
esac
