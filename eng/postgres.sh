#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests, from the machine's PostgreSQL binaries.
#   eng/postgres.sh start DIR [PORT]   initdb (once) and start; prints the connection string on stdout.
#                                      Without PORT (or with 0) it takes a free port on 127.0.0.1; a cluster
#                                      already running in DIR keeps the port it has.
#   eng/postgres.sh stop DIR           stop it
# Durability settings are relaxed (fsync off): the tests check behaviour, not power-loss safety.
# POSTGRES_DURABLE=1 keeps PostgreSQL's defaults (fsync, synchronous_commit, full_page_writes on), as the benchmarks need.
# Needs bash, coreutils and Debian's postgresql package, nothing else.
set -euo pipefail
action=${1:?usage: postgres.sh start DIR [PORT] | stop DIR}
dir=${2:?the cluster directory}
port=${3:-0}

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

# A port nothing listens on at 127.0.0.1 (bash's /dev/tcp is refused there), below Linux's ephemeral range, where
# outgoing connections take theirs. PostgreSQL cannot be given port 0 to pick one itself, so another process may take
# the port before it binds: start_server tries again with another.
free_port() {
  local candidate status
  for _ in $(seq 1 200); do
    candidate=$((20000 + RANDOM % 12000))
    status=0
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$candidate" 2>/dev/null || status=$?
    if [ "$status" -eq 1 ]; then
      echo "$candidate"
      return 0
    fi
  done
  echo "No free port found on 127.0.0.1." >&2
  return 1
}

start_server() { # start_server <port>
  local relaxed="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${POSTGRES_DURABLE:-0}" = 1 ] && relaxed=""
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories=$dir $relaxed -c max_connections=400" >/dev/null 2>&1
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 3; }
    fi
    if as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      port=$(sed -n 4p "$dir/data/postmaster.pid") # the running cluster's port
    elif [ "$port" != 0 ]; then
      start_server "$port" || { cat "$dir/server.log" >&2; exit 3; }
    else
      started=0
      for _ in 1 2 3 4 5; do
        port=$(free_port) || exit 3
        if start_server "$port"; then
          started=1
          break
        fi
      done
      [ "$started" -eq 1 ] || { cat "$dir/server.log" >&2; exit 3; }
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: postgres.sh start DIR [PORT] | stop DIR" >&2
    exit 1
    ;;
esac
