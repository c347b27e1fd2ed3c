-- W9's snapshot client: POST /admin/snapshot back to back on one connection (run with -t1 -c1), one process for the
-- whole run instead of a curl process per snapshot, whose start-up took CPU from the server on a 2-core machine.
dofile((os.getenv("WRK_DIR") or "bench/wrk") .. "/common.lua")

function request()
   return wrk.format("POST", "/admin/snapshot")
end
