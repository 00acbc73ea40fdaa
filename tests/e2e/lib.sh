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
# each script gets a database of its own there, dropped at exit, and ROUTER_DB names it.
set -uo pipefail
: "${ROUTER:?ROUTER must name the router binary}"
TEST_DIR=$(mktemp -d)
trap 'rm -rf "$TEST_DIR"' EXIT
cd "$TEST_DIR" || exit 1
unset ROUTER_CONFIG ROUTER_DB ROUTER_NOW ROUTER_SEED GITHUB_ACTIONS
E2E_BACKEND=${ROUTER_TEST_BACKEND:-sqlite}
if [ "$E2E_BACKEND" = postgresql ]; then
  : "${ROUTER_TEST_PG:?ROUTER_TEST_PG must name a PostgreSQL database URI}"
  PG_DB=$(basename "$TEST_DIR" | tr -c 'A-Za-z0-9\n' _ | tr 'A-Z' 'a-z')
  PG_DB="e2e_$PG_DB"
  # The server's URI with the database part of its path replaced.
  pg_base=${ROUTER_TEST_PG%%\?*}
  pg_query=""
  [[ "$ROUTER_TEST_PG" != *\?* ]] || pg_query="?${ROUTER_TEST_PG#*\?}"
  export ROUTER_DB="${pg_base%/*}/$PG_DB$pg_query"
  psql "$ROUTER_TEST_PG" -Xqc "CREATE DATABASE $PG_DB" >/dev/null || exit 1
  # The SQLite functions the scripts' own queries use, for those queries only (router
  # never calls them): json_extract, group_concat, quote, datetime(x, 'unixepoch'), ifnull.
  psql "$ROUTER_DB" -Xq -v ON_ERROR_STOP=1 >/dev/null <<'PGSQL' || exit 1
CREATE FUNCTION json_extract(t text, p text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT jsonb_path_query_first(t::jsonb, p::jsonpath) #>> '{}' $$;
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
CREATE FUNCTION datetime(v bigint, unit text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT to_char(to_timestamp(v) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') $$;
CREATE FUNCTION ifnull(a anyelement, b anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE
  AS $$ SELECT coalesce(a, b) $$;
PGSQL
  trap 'rm -rf "$TEST_DIR"; psql "$ROUTER_TEST_PG" -Xqc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1' EXIT
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
  # PostgreSQL 15 wants a name for every subquery in FROM; SQLite does not.
  _pg_query() {
    python3 -c '
import sys
q, out, i, n = sys.argv[1], "", 0, 0
while True:
    j = q.find("FROM (", i)
    if j < 0:
        break
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
  echo "${0##*/}: $PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
