-- The HTTP ceiling: GET /actuator/health/liveness on the MathDB server (MathDB has no trivial endpoint of its own).
dofile((os.getenv("WRK_DIR") or "bench/wrk") .. "/common.lua")

function request()
   return wrk.format("GET", "/actuator/health/liveness")
end
