#!/usr/bin/env bash
# The evidence behind the misses in bench/RESULTS.md:   bash bench/profile.sh
#   OtpGate on SQLite (as load.sh runs it: core 0, sandbox and wrk on core 1), warmed 60 s with starts, then under the
#   same start load: dotnet-counters (CPU, GC, thread pool, lock contention), a dotnet-trace CPU sample (top methods),
#   and strace counts of fsync/fdatasync per start; then the fsync latency of the disk under the data folder.
#   Installs dotnet-counters and dotnet-trace from NuGet into a temporary folder when they are not on PATH.
#   Writes bench/results/profile.md.
set -euo pipefail
# Free loopback ports (never fixed ones: another run or service may hold them).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
server_port=$(free_port)
sandbox_port=$(free_port)
cd "$(dirname "$0")/.."
root=$PWD
WARMUP=${WARMUP:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/otpgate-profile.XXXXXX")
art=$work/artifacts
out=$root/bench/results/profile.md
export BENCH_LUA=$root/bench/lua BENCH_KEY=bench-api-key-0123456789abcdef DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v wrk >/dev/null && command -v strace >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk strace >/dev/null; }
tools=$work/tools
counters=$(command -v dotnet-counters || true)
trace=$(command -v dotnet-trace || true)
if [ -z "$counters" ] || [ -z "$trace" ]; then
  dotnet tool install --tool-path "$tools" dotnet-counters >/dev/null
  dotnet tool install --tool-path "$tools" dotnet-trace >/dev/null
  counters=$tools/dotnet-counters trace=$tools/dotnet-trace
fi

for project in src/OtpGate.Server src/OtpGate.Sandbox.Host; do
  dotnet build "$project" -c Release --artifacts-path "$art" -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
done

pids=()
stop_pid() { kill "$1" 2>/dev/null || return 0; for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -9 "$1" 2>/dev/null || true; }
trap 'for p in "${pids[@]}"; do stop_pid "$p"; done' EXIT
start_on() { local core=$1 name=$2 dir=$3; shift 3; (cd "$dir" && exec taskset -c "$core" dotnet "$@") >"$work/$name.log" 2>&1 & pid=$!; pids+=("$pid"); }
wait_http() { local deadline=$((SECONDS + 60)); until curl -sf -o /dev/null "$1"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.1; done; }
load() { # SECONDS OFFSET -> RESULT line
  taskset -c 1 wrk -t1 -c32 -d"$1s" --timeout 10s -s "$root/bench/lua/start.lua" http://127.0.0.1:$server_port -- "$2" | grep '^RESULT'
}

start_on 1 sandbox "$art/bin/OtpGate.Sandbox.Host/release" OtpGate.Sandbox.Host.dll --urls http://127.0.0.1:$sandbox_port \
  --Sandbox:RateLimitPerSecond=1000 --Sandbox:MaxConversations=400000 --Sandbox:AckNotificationsOn=false --Logging:LogLevel:Default=Warning
wait_http "http://127.0.0.1:$sandbox_port/_sandbox/messages?limit=1"
# The same settings as load.sh (limits raised for the run only; durability as shipped).
start_on 0 otpgate "$art/bin/OtpGate.Server/release" OtpGate.Server.dll --urls http://127.0.0.1:$server_port \
  --Storage:DataDirectory="$work/data" --OneMsg:RegisterWebhook=false \
  --Api:Keys:bench="$BENCH_KEY" --Api:RateLimit:PerKeyPerMinute=100000000 --Api:RateLimit:PerIpPerMinute=100000000 \
  --Verification:MaxStartsPerIpPer10Minutes=1000000 --Verification:CodeLifetime=00:30:00 --Verification:Dispatch:ChannelRatePerSecond=1000 \
  --Security:Secret=bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
  --OneMsg:BaseUrl=http://127.0.0.1:$sandbox_port --OneMsg:ChannelId=sandbox --OneMsg:Token=sandbox-token \
  --OneMsg:Template:Name=registration_otp --OneMsg:Template:Namespace=otpgate_sandbox --OneMsg:Template:Language=en
server=$pid
wait_http http://127.0.0.1:$server_port/healthz
echo "warm-up ${WARMUP}s" >&2
load "$WARMUP" 0 >/dev/null

echo "dotnet-counters, 15 s" >&2
taskset -c 1 "$counters" collect -p "$server" --refresh-interval 1 --duration 00:00:00:15 --format csv -o "$work/counters.csv" \
  --counters System.Runtime,Microsoft.AspNetCore.Hosting,System.Net.Sockets >/dev/null 2>&1 &
counters_pid=$!
counters_load=$(load 15 2000000)
wait "$counters_pid" || true

echo "dotnet-trace cpu-sampling, 15 s" >&2
taskset -c 1 "$trace" collect -p "$server" --profile dotnet-sampled-thread-time --duration 00:00:00:15 -o "$work/start.nettrace" >/dev/null 2>&1 &
trace_pid=$!
trace_load=$(load 15 3000000)
wait "$trace_pid" || true

echo "strace fsync counts, 10 s" >&2
timeout 10 strace -f -c -e trace=fsync,fdatasync -p "$server" -o "$work/strace.txt" &
strace_pid=$!
strace_load=$(load 10 4000000)
wait "$strace_pid" || true
echo "memory counters, 10 s idle after the load" >&2
sleep 5
taskset -c 1 "$counters" collect -p "$server" --refresh-interval 1 --duration 00:00:00:10 --format csv -o "$work/idle.csv" \
  --counters System.Runtime >/dev/null 2>&1 || true
idle_rss=$(awk '/^VmRSS/{printf "%.0f MiB", $2/1024}' "/proc/$server/status")
rows=$(sqlite3 "file:$work/data/otpgate.db?mode=ro" "SELECT (SELECT count(*) FROM verifications), (SELECT count(*) FROM sends WHERE message_id IS NOT NULL)" 2>/dev/null || echo "?")

# fsync latency of the disk under the data folder: 2,000 synchronous 4 KiB writes.
dd_line=$(cd "$work" && dd if=/dev/zero of=fsync-test bs=4k count=2000 oflag=dsync 2>&1 | tail -1)

# Mean of each counter over the 15 s (csv: Timestamp,Provider,Counter Name,Counter Type,Mean/Increment).
idle_means=$(awk -F, 'NR>1 && $5 != "" {sum[$3]+=$5; n[$3]++} END{for (k in sum) printf "| %s | %.1f |\n", k, sum[k]/n[k]}' "$work/idle.csv" | sort)
counter_means=$(awk -F, 'NR>1 && $5 != "" {sum[$3]+=$5; n[$3]++} END{for (k in sum) printf "| %s | %.1f |\n", k, sum[k]/n[k]}' "$work/counters.csv" | sort)

{
  echo "# Profile of OtpGate start on SQLite ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "Machine: $(nproc) cores, $(. /etc/os-release; echo "$PRETTY_NAME"). Server on core 0, wrk + sandbox on core 1, 32 connections, warmed ${WARMUP} s."
  echo
  echo "## dotnet-counters during start load"
  echo
  echo "Load: $counters_load"
  echo
  echo "| counter | mean over 15 s |"
  echo "|---|---:|"
  echo "$counter_means"
  echo
  echo "## dotnet-trace (sampled thread time) during start load"
  echo
  echo "Load: $trace_load"
  echo
  echo '```'
  "$trace" report "$work/start.nettrace" topN -n 25 2>&1 | head -40 || true
  echo
  "$trace" report "$work/start.nettrace" topN -n 25 --inclusive 2>&1 | head -40 || true
  echo '```'
  echo
  echo "## fsync/fdatasync calls during 10 s of start load (strace -f -c)"
  echo
  echo "Load: $strace_load (strace slows the process; the count per start is what matters)"
  echo
  echo '```'
  cat "$work/strace.txt"
  echo '```'
  echo
  echo "Verifications and sends with a message id in the database at the end: $rows"
  echo
  echo "## Memory, idle after the load (VmRSS $idle_rss; data folder $(du -sh "$work/data" | cut -f1))"
  echo
  echo "| counter | mean over 10 s |"
  echo "|---|---:|"
  echo "$idle_means"
  echo
  echo "## Disk: 2,000 synchronous 4 KiB writes (dd oflag=dsync) in the data folder's file system"
  echo
  echo '```'
  echo "$dd_line"
  echo '```'
} >"$out"
cat "$out"
