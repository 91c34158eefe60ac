#!/usr/bin/env bash
# A CPU profile of OtpGate under one load case:   bash bench/cpu-profile.sh [start|check|webhook]
#   STORAGE=postgres profiles it on a durable throwaway PostgreSQL cluster (on core 1) instead of SQLite.
#   As load.sh runs it (server on core 0; wrk and the standalone sandbox on core 1; the same limits raised, the spend cap
#   and the fraud guard on but never refusing), warmed 60 s with starts, then 15 s of
#   `perf record` with the runtime's perf map (JIT'd methods get names). Writes bench/results/cpu-profile-<case>.md:
#   CPU share per library, the costliest kernel calls, the top functions, and the storage group-commit counters.
set -euo pipefail
# Free loopback ports (never fixed ones: another run or service may hold them).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
server_port=$(free_port)
sandbox_port=$(free_port)
cd "$(dirname "$0")/.."
root=$PWD
case_name=${1:-start}
WARMUP=${WARMUP:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/otpgate-cpu.XXXXXX")
art=$work/artifacts
STORAGE=${STORAGE:-sqlite}
case "$STORAGE" in sqlite) out=$root/bench/results/cpu-profile-$case_name.md; storage_args=(--Storage:DataDirectory="$work/sqlite") ;;
  postgres) out=$root/bench/results/cpu-profile-$case_name-postgres.md ;;
  *) echo "STORAGE must be sqlite or postgres" >&2; exit 1 ;; esac
export BENCH_LUA=$root/bench/lua BENCH_KEY=bench-api-key-0123456789abcdef BENCH_WEBHOOK_SECRET=benchwebhooksecret0123456789ab
export CHECK_FILE=$work/checks.txt DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
case "$case_name" in start|check|webhook) ;; *) echo "usage: bench/cpu-profile.sh [start|check|webhook]" >&2; exit 1 ;; esac

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v perf >/dev/null || missing+=(linux-perf)
[ ${#missing[@]} -eq 0 ] || { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }

for project in src/OtpGate.Server src/OtpGate.Sandbox.Host bench/OtpGate.LoadTool; do
  dotnet build "$project" -c Release --artifacts-path "$art" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done

pids=()
stop_pid() { kill "$1" 2>/dev/null || return 0; for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; }
pg_dir=""
trap 'for p in "${pids[@]}"; do stop_pid "$p"; done; [ -z "$pg_dir" ] || bash "$root/eng/postgres.sh" stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
if [ "$STORAGE" = postgres ]; then
  chmod 755 "$work"
  pg_dir=$work/pg
  connection=$(POSTGRES_DURABLE=1 bash eng/postgres.sh start "$pg_dir")
  taskset -a -cp 1 "$(head -1 "$pg_dir/data/postmaster.pid")" >/dev/null 2>&1 || true
  storage_args=(--Storage:DataDirectory="$work/pgdata" --Storage:Provider=postgres --Storage:ConnectionString="$connection")
fi
wait_http() { local deadline=$((SECONDS + 60)); until curl -sf -o /dev/null "$1"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.1; done; }

(cd "$art/bin/OtpGate.Sandbox.Host/release" && exec taskset -c 1 dotnet OtpGate.Sandbox.Host.dll --urls http://127.0.0.1:$sandbox_port \
  --Sandbox:RateLimitPerSecond=1000 --Sandbox:MaxConversations=400000 --Logging:LogLevel:Default=Warning --Sandbox:AckNotificationsOn=false) >"$work/sandbox.log" 2>&1 &
pids+=($!)
# The runtime writes /tmp/perf-PID.map; W^X off so that perf can read the JIT'd code's addresses (profiling only).
(cd "$art/bin/OtpGate.Server/release" && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 exec taskset -c 0 dotnet OtpGate.Server.dll \
  --urls http://127.0.0.1:$server_port "${storage_args[@]}" --OneMsg:RegisterWebhook=false \
  --Api:Keys:bench="$BENCH_KEY" --Api:RateLimit:PerKeyPerMinute=100000000 --Api:RateLimit:PerIpPerMinute=100000000 \
  --Spend:DailyCap="${SPEND_CAP:-1000000}" --Fraud:ConversionFloor=0.000000001 \
  --Fraud:PrefixStartsPerMinute=1000000000 --Fraud:CountryStartsPerMinute=1000000000 \
  --Verification:MaxStartsPerIpPer10Minutes=1000000 --Verification:CodeLifetime=00:30:00 --Verification:Dispatch:ChannelRatePerSecond=1000 \
  --Security:Secret=bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz --OneMsg:BaseUrl=http://127.0.0.1:$sandbox_port --OneMsg:ChannelId=sandbox \
  --OneMsg:Token=sandbox-token --OneMsg:Template:Name=registration_otp --OneMsg:Template:Namespace=otpgate_sandbox \
  --OneMsg:Template:Language=en --OneMsg:WebhookSecret="$BENCH_WEBHOOK_SECRET") >"$work/server.log" 2>&1 &
server=$!
pids+=("$server")
wait_http http://127.0.0.1:$server_port/healthz
wait_http "http://127.0.0.1:$sandbox_port/_sandbox/messages?limit=1"

# Warmed with starts whatever the case (as load.sh does), so that tiered JIT has compiled the hot paths.
echo "warming ${WARMUP}s under start load" >&2
taskset -c 1 wrk -t1 -c32 -d"${WARMUP}s" --timeout 10s -s bench/lua/start.lua http://127.0.0.1:$server_port -- 0 >"$work/warm.txt" 2>&1 || true
script=$case_name.lua
first=1000000
if [ "$case_name" != start ]; then
  echo "preparing 30000 verifications" >&2
  taskset -c 1 dotnet "$art/bin/OtpGate.LoadTool/release/OtpGate.LoadTool.dll" prepare --api http://127.0.0.1:$server_port --key "$BENCH_KEY" \
    --sandbox http://127.0.0.1:$sandbox_port --from 4000000 --count 30000 --out "$CHECK_FILE" --timeout 600 >/dev/null
  taskset -c 1 wrk -t1 -c32 -d5s --timeout 10s -s "bench/lua/$script" http://127.0.0.1:$server_port -- 20000 >/dev/null 2>&1 || true
  first=0
fi
taskset -c 1 wrk -t1 -c32 -d20s --timeout 10s -s "bench/lua/$script" http://127.0.0.1:$server_port -- "$first" >"$work/load.txt" 2>&1 &
wrk_pid=$!
sleep 3
perf record -F 499 -g -p "$server" -o "$work/perf.data" -- sleep 15 >/dev/null 2>&1
wait "$wrk_pid" || true
metrics=$(curl -s http://127.0.0.1:$server_port/metrics | grep -E '^otpgate_(storage|verifications_started|messages_accepted|checks)' || true)

set +o pipefail # head closes the pipes early on purpose
report() { perf report -i "$work/perf.data" --stdio -g none "$@" 2>/dev/null | grep '%' | sed 's/  */ /g'; }
{
  echo "# CPU profile of OtpGate ($case_name, $STORAGE) — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Server pinned to core 0, wrk and the sandbox on core 1, 32 connections, warmed ${WARMUP}s; perf at 499 Hz for 15 s."
  echo
  echo "Load during the sample: \`$(grep '^RESULT' "$work/load.txt" || echo 'no RESULT line')\`"
  echo
  echo "## CPU by library (self time)"
  echo '```'
  report --no-children --sort dso | head -15
  echo '```'
  echo "## Kernel calls (inclusive)"
  echo '```'
  report --children --sort symbol | grep '__x64_sys' | awk '{print $1, $4}' | head -12
  echo '```'
  echo "## Top functions (self time)"
  echo '```'
  report --no-children --sort dso,symbol | head -${TOP:-45} | cut -c1-190
  echo '```'
  echo "## Storage counters at the end (writes per commit = group size)"
  echo '```'
  echo "$metrics"
  echo '```'
} >"$out"
echo "wrote $out" >&2
