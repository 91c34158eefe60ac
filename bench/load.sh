#!/usr/bin/env bash
# The HTTP load run of issue 8, in one command from a fresh clone:   bash bench/load.sh
#   Installs wrk (and sqlite3) from Debian when missing, builds Release, then in one run measures the ceiling
#   (bench/Ceiling) and OtpGate: start, check, webhook (SQLite), memory with 100,000 pending, the end-to-end flow,
#   start and check on PostgreSQL, and cold starts. Each server is pinned to core 0, wrk / the load tool / the
#   standalone sandbox to core 1. Cold start is measured twice for OtpGate: the Release build, and the ReadyToRun publish
#   for linux-x64 (its publish time and size are printed too). Prints each case's req/s, p50, p99, errors and ratio to the ceiling of this run,
#   and writes them to bench/results/latest.md.
#
#   bash bench/load.sh --quick    a smoke run (5 s warm-ups, 5 s cases): checks the runner, figures are not valid.
#   Environment: WARMUP (s, default 60), DURATION (s per case, default 20), FLOW_SECONDS (default 60),
#                CASES (default "ceiling sqlite memory flow postgres coldstart"; the ceiling always runs).
#                SPEND_CAP (the daily spend cap in dollars for the run, default 1000000; 0 for none).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

WARMUP=${WARMUP:-60}
DURATION=${DURATION:-20}
FLOW_SECONDS=${FLOW_SECONDS:-60}
# Simulated users in the flow, each a closed loop (start, code, check): 512 capped the offered rate near 900/s.
FLOW_USERS=${FLOW_USERS:-1024}
CASES=${CASES:-"sqlite memory flow postgres coldstart"}
QUICK=0
if [ "${1:-}" = "--quick" ]; then
  QUICK=1 WARMUP=5 DURATION=5 FLOW_SECONDS=10
fi
CONNECTIONS=32
# Enough verifications that neither check (3 requests each) nor webhook (3 statuses each) wraps round within a case at
# 10,000 req/s; PostgreSQL, slower to prepare and to load, gets fewer.
CHECK_ENTRIES=$([ $QUICK = 1 ] && echo 3000 || echo 100000)
PG_CHECK_ENTRIES=$([ $QUICK = 1 ] && echo 3000 || echo 20000)
MEMORY_PENDING=100000

work=$(mktemp -d "${TMPDIR:-/tmp}/otpgate-load.XXXXXX")
chmod 755 "$work" # eng/postgres.sh runs the cluster as the postgres user, under this folder
art=$work/artifacts
results=$root/bench/results/latest.md
mkdir -p "$root/bench/results"
export BENCH_LUA=$root/bench/lua
export BENCH_KEY=bench-api-key-0123456789abcdef
export BENCH_WEBHOOK_SECRET=benchwebhooksecret0123456789ab
export CHECK_FILE=$work/checks.txt
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Free loopback ports, taken when the run starts (never fixed ones: another run or service may hold them).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
ceiling_port=$(free_port)
ceiling_cold_port=$(free_port)
sqlite_port=$(free_port)
flow_port=$(free_port)
postgres_port=$(free_port)
cold_port=$(free_port)
sandbox_port=$(free_port)

say() { printf '\n== %s\n' "$*" >&2; }

# ---- processes we start, and only those, are stopped by id --------------------------------------------------------
pids=()
stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
pg_dir=""
cleanup() {
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  [ -n "$pg_dir" ] && bash "$root/eng/postgres.sh" stop "$pg_dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# start_on CORE NAME DIR ARGS...: runs "dotnet ARGS" in DIR (its content root) pinned to CORE; sets $pid.
start_on() {
  local core=$1 name=$2 dir=$3
  shift 3
  (cd "$dir" && exec taskset -c "$core" dotnet "$@") >"$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
}

wait_http() { # URL [seconds]
  local deadline=$((SECONDS + ${2:-60}))
  until curl -sf -o /dev/null "$1"; do
    [ $SECONDS -lt $deadline ] || { echo "no answer from $1; see $work/*.log" >&2; return 1; }
    sleep 0.1
  done
}

# /proc/stat busy jiffies of cpu0 and cpu1, to show which core was saturated during a case.
cpu_snapshot() { awk '/^cpu[01] /{busy=$2+$3+$4+$7+$8; total=busy+$5+$6; printf "%s %s ", busy, total}' /proc/stat; }
cpu_busy() { # BEFORE AFTER -> "core0 N% core1 N%"
  local -a a=($1) b=($2)
  awk -v a0="${a[0]}" -v a1="${a[1]}" -v a2="${a[2]}" -v a3="${a[3]}" -v b0="${b[0]}" -v b1="${b[1]}" -v b2="${b[2]}" -v b3="${b[3]}" \
    'BEGIN{printf "%.0f%%/%.0f%%", 100*(b0-a0)/(b1-a1), 100*(b2-a2)/(b3-a3)}'
}

# run_wrk NAME URL SCRIPT SECONDS [LUA ARGS...]: wrk on core 1; echoes the RESULT line (with the cores' load appended).
run_wrk() {
  local name=$1 url=$2 script=$3 seconds=$4
  shift 4
  local before after
  before=$(cpu_snapshot)
  taskset -c 1 wrk -t1 -c$CONNECTIONS -d"${seconds}s" --timeout 10s -s "$root/bench/lua/$script" "$url" -- "$@" >"$work/wrk-$name.log" 2>&1 || true
  after=$(cpu_snapshot)
  local line
  line=$(grep '^RESULT' "$work/wrk-$name.log" || echo "RESULT requests=0 rps=0 p50_ms=0 p99_ms=0 errors=-1 socket_errors=0 statuses=wrk-failed")
  echo "$line cpu0/cpu1=$(cpu_busy "$before" "$after")"
}

field() { sed -n "s|.*[[:space:]]$2=\([^[:space:]]*\).*|\1|p" <<<"$1"; }

# CPU time (user + system, ms) used so far by the given processes; for PostgreSQL, the postmaster and its children (the
# pool's backends live through a case, so their time is all there).
cpu_ms() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $((t * 1000 / $(getconf CLK_TCK))); }
pg_pids() { local pm; pm=$(head -1 "$pg_dir/data/postmaster.pid"); echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')"; }
# CPU ms per request of OtpGate and of PostgreSQL over a case: "NAME otpgate_ms=... postgres_ms=..." (the scaling model's input).
cpu_per_request() { # NAME RESULT-LINE APP_BEFORE PG_BEFORE
  local requests; requests=$(field "$2" requests)
  awk -v n="$1" -v r="${requests:-0}" -v a="$(( $(cpu_ms "$pid") - $3 ))" -v g="$(( $(cpu_ms $(pg_pids)) - $4 ))" \
    'BEGIN{ if (r > 0) printf "%s: OtpGate %.3f ms and PostgreSQL %.3f ms of CPU per request (%d requests)", n, a/r, g/r, r }'
}

rss_mib() { awk '/^VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status"; }

tool() { taskset -c 1 dotnet "$art/bin/OtpGate.LoadTool/release/OtpGate.LoadTool.dll" "$@"; }

# ---- 0. prerequisites and build ----------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt-get)"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ "$(nproc)" -ge 2 ] || { echo "This runner needs 2 cores (server on core 0, load on core 1)." >&2; exit 1; }

say "building Release into $art"
for project in bench/Ceiling src/OtpGate.Server src/OtpGate.Sandbox.Host bench/OtpGate.LoadTool; do
  dotnet build "$project" -c Release --artifacts-path "$art" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done
# The published server (ReadyToRun, see its project file), for the second cold-start variant: publish time and size kept.
publish_line="not run"
if [[ " $CASES " == *" coldstart "* ]]; then
  say "publishing the server (Release, linux-x64, ReadyToRun)"
  publish_start=$SECONDS
  dotnet publish src/OtpGate.Server -c Release -r linux-x64 --artifacts-path "$art" -o "$art/publish/OtpGate.Server" -v q -nologo >"$work/publish.log" 2>&1 || { cat "$work/publish.log" >&2; exit 1; }
  publish_line="publish_s=$((SECONDS - publish_start)) size_mb=$(du -sm "$art/publish/OtpGate.Server" | cut -f1)"
fi
ceiling_dir=$art/bin/Ceiling/release
server_dir=$art/bin/OtpGate.Server/release
sandbox_dir=$art/bin/OtpGate.Sandbox.Host/release

# ---- configuration shared by every OtpGate process ---------------------------------------------------------------
# The standalone sandbox stands in for 1MSG at Meta's highest tier (1,000 messages/s), and the dispatcher is allowed
# that rate. Limits that would refuse a load test are raised FOR THE RUN ONLY: the per-key and per-IP HTTP limits
# (600 and 60 per minute by default) and the engine's starts per IP (20 per 10 minutes; every request has its own
# IP anyway), the daily spend cap (10 dollars, about 2,900 codes to +1 numbers: raised to SPEND_CAP, default 1,000,000,
# so that a cap is set and its check is in every start measured, as in production; SPEND_CAP=0 runs without one), and
# the fraud guard's thresholds (a
# load run's numbers are sequential in one prefix and the start case never types a code: a sweep to the guard). The
# guard stays on, so its reads and counter writes are in every start measured; it just never refuses. Codes live 30 minutes (the
# maximum) so that 100,000 stay pending through the memory case. Durability is as shipped: SQLite WAL + synchronous=FULL.
otpgate_args=(
  --Api:Keys:bench="$BENCH_KEY" --Spend:DailyCap="${SPEND_CAP:-1000000}"
  --Fraud:ConversionFloor=0.000000001 --Fraud:PrefixStartsPerMinute=1000000000 --Fraud:CountryStartsPerMinute=1000000000
  --Api:RateLimit:PerKeyPerMinute=100000000 --Api:RateLimit:PerIpPerMinute=100000000
  --Verification:MaxStartsPerIpPer10Minutes=1000000 --Verification:CodeLifetime=00:30:00
  --Verification:Dispatch:ChannelRatePerSecond=1000
  --Security:Secret=bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz
  --OneMsg:BaseUrl=http://127.0.0.1:$sandbox_port --OneMsg:ChannelId=sandbox --OneMsg:Token=sandbox-token
  --OneMsg:Template:Name=registration_otp --OneMsg:Template:Namespace=otpgate_sandbox --OneMsg:Template:Language=en
  --OneMsg:WebhookSecret="$BENCH_WEBHOOK_SECRET"
)
sandbox_pid=""
start_sandbox() { # callbacks on|off
  [ -n "$sandbox_pid" ] && stop_pid "$sandbox_pid"
  local extra=(--Sandbox:AckNotificationsOn=false)
  # With callbacks on, 1MSG's sent/delivered/read come 50/200/300 ms after the send (WhatsApp itself takes longer; see README).
  [ "$1" = on ] && extra=(--Sandbox:AckNotificationsOn=true --Sandbox:SentAfter=00:00:00.050 --Sandbox:DeliveredAfter=00:00:00.200 --Sandbox:ReadAfter=00:00:00.300)
  start_on 1 sandbox-$1 "$sandbox_dir" OtpGate.Sandbox.Host.dll --urls http://127.0.0.1:$sandbox_port \
    --Sandbox:RateLimitPerSecond=1000 --Sandbox:MaxConversations=400000 --Logging:LogLevel:Default=Warning "${extra[@]}"
  sandbox_pid=$pid
  wait_http "http://127.0.0.1:$sandbox_port/_sandbox/messages?limit=1"
}

declare -a rows=()
add_row() { rows+=("$1|$2|$3"); } # case | RESULT line | target

# ---- 1. ceiling --------------------------------------------------------------------------------------------------
say "ceiling: warm-up ${WARMUP}s, then ${DURATION}s"
start_on 0 ceiling "$ceiling_dir" Ceiling.dll --urls http://127.0.0.1:$ceiling_port
wait_http http://127.0.0.1:$ceiling_port/healthz
run_wrk ceiling-warmup http://127.0.0.1:$ceiling_port ceiling.lua "$WARMUP" >/dev/null
ceiling=$(run_wrk ceiling http://127.0.0.1:$ceiling_port ceiling.lua "$DURATION")
echo "$ceiling" >&2
add_row "ceiling (bare minimal API)" "$ceiling" "-"
ceiling_rss=$(rss_mib "$pid")
stop_pid "$pid"
ceiling_rps=$(field "$ceiling" rps)

# ---- 2. OtpGate on SQLite: start, check, webhook, memory --------------------------------------------------------
memory_line="not run"
if [[ " $CASES " == *" sqlite "* ]]; then
  start_sandbox off
  say "OtpGate (SQLite): warm-up ${WARMUP}s of starts"
  start_on 0 otpgate-sqlite "$server_dir" OtpGate.Server.dll --urls http://127.0.0.1:$sqlite_port \
    --Storage:DataDirectory="$work/sqlite" --OneMsg:RegisterWebhook=false "${otpgate_args[@]}"
  wait_http http://127.0.0.1:$sqlite_port/healthz
  run_wrk start-warmup http://127.0.0.1:$sqlite_port start.lua "$WARMUP" 0 >&2
  line=$(run_wrk start http://127.0.0.1:$sqlite_port start.lua "$DURATION" 2000000); echo "$line" >&2
  add_row "start (SQLite, synchronous=FULL)" "$line" "ratio>=0.06"

  say "preparing $CHECK_ENTRIES verifications for check and webhook (codes read from the sandbox)"
  tool prepare --api http://127.0.0.1:$sqlite_port --key "$BENCH_KEY" --sandbox http://127.0.0.1:$sandbox_port \
    --from 4000000 --count "$CHECK_ENTRIES" --out "$CHECK_FILE" --timeout 900 >/dev/null
  # The warm-ups use the last fifth of the list; the measured case starts at its beginning.
  warm_entry=$((CHECK_ENTRIES * 4 / 5))
  run_wrk check-warmup http://127.0.0.1:$sqlite_port check.lua 5 "$warm_entry" >/dev/null
  line=$(run_wrk check http://127.0.0.1:$sqlite_port check.lua "$DURATION" 0); echo "$line" >&2
  add_row "check (SQLite; 1 right in 3)" "$line" "ratio>=0.20 p99<=10"
  run_wrk webhook-warmup http://127.0.0.1:$sqlite_port webhook.lua 5 "$warm_entry" >/dev/null
  line=$(run_wrk webhook http://127.0.0.1:$sqlite_port webhook.lua "$DURATION" 0); echo "$line" >&2
  add_row "webhook intake (SQLite)" "$line" "ratio>=0.25 p99<=10"

  if [[ " $CASES " == *" memory "* ]]; then
    now_ms=$(($(date +%s) * 1000))
    pending=$(sqlite3 "file:$work/sqlite/otpgate.db?mode=ro" "SELECT count(*) FROM verifications WHERE status='pending' AND expires_at > $now_ms")
    topup=$((MEMORY_PENDING > pending ? MEMORY_PENDING - pending : 0))
    say "memory: $pending pending; starting $topup more"
    [ "$topup" -gt 0 ] && tool prepare --api http://127.0.0.1:$sqlite_port --key "$BENCH_KEY" --from 5000000 --count "$topup" --timeout 900 >/dev/null
    now_ms=$(($(date +%s) * 1000))
    pending=$(sqlite3 "file:$work/sqlite/otpgate.db?mode=ro" "SELECT count(*) FROM verifications WHERE status='pending' AND expires_at > $now_ms")
    rss_now=$(rss_mib "$pid")
    sleep 15
    rss_later=$(rss_mib "$pid")
    memory_line="pending=$pending rss_mib=$rss_now rss_after_15s_idle_mib=$rss_later ceiling_rss_mib=$ceiling_rss"
    echo "$memory_line" >&2
  fi
  stop_pid "$pid"
fi

# ---- 3. the end-to-end flow ----------------------------------------------------------------------------------------
flow_line="not run"
if [[ " $CASES " == *" flow "* ]]; then
  start_sandbox on
  say "flow: warm-up ${WARMUP}s, then ${FLOW_SECONDS}s"
  start_on 0 otpgate-flow "$server_dir" OtpGate.Server.dll --urls http://127.0.0.1:$flow_port \
    --Storage:DataDirectory="$work/flow" --OneMsg:RegisterWebhook=true --OneMsg:WebhookBaseUrl=http://127.0.0.1:$flow_port "${otpgate_args[@]}"
  wait_http http://127.0.0.1:$flow_port/healthz
  sleep 2 # the webhook registration runs once the server listens
  tool flow --api http://127.0.0.1:$flow_port --key "$BENCH_KEY" --sandbox http://127.0.0.1:$sandbox_port --from 6000000 --seconds "$WARMUP" --concurrency "$FLOW_USERS" >"$work/flow-warmup.log" 2>&1 || true
  before=$(cpu_snapshot)
  flow_line=$(tool flow --api http://127.0.0.1:$flow_port --key "$BENCH_KEY" --sandbox http://127.0.0.1:$sandbox_port --from 8000000 --seconds "$FLOW_SECONDS" --concurrency "$FLOW_USERS" 2>>"$work/flow.log" | tail -1)
  flow_line="$flow_line cpu0/cpu1=$(cpu_busy "$before" "$(cpu_snapshot)")"
  stop_pid "$pid"
  # What OtpGate had recorded when it stopped (warm-up and measurement together): callbacks may lag the approvals.
  flow_line="$flow_line; in the database at the end: $(sqlite3 "file:$work/flow/otpgate.db?mode=ro" "SELECT
    (SELECT count(*) FROM verifications) || ' started, ' ||
    (SELECT count(*) FROM verifications WHERE status = 'approved') || ' approved, ' ||
    (SELECT count(DISTINCT verification_id) FROM verification_events WHERE kind = 'delivery' AND status = 'delivered') || ' with delivered recorded, ' ||
    (SELECT count(*) FROM delivery_receipts) || ' callbacks stored'")"
  echo "$flow_line" >&2
fi

pg_cost=()
# ---- 4. PostgreSQL ---------------------------------------------------------------------------------------------------
if [[ " $CASES " == *" postgres "* ]]; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
    say "installing postgresql (apt-get)"
    apt-get install -y -qq postgresql >/dev/null || true
  fi
  pg_dir=$work/pg
  # Durable, as a production database runs (fsync, synchronous_commit and full_page_writes on).
  if connection=$(POSTGRES_DURABLE=1 bash eng/postgres.sh start "$pg_dir" 2>"$work/pg-start.log"); then
    start_sandbox off
    say "OtpGate (PostgreSQL): warm-up ${WARMUP}s of starts"
    # PostgreSQL runs on core 1 with the load (it is a separate server); OtpGate alone on core 0.
    taskset -a -cp 1 "$(head -1 "$pg_dir/data/postmaster.pid")" >/dev/null 2>&1 || true
    start_on 0 otpgate-postgres "$server_dir" OtpGate.Server.dll --urls http://127.0.0.1:$postgres_port \
      --Storage:DataDirectory="$work/pgdata" --Storage:Provider=postgres --Storage:ConnectionString="$connection" \
      --OneMsg:RegisterWebhook=false "${otpgate_args[@]}"
    wait_http http://127.0.0.1:$postgres_port/healthz
    run_wrk pg-start-warmup http://127.0.0.1:$postgres_port start.lua "$WARMUP" 0 >/dev/null
    app0=$(cpu_ms "$pid"); pg0=$(cpu_ms $(pg_pids))
    line=$(run_wrk pg-start http://127.0.0.1:$postgres_port start.lua "$DURATION" 2000000); echo "$line" >&2
    pg_cost+=("$(cpu_per_request start "$line" "$app0" "$pg0")")
    add_row "start (PostgreSQL)" "$line" "ratio>=0.02"
    tool prepare --api http://127.0.0.1:$postgres_port --key "$BENCH_KEY" --sandbox http://127.0.0.1:$sandbox_port \
      --from 4000000 --count "$PG_CHECK_ENTRIES" --out "$work/pg-checks.txt" --timeout 900 >/dev/null
    warm_entry=$((PG_CHECK_ENTRIES * 4 / 5))
    CHECK_FILE=$work/pg-checks.txt run_wrk pg-check-warmup http://127.0.0.1:$postgres_port check.lua 5 "$warm_entry" >/dev/null
    app0=$(cpu_ms "$pid"); pg0=$(cpu_ms $(pg_pids))
    line=$(CHECK_FILE=$work/pg-checks.txt run_wrk pg-check http://127.0.0.1:$postgres_port check.lua "$DURATION" 0); echo "$line" >&2
    pg_cost+=("$(cpu_per_request check "$line" "$app0" "$pg0")")
    echo "${pg_cost[*]}" >&2
    add_row "check (PostgreSQL)" "$line" "ratio>=0.06"
    stop_pid "$pid"
  else
    say "PostgreSQL could not be started (see $work/pg-start.log); skipping"
    add_row "start/check (PostgreSQL)" "RESULT not-run" "skipped: no PostgreSQL"
  fi
fi

# ---- 5. cold start -----------------------------------------------------------------------------------------------------
cold_line="not run"
if [[ " $CASES " == *" coldstart "* ]]; then
  [ -n "$sandbox_pid" ] || start_sandbox off
  say "cold start: 3 times each, process start to first successful POST"
  ceiling_cold=() otpgate_cold=() published_cold=()
  # otpgate_cold DIR N: OtpGate started from DIR (the build, or the ReadyToRun publish) to its first 201.
  otpgate_cold() {
    tool coldstart --url http://127.0.0.1:$cold_port/v1/verifications --key "$BENCH_KEY" --post "{\"phone\":\"+1212499000$2\"}" --cwd "$1" \
      -- taskset -c 0 dotnet OtpGate.Server.dll --urls http://127.0.0.1:$cold_port --Storage:DataDirectory="$work/cold-$2" --OneMsg:RegisterWebhook=false "${otpgate_args[@]}" \
      | sed -n 's/coldstart_ms=//p'
  }
  for i in 1 2 3; do
    ceiling_cold+=("$(tool coldstart --url http://127.0.0.1:$ceiling_cold_port/v1/echo --post '{"phone":"+12122000001"}' --cwd "$ceiling_dir" \
      -- taskset -c 0 dotnet Ceiling.dll --urls http://127.0.0.1:$ceiling_cold_port | sed -n 's/coldstart_ms=//p')")
    otpgate_cold+=("$(otpgate_cold "$server_dir" "$i")")
    published_cold+=("$(otpgate_cold "$art/publish/OtpGate.Server" "$((i + 3))")")
  done
  median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
  cold_line="ceiling_ms=$(median "${ceiling_cold[@]}") otpgate_ms=$(median "${otpgate_cold[@]}") otpgate_readytorun_ms=$(median "${published_cold[@]}")"
  cold_line="$cold_line (runs: ceiling ${ceiling_cold[*]}; otpgate ${otpgate_cold[*]}; otpgate ReadyToRun ${published_cold[*]}; the ReadyToRun publish: $publish_line)"
  echo "$cold_line" >&2
fi

# ---- results ---------------------------------------------------------------------------------------------------------
{
  echo "# Load run $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --list-runtimes | awk '/AspNetCore/{v=$2} END{print v}')."
  echo "Server on core 0, wrk/load tool/sandbox on core 1; $CONNECTIONS connections; warm-up ${WARMUP} s per server process, ${DURATION} s per case."
  [ $QUICK = 1 ] && echo && echo "**--quick smoke run: the figures are not valid measurements.**"
  echo
  echo "| case | req/s | p50 ms | p99 ms | errors | ratio to ceiling | cpu0/cpu1 busy | target | statuses |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
  for row in "${rows[@]}"; do
    IFS='|' read -r name line target <<<"$row"
    rps=$(field "$line" rps); p50=$(field "$line" p50_ms); p99=$(field "$line" p99_ms)
    ratio=$(awk -v a="${rps:-0}" -v b="$ceiling_rps" 'BEGIN{ if (b > 0) printf "%.3f", a/b; else print "-" }')
    echo "| $name | ${rps:--} | ${p50:--} | ${p99:--} | $(field "$line" errors) | $ratio | $(field "$line" cpu0/cpu1) | $target | $(field "$line" statuses) |"
  done
  echo
  echo "Flow: $flow_line"
  echo
  echo "Memory: $memory_line"
  echo
  echo "Cold start (median of 3): $cold_line"
  if [ ${#pg_cost[@]} -gt 0 ]; then echo; echo "PostgreSQL cases, CPU per request: $(IFS=';'; echo "${pg_cost[*]}")"; fi
} >"$results"
cat "$results"
echo "raw logs: $work" >&2
