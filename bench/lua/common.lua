-- Shared by the wrk scripts: distinct phones (same formula as bench/OtpGate.LoadTool/BenchPhones.cs), status tallies,
-- and one machine-readable RESULT line that bench/load.sh parses.
local areas = { "212", "646", "718", "917" }

function bench_digits(n)
  return "1" .. areas[math.floor(n / 3000000) % 4 + 1] .. (200 + math.floor(n / 10000) % 300) .. string.format("%04d", n % 10000)
end

function bench_ip(n)
  return string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
end

-- Each wrk thread has its own Lua state: number them so their sequences never overlap.
local threads = {}
local next_id = 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

counts = {}
function tally(status)
  counts[status] = (counts[status] or 0) + 1
end

-- expected: the statuses that are answers rather than errors (e.g. 200 and 422 for check).
function report(summary, latency, expected)
  local tallies, errors, parts = {}, 0, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts") or {}) do
      tallies[status] = (tallies[status] or 0) + n
    end
  end
  for status, n in pairs(tallies) do
    table.insert(parts, status .. ":" .. n)
    if not expected[status] then errors = errors + n end
  end
  table.sort(parts)
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d socket_errors=%d statuses=%s\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors + socket, socket, table.concat(parts, ",")))
end

function load_lines(path)
  local lines = {}
  for line in io.lines(path) do
    local id, code, message = line:match("^(%S+) (%S+) (%S+)$")
    if id then table.insert(lines, { id = id, code = code, message = message }) end
  end
  return lines
end
