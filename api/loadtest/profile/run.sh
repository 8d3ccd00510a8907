#!/usr/bin/env bash
# Where duban's server CPU goes under Q1 and Q2 load: the release server pinned to CPU 0 with
# PostgreSQL, wrk on CPU 1, `perf record` (DWARF call graphs) of the server for a few seconds of
# each read, then each part's share and microseconds per request (parts.py).
#
#   api/loadtest/profile/run.sh [SECONDS]        # default 12 s of load per read, 6 s recorded
#
# Reads the database of the side-by-side benchmark (run api/loadtest/side-by-side.sh once; it
# keeps duban_side_s1000). Settings: PG_URL, DB_OPTIONS (sslmode=disable), DUBAN, OPS (q1 q2),
# FREQ (perf sampling rate, 1500). Needs perf (Debian: linux-perf), wrk, psql, curl, jq,
# taskset, python3. Writes target/loadtest/profile/: perf data, the scripts' text, the tables.
set -euo pipefail

SECONDS_PER_RUN=${1:-12}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
DB=duban_side_s1000
DB_OPTIONS=${DB_OPTIONS-sslmode=disable}
DUBAN=${DUBAN:-$ROOT/target/release/duban}
OUT=$ROOT/target/loadtest/profile
PORT=18091
URL=http://127.0.0.1:$PORT/graphql
TICKS=$(getconf CLK_TCK)
for tool in perf wrk psql curl jq taskset python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
psql "$PG_URL/postgres" -qAtX -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 ||
  { echo "no database $DB: run api/loadtest/side-by-side.sh first" >&2; exit 1; }
[ -x "$DUBAN" ] || (cd "$ROOT" && cargo build --release -p duban)
mkdir -p "$OUT"

postgres_pids() { pgrep -u postgres -x postgres || true; }
pin_postgres() { for pid in $(postgres_pids); do taskset -pc "$1" "$pid" >/dev/null 2>&1 || true; done; }
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  pin_postgres "0-$(($(nproc) - 1))"
}
trap cleanup EXIT
pin_postgres 0
taskset -c 0 env DATABASE_URL="$PG_URL/$DB${DB_OPTIONS:+?$DB_OPTIONS}" DUBAN_JWT_SECRET=profile-secret-0123456789abcdef0123456789 \
  DUBAN_ADMIN_PASSWORD=unused-admin-password DUBAN_LOAD_SAMPLE_PLAN=false DUBAN_BIND=127.0.0.1:$PORT \
  DUBAN_DISPATCH_WEBHOOKS=false DUBAN_LOG_FORMAT=json RUST_LOG=warn "$DUBAN" serve >"$OUT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done

# shellcheck source=api/loadtest/common.sh
. "$ROOT/api/loadtest/common.sh"
echo "== signing in (leader1 and the units of Q1, as side-by-side.sh does)"
DATA=$OUT/data.lua
peer_data "$URL" "$PG_URL/$DB" >"$DATA"

cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
for op in ${OPS:-q1 q2}; do
  load() { PEER_TARGET=duban PEER_OP=$op PEER_DATA=$DATA taskset -c 1 wrk -t1 -c"$1" -d"$2" -s "$ROOT/api/loadtest/peers.lua" "$URL"; }
  load 4 3s >/dev/null
  before=$(cpu "$SERVER")
  load 16 "${SECONDS_PER_RUN}s" >"$OUT/wrk-$op.txt" &
  wrk_pid=$!
  sleep $((SECONDS_PER_RUN / 4))
  perf record -q -F "${FREQ:-1500}" --call-graph dwarf,32768 -p "$SERVER" -o "$OUT/$op.data" -- sleep $((SECONDS_PER_RUN / 2)) 2>/dev/null
  wait "$wrk_pid"
  after=$(cpu "$SERVER")
  requests=$(sed -nE 's/.*requests=([0-9]+).*/\1/p' "$OUT/wrk-$op.txt")
  per_request=$(awk -v a="$before" -v b="$after" -v n="$requests" -v t="$TICKS" 'BEGIN { printf "%.3f", (b - a) * 1000 / t / n }')
  echo "== $op: $(grep '^RESULT' "$OUT/wrk-$op.txt" | sed 's/^RESULT //'), server CPU $per_request ms/request (perf running part of the time)"
  perf script -i "$OUT/$op.data" -F comm,tid,ip,sym 2>/dev/null >"$OUT/$op.script"
  python3 "$ROOT/api/loadtest/profile/parts.py" "$OUT/$op.script" "$per_request" | tee "$OUT/parts-$op.txt"
done
