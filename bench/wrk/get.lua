-- W3: GET one row by a random existing key in 1..NKEYS.
dofile((os.getenv("WRK_DIR") or "bench/wrk") .. "/common.lua")

function request()
   return wrk.format("GET", "/tables/" .. TABLE .. "/rows/" .. math.random(1, NKEYS))
end
