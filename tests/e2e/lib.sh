# Shared helpers for end-to-end tests. Source it first; it moves into a fresh temp dir.
#   run ARGS...        runs the router binary; sets OUT, ERR and STATUS (never aborts)
#   run_in FILE ARGS.. same, with FILE (or - for $INPUT) on standard input
#   sql QUERY          prints the result of a query on the test's database (sqlite3 -batch
#                      on ./router.db, or psql with the same output on PostgreSQL)
#   expect_status N, expect_out TEXT, expect_err TEXT, expect_no_out,
#   expect_eq ACTUAL EXPECTED [WHAT], expect_match ACTUAL REGEX [WHAT]
#   finish             prints "N passed, N failed" and exits non-zero on any failure
# With E2E_FAIL_FAST set, the first failed check ends the script (exit 1).
# With ROUTER_TEST_BACKEND=postgresql the script runs against PostgreSQL: ROUTER_TEST_PG is
# the URI of a database on a server (scripts/pg-cluster.sh) whose role may create databases;
# each script gets a database of its own there, dropped at exit, and ROUTER_DB names it
# (it wins over a configuration's `database:`). Without ROUTER_TEST_PG the script is skipped.
# What keeps a script backend-neutral (E2E_BACKEND is sqlite or postgresql):
#   DB                 the test's database as router names it (router.db, or the URI)
#   reset_db           empties it: as `rm -f router.db` does, the next command needs init
#   hold_write_lock [SQL], release_write_lock
#                      another session takes the writers' lock (and runs SQL in it) until
#                      released: BEGIN IMMEDIATE, or PostgreSQL's advisory lock of writers
#   sqlite_only REASON a script about SQLite files: on PostgreSQL it is skipped (exit 77)
#   sqlite_part REASON true on SQLite; on PostgreSQL says the part is skipped, false:
#                      `if sqlite_part "WAL files"; then ...; fi`. finish counts them.
#   e2e_cleanup        what the EXIT trap does; a script with a trap of its own calls it
set -uo pipefail
: "${ROUTER:?ROUTER must name the router binary}"
E2E_BACKEND=${ROUTER_TEST_BACKEND:-sqlite}
if [ "$E2E_BACKEND" = postgresql ] && [ -z "${ROUTER_TEST_PG:-}" ]; then
  # Never a pass: ctest shows 77 as skipped.
  echo "SKIP: ROUTER_TEST_PG is not set"
  exit 77
fi
TEST_DIR=$(mktemp -d)
PG_DB=""
e2e_cleanup() {
  cd / || true
  rm -rf "$TEST_DIR"
  [ -z "$PG_DB" ] ||
    psql "$ROUTER_TEST_PG" -Xqc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1
}
trap e2e_cleanup EXIT
cd "$TEST_DIR" || exit 1
unset ROUTER_CONFIG ROUTER_DB ROUTER_NOW ROUTER_SEED GITHUB_ACTIONS
DB=router.db
if [ "$E2E_BACKEND" = postgresql ]; then
  # The server's URI with the database part of its path replaced.
  pg_base=${ROUTER_TEST_PG%%\?*}
  pg_query=""
  [[ "$ROUTER_TEST_PG" != *\?* ]] || pg_query="?${ROUTER_TEST_PG#*\?}"
  _pg_name=e2e_$(basename "$TEST_DIR" | tr -c 'A-Za-z0-9\n' _ | tr 'A-Z' 'a-z')
  # pg_uri NAME: the URI of database NAME on the test server.
  pg_uri() { echo "${pg_base%/*}/$1$pg_query"; }
  export ROUTER_DB=$(pg_uri "$_pg_name")
  DB=$ROUTER_DB
  psql "$ROUTER_TEST_PG" -Xqc "CREATE DATABASE $_pg_name" >/dev/null || exit 1
  PG_DB=$_pg_name
  # The SQLite functions the scripts' own queries use, for those queries only (router
  # never calls them): json_extract, json_type, group_concat, quote, typeof, ifnull,
  # datetime(x, 'unixepoch') and strftime(format, x, 'unixepoch').
  _pg_shims() {
    psql "$ROUTER_DB" -Xq -v ON_ERROR_STOP=1 >/dev/null <<'PGSQL'
CREATE FUNCTION json_extract(t text, p text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT jsonb_path_query_first(t::jsonb, p::jsonpath) #>> '{}' $$;
CREATE FUNCTION json_type(t text, p text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE jsonb_typeof(j)
      WHEN 'number' THEN CASE WHEN j::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END
      WHEN 'string' THEN 'text' WHEN 'boolean' THEN j::text ELSE jsonb_typeof(j) END
    FROM (SELECT jsonb_path_query_first(t::jsonb, p::jsonpath) AS j) s $$;
CREATE FUNCTION gc_step(acc text, v text, sep text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END $$;
CREATE FUNCTION gc_step(acc text, v text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT gc_step(acc, v, ',') $$;
CREATE FUNCTION gc_step(acc text, v bigint) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT gc_step(acc, v::text, ',') $$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = gc_step, STYPE = text);
CREATE AGGREGATE group_concat(text) (SFUNC = gc_step, STYPE = text);
CREATE AGGREGATE group_concat(bigint) (SFUNC = gc_step, STYPE = text);
CREATE FUNCTION quote(v text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT coalesce(quote_literal(v), 'NULL') $$;
CREATE FUNCTION quote(v bigint) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT coalesce(v::text, 'NULL') $$;
CREATE FUNCTION typeof(v anyelement) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN v IS NULL THEN 'null'
      WHEN pg_typeof(v) IN ('smallint'::regtype, 'integer', 'bigint') THEN 'integer'
      WHEN pg_typeof(v) IN ('real'::regtype, 'double precision', 'numeric') THEN 'real'
      WHEN pg_typeof(v) = 'bytea'::regtype THEN 'blob' ELSE 'text' END $$;
CREATE FUNCTION datetime(v bigint, unit text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(to_timestamp(v) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') $$;
CREATE FUNCTION strftime(f text, v bigint, unit text) RETURNS text LANGUAGE plpgsql IMMUTABLE
  AS $$
DECLARE
  t timestamp := to_timestamp(v) AT TIME ZONE 'UTC';
  r text := '';
  i int := 1;
BEGIN
  IF v IS NULL THEN RETURN NULL; END IF;
  WHILE i <= length(f) LOOP
    IF substr(f, i, 1) = '%' THEN
      i := i + 1;
      r := r || CASE substr(f, i, 1) WHEN 'Y' THEN to_char(t, 'YYYY')
        WHEN 'm' THEN to_char(t, 'MM') WHEN 'd' THEN to_char(t, 'DD')
        WHEN 'H' THEN to_char(t, 'HH24') WHEN 'M' THEN to_char(t, 'MI')
        WHEN 'S' THEN to_char(t, 'SS') WHEN 's' THEN v::text ELSE '%' END;
    ELSE
      r := r || substr(f, i, 1);
    END IF;
    i := i + 1;
  END LOOP;
  RETURN r;
END $$;
CREATE FUNCTION ifnull(a anyelement, b anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE
  AS $$ SELECT coalesce(a, b) $$;
PGSQL
  }
  _pg_shims || exit 1
fi
# The configuration cache lives in the test's own folder, never in the user's home.
export ROUTER_CACHE_DIR="$TEST_DIR/.cache"
PASSED=0
FAILED=0
OUT=""
ERR=""
STATUS=0

# The script line of the failed check: three calls up from an expect_*, fewer when a
# script calls _fail itself.
_where() {
  local i=3
  while [ "$i" -gt 1 ] && [ -z "${BASH_SOURCE[$i]:-}" ]; do i=$((i - 1)); done
  echo "${BASH_SOURCE[$i]##*/}:${BASH_LINENO[$((i - 1))]}"
}
_pass() { PASSED=$((PASSED + 1)); }
_fail() {
  FAILED=$((FAILED + 1))
  echo "FAIL $(_where): $*" >&2
  echo "  last command status: $STATUS" >&2
  echo "  stdout: ${OUT:0:2000}" >&2
  echo "  stderr: ${ERR:0:2000}" >&2
  # scripts/check-stubs.sh needs only to know that a script fails, not every way it does.
  [ -z "${E2E_FAIL_FAST:-}" ] || exit 1
}

run() {
  OUT=$("$ROUTER" "$@" 2>"$TEST_DIR/.stderr")
  STATUS=$?
  ERR=$(cat "$TEST_DIR/.stderr")
}

run_in() {
  local input=$1
  shift
  if [ "$input" = "-" ]; then
    OUT=$(printf '%s' "$INPUT" | "$ROUTER" "$@" 2>"$TEST_DIR/.stderr")
  else
    OUT=$("$ROUTER" "$@" <"$input" 2>"$TEST_DIR/.stderr")
  fi
  STATUS=$?
  ERR=$(cat "$TEST_DIR/.stderr")
}

if [ "$E2E_BACKEND" = postgresql ]; then
  # PostgreSQL 15 wants a name for every subquery in FROM; SQLite does not. (Not the
  # FROM of IS DISTINCT FROM.)
  _pg_query() {
    python3 -c '
import re, sys
q, out, i, n = sys.argv[1], "", 0, 0
while True:
    m = re.compile(r"(?<!DISTINCT )FROM \(").search(q, i)
    if not m:
        break
    j = m.start()
    depth, k = 0, j + 5
    while k < len(q):
        depth += {"(": 1, ")": -1}.get(q[k], 0)
        if depth == 0:
            break
        k += 1
    n += 1
    q = q[: k + 1] + " AS s%d" % n + q[k + 1 :]
    i = j + 6
print(q)' "$1"
  }
  sql() { psql "$ROUTER_DB" -XAtq -v ON_ERROR_STOP=1 -c "$(_pg_query "$1")"; }
else
  sql() { sqlite3 -batch router.db "$1"; }
fi
# Empties the test's database: router.db and its -wal and -shm go; on PostgreSQL the schema
# goes (the shims come back), which router sees as a database that needs `router init`.
reset_db() {
  if [ "$E2E_BACKEND" = postgresql ]; then
    psql "$ROUTER_DB" -Xq -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
      -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" >/dev/null && _pg_shims
  else
    rm -f router.db router.db-wal router.db-shm
  fi
}

# Another session takes the writers' lock, as a router process in its write transaction
# holds it, then runs SQL (optional) in that transaction; it keeps both until
# release_write_lock rolls back. Returns once the lock is held.
hold_write_lock() {
  local i held
  rm -f "$TEST_DIR/.hold"
  mkfifo "$TEST_DIR/.hold"
  if [ "$E2E_BACKEND" = postgresql ]; then
    psql "$ROUTER_DB" -Xq -v ON_ERROR_STOP=1 <"$TEST_DIR/.hold" >/dev/null &
    E2E_HOLDER=$!
    exec 7>"$TEST_DIR/.hold"
    # Router's writers take this advisory lock first thing in their transaction.
    echo "BEGIN; SELECT pg_advisory_xact_lock(1380930900); ${1:-}" >&7
  else
    sqlite3 router.db <"$TEST_DIR/.hold" >/dev/null &
    E2E_HOLDER=$!
    exec 7>"$TEST_DIR/.hold"
    # The timeout lets the holder wait out the probes below.
    printf '.timeout 5000\nBEGIN IMMEDIATE; %s\n' "${1:-}" >&7
  fi
  for i in $(seq 1 100); do
    if [ "$E2E_BACKEND" = postgresql ]; then
      held=$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
        AND objid = 1380930900 AND database = (SELECT oid FROM pg_database
        WHERE datname = current_database())")
    else
      # A second writer fails at once (no timeout) while the holder has the lock.
      sqlite3 -batch router.db "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 && held=0 || held=1
    fi
    [ "$held" = 0 ] || return 0
    sleep 0.05
  done
  echo "hold_write_lock: the lock was not taken in 5 s" >&2
  return 1
}
release_write_lock() {
  echo "ROLLBACK;" >&7
  exec 7>&-
  wait "$E2E_HOLDER"
}

# For a script about SQLite files (WAL, file modes, disk space): skipped on PostgreSQL.
sqlite_only() {
  [ "$E2E_BACKEND" = sqlite ] && return 0
  echo "SKIP: $1"
  exit 77
}
# For a part of a script that is about SQLite files; what it checks runs on SQLite only.
SKIPPED_PARTS=0
sqlite_part() {
  [ "$E2E_BACKEND" = sqlite ] && return 0
  SKIPPED_PARTS=$((SKIPPED_PARTS + 1))
  echo "skipped on PostgreSQL: $1"
  return 1
}
# Runs QUERY against the routing decisions as `router explain` rebuilds them (router.db keeps
# them as compact trails): a scratch table decisions(id, lead_id, at, detail JSON), filled
# from the explanations of the leads named, else of every lead, in arrival order.
dsql() {
  local query=$1 scratch="$TEST_DIR/.decisions.db" id
  shift
  rm -f "$scratch"
  sqlite3 -batch "$scratch" "CREATE TABLE decisions(id INTEGER PRIMARY KEY, lead_id TEXT, at INTEGER, detail TEXT)"
  (($# > 0)) || set -- $(sql "SELECT id FROM leads ORDER BY received_at, rowid")
  for id in "$@"; do
    "$ROUTER" explain "$id" --format json >"$TEST_DIR/.explain.json" || return 1
    sqlite3 -batch "$scratch" "INSERT INTO decisions(lead_id, at, detail)
      SELECT '$id', unixepoch(json_extract(value, '\$.at')), json_remove(value, '\$.at')
      FROM json_each(json_extract(readfile('$TEST_DIR/.explain.json'), '\$.decisions'))"
  done
  sqlite3 -batch "$scratch" "$query"
}

expect_status() {
  if [ "$STATUS" -eq "$1" ]; then _pass; else _fail "expected exit status $1, got $STATUS"; fi
}
expect_out() {
  if [[ "$OUT" == *"$1"* ]]; then _pass; else _fail "stdout lacks: $1"; fi
}
expect_not_out() {
  if [[ "$OUT" != *"$1"* ]]; then _pass; else _fail "stdout should not contain: $1"; fi
}
expect_err() {
  if [[ "$ERR" == *"$1"* ]]; then _pass; else _fail "stderr lacks: $1"; fi
}
expect_no_out() {
  if [ -z "$OUT" ]; then _pass; else _fail "expected no output"; fi
}
expect_eq() {
  if [ "$1" == "$2" ]; then _pass; else _fail "${3:-value}: expected '$2', got '$1'"; fi
}
expect_match() {
  if [[ "$1" =~ $2 ]]; then _pass; else _fail "${3:-value}: '$1' does not match /$2/"; fi
}

finish() {
  local parts=""
  [ "$SKIPPED_PARTS" -eq 0 ] || parts=", $SKIPPED_PARTS skipped on PostgreSQL"
  echo "${0##*/}: $PASSED passed, $FAILED failed$parts"
  [ "$FAILED" -eq 0 ]
}
