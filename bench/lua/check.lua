-- POST /v1/verifications/{id}/check over pre-created verifications ($CHECK_FILE: "id code messageId" lines).
-- wrk -t1 ... -s check.lua -- <first entry>. Each verification gets a wrong code, another wrong code, then the right
-- one, so one check in three approves. The three are spread over a window of 64 verifications, more than the 32
-- connections, so a verification's checks are not in flight at the same time (the right code would otherwise often
-- win the race and the wrong ones after it get 409 already_approved).
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local entries, first, k, headers
local window = 64

function init(args)
  entries = load_lines(os.getenv("CHECK_FILE"))
  first = tonumber(args[1] or "0") + tid * 1000000
  k = 0
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
end

function request()
  local step = math.floor(k / window) % 3
  local e = entries[(first + (k % window) + window * math.floor(k / (3 * window))) % #entries + 1]
  k = k + 1
  local code = e.code
  if step < 2 then code = string.format("%06d", (tonumber(e.code) + 1 + step) % 1000000) end
  return wrk.format("POST", "/v1/verifications/" .. e.id .. "/check", headers, '{"code":"' .. code .. '"}')
end

function response(status) tally(status) end
-- 200 approved and 422 wrong_code are the answers asked for; anything else (409 after wrapping round, 429, 5xx) is counted.
function done(summary, latency) report(summary, latency, { [200] = true, [422] = true }) end
