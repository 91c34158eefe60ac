-- The ceiling: the same start-sized body every time, to bench/Ceiling's POST /v1/echo.
dofile(os.getenv("BENCH_LUA") .. "/common.lua")
wrk.method = "POST"
wrk.path = "/v1/echo"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"phone":"+12122000001","clientIp":"10.0.0.1"}'

function response(status) tally(status) end
function done(summary, latency) report(summary, latency, { [200] = true }) end
