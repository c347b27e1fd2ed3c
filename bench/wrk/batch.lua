-- W4: a JSON array of BATCH rows per request, keys never used before. Throughput in rows/s = requests/s * BATCH.
dofile((os.getenv("WRK_DIR") or "bench/wrk") .. "/common.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
   local parts = {}
   for i = 1, BATCH do
      parts[i] = row(next_key)
      next_key = next_key + 1
   end
   return wrk.format(nil, "/tables/" .. TABLE .. "/rows" .. QUERY, nil, "[" .. table.concat(parts, ",") .. "]")
end
