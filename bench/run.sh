#!/usr/bin/env bash
# MathDB benchmark harness (issue 5). One command on a fresh Debian machine:
#   bench/run.sh            full run (~30 min on 2 cores)
#   bench/run.sh --quick    smaller tables, shorter runs (a few minutes)
# Builds MathDB and the Spring+PG peer, installs what is missing with apt, starts every server on loopback with its
# own temporary directory, runs each workload interleaved (A B A B over several rounds, after a warm-up), stops
# everything it started, prints one markdown table and writes it to bench/RESULTS.md (bench/RESULTS-quick.md for
# --quick). See bench/README.md.
#
# Environment knobs: MATHDB_JAVA_OPTS (extra JVM flags for MathDB, e.g. a JFR recording), PEER_JAVA_OPTS,
# BENCH_KEEP=1 (keep the temporary directory and its logs), BENCH_OUT (where to write the results file).
set -Eeuo pipefail

QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    -h|--help) sed -n 2,12p "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
export WRK_DIR=$BENCH/wrk

if (( QUICK )); then
  DUR=5; WARM=2; ROUNDS=2; W10_ROUNDS=3
  N_READ=100000; N_BIG=1000000; N_WAL=300000; N_CSV=200000; N_REDIS_BENCH=200000; RESTARTS=2
  MODE="quick"; OUT=${BENCH_OUT:-$BENCH/RESULTS-quick.md}
else
  DUR=15; WARM=5; ROUNDS=3; W10_ROUNDS=7
  N_READ=1000000; N_BIG=10000000; N_WAL=5000000; N_CSV=1000000; N_REDIS_BENCH=1000000; RESTARTS=3
  MODE="full"; OUT=${BENCH_OUT:-$BENCH/RESULTS.md}
fi
CONNS=64; THREADS=2

M_PORT=18080; P_PORT=18090; PG_PORT=15433; R_PORT=16379
M_URL=http://127.0.0.1:$M_PORT; P_URL=http://127.0.0.1:$P_PORT

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------------------------------------------
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v redis-benchmark >/dev/null || need_apt+=(redis-tools)
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql postgresql-contrib)
command -v jq >/dev/null || need_apt+=(jq)
command -v curl >/dev/null || need_apt+=(curl)
command -v java >/dev/null || need_apt+=(openjdk-17-jdk-headless)
command -v jar >/dev/null || need_apt+=(openjdk-17-jdk-headless)
if (( ${#need_apt[@]} )); then
  log "installing with apt: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[[ -x $PGBIN/initdb ]] || die "no PostgreSQL binaries under /usr/lib/postgresql"

# ---------------------------------------------------------------------------------------------------------------
# Temporary directory, processes, cleanup
# ---------------------------------------------------------------------------------------------------------------
TMP=$(mktemp -d /tmp/mathdb-bench.XXXXXX)
chmod 755 "$TMP"
declare -A PIDS=()       # name -> pid of every server this script started
PG_STARTED=0

stop_pid() {  # name
  local name=$1 pid=${PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$name]"
}

cleanup() {
  local rc=$?
  set +e
  for name in "${!PIDS[@]}"; do stop_pid "$name"; done
  if (( PG_STARTED )); then pg_as "$PGBIN/pg_ctl" -D "$TMP/pg" -m immediate stop >/dev/null 2>&1; fi
  if [[ ${BENCH_KEEP:-0} == 1 || $rc != 0 ]]; then
    log "logs and data kept in $TMP"
  else
    rm -rf "$TMP"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'log "failed at line $LINENO: $BASH_COMMAND"' ERR

if [[ $(id -u) == 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  pg_as() { runuser -u postgres -- "$@"; }
else
  pg_as() { "$@"; }
fi

wait_http() {  # url timeout_s [pid] -> 0 when it answers 200; 1 on timeout or when pid has exited
  local url=$1 deadline=$(( $(date +%s) + ${2:-120} )) pid=${3:-}
  while (( $(date +%s) < deadline )); do
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null) == 200 ]] && return 0
    sleep 0.05
  done
  return 1
}

now() { date +%s.%N; }
secs_since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}'; }
iso_secs() {  # ISO-8601 duration (PT1M2.5S) -> seconds
  awk -v d="$1" 'BEGIN{ s=0; sub(/^PT/,"",d);
    if (match(d,/[0-9.]+H/)) { s+=substr(d,RSTART,RLENGTH-1)*3600 }
    if (match(d,/[0-9.]+M/)) { s+=substr(d,RSTART,RLENGTH-1)*60 }
    if (match(d,/[0-9.]+S/)) { s+=substr(d,RSTART,RLENGTH-1) }
    printf "%.3f", s }'
}
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

# ---------------------------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------------------------
log "mode: $MODE; temporary directory $TMP"
log "building MathDB"
(cd "$ROOT" && ./mvnw -B -q package -DskipTests) || die "MathDB build failed"
M_JAR=$ROOT/target/mathdb-0.1.0-SNAPSHOT.jar
log "building the Spring+PG peer"
(cd "$ROOT" && ./mvnw -B -q -f bench/peers/spring-pg/pom.xml package -DskipTests) || die "peer build failed"
P_JAR=$BENCH/peers/spring-pg/target/spring-pg-peer.jar
# The engine's classes and DuckDB's driver, for the small Java tools in bench/tools (run as single-file programs).
mkdir -p "$TMP/jar" && (cd "$TMP/jar" && jar xf "$M_JAR")
ENGINE_CP="$TMP/jar/BOOT-INF/classes:$TMP/jar/BOOT-INF/lib/*"
DUCK_CP=$(ls "$TMP"/jar/BOOT-INF/lib/duckdb_jdbc-*.jar)

# ---------------------------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------------------------
start_mathdb() {  # data_dir [extra args...]; sets M_START (epoch s) ; does not wait
  local dir=$1; shift
  mkdir -p "$dir"
  M_START=$(now)
  # shellcheck disable=SC2086
  java ${MATHDB_JAVA_OPTS:-} -jar "$M_JAR" --server.port=$M_PORT --mathdb.data-dir="$dir" "$@" \
      >>"$TMP/mathdb.log" 2>&1 &
  PIDS[mathdb]=$!
}
stop_mathdb() { stop_pid mathdb; }

start_peer() {
  # shellcheck disable=SC2086
  # from the temporary directory: the repository root's config/application.yml is MathDB's, not the peer's
  (cd "$TMP" && exec java ${PEER_JAVA_OPTS:-} -jar "$P_JAR" --server.port=$P_PORT \
      --peer.jdbc-url="jdbc:postgresql://127.0.0.1:$PG_PORT/bench" --peer.user=postgres >>"$TMP/peer.log" 2>&1) &
  PIDS[peer]=$!
  wait_http "$P_URL/actuator/health/readiness" 120 "${PIDS[peer]}" || die "the Spring+PG peer did not start (see $TMP/peer.log)"
}

start_pg() {
  mkdir -p "$TMP/pg" "$TMP/pgsock" "$TMP/pglog"
  chown postgres "$TMP/pg" "$TMP/pgsock" "$TMP/pglog" 2>/dev/null || true
  pg_as "$PGBIN/initdb" -D "$TMP/pg" -U postgres --auth=trust -E UTF8 --locale=C >"$TMP/initdb.log" 2>&1 \
      || die "initdb failed (see $TMP/initdb.log)"
  pg_as "$PGBIN/pg_ctl" -D "$TMP/pg" -l "$TMP/pglog/pg.log" -w -t 60 \
      -o "-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$TMP/pgsock \
          -c shared_buffers=1GB -c max_connections=200 -c max_wal_size=8GB -c checkpoint_timeout=30min" \
      start >/dev/null || die "PostgreSQL did not start (see $TMP/pglog/pg.log)"
  PG_STARTED=1
  "$PGBIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -qAt -c "CREATE DATABASE bench" >/dev/null
}
psql_b() { PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -h 127.0.0.1 -p $PG_PORT -U postgres -d bench -v ON_ERROR_STOP=1 -qAt "$@"; }

start_redis() {  # name dir [redis-server options...]
  local name=$1 dir=$2; shift 2
  mkdir -p "$dir"
  R_START=$(now)
  redis-server --port $R_PORT --bind 127.0.0.1 --dir "$dir" --logfile "$dir/redis.log" --daemonize no \
      --save '' --protected-mode yes "$@" >/dev/null 2>&1 &
  PIDS[$name]=$!
}
redis_wait_loaded() {  # waits until PING answers PONG (not LOADING)
  local deadline=$(( $(date +%s) + 1800 ))
  while (( $(date +%s) < deadline )); do
    [[ $(redis-cli -p $R_PORT ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.02
  done
  return 1
}
stop_redis() {  # name: SHUTDOWN NOSAVE (the AOF is fsynced on shutdown), then wait for the process
  redis-cli -p $R_PORT shutdown nosave >/dev/null 2>&1 || true
  stop_pid "$1"
}
# RESP for "HSET row:<id> id <id> name n<9 digits> age <id%100>", ids from..to: one record per row.
redis_rows() {
  awk -v from="$1" -v to="$2" 'BEGIN{
    for (i = from; i <= to; i++) {
      k = "row:" i; id = i ""; nm = sprintf("n%09d", i % 1000000000); ag = (i % 100) "";
      printf "*8\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n$2\r\nid\r\n$%d\r\n%s\r\n$4\r\nname\r\n$10\r\n%s\r\n$3\r\nage\r\n$%d\r\n%s\r\n",
        length(k), k, length(id), id, nm, length(ag), ag
    } }'
}

create_table() {  # base_url name
  local code
  code=$(curl -s -o "$TMP/create.out" -w '%{http_code}' -X POST "$1/tables" -H 'Content-Type: application/json' -d "{
    \"name\": \"$2\", \"columns\": [
      {\"name\": \"id\", \"type\": \"Int64\", \"primaryKey\": true},
      {\"name\": \"name\", \"type\": \"Utf8\"},
      {\"name\": \"age\", \"type\": \"Int32\"}]}")
  [[ $code == 201 || $code == 200 ]] || die "create table $2 at $1: HTTP $code $(cat "$TMP/create.out")"
}
load_rows() {  # base_url table start count [threads]
  java "$BENCH/tools/Load.java" "$1" "$2" "$3" "$4" 1000 "${5:-2}" >>"$TMP/load.log" 2>&1 \
      || die "loading $2 at $1 failed (see $TMP/load.log)"
  tail -1 "$TMP/load.log" >&2
}

# ---------------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------------
declare -A VAL=() P50=() P99=() NOTE=()
add() { VAL[$1]+="$2 "; }                         # key value
note() { NOTE[$1]+="$2 "; }
median() {
  tr ' ' '\n' <<<"${1:-}" | { grep -v '^$' || true; } | sort -g | awk '{a[NR]=$1} END{
    if (NR == 0) print ""; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2] + a[NR/2+1]) / 2 }'
}
med() { median "${VAL[$1]:-}"; }

RUN_ID=0
# run_wrk key script base_url duration [VAR=value...]: one wrk run; records rps, p50, p99 under key unless key is "-"
run_wrk() {
  local key=$1 script=$2 url=$3 dur=$4; shift 4
  RUN_ID=$((RUN_ID + 1))
  local out
  out=$(env KEY_BASE=$(( 10000000000000 + RUN_ID * 100000000000 )) "$@" \
        wrk -t$THREADS -c$CONNS -d"${dur}s" --timeout 10s -s "$WRK_DIR/$script" "$url" 2>&1) || true
  local line
  line=$(grep '^BENCH ' <<<"$out" | tail -1)
  if [[ -z $line ]]; then
    log "wrk failed for $key: $out"
    return 0
  fi
  [[ $key == - ]] && return 0
  local rps p50 p99 errors
  rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  p50=$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")
  errors=$(sed -E 's/.* errors=([0-9]+).*/\1/' <<<"$line")
  if [[ ${BATCH_ROWS:-} ]]; then rps=$(awk -v r="$rps" -v b="$BATCH_ROWS" 'BEGIN{printf "%.1f", r*b}'); fi
  add "$key" "$rps"; P50[$key]+="$p50 "; P99[$key]+="$p99 "
  (( errors > 0 )) && note "$key" "errors=$errors"
  log "  $key: $(printf '%.0f' "$rps")/s p50 ${p50} ms p99 ${p99} ms${errors:+ errors $errors}"
}

# ===============================================================================================================
# Phase A: HTTP workloads W1-W4, W6, the HTTP ceiling; W5 and W11 (import / export); raw Redis and pgbench
# ===============================================================================================================
log "phase A: starting PostgreSQL, the Spring+PG peer, MathDB, Redis"
start_pg
start_peer
start_mathdb "$TMP/mathdb-a"
wait_http "$M_URL/actuator/health/readiness" 120 "${PIDS[mathdb]}" || die "MathDB did not start (see $TMP/mathdb.log)"
for base in "$M_URL" "$P_URL"; do create_table "$base" w; create_table "$base" r; done
log "loading $N_READ rows into r (MathDB over HTTP, PostgreSQL with generate_series)"
load_rows "$M_URL" r 1 "$N_READ"
psql_b -c "INSERT INTO r SELECT g, 'n' || lpad((g % 1000000000)::text, 9, '0'), g % 100 FROM generate_series(1, $N_READ) g" \
       -c "VACUUM ANALYZE r"

# workload -> script and env; peer key suffix
W_LIST=(W1 W2 W3 W4 W6)
wl_script() { case $1 in W1|W6) echo insert.lua ;; W2) echo upsert.lua ;; W3) echo get.lua ;; W4) echo batch.lua ;; esac; }
wl_env() {
  case $1 in
    W1) echo "TABLE=w" ;;
    W2) echo "TABLE=r NKEYS=$N_READ" ;;
    W3) echo "TABLE=r NKEYS=$N_READ" ;;
    W4) echo "TABLE=w BATCH=1000" ;;
    W6) echo "TABLE=w QUERY=?durability=sync" ;;
  esac
}
http_run() {  # workload system duration record(0/1)
  local wl=$1 sys=$2 dur=$3 rec=$4 url key
  url=$([[ $sys == mathdb ]] && echo "$M_URL" || echo "$P_URL")
  key=$([[ $rec == 1 ]] && echo "$wl|$sys" || echo -)
  local batch=""
  [[ $wl == W4 ]] && batch=1000
  # shellcheck disable=SC2046
  BATCH_ROWS=$batch run_wrk "$key" "$(wl_script "$wl")" "$url" "$dur" $(wl_env "$wl")
  [[ $sys == peer ]] && pg_settle
  return 0
}
# After a peer's run PostgreSQL still has work from it (autovacuum of millions of new rows after W4, a checkpoint):
# done here, between runs, as pgbench vacuums before its runs, it no longer falls into the next system's measured run.
pg_settle() { psql_b -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null; }

log "warm-up: ${WARM}s per workload and system"
for wl in "${W_LIST[@]}"; do
  http_run "$wl" mathdb "$WARM" 0
  http_run "$wl" peer "$WARM" 0
done
run_wrk - ceiling.lua "$M_URL" "$WARM"

for round in $(seq 1 $ROUNDS); do
  log "phase A round $round/$ROUNDS"
  for wl in "${W_LIST[@]}"; do
    http_run "$wl" mathdb "$DUR" 1
    http_run "$wl" peer "$DUR" 1
  done
  run_wrk "CEIL|mathdb" ceiling.lua "$M_URL" "$DUR"
done

# --- W5: bulk import of a CSV file ---------------------------------------------------------------------------
log "W5: bulk import of $N_CSV CSV rows"
CSV=$TMP/import.csv
{ echo "id,name,age"; awk -v n="$N_CSV" 'BEGIN{for(i=1;i<=n;i++) printf "%d,n%09d,%d\n", i, i % 1000000000, i % 100}'; } >"$CSV"
W5_STATUS=""
for round in $(seq 0 $ROUNDS); do   # round 0 is the warm-up
  create_table "$M_URL" "imp$round"
  t0=$(now)
  code=$(curl -s -o "$TMP/w5.out" -w '%{http_code}' -X POST "$M_URL/tables/imp$round/rows" \
         -H 'Content-Type: text/csv' --data-binary @"$CSV")
  t=$(secs_since "$t0")
  if [[ $code != 2* ]]; then
    W5_STATUS="not available in this MathDB build: CSV import answered HTTP $code"
    log "  W5 MathDB: $W5_STATUS"
  elif (( round > 0 )); then
    add "W5|mathdb" "$(awk -v n="$N_CSV" -v t="$t" 'BEGIN{printf "%.1f", n/t}')"
  fi
  psql_b -c "DROP TABLE IF EXISTS imp; CREATE TABLE imp (id bigint PRIMARY KEY, name text, age integer)"
  t0=$(now)
  psql_b -c "\\copy imp FROM '$CSV' CSV HEADER"
  t=$(secs_since "$t0")
  (( round > 0 )) && add "W5|pg" "$(awk -v n="$N_CSV" -v t="$t" 'BEGIN{printf "%.1f", n/t}')"
  [[ -n $W5_STATUS ]] && break
done
psql_b -c "DROP TABLE IF EXISTS imp"
for round in $(seq 1 $ROUNDS); do   # the PostgreSQL side on its own, when MathDB could not take part
  [[ -z $W5_STATUS ]] && break
  psql_b -c "DROP TABLE IF EXISTS imp; CREATE TABLE imp (id bigint PRIMARY KEY, name text, age integer)"
  t0=$(now); psql_b -c "\\copy imp FROM '$CSV' CSV HEADER"; t=$(secs_since "$t0")
  add "W5|pg" "$(awk -v n="$N_CSV" -v t="$t" 'BEGIN{printf "%.1f", n/t}')"
done
psql_b -c "DROP TABLE IF EXISTS imp"
rm -f "$CSV"

# --- W11: export of table r (N_READ rows) as CSV and Parquet --------------------------------------------------
log "W11: export of $N_READ rows"
W11_STATUS=""
R_ROWS=$(psql_b -c "SELECT count(*) FROM r")
for round in $(seq 0 $ROUNDS); do
  for fmt in csv parquet; do
    [[ -n $W11_STATUS ]] && continue
    t0=$(now)
    # discarded, as PostgreSQL's \copy below writes to /dev/null
    code=$(curl -s -o /dev/null -w '%{http_code}' "$M_URL/tables/r/export?format=$fmt")
    t=$(secs_since "$t0")
    if [[ $code != 200 ]]; then
      W11_STATUS="not available in this MathDB build: GET /tables/r/export answered HTTP $code"
      log "  W11 MathDB: $W11_STATUS"
    elif (( round > 0 )); then
      add "W11$fmt|mathdb" "$(awk -v n="$N_READ" -v t="$t" 'BEGIN{printf "%.1f", n/t}')"
    fi
  done
  t0=$(now)
  psql_b -c "\\copy r TO '/dev/null' CSV HEADER"
  t=$(secs_since "$t0")
  (( round > 0 )) && add "W11|pg" "$(awk -v n="$R_ROWS" -v t="$t" 'BEGIN{printf "%.1f", n/t}')"
done

# --- Raw engines without HTTP (reference rows) ----------------------------------------------------------------
log "raw engines: redis-benchmark and pgbench"
start_redis redis-a "$TMP/redis-a" --appendonly yes --appendfsync everysec
redis_wait_loaded || die "Redis did not start"
redis_bench() {  # key test fsync-mode
  local out rps p99
  out=$(redis-benchmark -p $R_PORT -c $CONNS --threads $THREADS -n $N_REDIS_BENCH -r 1000000000 -t "$2" --csv 2>/dev/null \
        | grep -i "^\"$2\"" | tail -1)
  rps=$(awk -F'"' '{print $4}' <<<"$out"); p99=$(awk -F'"' '{print $14}' <<<"$out")
  if [[ -n $rps ]]; then
    add "$1" "$rps"; P50[$1]+="$(awk -F'"' '{print $10}' <<<"$out") "; P99[$1]+="$p99 "
    log "  $1: $rps/s"
  fi
}
PGB_INS=$TMP/pgb-insert.sql; PGB_GET=$TMP/pgb-get.sql
psql_b -c "CREATE TABLE pgb (id bigserial PRIMARY KEY, name text, age integer)"
echo "INSERT INTO pgb (name, age) VALUES ('n000000001', 1);" >"$PGB_INS"
printf '\\set k random(1, %d)\nSELECT id, name, age FROM r WHERE id = :k;\n' "$N_READ" >"$PGB_GET"
pgbench_run() {  # key script synchronous_commit
  local tps
  tps=$(PGOPTIONS="-c synchronous_commit=$3" "$PGBIN/pgbench" -h 127.0.0.1 -p $PG_PORT -U postgres -n -M prepared \
        -c $CONNS -j $THREADS -T "$DUR" -f "$2" bench 2>/dev/null | awk -F'= ' '/^tps/{split($2,a," "); print a[1]}')
  if [[ -n $tps ]]; then add "$1" "$tps"; log "  $1: $tps/s"; fi
}
for round in $(seq 1 $ROUNDS); do
  redis-cli -p $R_PORT config set appendfsync everysec >/dev/null
  redis_bench "RSET|everysec" set
  redis_bench "RGET|everysec" get
  redis-cli -p $R_PORT config set appendfsync always >/dev/null
  redis_bench "RSET|always" set
  pgbench_run "PGINS|off" "$PGB_INS" off
  pgbench_run "PGINS|on" "$PGB_INS" on
  pgbench_run "PGGET|-" "$PGB_GET" off
done
stop_redis redis-a
rm -rf "$TMP/redis-a"
psql_b -c "DROP TABLE pgb"

log "phase A done; stopping MathDB and the peer"
stop_mathdb
stop_pid peer
rm -rf "$TMP/mathdb-a"

# ===============================================================================================================
# Phase B: W7, recovery by replaying an insert-only log (MathDB) vs loading an AOF (Redis)
# ===============================================================================================================
log "phase B (W7): writing a log of $N_WAL single-row insert records through the engine API"
java -cp "$ENGINE_CP" "$BENCH/tools/WalGen.java" "$TMP/mathdb-wal" "$N_WAL" 64 >>"$TMP/walgen.log" 2>&1 \
    || die "WalGen failed (see $TMP/walgen.log)"
grep '^wrote' "$TMP/walgen.log" >&2 || true
W7_WAL_BYTES=$(du -sb "$TMP/mathdb-wal" | cut -f1)

log "phase B (W7): writing an AOF of $N_WAL HSET records into Redis"
AOF_OPTS=(--appendonly yes --appendfsync everysec --aof-use-rdb-preamble no --auto-aof-rewrite-percentage 0)
start_redis redis-aof "$TMP/redis-aof" "${AOF_OPTS[@]}"
redis_wait_loaded || die "Redis did not start"
redis_rows 1 "$N_WAL" | redis-cli -p $R_PORT --pipe >"$TMP/redis-pipe.log" 2>&1 || die "redis --pipe failed"
stop_redis redis-aof

mathdb_restart() {  # key data_dir rows_expected: restarts MathDB on data_dir, times recovery, records rows/s
  local key=$1 dir=$2 rows=$3
  start_mathdb "$dir" --mathdb.snapshot.interval=0 --mathdb.snapshot.wal-bytes=0
  wait_http "$M_URL/actuator/health/readiness" 1800 "${PIDS[mathdb]}" || die "MathDB did not recover $dir (see $TMP/mathdb.log)"
  local wall status dur replayed
  wall=$(secs_since "$M_START")
  status=$(curl -s "$M_URL/admin/status")
  dur=$(iso_secs "$(jq -r '.recovery.duration' <<<"$status")")
  replayed=$(jq -r '.recovery.recordsReplayed' <<<"$status")
  [[ $key == W7* ]] && rows=$replayed
  if [[ $key != - ]]; then
    add "$key" "$(awk -v n="$rows" -v t="$dur" 'BEGIN{printf "%.1f", n/t}')"
    add "${key}wall" "$wall"
  fi
  log "  $key: recovery $dur s (process start to ready ${wall} s), $replayed records replayed, $rows rows"
  stop_mathdb
}
redis_restart() {  # key name dir rows [options...]: restarts Redis, parses its load time from the log
  local key=$1 name=$2 dir=$3 rows=$4; shift 4
  : >"$dir/redis.log"
  start_redis "$name" "$dir" "$@"
  redis_wait_loaded || die "Redis did not load $dir"
  local wall secs keys
  wall=$(secs_since "$R_START")
  # the total line only: Redis 7 also logs one line per AOF part (base, incr)
  secs=$(grep -Eo 'DB loaded from (append only file|disk): [0-9.]+ seconds' "$dir/redis.log" \
         | grep -Eo '[0-9.]+ seconds' | tail -1 | awk '{printf "%.3f", $1}')
  keys=$(redis-cli -p $R_PORT dbsize)
  if [[ $key != - ]]; then
    add "$key" "$(awk -v n="$keys" -v t="$secs" 'BEGIN{ if (t > 0) printf "%.1f", n/t; else print "" }')"
    add "${key}wall" "$wall"
  fi
  log "  $key: loaded $keys keys in $secs s (process start to PONG ${wall} s)"
  stop_redis "$name"
}
log "phase B (W7): restarts, interleaved (the first of each is a warm-up)"
for round in $(seq 0 $RESTARTS); do
  k=$([[ $round == 0 ]] && echo - || echo "W7|mathdb")
  mathdb_restart "$k" "$TMP/mathdb-wal" 0
  k=$([[ $round == 0 ]] && echo - || echo "W7|redis")
  redis_restart "$k" redis-aof "$TMP/redis-aof" "$N_WAL" "${AOF_OPTS[@]}"
done
rm -rf "$TMP/mathdb-wal" "$TMP/redis-aof"

# ===============================================================================================================
# Phase C: a table of N_BIG rows: W12 (memory), W10 (group-by), W9 (W1 during snapshots), W8 (snapshot restore)
# ===============================================================================================================
log "phase C: loading $N_BIG rows into MathDB over HTTP (1000-row arrays)"
BIG=$TMP/mathdb-big
start_mathdb "$BIG" --mathdb.snapshot.interval=0 --mathdb.snapshot.wal-bytes=0
wait_http "$M_URL/actuator/health/readiness" 120 "${PIDS[mathdb]}" || die "MathDB did not start"
M_RSS_BEFORE=$(rss_kb "${PIDS[mathdb]}")
create_table "$M_URL" big
load_rows "$M_URL" big 1 "$N_BIG" 2
sleep 5
M_RSS=$(rss_kb "${PIDS[mathdb]}")
add "W12|mathdb" "$(awk -v k="$M_RSS" 'BEGIN{printf "%.0f", k/1024}')"
log "  W12 MathDB: RSS ${M_RSS} kB after loading (${M_RSS_BEFORE} kB before)"
# diagnostic only: how much of that is garbage the JVM heap keeps (G1 gives memory back after a full GC)
jcmd "${PIDS[mathdb]}" GC.run >/dev/null 2>&1 || true
sleep 2
M_RSS_GC=$(rss_kb "${PIDS[mathdb]}")
log "  W12 MathDB: RSS ${M_RSS_GC} kB after a full GC (diagnostic)"

log "W12: a bare in-memory DuckDB (JDBC, in a JVM) holding the same table"
for round in $(seq 1 $(( ROUNDS < 2 ? ROUNDS : 2 ))); do
  out=$(java -cp "$DUCK_CP" "$BENCH/tools/DuckMem.java" "$N_BIG" 2>>"$TMP/duckmem.log") || die "DuckMem failed"
  log "  W12 DuckDB: $out"
  add "W12|duckdb" "$(sed -E 's/.*rss_mb=([0-9.]+).*/\1/' <<<"$out")"
  add "W12|duckdbbase" "$(sed -E 's/.*base_mb=([0-9.]+).*/\1/' <<<"$out")"
done

log "W10: group-by over $N_BIG rows (PostgreSQL table loaded with generate_series)"
psql_b -c "CREATE TABLE big (id bigint PRIMARY KEY, name text, age integer)" \
       -c "INSERT INTO big SELECT g, 'n' || lpad((g % 1000000000)::text, 9, '0'), g % 100 FROM generate_series(1, $N_BIG) g" \
       -c "VACUUM ANALYZE big"
W10_SQL="SELECT age, count(*) AS n, avg(id) AS avg_id, min(name) AS min_name FROM big GROUP BY age ORDER BY age"
W10_STATUS=""
# Each side is timed by its own client, without the client's start-up: curl's time_total (TCP connect, request,
# answer) and psql's \timing (the query's round trip on its open session). Starting curl costs ~25 ms here and
# starting psql with its connection ~75-100 ms, a fifth of MathDB's figure and a tenth of PostgreSQL's; the wall
# times with start-up are kept for the details below.
for round in $(seq 0 $W10_ROUNDS); do
  if [[ -z $W10_STATUS ]]; then
    t0=$(now)
    out=$(curl -s -o "$TMP/w10.out" -w '%{http_code} %{time_total}' -X POST "$M_URL/query" \
          -H 'Content-Type: application/json' -d "{\"sql\": \"$W10_SQL\"}")
    t=$(secs_since "$t0")
    if [[ ${out%% *} != 200 ]]; then
      W10_STATUS="not available in this MathDB build: POST /query answered HTTP ${out%% *}"
      log "  W10 MathDB: $W10_STATUS"
    elif (( round > 0 )); then
      add "W10|mathdb" "$(awk -v t="${out#* }" 'BEGIN{printf "%.1f", t*1000}')"
      add "W10|mathdbwall" "$(awk -v t="$t" 'BEGIN{printf "%.1f", t*1000}')"
    fi
  fi
  t0=$(now)
  ms=$(psql_b -c '\timing on' -c "$W10_SQL" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
  t=$(secs_since "$t0")
  [[ -n $ms ]] || die "psql printed no timing for W10"
  if (( round > 0 )); then
    add "W10|pg" "$ms"
    add "W10|pgwall" "$(awk -v t="$t" 'BEGIN{printf "%.1f", t*1000}')"
  fi
done
psql_b -c "DROP TABLE big"

log "W9: W1 alone vs W1 while snapshots of the $N_BIG-row table are taken back to back"
run_wrk - insert.lua "$M_URL" "$WARM" TABLE=big
SNAPS_TOTAL=0
for round in $(seq 1 $ROUNDS); do
  run_wrk "W9alone|mathdb" insert.lua "$M_URL" "$DUR" TABLE=big
  # one client process takes snapshots back to back for a little longer than the measured run
  wrk -t1 -c1 -d"$(( DUR + 1 ))s" --timeout 60s -s "$WRK_DIR/snapshot.lua" "$M_URL" >"$TMP/snaps.out" 2>&1 &
  snap_loop=$!
  sleep 0.5   # the first snapshot is under way when wrk starts
  run_wrk "W9snap|mathdb" insert.lua "$M_URL" "$DUR" TABLE=big
  wait "$snap_loop" || true
  snaps=$(grep -Eo '^BENCH requests=[0-9]+' "$TMP/snaps.out" | grep -Eo '[0-9]+$' || echo 0)
  grep -q 'non2xx=0' "$TMP/snaps.out" || note "W9snap|mathdb" "snapshot requests failed: $(grep '^BENCH' "$TMP/snaps.out")"
  SNAPS_TOTAL=$(( SNAPS_TOTAL + ${snaps:-0} ))
done
log "  $SNAPS_TOTAL snapshots requested during the W9 runs"

log "W8: final snapshot, then restarts from it"
curl -s -X POST "$M_URL/admin/snapshot" >"$TMP/snapshot.json"
BIG_ROWS=$(curl -s "$M_URL/tables/big/count" | jq -r .count)
SNAP_BYTES=$(jq -r '.bytes' <"$TMP/snapshot.json")
stop_mathdb

log "W8: writing $N_BIG HSET records into Redis and saving an RDB"
RDB_OPTS=(--appendonly no --dbfilename dump.rdb)
start_redis redis-rdb "$TMP/redis-rdb" "${RDB_OPTS[@]}"
redis_wait_loaded || die "Redis did not start"
redis_rows 1 "$N_BIG" | redis-cli -p $R_PORT --pipe >>"$TMP/redis-pipe.log" 2>&1 || die "redis --pipe failed"
redis-cli -p $R_PORT save >/dev/null
RDB_BYTES=$(stat -c %s "$TMP/redis-rdb/dump.rdb")
R_RSS=$(rss_kb "${PIDS[redis-rdb]}")
stop_redis redis-rdb
for round in $(seq 0 $RESTARTS); do
  k=$([[ $round == 0 ]] && echo - || echo "W8|mathdb")
  mathdb_restart "$k" "$BIG" "$BIG_ROWS"
  k=$([[ $round == 0 ]] && echo - || echo "W8|redis")
  redis_restart "$k" redis-rdb "$TMP/redis-rdb" "$N_BIG" "${RDB_OPTS[@]}"
done

# ===============================================================================================================
# The table
# ===============================================================================================================
fmt_num() { awk -v v="$1" 'BEGIN{ if (v == "") print "n/a"; else if (v >= 100) printf "%.0f", v; else printf "%.2f", v }'; }
lat() {  # key -> "p50 / p99" in ms (medians over rounds)
  local a b
  a=$(median "${P50[$1]:-}"); b=$(median "${P99[$1]:-}")
  [[ -z $a ]] && { echo ""; return; }
  printf '%.2f / %.2f' "$a" "$b"
}
ROWS=()
# row label unit mathdb_value peer_name peer_value op target [mathdb_lat peer_lat] [why-not]
row() {
  local label=$1 unit=$2 m=$3 pname=$4 p=$5 op=$6 target=$7 mlat=${8:-} plat=${9:-} why=${10:-} inv=${11:-}
  local ratio met
  if [[ -n $why ]]; then
    ratio="n/a"; met="not measured: $why"
  elif [[ -z $m || -z $p ]]; then
    ratio="n/a"; met="not measured"
  else
    if [[ -n $inv ]]; then   # times: the ratio is how many times faster MathDB is
      ratio=$(awk -v m="$m" -v p="$p" 'BEGIN{ if (m == 0) print "n/a"; else printf "%.2f", p/m }')
    else
      ratio=$(awk -v m="$m" -v p="$p" 'BEGIN{ if (p == 0) print "n/a"; else printf "%.2f", m/p }')
    fi
    if [[ $op == ref ]]; then met="(reference)"
    else met=$(awk -v r="$ratio" -v t="$target" -v op="$op" 'BEGIN{
      ok = (op == ">=") ? (r >= t) : (r <= t); print ok ? "**met**" : "missed" }')
    fi
  fi
  local tgt
  tgt=$([[ $op == ref ]] && echo "-" || echo "$op ${target}x")
  ROWS+=("| $label | $unit | $(fmt_num "$m") | $pname | $(fmt_num "$p") | $ratio | $tgt | $met | $mlat | $plat |")
}
m1=$(med "W1|mathdb"); m3=$(med "W3|mathdb"); ceil=$(med "CEIL|mathdb")
row "W1 single-row insert, default durability" "req/s" "$m1" "Spring+PG (sync off)" "$(med "W1|peer")" ">=" 2.5 \
    "$(lat "W1|mathdb")" "$(lat "W1|peer")"
row "W1 vs the HTTP ceiling" "req/s" "$m1" "ceiling: GET /actuator/health/liveness on MathDB" "$ceil" ">=" 0.6 \
    "$(lat "W1|mathdb")" "$(lat "CEIL|mathdb")"
row "W2 single-row upsert (existing keys)" "req/s" "$(med "W2|mathdb")" "Spring+PG upsert (sync off)" "$(med "W2|peer")" \
    ">=" 2.5 "$(lat "W2|mathdb")" "$(lat "W2|peer")"
row "W3 get by key, $N_READ-row table" "req/s" "$m3" "Spring+PG" "$(med "W3|peer")" ">=" 2 \
    "$(lat "W3|mathdb")" "$(lat "W3|peer")"
row "W3 vs the HTTP ceiling" "req/s" "$m3" "ceiling: GET /actuator/health/liveness on MathDB" "$ceil" ">=" 0.75 \
    "$(lat "W3|mathdb")" "$(lat "CEIL|mathdb")"
row "W4 batch insert, 1000-row arrays" "rows/s" "$(med "W4|mathdb")" "Spring+PG batch (sync off)" "$(med "W4|peer")" \
    ">=" 2 "$(lat "W4|mathdb")" "$(lat "W4|peer")"
row "W5 bulk import, CSV of $N_CSV rows" "rows/s" "$(med "W5|mathdb")" "PostgreSQL \\copy into a keyed table" \
    "$(med "W5|pg")" ">=" 1 "" "" "$W5_STATUS"
row "W6 single-row insert, durability=sync" "req/s" "$(med "W6|mathdb")" "Spring+PG (sync on)" "$(med "W6|peer")" \
    ">=" 3 "$(lat "W6|mathdb")" "$(lat "W6|peer")"
row "W6 vs MathDB's own W1" "req/s" "$(med "W6|mathdb")" "MathDB W1" "$m1" ">=" 0.8 "$(lat "W6|mathdb")" \
    "$(lat "W1|mathdb")"
row "W7 recovery: replay of $N_WAL single-row insert records" "records/s" "$(med "W7|mathdb")" \
    "Redis AOF load ($N_WAL HSET)" "$(med "W7|redis")" ">=" 2
row "W8 restore of a $BIG_ROWS-row snapshot" "rows/s" "$(med "W8|mathdb")" "Redis RDB load ($N_BIG hashes)" \
    "$(med "W8|redis")" ">=" 1
row "W9 W1 while $N_BIG-row snapshots are taken: throughput" "req/s" "$(med "W9snap|mathdb")" "MathDB W1 alone, same table" \
    "$(med "W9alone|mathdb")" ">=" 0.7 "$(lat "W9snap|mathdb")" "$(lat "W9alone|mathdb")"
row "W9 p99 during snapshots" "ms" "$(median "${P99["W9snap|mathdb"]:-}")" "p99 of W1 alone" \
    "$(median "${P99["W9alone|mathdb"]:-}")" "<=" 2
# W10 is a time: the ratio is PostgreSQL's time over MathDB's (how many times faster MathDB is)
w10m=$(med "W10|mathdb"); w10p=$(med "W10|pg")
row "W10 group-by over $N_BIG rows via /query" "ms" "$w10m" "PostgreSQL, same query (psql \\timing)" \
    "$w10p" ">=" 10 "" "" "$W10_STATUS" inv
row "W11 export of $N_READ rows, CSV" "rows/s" "$(med "W11csv|mathdb")" "PostgreSQL \\copy out (CSV)" "$(med "W11|pg")" \
    ">=" 2 "" "" "$W11_STATUS"
row "W11 export of $N_READ rows, Parquet" "rows/s" "$(med "W11parquet|mathdb")" "PostgreSQL \\copy out (CSV)" \
    "$(med "W11|pg")" ">=" 2 "" "" "$W11_STATUS"
row "W12 RSS after loading $N_BIG rows" "MB" "$(med "W12|mathdb")" "bare in-memory DuckDB (JDBC, in a JVM)" \
    "$(med "W12|duckdb")" "<=" 1.3
row "p99 of W1 at 64 connections" "ms" "$(median "${P99["W1|mathdb"]:-}")" "Spring+PG p99" \
    "$(median "${P99["W1|peer"]:-}")" "<=" 0.5
row "p99 of W3 at 64 connections" "ms" "$(median "${P99["W3|mathdb"]:-}")" "Spring+PG p99" \
    "$(median "${P99["W3|peer"]:-}")" "<=" 0.5
row "ref: W1 vs raw Redis SET, AOF everysec (redis-benchmark)" "req/s" "$m1" "Redis SET" "$(med "RSET|everysec")" ref ""
row "ref: W6 vs raw Redis SET, AOF always" "req/s" "$(med "W6|mathdb")" "Redis SET (always)" "$(med "RSET|always")" ref ""
row "ref: W3 vs raw Redis GET" "req/s" "$m3" "Redis GET" "$(med "RGET|everysec")" ref ""
row "ref: W1 vs raw PostgreSQL insert, sync off (pgbench)" "req/s" "$m1" "pgbench INSERT" "$(med "PGINS|off")" ref ""
row "ref: W6 vs raw PostgreSQL insert, sync on (pgbench)" "req/s" "$(med "W6|mathdb")" "pgbench INSERT" \
    "$(med "PGINS|on")" ref ""
row "ref: W3 vs raw PostgreSQL get by key (pgbench)" "req/s" "$m3" "pgbench SELECT" "$(med "PGGET|-")" ref ""

TABLE_MD=$(
  echo "| workload | unit | MathDB median | peer | peer median | ratio | target | met | MathDB p50 / p99 ms | peer p50 / p99 ms |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
)
echo
echo "$TABLE_MD"
echo

NOTES=""
for k in "${!NOTE[@]}"; do NOTES+="- $k: ${NOTE[$k]}"$'\n'; done
CPU=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
{
  echo "# MathDB benchmark results ($MODE run)"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- machine: $(nproc) cores ($CPU), $(free -g | awk '/^Mem:/{print $2}') GiB memory, kernel $(uname -r)"
  echo "- Java: $(java -version 2>&1 | head -1); PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'); $(redis-server --version | awk '{print $1, $2, $3}'); $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}' || true)"
  echo "- MathDB commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- settings: wrk $THREADS threads, $CONNS connections, ${DUR}s per run, $ROUNDS rounds after a ${WARM}s warm-up,"
  echo "  interleaved MathDB / peer; medians over the rounds; restarts (W7, W8): 1 warm-up + $RESTARTS measured"
  echo "- the figures come from a shared 2-core machine on which other engineers were compiling and running tests:"
  echo "  load generator, servers and PostgreSQL share the same two cores; read ratios, not absolute numbers"
  echo
  echo "$TABLE_MD"
  echo
  echo "Ratio = MathDB median / peer median (W10: PostgreSQL time / MathDB time, i.e. how many times faster; latency and
memory rows: MathDB / peer, lower is better)."
  echo "Targets are those of issue 5. The HTTP ceiling is GET /actuator/health/liveness on the MathDB server itself"
  echo "(MathDB has no trivial endpoint of its own; the actuator's health endpoint is not free either, so the ceiling"
  echo "is a little low)."
  echo
  echo "Details:"
  echo "- W7: log of $N_WAL single-row insert records ($(( W7_WAL_BYTES / 1048576 )) MiB) written through the engine API"
  echo "  (bench/tools/WalGen.java); rate = recovery.recordsReplayed / recovery.duration from /admin/status. Process"
  echo "  start to readiness (s), MathDB: $(med "W7|mathdbwall"); Redis start to PONG: $(med "W7|rediswall")."
  echo "  Redis: AOF without RDB preamble, rate = DBSIZE / the load time in its log."
  echo "- W8: snapshot of $BIG_ROWS rows, $(( ${SNAP_BYTES:-0} / 1048576 )) MiB; Redis RDB $(( ${RDB_BYTES:-0} / 1048576 )) MiB"
  echo "  (Redis RSS with the data: $(( ${R_RSS:-0} / 1024 )) MB). Process start to readiness (s), MathDB:"
  echo "  $(med "W8|mathdbwall"); Redis: $(med "W8|rediswall")."
  echo "- W10: $W10_ROUNDS rounds after one unmeasured, interleaved; each time is the client's own (curl's"
  echo "  time_total, psql's \\timing on an open session). Wall time of the client process, start-up and connection"
  echo "  included (how runs before this one measured W10): MathDB $(med "W10|mathdbwall") ms, PostgreSQL $(med "W10|pgwall") ms."
  echo "- W9: $SNAPS_TOTAL snapshots requested back to back (POST /admin/snapshot) during the measured W9 runs."
  echo "- W12: MathDB RSS before the load $(( ${M_RSS_BEFORE:-0} / 1024 )) MB, after a full GC (jcmd GC.run, diagnostic,"
  echo "  not the measured figure) $(( ${M_RSS_GC:-0} / 1024 )) MB (JVM defaults, no -Xmx); the DuckDB"
  echo "  figure includes its JVM (bench/tools/DuckMem.java; RSS of that JVM before creating the table: $(med "W12|duckdbbase") MB)."
  if [[ -n $NOTES ]]; then echo "- errors seen by wrk:"; echo "$NOTES"; fi
  if [[ -f $BENCH/ANALYSIS.md ]]; then echo; cat "$BENCH/ANALYSIS.md"; fi
} >"$OUT"
log "results written to $OUT"
