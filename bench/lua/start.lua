-- POST /v1/verifications with a distinct phone and client address per request (so no per-phone or per-IP limit refuses).
-- wrk ... -s start.lua -- <first phone number index>
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
local n, stride

-- Thread t of T takes numbers first+t, first+t+T, ...: contiguous, so a run of R requests uses [first, first+R).
function init(args)
  stride = tonumber(os.getenv("WRK_THREADS") or "1")
  n = tonumber(args[1] or "0") + tid
end

function request()
  local body = '{"phone":"+' .. bench_digits(n) .. '","clientIp":"' .. bench_ip(n) .. '"}'
  n = n + stride
  return wrk.format("POST", "/v1/verifications",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }, body)
end

function response(status) tally(status) end
function done(summary, latency) report(summary, latency, { [201] = true }) end
