#!/usr/bin/env bash
# Where a PostgreSQL assign and sweep spend the server's time: bench/pg.sh's work for one
# process (N pending leads assigned, then swept an hour later when every offer has expired)
# on a throw-away server with pg_stat_statements loaded, and each run's statements by total
# execution time, with calls, rows and the shared blocks hit and read per call.
#
#   bench/pg_statements.sh [N]            N leads (default 1000000)
#   ROUTER=path bench/pg_statements.sh    use an already built binary
#   TOP=K                                 the K costliest statements of each run (default 12)
#
# Results: bench/out/pg-statements.txt. Not run by CI. bench/README.md, session 17, shows
# what it found.
set -euo pipefail

N=${1:-1000000}
TOP=${TOP:-12}
source "$(dirname "$0")/lib.sh"
build_router
command -v psql >/dev/null || { echo "bench: psql is needed (scripts/install-deps.sh)" >&2; exit 1; }

# Under /tmp: the server's user (postgres, when run as root) must reach the folder.
PG_DIR=$(mktemp -d /tmp/router-bench-pg.XXXXXX)
SERVER=$(PG_CLUSTER_CONF="shared_preload_libraries = 'pg_stat_statements'" \
  "$ROOT/scripts/pg-cluster.sh" start "$PG_DIR")
trap '"$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1' EXIT
base=${SERVER%%\?*}
query="?${SERVER#*\?}"
port=${SERVER##*port=}
uri() { echo "${base%/*}/$1$query"; }
admin() { PGOPTIONS='-c client_min_messages=warning' psql "$SERVER" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
pq() { psql "$(uri "$1")" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }
# super DB SQL: as the cluster's superuser, which the extension and its reset need.
super() {
  local cmd=(psql -h "$PG_DIR" -p "$port" -U postgres -d "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2")
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "${cmd[@]}")
  else
    "${cmd[@]}"
  fi
}

LATER=$(date -u -d "$NOW + 1 hour" +%Y-%m-%dT%H:%M:%SZ)
CONFIG=$OUT/bench.yaml
python3 "$HERE/gen_config.py" --pools 5 --agents-per-pool 50 --rules 10 --database bench.db \
  >"$CONFIG"

echo "== filling $N pending leads into SQLite, then router migrate onto the server" >&2
SOURCE=$OUT/pg-source.db
rm -f "$SOURCE" "$SOURCE"-wal "$SOURCE"-shm
"$ROUTER" --config "$CONFIG" --db "$SOURCE" init -q
fill_leads "$SOURCE" "$N"
admin "CREATE DATABASE profiled"
"$ROUTER" --config "$CONFIG" --db "$SOURCE" migrate --to "$(uri profiled)" -q
super profiled "CREATE EXTENSION pg_stat_statements" >/dev/null

# profile NAME ARGS...: one router run on the database, then its costliest statements.
profile() {
  local name=$1
  shift
  pq profiled "VACUUM ANALYZE leads, events" >/dev/null
  super profiled "SELECT pg_stat_statements_reset()" >/dev/null
  echo "== router $name (load: $(load))" >&2
  timed "$ROUTER" --config "$CONFIG" --db "$(uri profiled)" "$@" -q
  printf '%s: %.2f s wall, %.2f s router CPU, load %s\n' "$name" "$TIME_S" "$CPU_S" "$(load)"
  echo " total s |  calls |    rows | hit/call | read/call | statement"
  super profiled "SELECT format('%8s | %6s | %7s | %8s | %9s | %s',
      round(total_exec_time::numeric / 1000, 2), calls, rows,
      round(shared_blks_hit::numeric / greatest(calls, 1)),
      round(shared_blks_read::numeric / greatest(calls, 1)),
      left(regexp_replace(query, '\s+', ' ', 'g'), 160))
    FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'profiled')
      AND query NOT LIKE '%pg_stat_statements%'
    ORDER BY total_exec_time DESC LIMIT $TOP"
  echo
}

{
  echo "bench/pg_statements.sh: N = $N leads on PostgreSQL $(psql --version | awk '{print $3}'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "router: $ROUTER"
  echo
  profile assign --now "$NOW" assign
  profile "sweep at $LATER" --now "$LATER" sweep
} | tee "$OUT/pg-statements.txt"
