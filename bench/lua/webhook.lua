-- POST /webhooks/1msg/{secret}: 1MSG's normalised ack, one status per callback, for message ids OtpGate sent
-- ($CHECK_FILE). wrk -t1 ... -s webhook.lua -- <first entry>. Each message gets sent, delivered, then read (spread over a
-- window of 64 messages, like 1MSG's callbacks for many messages), so every status is new until the list wraps round.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local entries, first, k, path
local statuses = { "sent", "delivered", "read" }
local window = 64

function init(args)
  entries = load_lines(os.getenv("CHECK_FILE"))
  first = tonumber(args[1] or "0") + tid * 1000000
  k = 0
  path = "/webhooks/1msg/" .. os.getenv("BENCH_WEBHOOK_SECRET")
end

function request()
  local status = statuses[math.floor(k / window) % 3 + 1]
  local e = entries[(first + (k % window) + window * math.floor(k / (3 * window))) % #entries + 1]
  k = k + 1
  local body = '{"instanceId":"sandbox","ack":[{"id":"' .. e.message .. '","status":"' .. status .. '","time":' .. os.time() .. '}]}'
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end

function response(status) tally(status) end
function done(summary, latency) report(summary, latency, { [200] = true }) end
