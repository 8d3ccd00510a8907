#!/usr/bin/env bash
# duban load benchmark: seed a fresh PostgreSQL database at SCALE, serve it from the release
# binary on a loopback port, and drive each operation with wrk (Debian: apt-get install wrk).
#
#   api/loadtest/run.sh SCALE [SECONDS] [CONNECTIONS]
#
# Defaults: 20 s and 16 connections per operation, then the 60 s mixed run at 64 connections.
# Settings (environment): PG_URL (default postgres://postgres@127.0.0.1:5432, a superuser or a
# role that may create databases), PORT (18080), MIX_SECONDS (60), MIX_CONNECTIONS (64),
# DUBAN_AUDIT_KEY (a fixed throwaway key), KEEP_DB=1 to keep the database (for EXPLAIN ANALYZE), DUBAN (target/release/duban), DB_OPTIONS
# (sslmode=disable: duban and pgbench reach PostgreSQL on loopback without TLS, which both would
# otherwise negotiate with a server that offers it, as Debian's does).
# Needs: wrk, psql, pgbench, curl, jq. Everything listens on 127.0.0.1 and stops by itself.
set -euo pipefail

SCALE=${1:?usage: run.sh SCALE [SECONDS] [CONNECTIONS]}
SECONDS_PER_OP=${2:-20}
CONNECTIONS=${3:-16}
MIX_SECONDS=${MIX_SECONDS:-60}
MIX_CONNECTIONS=${MIX_CONNECTIONS:-64}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-18080}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DUBAN=${DUBAN:-$ROOT/target/release/duban}
DB=duban_bench_s${SCALE}
DB_OPTIONS=${DB_OPTIONS-sslmode=disable}
# PostgreSQL keeps the audit chain keyed; a throwaway key for a throwaway database.
export DUBAN_AUDIT_KEY=${DUBAN_AUDIT_KEY:-loadtest-audit-key-0123456789}
OUT=$ROOT/target/loadtest/scale-$SCALE
BASE=http://127.0.0.1:$PORT

for tool in wrk psql pgbench curl jq; do
  command -v "$tool" >/dev/null || { echo "missing $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done
[ -x "$DUBAN" ] || (cd "$ROOT" && cargo build --release -p duban)
mkdir -p "$OUT"

psql_db() { psql "$PG_URL/$DB" -qAtX -v ON_ERROR_STOP=1 "$@"; }
SERVER=
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  if [ "${KEEP_DB:-0}" != 1 ]; then psql "$PG_URL/postgres" -qAtX -c "DROP DATABASE IF EXISTS $DB" || true; fi
}
trap cleanup EXIT

echo "== database $DB"
psql "$PG_URL/postgres" -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
export DATABASE_URL=$PG_URL/$DB${DB_OPTIONS:+?$DB_OPTIONS}
/usr/bin/time -f "seed wall %e s, peak RSS %M KiB" "$DUBAN" seed-synthetic --scale "$SCALE" 2>&1 | grep -v INFO | tee "$OUT/seed.txt"
psql_db -c "VACUUM ANALYZE"

echo "== server on $BASE"
DUBAN_JWT_SECRET=loadtest-secret-0123456789abcdef0123456789 DUBAN_ADMIN_PASSWORD=unused-admin-password \
  DUBAN_LOAD_SAMPLE_PLAN=false DUBAN_BIND=127.0.0.1:$PORT DUBAN_LOG_FORMAT=json RUST_LOG=warn \
  "$DUBAN" serve >"$OUT/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/readyz" >/dev/null || { echo "server did not start; see $OUT/server.log" >&2; exit 1; }

# shellcheck source=api/loadtest/common.sh
. "$ROOT/api/loadtest/common.sh"
login() { sign_in "$BASE/graphql" "$1"; }

echo "== logging in every unit account"
DATA=$OUT/data.lua
{
  echo "admin_token = \"$(login synadmin1)\""
  echo "leader_token = \"$(login leader1)\""
  echo "tokens = {}"
  echo "units = {}"
  for unit in $(psql_db -c "SELECT department_id FROM app_user WHERE role = 'DEPARTMENT' ORDER BY 1"); do
    echo "tokens[$unit] = \"$(login "unit$unit")\"; units[#units + 1] = $unit"
  done
  psql_db -c "SELECT 'task_min, task_max = ' || min(id) || ', ' || max(id) FROM task"
  psql_db -c "SELECT 'doc_min, doc_max = ' || min(id) || ', ' || max(id) FROM document"
  echo "pairs_list = {"
  # W1's (task, unit) pairs: a unit that has signed for open work may report on it.
  psql_db -c "SELECT setseed(0.42)" -c "SELECT '{' || a.task_id || ',' || a.department_id || '},' FROM assignment a
              JOIN department d ON d.id = a.department_id AND d.kind = 'UNIT'
              JOIN task t ON t.id = a.task_id AND t.status IN ('NOT_STARTED', 'IN_PROGRESS', 'RETURNED')
              WHERE a.state IN ('SIGNED', 'IN_PROGRESS') ORDER BY random() LIMIT 5000" | grep '^{'
  echo "}"
} >"$DATA"

# The first requests after start, one at a time, before any load: a server that makes its
# connections or prepares its statements on a request's time shows it here (budgets.sh compares
# the slowest with the steady p99 of the same read).
query_of() { sed -n "s/^local $1 = \[\[\(.*\)\]\]\$/\1/p" "$ROOT/api/loadtest/ops.lua"; }
timed() { # timed QUERY_NAME TOKEN VARIABLES: one request's time in ms (error: exit 1)
  local body
  body=$(jq -nc --arg q "$(query_of "$1")" --argjson v "$3" '{query: $q, variables: $v}')
  curl -sf -o "$OUT/first-answer.json" -w '%{time_total}' "$BASE/graphql" -H 'Content-Type: application/json' \
    -H "Authorization: Bearer $2" --data "$body" | awk '{ printf "%.2f", $1 * 1000 }'
  ! grep -q '"errors"' "$OUT/first-answer.json"
}
echo "== the first requests after start, one at a time"
read -r FIRST_TASK FIRST_UNIT < <(psql_db -F' ' -c "SELECT a.task_id, a.department_id FROM assignment a
  JOIN app_user u ON u.department_id = a.department_id AND u.role = 'DEPARTMENT' ORDER BY a.id LIMIT 1")
FIRST_UNIT_TOKEN=$(sed -n "s/^tokens\[$FIRST_UNIT\] = \"\([^\"]*\)\".*/\1/p" "$DATA")
FIRST_LEADER_TOKEN=$(sed -n 's/^leader_token = "\(.*\)"$/\1/p' "$DATA")
: >"$OUT/first.txt"
for op in q1 q2; do
  times=""
  for n in $(seq 10); do
    case $op in
      q1) times="$times $(timed Q1 "$FIRST_UNIT_TOKEN" "{\"d\":\"$FIRST_UNIT\"}")" ;;
      q2) times="$times $(timed Q2 "$FIRST_LEADER_TOKEN" "{\"id\":\"$((FIRST_TASK + n))\"}")" ;;
    esac
  done
  echo "$times" | awk -v op="$op" '{ max = 0; for (i = 1; i <= NF; i++) { if ($i > max) max = $i; each = each (i > 1 ? "," : "") $i }
    printf "FIRST op=%s max_ms=%s each_ms=%s\n", op, max, each }' | tee -a "$OUT/first.txt"
done

metric() { # metric NAME: the summed value of a Prometheus counter
  curl -sf "$BASE/metrics" | awk -v name="$1" 'index($0, name) == 1 { sum += $NF } END { printf "%d", sum }'
}
graphql_requests() { curl -sf "$BASE/metrics" | awk '/^duban_http_requests_total\{route="\/graphql"\}/ { printf "%d", $NF }'; }
rss() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$SERVER/status"; }

RESULTS=$OUT/results.txt
cat "$OUT/first.txt" >"$RESULTS"
run() { # run OP SECONDS CONNECTIONS
  local op=$1 seconds=$2 connections=$3
  echo 5 >"/proc/$SERVER/clear_refs" # reset the peak RSS (VmHWM) to the current RSS
  local rss_start sql_before req_before
  rss_start=$(rss VmRSS); sql_before=$(metric duban_sql_statements_total); req_before=$(graphql_requests)
  # RSS once a second: a leak keeps growing, the first use of more connections is one step.
  local samples=$OUT/rss-$op.txt
  : >"$samples"
  (while sleep 1; do rss VmRSS >>"$samples" || break; done) &
  local sampler=$!
  local line
  line=$(DUBAN_OP=$op DUBAN_DATA=$DATA wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s \
    -s "$ROOT/api/loadtest/ops.lua" "$BASE/graphql" | tee "$OUT/wrk-$op.txt" | grep '^RESULT')
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  local rss_warm # after a quarter of the run
  rss_warm=$(sed -n "$(((seconds + 3) / 4))p" "$samples")
  local sql_after req_after
  sql_after=$(metric duban_sql_statements_total); req_after=$(graphql_requests)
  local per_request
  per_request=$(awk -v s=$((sql_after - sql_before)) -v r=$((req_after - req_before)) 'BEGIN { printf "%.2f", s / r }')
  echo "$line connections=$connections sql_per_request=$per_request rss_start_kib=$rss_start rss_warm_kib=${rss_warm:-$rss_start} rss_end_kib=$(rss VmRSS) rss_peak_kib=$(rss VmHWM)" |
    tee -a "$RESULTS"
  grep '^ERROR_SAMPLE' "$OUT/wrk-$op.txt" || true
}

echo "== scale $SCALE: $SECONDS_PER_OP s per operation at $CONNECTIONS connections"
for op in q1 q2 q3 w1 l1 l2 l3 l4; do run "$op" "$SECONDS_PER_OP" "$CONNECTIONS"; done
echo "== mixed: $MIX_SECONDS s at $MIX_CONNECTIONS connections"
run mix "$MIX_SECONDS" "$MIX_CONNECTIONS"

if command -v node >/dev/null && [ -d "$ROOT/tests/clients/node_modules/graphql-ws" ]; then
  echo "== fan-out: ${FANOUT_SUBSCRIBERS:-1000} subscriptions to one task, ${FANOUT_CHANGES:-20} changes"
  FANOUT_TASK=$(psql_db -c "SELECT min(id) FROM task")
  rss_before=$(rss VmRSS)
  node "$ROOT/tests/clients/fanout.mjs" "$BASE/graphql" "$(login leader1)" "$FANOUT_TASK" \
    "${FANOUT_SUBSCRIBERS:-1000}" "${FANOUT_CHANGES:-20}" >"$OUT/fanout.txt" 2>&1 || true
  rss_after=$(rss VmRSS)
  grep '^RESULT' "$OUT/fanout.txt" | sed "s/\$/ rss_before_kib=$rss_before rss_after_kib=$rss_after/" | tee -a "$RESULTS" || true
else
  echo "== fan-out skipped: needs node and tests/clients/node_modules (npm ci there)"
fi

echo "== pgbench: the single SQL statement that would answer each read, prepared, $CONNECTIONS connections"
read -r UMIN UMAX < <(psql_db -F' ' -c "SELECT min(id), max(id) FROM department WHERE kind = 'UNIT'")
read -r TMIN TMAX < <(psql_db -F' ' -c "SELECT min(id), max(id) FROM task")
read -r DMIN DMAX < <(psql_db -F' ' -c "SELECT min(id), max(id) FROM document")
# L2 is a leader's to-do list (leader1, as signed in above); l1.sql picks a random unit.
for q in q1 q2 q3 l1 l2 l3 l4; do
  pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$SECONDS_PER_OP" -D unit_min="$UMIN" -D unit_max="$UMAX" \
    -D task_min="$TMIN" -D task_max="$TMAX" -D doc_min="$DMIN" -D doc_max="$DMAX" \
    -f "$ROOT/api/loadtest/pgbench/$q.sql" "$DATABASE_URL" >"$OUT/pgbench-$q.txt" 2>&1
  awk -v q="$q" '/^latency average/ { lat = $4 } /^tps/ { tps = $3 } /failed transactions/ { failed = $5 }
    END { printf "PGBENCH op=%s tps=%.1f latency_avg_ms=%s failed=%s\n", q, tps, lat, failed }' "$OUT/pgbench-$q.txt" |
    tee -a "$RESULTS"
done
echo "== each read against its single statement (req/s ÷ tps; the follow-up issue's goal: each within 2x, i.e. >= 0.5)"
for q in q1 q2 q3 l1 l2 l3 l4; do
  rps=$(grep "^RESULT op=$q " "$RESULTS" | sed -E 's/.* rps=([^ ]+).*/\1/')
  tps=$(grep "^PGBENCH op=$q " "$RESULTS" | sed -E 's/.* tps=([^ ]+).*/\1/')
  [ -n "$rps" ] && [ -n "$tps" ] && awk -v q="$q" -v r="$rps" -v t="$tps" \
    'BEGIN { printf "RATIO op=%s rps=%s tps=%s duban_over_statement=%.2f\n", q, r, t, r / t }' | tee -a "$RESULTS"
done
echo "== EXPLAIN ANALYZE of the statements of Q1-Q3: $OUT/explain.txt"
UNIT=$(psql_db -c "SELECT a.department_id FROM assignment a JOIN department d ON d.id = a.department_id AND d.kind = 'UNIT'
                   WHERE NOT EXISTS (SELECT 1 FROM group_member g WHERE g.member_id = a.department_id)
                   GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
read -r TOWN GROUP < <(psql_db -F' ' -c "SELECT g.member_id, g.group_id FROM group_member g
                   JOIN assignment a ON a.department_id = g.member_id GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1")
psql_db -v unit="$UNIT" -v town="${TOWN:-$UNIT}" -v group="${GROUP:-$UNIT}" -v task=$(((TMIN + TMAX) / 2)) \
  -v doc=$(((DMIN + DMAX) / 2)) -f "$ROOT/api/loadtest/explain.sql" >"$OUT/explain.txt"
echo "results: $RESULTS"
if [ "$SCALE" -ge 1000 ] && [ -s "$ROOT/target/loadtest/scale-1/results.txt" ]; then
  echo "== budgets (scale 1 against scale $SCALE)"
  "$ROOT/api/loadtest/budgets.sh" "$ROOT/target/loadtest/scale-1/results.txt" "$RESULTS" "$OUT/explain.txt"
fi
