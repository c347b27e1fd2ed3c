-- W2: one row per request with ?on_conflict=update, a random existing key in 1..NKEYS (so the upsert updates).
dofile((os.getenv("WRK_DIR") or "bench/wrk") .. "/common.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
   local k = math.random(1, NKEYS)
   return wrk.format(nil, "/tables/" .. TABLE .. "/rows?on_conflict=update", nil,
      string.format('{"id":%d,"name":"%s","age":%d}', k, name(k + 1), (k + 1) % 100))
end
