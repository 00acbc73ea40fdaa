# `router migrate --to` (issue 14): a SQLite database copied into PostgreSQL and back gives
# the same rows in every table, and the same answers to report, explain and events; the copy
# goes on where the original would (events' seq, leads' order of arrival); a target that
# already holds router data, a value of the wrong type, a server that cannot be reached
# each refuse with one line and leave nothing behind. Needs ROUTER_TEST_PG (scripts/test.sh
# starts a throw-away server); skipped (77) without it.
source "$(dirname "$0")/lib.sh"
if [ -z "${ROUTER_TEST_PG:-}" ]; then
  echo "SKIP: ROUTER_TEST_PG names no PostgreSQL server"
  exit 77
fi
NOW=2026-11-23T09:00:00Z

# Databases of this script's own on the test server, dropped at exit.
pg_base=${ROUTER_TEST_PG%%\?*}
pg_query=""
[[ "$ROUTER_TEST_PG" != *\?* ]] || pg_query="?${ROUTER_TEST_PG#*\?}"
DBS=()
new_db() {
  local name="mig_$(basename "$TEST_DIR" | tr -c 'A-Za-z0-9\n' _ | tr 'A-Z' 'a-z')_$1"
  psql "$ROUTER_TEST_PG" -Xqc "CREATE DATABASE $name" >/dev/null || exit 1
  DBS+=("$name")
  echo "${pg_base%/*}/$name$pg_query"
}
drop_dbs() {
  local name
  for name in "${DBS[@]}"; do
    psql "$ROUTER_TEST_PG" -Xqc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
  done
  e2e_cleanup
}
trap drop_dbs EXIT
pgsql() { psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }
# Every table of a SQLite file, row by row, sorted: two files compare equal when they hold
# the same rows (sqlite_sequence's rows may come in another order).
rows_of() { sqlite3 -batch "$1" .dump | grep '^INSERT' | sort; }

cat >router.yaml <<'YAML'
version: 1
timezone: Europe/London
agents:
  - { id: tom, tags: [toyota] }
  - { id: ann, weight: 3 }
  - { id: bob }
  - { id: sue, tags: [toyota] }
pools:
  sales:
    strategy: round_robin
    members: [{ agent: tom, daily_limit: 40 }, ann, bob]
    claim_timeout: 15m
    max_offers: 2
    on_exhausted: queue
  blast:
    strategy: broadcast
    members: [tom, sue]
    claim_timeout: 10m
    on_exhausted: queue
rules:
  - { name: toyota, when: { brand: Toyota }, requires: [toyota], pool: blast }
  - { name: web, pool: sales }
YAML

# 12,000 leads: more than one read of the cursor (5,000 rows) in every big table.
python3 - >leads.jsonl <<'PY'
import json
for i in range(12000):
    lead = {"id": "L%05d" % i, "source": ["web", "phone", "chat"][i % 3],
            "received_at": "2026-11-23T%02d:%02d:%02dZ" % (6 + i // 3600, i // 60 % 60, i % 60)}
    if i % 97 == 0:
        lead["brand"] = "Toyota"
    print(json.dumps(lead))
PY
ok=0
at() { "$ROUTER" --db a.db "$@" -q || ok=1; }
offered_to() { sqlite3 a.db "SELECT agent FROM leads WHERE id = '$1'"; }
at init
at agent set bob --status leave --until 2026-11-24T00:00:00Z --now $NOW
at agent login ann --now $NOW
at agent metric tom close_rate=0.25 --now $NOW
at ingest leads.jsonl --now $NOW
at assign --now 2026-11-23T09:01:00Z
at claim L00001 --agent "$(offered_to L00001)" --now 2026-11-23T09:03:00Z
at claim L00000 --agent sue --now 2026-11-23T09:03:00Z
at decline L00004 --agent "$(offered_to L00004)" --now 2026-11-23T09:04:00Z
at sweep --now 2026-11-23T09:20:00Z
at reassign L00001 --pool sales --now 2026-11-23T09:30:00Z
at outcome L00000 won --now 2026-11-23T11:00:00Z
expect_eq "$ok" "0" "the story ran on SQLite"

# SQLite -> PostgreSQL.
PG=$(new_db one)
run --db a.db migrate --to "$PG"
expect_status 0
expect_match "$OUT" "^copied a.db to postgresql://[^ ]*: 12000 leads, [0-9]+ events, [0-9]+ rows in [0-9]+ tables$"
tables=$(sqlite3 a.db "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")
for t in $tables; do
  # meta's schema rows are PostgreSQL's own version record.
  expect_eq "$(pgsql "$PG" "SELECT count(*) FROM $t $([ "$t" != meta ] || echo "WHERE key NOT LIKE 'schema.%'")")" "$(sqlite3 a.db "SELECT count(*) FROM $t")" "$t: as many rows on PostgreSQL"
done
leads_q="SELECT id, source, attributes, received_at, state, coalesce(agent, '-'), coalesce(pool, '-'), coalesce(rule, '-'), coalesce(deadline, -1), attempts, coalesce(updated_at, -1), coalesce(touched_at, -1) FROM leads ORDER BY rowid"
events_q="SELECT seq, lead_id, at, type, coalesce(agent, '-'), coalesce(pool, '-'), coalesce(rule, '-'), coalesce(detail, '-'), coalesce(source, '-') FROM events ORDER BY seq"
expect_eq "$(pgsql "$PG" "$leads_q" | md5sum)" "$(sqlite3 -batch a.db "$leads_q" | md5sum)" "leads: the same rows, in the same order of arrival"
expect_eq "$(pgsql "$PG" "$events_q" | md5sum)" "$(sqlite3 -batch a.db "$events_q" | md5sum)" "events: the same rows"
# The same answers from both.
for args in "report --since 2026-11-23 --until 2026-11-24 --format json" \
  "report --by pool --since 2026-11-23 --until 2026-11-24" "explain L00001 --format json" \
  "explain L00004" "events --after 23900 --limit 200" "agent list" "agent history bob"; do
  a=$("$ROUTER" --db a.db $args --now 2026-11-23T12:00:00Z 2>&1)
  b=$("$ROUTER" --db "$PG" $args --now 2026-11-23T12:00:00Z 2>&1)
  expect_eq "$b" "$a" "router $args"
done

# PostgreSQL -> SQLite: the same rows as the original, in every table.
run --db "$PG" migrate --to b.db --format json
expect_status 0
expect_eq "$(jq -r '[.from == "'"$PG"'", .to, .schema, .tables.leads, .rows > 36000] | @tsv' <<<"$OUT")" \
  "$(printf 'true\tb.db\t%s\t12000\ttrue' "$(sqlite3 a.db 'PRAGMA user_version')")" "migrate's JSON"
expect_eq "$(rows_of b.db | md5sum)" "$(rows_of a.db | md5sum)" "SQLite -> PostgreSQL -> SQLite: every table's rows"
expect_eq "$(rows_of b.db | wc -l)" "$(rows_of a.db | wc -l)" "as many rows"

# Each copy goes on as the original would: the next lead's events get the next seq, and it
# is routed after the leads already waiting.
echo '{"id":"NEW","source":"web"}' >new.jsonl
for db in a.db "$PG" b.db; do
  "$ROUTER" --db "$db" ingest new.jsonl --now 2026-11-23T12:00:00Z -q
  "$ROUTER" --db "$db" sweep --now 2026-11-23T12:00:00Z >/dev/null
done
next_q="SELECT seq || ' ' || type || ' ' || coalesce(agent, '-') FROM events WHERE lead_id = 'NEW' ORDER BY seq"
expect_eq "$(pgsql "$PG" "$next_q")" "$(sqlite3 a.db "$next_q")" "PostgreSQL: NEW's events and seqs"
expect_eq "$(sqlite3 b.db "$next_q")" "$(sqlite3 a.db "$next_q")" "back on SQLite: NEW's events and seqs"
expect_match "$(sqlite3 a.db "$next_q" | head -n 1)" "^[0-9]+ received -$" "NEW was received"

# A target that holds router data is refused, and nothing is written to it.
before=$(pgsql "$PG" "SELECT count(*) FROM events")
run --db a.db migrate --to "$PG"
expect_status 1
expect_match "$ERR" "^router: postgresql://[^ ]* already holds router data \(table [a-z_]+: [0-9]+ rows?\); migrate copies into an empty database only$"
expect_eq "$(pgsql "$PG" "SELECT count(*) FROM events")" "$before" "the refused target is unchanged"
run --db a.db migrate --to b.db
expect_status 1
expect_match "$ERR" "^router: b.db already holds router data"

# A database `router init` created and nothing wrote to is taken.
EMPTY=$(new_db empty)
"$ROUTER" --db "$EMPTY" init -q
run --db b.db migrate --to "$EMPTY" -q
expect_status 0
expect_no_out
expect_eq "$(pgsql "$EMPTY" "SELECT count(*) FROM leads")" "12001" "copied into an initialised, empty database"

# A value of the wrong type in the source: one line naming the table and column; nothing
# is left in the target, neither tables on the server nor a new file.
sqlite3 a.db "UPDATE leads SET received_at = 'yesterday' WHERE id = 'L00042'"
BAD=$(new_db bad)
run --db a.db migrate --to "$BAD"
expect_status 74
expect_eq "$ERR" "router: a.db: table leads, column received_at holds a value that is not an integer; correct or delete that row before migrating"
expect_eq "$(pgsql "$BAD" "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")" "0" "no tables left on the server"
run --db a.db migrate --to c.db
expect_status 74
expect_eq "$(ls c.db* 2>/dev/null)" "" "no new file left behind"

# A server that cannot be reached: 74, one line, the password never shown.
run --db b.db migrate --to "postgresql://router:s3cret@/nowhere?host=$TEST_DIR/none"
expect_status 74
expect_eq "$(wc -l <<<"$ERR")" "1" "one line"
expect_not_out_err() { [[ "$ERR" != *s3cret* ]] && _pass || _fail "the password was printed: $ERR"; }
expect_not_out_err
# No --to, a missing source.
run --db b.db migrate
expect_status 64
expect_match "$ERR" "--to"
run --db missing.db migrate --to d.db
expect_status 74
expect_eq "$(ls d.db* 2>/dev/null)" "" "nothing created for a missing source"

finish
