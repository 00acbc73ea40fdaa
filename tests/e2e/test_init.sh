# router init: create, migrate, refuse what is not ours, and the database errors of SPEC §7.
source "$(dirname "$0")/lib.sh"
# The schema version this router writes (src/store/schema.hpp).
SCHEMA=7

cat >router.yaml <<'YAML'
version: 1
timezone: Europe/London
database: router.db
YAML

# Creates the database from the config's `database` (on PostgreSQL from ROUTER_DB, which
# wins over it).
run init
expect_status 0
expect_eq "$OUT" "created $DB (schema $SCHEMA)" "first init"
TABLES="agent_log agent_metrics agent_state broadcast_offers configs contacts decisions deliveries delivery_payloads events leads meta outcomes reassignments rotation rounds trails usage"
LEADS_COLUMNS="id,source,attributes,received_at,state,agent,pool,rule,deadline,attempts,updated_at,touched_at"
EVENTS_COLUMNS="seq,lead_id,at,type,agent,pool,rule,detail,source"
if [ "$E2E_BACKEND" = sqlite ]; then
  expect_eq "$(sql 'PRAGMA user_version')" "$SCHEMA" "user_version"
  expect_eq "$(sql 'PRAGMA application_id')" "1380930900" "application_id"
  expect_eq "$(sql "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)")" \
    "$TABLES" "tables"
  expect_eq "$(sql "SELECT group_concat(name, ' ') FROM sqlite_master WHERE type = 'view'")" "offers" "views"
  expect_eq "$(sql "SELECT group_concat(name, ',') FROM pragma_table_info('leads')")" \
    "$LEADS_COLUMNS" "leads columns"
  expect_eq "$(sql "SELECT group_concat(name, ',') FROM pragma_table_info('events')")" \
    "$EVENTS_COLUMNS" "events columns"
else
  # The pragmas' values are rows of `meta`; leads has a rowid column (SQLite's is built in).
  expect_eq "$(sql "SELECT value FROM meta WHERE key = 'schema.version'")" "$SCHEMA" "schema.version"
  expect_eq "$(sql "SELECT value FROM meta WHERE key = 'schema.application'")" "1380930900" "schema.application"
  expect_eq "$(sql "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema()")" \
    "$TABLES" "tables"
  expect_eq "$(sql "SELECT string_agg(viewname, ' ') FROM pg_views WHERE schemaname = current_schema()")" "offers" "views"
  columns() {
    sql "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = '$1'"
  }
  expect_eq "$(columns leads)" "$LEADS_COLUMNS,rowid" "leads columns"
  expect_eq "$(columns events)" "$EVENTS_COLUMNS" "events columns"
fi

# The keyset reads (a batch of due offers, stale leads, a pool's oldest queued lead) walk an
# index in their order: a read that sorted would sort every row tying on the index's columns
# for each batch (on PostgreSQL, whose indexes do not end in the row's id unless told; 1,000,000
# offers sharing a deadline took two thirds of a sweep). Plans are asked of an empty database;
# on PostgreSQL with sequential scans and sorts priced out, so an index that gives the order
# is taken when there is one.
indexed_by=""
[ "$E2E_BACKEND" = sqlite ] && indexed_by="INDEXED BY leads_offered_deadline"  # as SweepStore's
KEYSET_READS=(
  "SELECT rowid FROM leads $indexed_by WHERE state = 'offered' AND agent IS NOT NULL AND deadline <= 9 AND (deadline, rowid) > (0, 0) ORDER BY deadline, rowid LIMIT 5"
  "SELECT id FROM broadcast_offers WHERE state = 'open' AND deadline <= 9 AND (deadline, id) > (0, 0) ORDER BY deadline, id LIMIT 5"
  "SELECT rowid FROM leads WHERE state = 'queued' AND pool = 'p' ORDER BY received_at, rowid LIMIT 1"
  "SELECT rowid FROM leads WHERE state = 'queued' AND pool IS NULL AND (received_at, rowid) > (0, 0) ORDER BY received_at, rowid LIMIT 5"
)
if [ "$E2E_BACKEND" = sqlite ]; then
  KEYSET_READS+=("SELECT rowid FROM leads WHERE state = 'assigned' AND pool = 'p' AND max(coalesce(updated_at, 0), coalesce(touched_at, 0)) <= 9 AND (max(coalesce(updated_at, 0), coalesce(touched_at, 0)), rowid) > (0, 0) ORDER BY max(coalesce(updated_at, 0), coalesce(touched_at, 0)), rowid LIMIT 5")
  plan() { sql "EXPLAIN QUERY PLAN $1"; }
  sorts='TEMP B-TREE'
else
  KEYSET_READS+=("SELECT rowid FROM leads WHERE state = 'assigned' AND pool = 'p' AND greatest(coalesce(updated_at, 0), coalesce(touched_at, 0)) <= 9 AND (greatest(coalesce(updated_at, 0), coalesce(touched_at, 0)), rowid) > (0, 0) ORDER BY greatest(coalesce(updated_at, 0), coalesce(touched_at, 0)), rowid LIMIT 5")
  plan() {
    psql "$ROUTER_DB" -XAtq -v ON_ERROR_STOP=1 -c "SET enable_seqscan = off" \
      -c "SET enable_sort = off" -c "SET enable_incremental_sort = off" -c "EXPLAIN (COSTS OFF) $1"
  }
  sorts='Sort'
fi
OLDEST_QUEUED=${KEYSET_READS[2]}
for q in "${KEYSET_READS[@]}"; do
  p=$(plan "$q")
  if grep -q "$sorts" <<<"$p"; then
    expect_eq "$p" "a plan without a sort" "keyset read in index order: $q"
  else
    expect_eq ok ok
  fi
done
if sqlite_part "WAL journal mode"; then
  expect_eq "$(sql 'PRAGMA journal_mode')" "wal" "journal mode"
fi

# Idempotent: nothing changes, data survives.
sql "INSERT INTO leads(id, source) VALUES ('CRM-1', 'crm')"
run init
expect_status 0
expect_eq "$OUT" "$DB is up to date (schema $SCHEMA)" "second init"
expect_eq "$(sql 'SELECT count(*) FROM leads')" "1" "rows kept"

run init --format json
expect_status 0
expect_eq "$OUT" '{"database":"'"$DB"'","schema":'$SCHEMA',"action":"unchanged"}' "json"

run init -q
expect_status 0
expect_no_out

run init --format csv
expect_status 64
expect_err "router: --format must be text or json, not 'csv'; see 'router init --help'"

# --db overrides the config (and ROUTER_DB); a relative database path resolves beside the
# config.
if sqlite_part "a database file beside the config"; then
  mkdir -p conf
  printf 'version: 1\ndatabase: state.db\n' >conf/router.yaml
  run --config conf/router.yaml init --format json
  expect_status 0
  expect_eq "$OUT" '{"database":"conf/state.db","schema":'$SCHEMA',"action":"created"}' "config-relative db"
fi
run init --db other.db
expect_status 0
expect_eq "$OUT" "created other.db (schema $SCHEMA)" "--db"
[ -f other.db ] && expect_eq ok ok || expect_eq missing present "other.db"

# An invalid configuration is refused before any database work.
printf 'version: [1\n' >broken.yaml
if [ "$E2E_BACKEND" = sqlite ]; then
  run --config broken.yaml init --db fresh.db
  expect_status 78
  [ -e fresh.db ] && expect_eq created absent "fresh.db" || expect_eq ok ok
else
  reset_db
  run --config broken.yaml init
  expect_status 78
  expect_eq "$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")" "0" \
    "no tables for an invalid config"
fi

# The rest is about SQLite files: migrations from older schemas (PostgreSQL databases start
# at schema $SCHEMA), files that are not router databases, and files that may not be written.
# test_postgres.sh checks PostgreSQL's foreign, newer and uninitialised databases.
sqlite_part "migrations of older schemas, foreign and read-only files" || { finish; exit; }

# A router database at schema 0 (as left by an older layout) is migrated.
sqlite3 old.db "PRAGMA application_id = 1380930900; PRAGMA user_version = 0;"
run init --db old.db
expect_status 0
expect_eq "$OUT" "created old.db (schema $SCHEMA)" "schema 0 counts as new"

# What schema 5 added, undone: the shape of schema 4 and earlier.
BEFORE_V5="DROP VIEW offers; DROP TABLE rounds; DROP INDEX leads_offered_deadline; ALTER TABLE broadcast_offers RENAME TO offers;"

# A database of schema 1 (before notifications) is refused by commands and migrated by init,
# keeping its rows.
cp router.db v1.db
sqlite3 v1.db "$BEFORE_V5 DROP TABLE deliveries; DROP TABLE delivery_payloads; DROP TABLE trails; DROP TABLE configs; ALTER TABLE events DROP COLUMN source; INSERT INTO leads(id, source) VALUES ('K1', 'web'); PRAGMA user_version = 1;"
run assign --db v1.db --now 2026-11-23T10:00:00Z
expect_status 74
expect_err "v1.db has schema version 1, older than this router ($SCHEMA); run 'router init' to migrate it"
run init --db v1.db
expect_status 0
expect_eq "$OUT" "migrated v1.db from schema 1 to $SCHEMA" "schema 1 migrated"
expect_eq "$(sqlite3 v1.db "SELECT count(*) FROM deliveries; SELECT count(*) FROM leads WHERE id = 'K1'; PRAGMA user_version")" "0
1
$SCHEMA" "v1 migrated"

# Schema 2 to 5 (events.source): the events already stored get their lead's source, and report --by source
# counts them as before.
cp router.db v2.db
sqlite3 v2.db "$BEFORE_V5 ALTER TABLE events DROP COLUMN source; DROP TABLE trails; DROP TABLE configs; PRAGMA user_version = 2;
  INSERT INTO leads(id, source, state, agent) VALUES ('W1', 'web', 'assigned', 'x'), ('P1', 'partner', 'assigned', 'x');
  INSERT INTO events(lead_id, at, type, agent, detail) VALUES
    ('W1', 1795435200, 'offered', 'x', '{}'), ('P1', 1795435200, 'offered', 'x', '{}'),
    ('W1', 1795435260, 'claimed', 'x', '{\"seconds_to_claim\":60}');"
run init --db v2.db
expect_status 0
expect_eq "$OUT" "migrated v2.db from schema 2 to $SCHEMA" "schema 2 migrated"
expect_eq "$(sqlite3 v2.db "SELECT group_concat(lead_id || ':' || source, ' ') FROM events; PRAGMA user_version")" "W1:web P1:partner W1:web
$SCHEMA" "v2 events got their source"
run report --db v2.db --now 2026-11-23T13:00:00Z --since 2026-11-01T00:00:00Z --by source --format csv
expect_status 0
expect_eq "$(cut -d, -f1-3 <<<"$OUT")" "source,offered,claimed
partner,1,0
web,1,1" "v2 report by source"

# Schema 5 to 6: a configuration is found by (hash, size) from the index alone, never
# reading the stored text.
cp router.db v5.db
sqlite3 v5.db "DROP INDEX configs_hash_size; CREATE INDEX configs_hash ON configs(hash);
  INSERT INTO configs(hash, text, size) VALUES (7, 'version: 1', 10); PRAGMA user_version = 5;"
run init --db v5.db
expect_status 0
expect_eq "$OUT" "migrated v5.db from schema 5 to $SCHEMA" "schema 5 migrated"
expect_eq "$(sqlite3 v5.db "SELECT group_concat(name, ' ') FROM sqlite_master WHERE tbl_name = 'configs' AND type = 'index';
  SELECT id FROM configs WHERE hash = 7 AND size = 10")" "configs_hash_size
1" "v5 configs index"
expect_eq "$(sqlite3 v5.db "EXPLAIN QUERY PLAN SELECT id FROM configs WHERE hash = 7 AND size = 10 ORDER BY id LIMIT 1" | grep -o 'COVERING INDEX configs_hash_size')" \
  "COVERING INDEX configs_hash_size" "config lookup reads the index alone"

# Schema 6 to 7: a pool's oldest queued lead is read from its own index in order (schema 6
# walked every pool's queued leads, oldest first, until one was in the pool).
cp router.db v6.db
sqlite3 v6.db "DROP INDEX leads_queued_pool; CREATE INDEX leads_queued_pool ON leads(pool) WHERE state = 'queued';
  INSERT INTO leads(id, source, state, pool, received_at) VALUES ('Q1', 'web', 'queued', 'p', 5);
  PRAGMA user_version = 6;"
expect_eq "$(sqlite3 v6.db "EXPLAIN QUERY PLAN $OLDEST_QUEUED" | grep -o 'INDEX leads_[a-z_]*')" \
  "INDEX leads_state_received" "v6 reads every pool's queue"
run init --db v6.db
expect_status 0
expect_eq "$OUT" "migrated v6.db from schema 6 to $SCHEMA" "schema 6 migrated"
expect_eq "$(sqlite3 v6.db "EXPLAIN QUERY PLAN $OLDEST_QUEUED" | grep -o 'INDEX leads_[a-z_]*\|TEMP B-TREE')" \
  "INDEX leads_queued_pool" "v7 reads the pool's queue in order"
expect_eq "$(sqlite3 v6.db "$OLDEST_QUEUED")" "$(sqlite3 v6.db "SELECT rowid FROM leads WHERE id = 'Q1'")" "v6 queue kept"

# The parent folder must exist.
run init --db nowhere/router.db
expect_status 74
expect_eq "$ERR" "router: cannot create nowhere/router.db: folder nowhere does not exist" "no folder"
[ -e nowhere ] && expect_eq created absent "folder" || expect_eq ok ok

# A newer schema is refused by init and by every other command.
sqlite3 newer.db "PRAGMA application_id = 1380930900; PRAGMA user_version = $((SCHEMA + 1)); CREATE TABLE leads(id);"
run init --db newer.db
expect_status 74
expect_eq "$ERR" "router: newer.db has schema version $((SCHEMA + 1)), newer than this router ($SCHEMA); upgrade router" "newer init"
run ingest --db newer.db </dev/null
expect_status 74
expect_err "newer.db has schema version $((SCHEMA + 1)), newer than this router ($SCHEMA); upgrade router"
expect_eq "$(sqlite3 newer.db 'PRAGMA user_version')" "$((SCHEMA + 1))" "newer untouched"

# A file that is not a database is refused and left byte for byte untouched.
printf 'name,phone\nann,123\n' >notes.db
before=$(sha256sum notes.db)
run init --db notes.db
expect_status 74
expect_eq "$ERR" "router: notes.db is not a router database" "text file"
run ingest --db notes.db </dev/null
expect_status 74
expect_eq "$ERR" "router: notes.db is not a router database" "text file, ingest"
expect_eq "$(sha256sum notes.db)" "$before" "text file untouched"
[ -e notes.db-wal ] && expect_eq wal-created none "no -wal" || expect_eq ok ok

# Another application's SQLite database is not ours either, and is not modified.
sqlite3 crm.db "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES ('ann');"
before=$(sha256sum crm.db)
run init --db crm.db
expect_status 74
expect_eq "$ERR" "router: crm.db is not a router database" "foreign sqlite"
expect_eq "$(sha256sum crm.db)" "$before" "foreign sqlite untouched"

# A missing database: every command but init says to run init, and creates nothing.
run ingest --db missing.db </dev/null
expect_status 74
expect_eq "$ERR" "router: database missing.db does not exist; run 'router init'" "missing"
[ -e missing.db ] && expect_eq created absent "missing.db" || expect_eq ok ok

# Read-only file and folder. Root ignores permissions, so run as nobody then.
as_other() {
  if [ "$(id -u)" -eq 0 ]; then
    OUT=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$ROUTER" "$@" 2>"$TEST_DIR/.stderr" </dev/null)
  else
    OUT=$("$ROUTER" "$@" 2>"$TEST_DIR/.stderr" </dev/null)
  fi
  STATUS=$?
  ERR=$(cat "$TEST_DIR/.stderr")
}
chmod 755 "$TEST_DIR"
mkdir ro && chmod 755 ro
"$ROUTER" init --db ro/router.db -q
chmod 444 ro/router.db
before=$(sha256sum ro/router.db)
if [ "$(id -u)" -ne 0 ]; then chmod 555 ro; fi
as_other ingest --db ro/router.db
expect_status 74
expect_match "$ERR" "^router: ro/router.db is read-only; router needs to write to it" "read-only file"
chmod 755 ro
expect_eq "$(sha256sum ro/router.db)" "$before" "read-only file untouched"

mkdir rodir && "$ROUTER" init --db rodir/router.db -q
chmod 666 rodir/router.db
chmod 555 rodir
as_other ingest --db rodir/router.db
expect_status 74
expect_match "$ERR" "^router: folder rodir is read-only; SQLite needs to create router.db-wal" "read-only folder"
chmod 755 rodir

finish
