#!/usr/bin/env bash
# Profiles MathDB under one wrk workload with JDK Flight Recorder and prints the hottest frames.
#   bench/profile.sh insert|get|upsert|sync [seconds]
# Starts its own MathDB (port 18081, temp dir), loads 100k rows into r, runs wrk (2 threads, 64 connections),
# then prints: top frames of jdk.ExecutionSample (Java on CPU) and jdk.NativeMethodSample (threads in native
# code, e.g. DuckDB), and inclusive samples per component. Build first (./mvnw -B -q package -DskipTests).
set -Eeuo pipefail
WL=${1:-insert}; SECS=${2:-20}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export WRK_DIR=$ROOT/bench/wrk
TMP=$(mktemp -d /tmp/mathdb-profile.XXXXXX)
PORT=18081; URL=http://127.0.0.1:$PORT
JFR=$TMP/mathdb.jfr
java -XX:StartFlightRecording=filename=$JFR,settings=profile -jar "$ROOT/target/mathdb-0.1.0-SNAPSHOT.jar" \
    --server.port=$PORT --mathdb.data-dir="$TMP/data" >"$TMP/mathdb.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 1200); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/actuator/health/readiness") == 200 ]] && break; sleep 0.1
done
for t in w r; do
  curl -s -o /dev/null -X POST "$URL/tables" -H 'Content-Type: application/json' -d "{\"name\":\"$t\",\"columns\":[
    {\"name\":\"id\",\"type\":\"Int64\",\"primaryKey\":true},{\"name\":\"name\",\"type\":\"Utf8\"},{\"name\":\"age\",\"type\":\"Int32\"}]}"
done
java "$ROOT/bench/tools/Load.java" "$URL" r 1 100000 1000 2 >/dev/null
case $WL in
  insert) S=insert.lua; E=(TABLE=w) ;;
  sync)   S=insert.lua; E=(TABLE=w QUERY=?durability=sync) ;;
  get)    S=get.lua;    E=(TABLE=r NKEYS=100000) ;;
  upsert) S=upsert.lua; E=(TABLE=r NKEYS=100000) ;;
  batch)  S=batch.lua;  E=(TABLE=w) ;;
  *) echo "unknown workload $WL" >&2; exit 2 ;;
esac
env KEY_BASE=10000000000000 "${E[@]}" wrk -t2 -c64 -d5s -s "$WRK_DIR/$S" "$URL" >/dev/null   # warm-up
jcmd $PID JFR.stop >/dev/null; jcmd $PID JFR.start filename=$JFR settings=profile >/dev/null
env KEY_BASE=20000000000000 "${E[@]}" wrk -t2 -c64 -d"${SECS}s" -s "$WRK_DIR/$S" "$URL" | grep '^BENCH'
jcmd $PID JFR.dump filename=$JFR >/dev/null
set +e +o pipefail   # head closes pipes early
top() {  # event
  jfr print --events "$1" "$JFR" | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' \
    | sort | uniq -c | sort -rn | head -${2:-25}
}
echo "== top frames, Java on CPU (jdk.ExecutionSample)"; top jdk.ExecutionSample 30
echo "== top frames, threads in native code (jdk.NativeMethodSample)"; top jdk.NativeMethodSample 12
echo "== inclusive samples by component (ExecutionSample; a sample counts once per component on its stack)"
jfr print --events jdk.ExecutionSample "$JFR" | awk -f "$ROOT/bench/tools/components.awk" | sort -rn
echo "== the writer thread (mathdb-writer): top frames, Java and native samples"
for ev in jdk.ExecutionSample jdk.NativeMethodSample; do
  jfr print --events $ev "$JFR" | awk '/sampledThread = "mathdb-writer"/{w=1} /stackTrace = \[/{ if (w) { getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print } w=0 }'
done | sort | uniq -c | sort -rn | head -15
cp "$JFR" "/tmp/mathdb-profile-$WL.jfr" && echo "recording kept in /tmp/mathdb-profile-$WL.jfr"
