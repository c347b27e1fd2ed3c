-- W1 / W6: one row per request, a key never used before (per thread counter above KEY_BASE).
dofile((os.getenv("WRK_DIR") or "bench/wrk") .. "/common.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
   local k = next_key
   next_key = next_key + 1
   return wrk.format(nil, "/tables/" .. TABLE .. "/rows" .. QUERY, nil, row(k))
end
