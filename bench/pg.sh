#!/usr/bin/env bash
# Issue 14's benchmark: `router assign` and `router sweep` of N leads on PostgreSQL, with 1
# and with 4 concurrent processes, against the essential floor: psql writing set-based only
# what the job needs, on the same server, schema and indexes, in the same run.
#
#   bench/pg.sh [N]             N leads (default 1000000)
#   ROUTER=path bench/pg.sh     use an already built Release binary instead of building one
#
# A throw-away server (scripts/pg-cluster.sh: a Unix socket, fsync and synchronous_commit off,
# as for the tests) runs in a folder under /tmp for the run and is stopped at the end. The N leads
# are written CRM-style into a SQLite file (bench/lib.sh's filler) and moved onto the server
# with `router migrate` (timed too); every measurement then starts from its own copy of that
# database (CREATE DATABASE ... TEMPLATE), so each sees the same rows.
# 1. assign of N pending leads: 1 process; 4 processes at once; the floor (every lead row
#    updated to offered and one `offered` event per lead, in one transaction). Target: one
#    process within 4x of the floor.
# 2. sweep an hour later, when every offer has expired (each ended and its lead offered to
#    the next member): 1 process; 4 processes; the floor (one `expired` and one `offered`
#    event per lead and the row updated).
# Every concurrent run is checked: no lead left pending or due, none offered twice in a round.
# Results: bench/out/pg-results.txt. Not run by CI.
set -euo pipefail

N=${1:-1000000}
PROCS=4
source "$(dirname "$0")/lib.sh"
build_router
command -v psql >/dev/null || { echo "bench: psql is needed (scripts/install-deps.sh)" >&2; exit 1; }

# Under /tmp: the server's user (postgres, when run as root) must reach the folder.
PG_DIR=$(mktemp -d /tmp/router-bench-pg.XXXXXX)
SERVER=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")
trap '"$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1' EXIT
base=${SERVER%%\?*}
query="?${SERVER#*\?}"
uri() { echo "${base%/*}/$1$query"; }
admin() { PGOPTIONS='-c client_min_messages=warning' psql "$SERVER" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
pq() { psql "$(uri "$1")" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }
# copy_db FROM TO: a fresh database holding what FROM holds (a file copy on the server).
copy_db() {
  admin "DROP DATABASE IF EXISTS $2"
  admin "CREATE DATABASE $2 TEMPLATE $1"
  pq "$2" "VACUUM ANALYZE leads, events" >/dev/null
}

LATER=$(date -u -d "$NOW + 1 hour" +%Y-%m-%dT%H:%M:%SZ)
LATER_S=$(date -u -d "$LATER" +%s)
CONFIG=$OUT/bench.yaml
python3 "$HERE/gen_config.py" --pools 5 --agents-per-pool 50 --rules 10 --database bench.db \
  >"$CONFIG"
r() { "$ROUTER" --config "$CONFIG" "$@"; }

echo "== filling $N pending leads into SQLite, then router migrate onto the server" >&2
SOURCE=$OUT/pg-source.db
rm -f "$SOURCE" "$SOURCE"-wal "$SOURCE"-shm
r --db "$SOURCE" init -q
fill_leads "$SOURCE" "$N"
admin "CREATE DATABASE filled"
timed "$ROUTER" --config "$CONFIG" --db "$SOURCE" migrate --to "$(uri filled)" -q
MIGRATE_S=$TIME_S
MIGRATE_RSS=$RSS_KB

# run_procs K DB ARGS...: K router processes at once on DB; sets WALL_S (first start to last
# end), CPU_S (their user + system time, summed) and RSS_KB (the largest peak).
run_procs() {
  local k=$1 db=$2 i t0 t1 cpu=0 rss=0 wall user sys
  shift 2
  t0=$EPOCHREALTIME
  for ((i = 1; i <= k; i++)); do
    /usr/bin/time -o "$OUT/pg-time.$i" -f '%e %M %U %S' \
      "$ROUTER" --config "$CONFIG" --db "$(uri "$db")" --busy-timeout 10m "$@" -q &
  done
  wait
  t1=$EPOCHREALTIME
  for ((i = 1; i <= k; i++)); do
    read -r wall rss_i user sys <"$OUT/pg-time.$i"
    cpu=$(echo "$cpu + $user + $sys" | bc -l)
    ((rss_i > rss)) && rss=$rss_i
  done
  WALL_S=$(echo "$t1 - $t0" | bc -l)
  CPU_S=$cpu
  RSS_KB=$rss
}

# check DB ROUND: every lead handled, none offered twice in the round that ended at ROUND.
check() {
  local pending twice
  pending=$(pq "$1" "SELECT count(*) FROM leads WHERE state = 'pending'")
  twice=$(pq "$1" "SELECT count(*) FROM (SELECT lead_id FROM events WHERE type = 'offered'
    AND at = $2 GROUP BY lead_id HAVING count(*) > 1) t")
  if [[ $pending != 0 || $twice != 0 ]]; then
    echo "bench: $1: $pending leads pending, $twice offered twice" >&2
    exit 1
  fi
}

###############################################################################
# 1. assign
###############################################################################
# The essential writes of assign and their detail size come from what router wrote.
copy_db filled assign1
echo "== router assign, 1 process (load: $(load))" >&2
run_procs 1 assign1 --now "$NOW" assign
A1_S=$WALL_S A1_CPU=$CPU_S A1_RSS=$RSS_KB
check assign1 "$NOW_S"
ROUTED=$(pq assign1 "SELECT count(*) FROM leads WHERE state <> 'pending'")
OFFERED=$(pq assign1 "SELECT count(*) FROM events WHERE type = 'offered'")
EV_AVG=$(pq assign1 "SELECT round(avg(length(detail))) FROM events WHERE type = 'offered'")

copy_db filled assign4
echo "== router assign, $PROCS processes (load: $(load))" >&2
run_procs "$PROCS" assign4 --now "$NOW" assign
A4_S=$WALL_S A4_CPU=$CPU_S A4_RSS=$RSS_KB
check assign4 "$NOW_S"
A4_ROUTED=$(pq assign4 "SELECT count(*) FROM leads WHERE state <> 'pending'")

copy_db filled assignfloor
cat >"$OUT/pg-assign-floor.sql" <<SQL
BEGIN;
UPDATE leads SET state = 'offered', agent = 'a' || (rowid % 5) || '-' || ((rowid / 5) % 50),
  pool = 'p' || (rowid % 5), rule = 'r' || (rowid % 9), deadline = $NOW_S + 900 + rowid % 3600,
  attempts = 1, updated_at = $NOW_S
WHERE state = 'pending' AND rowid <= $ROUTED;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source)
  SELECT id, $NOW_S, 'offered', agent, pool, rule, rpad('{"deadline":"', $EV_AVG::int, 'x'), source
  FROM leads WHERE rowid <= $OFFERED ORDER BY rowid;
COMMIT;
SQL
echo "== assign floor: psql set-based (load: $(load))" >&2
timed psql "$(uri assignfloor)" -Xq -v ON_ERROR_STOP=1 -f "$OUT/pg-assign-floor.sql"
AF_S=$TIME_S

###############################################################################
# 2. sweep an hour later: every offer of the 1-process assign has expired
###############################################################################
admin "DROP DATABASE assign4"
admin "DROP DATABASE assignfloor"
copy_db assign1 sweep1
DUE=$(pq sweep1 "SELECT count(*) FROM leads WHERE state = 'offered' AND deadline <= $LATER_S")
echo "== router sweep at $LATER, $DUE offers due, 1 process (load: $(load))" >&2
run_procs 1 sweep1 --now "$LATER" sweep
S1_S=$WALL_S S1_CPU=$CPU_S S1_RSS=$RSS_KB
check sweep1 "$LATER_S"
MOVED=$(pq sweep1 "SELECT count(*) FROM leads WHERE updated_at = $LATER_S")
EXP_AVG=$(pq sweep1 "SELECT coalesce(round(avg(length(detail))), 0) FROM events
  WHERE type = 'expired' AND at = $LATER_S")
OFF_AVG=$(pq sweep1 "SELECT coalesce(round(avg(length(detail))), 0) FROM events
  WHERE type = 'offered' AND at = $LATER_S")

copy_db assign1 sweep4
echo "== router sweep, $PROCS processes (load: $(load))" >&2
run_procs "$PROCS" sweep4 --now "$LATER" sweep
S4_S=$WALL_S S4_CPU=$CPU_S S4_RSS=$RSS_KB
check sweep4 "$LATER_S"
S4_DUE=$(pq sweep4 "SELECT count(*) FROM leads WHERE state = 'offered' AND deadline <= $LATER_S")

copy_db assign1 sweepfloor
cat >"$OUT/pg-sweep-floor.sql" <<SQL
BEGIN;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source)
  SELECT id, $LATER_S, 'expired', agent, pool, rule, rpad('{', $EXP_AVG::int, 'x'), source
  FROM leads WHERE state = 'offered' AND deadline <= $LATER_S ORDER BY rowid;
UPDATE leads SET agent = 'a' || (rowid % 5) || '-' || ((rowid / 5 + 1) % 50),
  deadline = $LATER_S + 900, attempts = attempts + 1, updated_at = $LATER_S
  WHERE state = 'offered' AND deadline <= $LATER_S;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source)
  SELECT id, $LATER_S, 'offered', agent, pool, rule, rpad('{', $OFF_AVG::int, 'x'), source
  FROM leads WHERE updated_at = $LATER_S ORDER BY rowid;
COMMIT;
SQL
echo "== sweep floor: psql set-based (load: $(load))" >&2
timed psql "$(uri sweepfloor)" -Xq -v ON_ERROR_STOP=1 -f "$OUT/pg-sweep-floor.sql"
SF_S=$TIME_S

ratio() { echo "scale=2; $1 / $2" | bc -l; }
{
  echo "bench/pg.sh: N = $N leads on PostgreSQL $(psql --version | awk '{print $3}'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "router: $ROUTER"
  printf 'migrate (SQLite -> PostgreSQL, %d leads): %.2f s wall, peak RSS %d MB\n' "$N" "$MIGRATE_S" $((MIGRATE_RSS / 1024))
  echo
  echo "assign of $N pending leads ($ROUTED routed, $OFFERED offers):"
  printf '  1 process:   %8.2f s wall  %8.2f s CPU  RSS %4d MB  ratio to floor %s\n' "$A1_S" "$A1_CPU" $((A1_RSS / 1024)) "$(ratio "$A1_S" "$AF_S")"
  printf '  %d processes: %8.2f s wall  %8.2f s CPU  RSS %4d MB  ratio to floor %s  (%d routed)\n' "$PROCS" "$A4_S" "$A4_CPU" $((A4_RSS / 1024)) "$(ratio "$A4_S" "$AF_S")" "$A4_ROUTED"
  printf '  floor (psql): %7.2f s wall\n' "$AF_S"
  printf '  speed-up 1 -> %d processes: %sx\n' "$PROCS" "$(ratio "$A1_S" "$A4_S")"
  echo
  echo "sweep at $LATER, $DUE offers due ($MOVED leads moved):"
  printf '  1 process:   %8.2f s wall  %8.2f s CPU  RSS %4d MB  ratio to floor %s\n' "$S1_S" "$S1_CPU" $((S1_RSS / 1024)) "$(ratio "$S1_S" "$SF_S")"
  printf '  %d processes: %8.2f s wall  %8.2f s CPU  RSS %4d MB  ratio to floor %s  (%d left due)\n' "$PROCS" "$S4_S" "$S4_CPU" $((S4_RSS / 1024)) "$(ratio "$S4_S" "$SF_S")" "$S4_DUE"
  printf '  floor (psql): %7.2f s wall\n' "$SF_S"
  printf '  speed-up 1 -> %d processes: %sx\n' "$PROCS" "$(ratio "$S1_S" "$S4_S")"
} | tee "$OUT/pg-results.txt"
