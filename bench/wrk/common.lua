-- Shared by the bench scripts: per-thread ids and seeds, and a one-line machine-readable summary.
-- Environment: TABLE (table name), KEY_BASE (first key of this run, for unique inserts), NKEYS (existing keys
-- 1..NKEYS, for random reads and upserts), QUERY (query string appended to the rows URL, e.g. "?durability=sync").
TABLE = os.getenv("TABLE") or "w"
KEY_BASE = tonumber(os.getenv("KEY_BASE") or "1000000000")
NKEYS = tonumber(os.getenv("NKEYS") or "1000")
QUERY = os.getenv("QUERY") or ""
BATCH = tonumber(os.getenv("BATCH") or "1000")

local threads = {}
local counter = 0

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

function init(args)
   -- 10^10 keys per thread: unique keys across threads and connections of one run
   next_key = KEY_BASE + tid * 10000000000
   math.randomseed(os.time() * 1000 + tid * 7919)
end

function name(k)
   return string.format("n%09d", k % 1000000000)
end

function row(k)
   return string.format('{"id":%d,"name":"%s","age":%d}', k, name(k), k % 100)
end

function done(summary, latency, requests)
   local errs = summary.errors.status + summary.errors.connect + summary.errors.read
              + summary.errors.write + summary.errors.timeout
   io.write(string.format("BENCH requests=%d duration_us=%d rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d non2xx=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, errs, summary.errors.status))
end
