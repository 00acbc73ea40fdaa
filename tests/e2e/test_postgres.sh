# PostgreSQL (issue 14): the same commands give the same answers on a PostgreSQL database as
# on a SQLite file; connection errors are 74 with the password never shown; a held lock past
# --busy-timeout is 75; concurrent processes route every lead exactly once; a process killed
# mid-batch loses and doubles nothing; a server restarted between two runs is used again.
# Needs ROUTER_TEST_PG (scripts/test.sh starts a throw-away server); skipped (77) without it.
source "$(dirname "$0")/lib.sh"
if [ -z "${ROUTER_TEST_PG:-}" ]; then
  echo "test_postgres.sh: skipped: ROUTER_TEST_PG names no PostgreSQL server"
  exit 77
fi
: "${ROUTER_SOURCE:?ROUTER_SOURCE must name the source tree}"
NOW=2026-11-23T09:00:00Z

# A database of this script's own on the test server, dropped at exit.
pg_base=${ROUTER_TEST_PG%%\?*}
pg_query=""
[[ "$ROUTER_TEST_PG" != *\?* ]] || pg_query="?${ROUTER_TEST_PG#*\?}"
db_uri() { echo "${pg_base%/*}/$1$pg_query"; }
# The databases are found by their prefix at exit: new_db runs in $(...), a subshell, which
# could not add them to an array of this shell.
DBS_PREFIX="pgt_$(basename "$TEST_DIR" | tr -c 'A-Za-z0-9\n' _ | tr 'A-Z' 'a-z')"
new_db() {
  local name="${DBS_PREFIX}_$1"
  psql "$ROUTER_TEST_PG" -Xqc "CREATE DATABASE $name" >/dev/null || exit 1
  db_uri "$name"
}
drop_dbs() {
  local name
  for name in $(psql "$ROUTER_TEST_PG" -XAtc "SELECT datname FROM pg_database
      WHERE left(datname, length('$DBS_PREFIX') + 1) = '${DBS_PREFIX}_'"); do
    psql "$ROUTER_TEST_PG" -Xqc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
  done
  e2e_cleanup
}
trap drop_dbs EXIT
PG=$(new_db main)
pgsql() { psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }

cat >router.yaml <<'YAML'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, tags: [toyota] }
  - { id: ann, weight: 3 }
  - { id: bob }
  - { id: jane }
  - { id: sue, tags: [toyota] }
schedules:
  office:
    hours: { mon-fri: "09:00-17:00" }
pools:
  sales:
    strategy: round_robin
    members:
      - { agent: tom, daily_limit: 7 }
      - ann
      - bob
    default: jane
    claim_timeout: 15m
    max_offers: 2
    schedule: office
  lottery:
    strategy: weighted_random
    members: [ann, bob, sue]
    claim_timeout: 10m
    on_exhausted: queue
  blast:
    strategy: broadcast
    members: [tom, sue]
    claim_timeout: 10m
    on_exhausted: queue
  quiet:
    strategy: least_active
    members: [jane, sue]
    claim_timeout: 20m
rules:
  - { name: toyota, when: { brand: Toyota }, requires: [toyota], pool: blast }
  - { name: web, when: { source: web }, pool: sales }
  - { name: phone, when: { source: phone }, pool: lottery }
  - { name: rest, pool: quiet }
YAML

# 120 leads of four sources, some Toyotas, arriving a minute apart.
python3 - >leads.jsonl <<'PY'
import json
sources = ["web", "phone", "chat", "web", "desk"]
for i in range(120):
    lead = {"id": "L%03d" % i, "source": sources[i % 5],
            "received_at": "2026-11-23T%02d:%02d:00Z" % (7 + i // 60, i % 60)}
    if i % 7 == 0:
        lead["brand"] = "Toyota"
    if i % 4 == 0:
        lead["email"] = "buyer%d@example.com" % (i % 9)
    print(json.dumps(lead))
PY

# The same story on both backends; every command's output goes to OUTDIR/N.
story() {
  local db=$1 out=$2 n=0
  mkdir -p "$out"
  step() {
    n=$((n + 1))
    "$ROUTER" --db "$db" "$@" >"$out/$n" 2>&1
    echo "exit $?" >>"$out/$n"
  }
  step init
  step agent set bob --status leave --until 2026-11-23T12:00:00Z --now $NOW
  step ingest leads.jsonl --now $NOW
  step assign --now 2026-11-23T09:01:00Z --seed 7
  step claim L001 --agent tom --now 2026-11-23T09:03:00Z
  step claim L002 --agent ann --now 2026-11-23T09:03:00Z
  step decline L003 --agent tom --now 2026-11-23T09:04:00Z
  step sweep --now 2026-11-23T09:20:00Z --seed 7
  step sweep --now 2026-11-23T10:00:00Z --seed 7
  step reassign L001 --now 2026-11-23T10:05:00Z --seed 7
  step outcome L002 won --now 2026-11-23T11:00:00Z
  step sweep --now 2026-11-23T13:00:00Z --seed 7 --format json
  step report --since 2026-11-23 --until 2026-11-24 --now 2026-11-23T14:00:00Z
  step report --since 2026-11-23 --until 2026-11-24 --now 2026-11-23T14:00:00Z --by source --format json
  step explain L003 --now 2026-11-23T14:00:00Z --format json
  step explain L007 --now 2026-11-23T14:00:00Z
  step events --format json --limit 400
  step agent list --now 2026-11-23T14:00:00Z
  step agent history tom --now 2026-11-23T14:00:00Z
}
story router.db sqlite
story "$PG" pg
for f in sqlite/*; do
  n=${f#sqlite/}
  # The database's name is the one thing that differs (init's line, a few messages).
  expect_eq "$(sed "s|$PG|DB|g" "pg/$n")" "$(sed 's|router.db|DB|g' "$f")" "command $n: $(head -c 300 "$f")"
done
expect_eq "$(tail -n 1 sqlite/4)" "exit 0" "assign ran"
expect_match "$(cat pg/4)" "offered" "assign offered leads on PostgreSQL"

# The public tables hold the same rows (SPEC §3), column by column.
leads_q="SELECT id, source, attributes, received_at, state, coalesce(agent, '-'), coalesce(pool, '-'), coalesce(rule, '-'), coalesce(deadline, -1), attempts, coalesce(updated_at, -1), coalesce(touched_at, -1) FROM leads ORDER BY id"
events_q="SELECT seq, lead_id, at, type, coalesce(agent, '-'), coalesce(pool, '-'), coalesce(rule, '-'), coalesce(detail, '-'), coalesce(source, '-') FROM events ORDER BY seq"
expect_eq "$(pgsql "$PG" "$leads_q")" "$(sqlite3 -batch router.db "$leads_q")" "leads rows"
expect_eq "$(pgsql "$PG" "$events_q")" "$(sqlite3 -batch router.db "$events_q")" "events rows"
expect_eq "$(pgsql "$PG" "SELECT count(*) FROM events")" "$(sqlite3 router.db "SELECT count(*) FROM events")" "event count"
expect_match "$(pgsql "$PG" "SELECT count(*) FROM events")" "^[0-9]{3,}$" "hundreds of events"

# A CRM inserts a row itself; the next assign routes it.
pgsql "$PG" "INSERT INTO leads(id, source, attributes, received_at) VALUES ('CRM-1', 'phone', '{}', 1795424400)" >/dev/null
run --db "$PG" assign --now 2026-11-23T14:30:00Z --seed 7
expect_status 0
expect_eq "$(pgsql "$PG" "SELECT state FROM leads WHERE id = 'CRM-1'")" "offered" "CRM row routed"
expect_eq "$(pgsql "$PG" "SELECT string_agg(type, ' ' ORDER BY seq) FROM events WHERE lead_id = 'CRM-1'")" \
  "received offered" "CRM row's events"

# libpq is loaded by dlopen for a PostgreSQL database, not linked (SQLite users never map it).
LD_DEBUG=files "$ROUTER" --db "$PG" report --now 2026-11-23T14:00:00Z >/dev/null 2>ld.log
expect_match "$(grep 'libpq' ld.log)" "libpq\.so\.5 \[[0-9]*\]; *dynamically loaded" "libpq loaded by dlopen"
expect_eq "$(grep -c 'libpq.*needed by' ld.log)" "0" "libpq not linked"

# --- The outbox wakes its consumers: each transaction that writes events sends NOTIFY
# router_events with the highest seq; `events --follow` waits on it (its fallback poll is 5 s).
last=$(pgsql "$PG" "SELECT max(seq) FROM events")
"$ROUTER" --db "$PG" events --follow --after "$last" >follow.out 2>follow.err &
follower=$!
(printf 'LISTEN router_events;\nSELECT pg_sleep(2.5);\n' | psql "$PG" -Xq >listen.out 2>&1) &
listener=$!
sleep 1
printf '{"id":"N1","source":"web","received_at":"2026-11-23T14:40:00Z"}\n' >n1.jsonl
"$ROUTER" --db "$PG" ingest -q n1.jsonl --now 2026-11-23T14:40:00Z || _fail "ingest N1"
for _ in $(seq 1 25); do
  grep -q '"lead":"N1"' follow.out && break
  sleep 0.1
done
expect_match "$(cat follow.out)" '"lead":"N1","at":"2026-11-23T14:40:00Z","type":"received"' \
  "the follower printed the new event within 2.5 s, woken by NOTIFY"
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
wait "$listener"
expect_match "$(cat listen.out)" "notification \"router_events\" with payload \"$((last + 1))\"" \
  "NOTIFY carries the highest seq"

# --- A sweep reads the round state of a batch's leads in one statement on PostgreSQL, their
# ids in one array literal: ids with quotes, backslashes, commas and braces are re-offered
# to the same members as on SQLite.
cat >odd.jsonl <<'JSONL'
{"id": "Q\"1", "source": "web", "received_at": "2026-11-23T08:00:00Z"}
{"id": "Q\\2,", "source": "web", "received_at": "2026-11-23T08:00:01Z"}
{"id": "{Q3}", "source": "web", "received_at": "2026-11-23T08:00:02Z"}
{"id": "Q 4", "source": "web", "received_at": "2026-11-23T08:00:03Z"}
JSONL
ODD=$(new_db odd)
for db in odd.db "$ODD"; do
  "$ROUTER" --db "$db" init -q
  "$ROUTER" --db "$db" ingest odd.jsonl --now $NOW -q
  "$ROUTER" --db "$db" assign --now 2026-11-23T09:00:00Z -q
  "$ROUTER" --db "$db" sweep --now 2026-11-23T09:16:00Z -q
  "$ROUTER" --db "$db" sweep --now 2026-11-23T09:32:00Z --format json >"sweep-$([ "$db" = odd.db ] && echo sqlite || echo pg).json"
done
odd_q="SELECT lead_id || ' ' || type || ' ' || coalesce(agent, '-') FROM events ORDER BY seq"
expect_eq "$(pgsql "$ODD" "$odd_q")" "$(sqlite3 odd.db "$odd_q")" "odd ids: the same events"
expect_eq "$(cat sweep-pg.json)" "$(cat sweep-sqlite.json)" "odd ids: the same sweep"
expect_eq "$(sqlite3 odd.db "SELECT count(*) FROM events WHERE type = 'assigned' AND agent = 'jane'")" "4" "odd ids: offered twice each (max_offers 2), then given to the default"

# --- Errors: 74 with one line, the password never printed.
run --db "$(db_uri nosuchdb)" assign --now $NOW
expect_status 74
expect_match "$ERR" "^router: cannot connect to postgresql://" "unknown database"
bad=${pg_base/router@/router:hunter2@}
run --db "${bad%/*}/x$pg_query&port=1" assign --now $NOW
expect_status 74
expect_not_out "hunter2"
expect_eq "$(printf '%s' "$ERR" | grep -c hunter2)" "0" "password not in the message"
expect_match "$ERR" "cannot connect to postgresql://router@/x" "the URI without its password"
run --db "$(db_uri nosuchdb)" report --format json --now $NOW
expect_status 74
EMPTY=$(new_db empty)
run --db "$EMPTY" assign --now $NOW
expect_status 74
expect_err "is not initialised; run 'router init'"
OTHER=$(new_db other)
pgsql "$OTHER" "CREATE TABLE customers(id int)" >/dev/null
run --db "$OTHER" init
expect_status 74
expect_err "is not a router database"
NEWER=$(new_db newer)
"$ROUTER" --db "$NEWER" init -q || exit 1
pgsql "$NEWER" "UPDATE meta SET value = '99' WHERE key = 'schema.version'" >/dev/null
run --db "$NEWER" assign --now $NOW
expect_status 74
expect_err "has schema version 99, newer than this router"
run --db "$PG" init --format json
expect_status 0
expect_eq "$OUT" "{\"database\":\"$PG\",\"schema\":7,\"action\":\"unchanged\"}" "init again"
# A database of schema 6, the first on PostgreSQL (its keyset indexes did not end in the row's
# id), is refused by commands and migrated by init, keeping its rows.
V6=$(new_db v6)
"$ROUTER" --db "$V6" init -q || exit 1
pgsql "$V6" "DROP INDEX leads_assigned_activity; CREATE INDEX leads_assigned_activity ON leads(pool,
    greatest(coalesce(updated_at, 0), coalesce(touched_at, 0))) WHERE state = 'assigned';
  DROP INDEX leads_queued_pool; CREATE INDEX leads_queued_pool ON leads(pool) WHERE state = 'queued';
  DROP INDEX leads_offered_deadline; CREATE INDEX leads_offered_deadline ON leads(deadline)
    WHERE state = 'offered' AND agent IS NOT NULL;
  DROP INDEX offers_state_deadline; CREATE INDEX offers_state_deadline ON broadcast_offers(state, deadline);
  INSERT INTO leads(id, source, state, agent, pool, deadline) VALUES ('V6-1', 'web', 'offered', 'ann', 'p', 5);
  UPDATE meta SET value = '6' WHERE key = 'schema.version'" >/dev/null
KEYSET_INDEXES="SELECT string_agg(indexname || ':' || regexp_replace(indexdef, '.* USING btree ', ''), ' | '
  ORDER BY indexname) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN
  ('leads_assigned_activity', 'leads_queued_pool', 'leads_offered_deadline', 'offers_state_deadline')"
run --db "$V6" assign --now $NOW
expect_status 74
expect_err "has schema version 6, older than this router (7); run 'router init' to migrate it"
run --db "$V6" init
expect_status 0
expect_match "$OUT" "^migrated postgresql://.* from schema 6 to 7$"
expect_eq "$(pgsql "$V6" "$KEYSET_INDEXES")" "$(pgsql "$PG" "$KEYSET_INDEXES")" "v6 indexes as a new database's"
expect_match "$(pgsql "$V6" "$KEYSET_INDEXES")" "leads_offered_deadline:\\(deadline, rowid\\)"
expect_eq "$(pgsql "$V6" "SELECT value FROM meta WHERE key = 'schema.version'; SELECT agent FROM leads WHERE id = 'V6-1'")" "7
ann" "v6 migrated, rows kept"

# --- A lock held past --busy-timeout: 75, nothing written.
printf '{"id":"BUSY-1","source":"web"}\n' >busy.jsonl
(
  echo "BEGIN; SELECT pg_advisory_xact_lock(1380930900); SELECT pg_sleep(3); COMMIT;"
) | psql "$PG" -Xq >/dev/null &
holder=$!
sleep 0.7
run --db "$PG" ingest busy.jsonl --busy-timeout 1s --now $NOW
expect_status 75
expect_match "$ERR" "^router: database is busy" "busy message"
wait $holder
expect_eq "$(pgsql "$PG" "SELECT count(*) FROM leads WHERE id = 'BUSY-1'")" "0" "busy wrote nothing"

# --- Four processes assigning and sweeping at once: every lead offered exactly once, round
# robin's shares within one of each other. 5,000 leads, as many as assign and sweep take in
# one transaction.
CONC_N=5000
CONC=$(new_db conc)
cat >conc.yaml <<'YAML'
version: 1
agents: [{ id: a1 }, { id: a2 }, { id: a3 }, { id: a4 }, { id: a5 }]
pools:
  all:
    members: [a1, a2, a3, a4, a5]
    claim_timeout: 1h
rules:
  - { name: all, pool: all }
YAML
"$ROUTER" --config conc.yaml --db "$CONC" init -q || exit 1
python3 -c '
import sys
for i in range(int(sys.argv[1])):
    print("{\"id\":\"C%05d\",\"source\":\"web\",\"received_at\":\"2026-11-23T08:00:00Z\"}" % i)' "$CONC_N" >conc.jsonl
"$ROUTER" --config conc.yaml --db "$CONC" ingest -q conc.jsonl --now $NOW || exit 1
pids=()
for p in 1 2 3 4; do
  if [ "$p" -le 2 ]; then cmd=assign; else cmd=sweep; fi
  "$ROUTER" --config conc.yaml --db "$CONC" "$cmd" -q --busy-timeout 60s \
    --now 2026-11-23T08:30:00Z >"conc.$p.out" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
expect_eq "$status" "0" "four concurrent processes succeed ($(cat conc.*.out | head -c 400))"
expect_eq "$(pgsql "$CONC" "SELECT count(*) FROM leads WHERE state = 'offered'")" "$CONC_N" "every lead offered"
expect_eq "$(pgsql "$CONC" "SELECT count(*) FROM events WHERE type = 'offered'")" "$CONC_N" "one offer each"
expect_eq "$(pgsql "$CONC" "SELECT count(*) FROM (SELECT lead_id FROM events WHERE type = 'offered' GROUP BY lead_id HAVING count(*) > 1) d")" "0" "no lead offered twice"
expect_eq "$(pgsql "$CONC" "SELECT max(n) - min(n) <= 1 FROM (SELECT count(*) AS n FROM leads GROUP BY agent) s")" "t" "round robin within one"

# Two sweeps at once when every offer has expired: each lead expires once and goes on once,
# to another agent.
pids=()
for p in 1 2; do
  "$ROUTER" --config conc.yaml --db "$CONC" sweep -q --busy-timeout 60s \
    --now 2026-11-23T10:00:00Z >"conc.sweep.$p.out" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
expect_eq "$status" "0" "two concurrent sweeps succeed ($(cat conc.sweep.*.out | head -c 400))"
expect_eq "$(pgsql "$CONC" "SELECT count(*) FROM events WHERE type = 'expired'")" "$CONC_N" "every offer expired once"
expect_eq "$(pgsql "$CONC" "SELECT count(*) FROM events WHERE type = 'offered'")" "$((2 * CONC_N))" "every lead offered on once"
expect_eq "$(pgsql "$CONC" "SELECT count(*) FROM (SELECT lead_id FROM events WHERE type = 'offered' GROUP BY lead_id HAVING count(DISTINCT agent) <> 2) d")" "0" "each to another agent"
expect_eq "$(pgsql "$CONC" "SELECT max(n) - min(n) <= 1 FROM (SELECT count(*) AS n FROM leads GROUP BY agent) s")" "t" "round robin within one after the expiries"

# --- Runs share the work. A run whose leads go to other pools does not wait for one that
# holds a pool's state, and rows another transaction holds are skipped, not waited for.
SHARE=$(new_db share)
cat >share.yaml <<'YAML'
version: 1
agents: [{ id: n1 }, { id: n2 }, { id: s1 }, { id: s2 }]
pools:
  north: { members: [n1, n2], claim_timeout: 1h }
  south: { members: [s1, s2], claim_timeout: 1h }
rules:
  - { name: north, when: { region: north }, pool: north }
  - { name: south, when: { region: south }, pool: south }
YAML
"$ROUTER" --config share.yaml --db "$SHARE" init -q || exit 1
crm_lead() {
  pgsql "$SHARE" "INSERT INTO leads(id, source, attributes, received_at) VALUES ('$1', 'web', '{\"region\": \"$2\"}', $3)" >/dev/null
}
# Advisory locks in this database, granted (true) or awaited (false).
advisory() {
  pgsql "$SHARE" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
}
wait_for() {  # wait_for GRANTED COUNT: until that many advisory locks are so
  local i
  for i in $(seq 1 200); do
    [ "$(advisory "$1")" -ge "$2" ] && return 0
    sleep 0.05
  done
  return 1
}
hold() {  # hold SQL: another session runs SQL in a transaction it keeps open until unhold
  rm -f share.fifo
  mkfifo share.fifo
  psql "$SHARE" -Xq -v ON_ERROR_STOP=1 <share.fifo >/dev/null &
  holder=$!
  exec 8>share.fifo
  echo "BEGIN; $1" >&8
}
unhold() {
  echo "COMMIT;" >&8
  exec 8>&-
  wait "$holder"
}
for i in 1 2 3; do crm_lead "N$i" north 1795420800; done
# The state of pool north, as router locks it (its documented key).
hold "SELECT pg_advisory_xact_lock(hashtextextended('pool north', 1380930900));"
wait_for true 1 || _fail "the holder did not lock pool north"
"$ROUTER" --config share.yaml --db "$SHARE" assign -q --busy-timeout 60s \
  --now 2026-11-23T08:30:00Z >share.first.out 2>&1 &
first=$!
wait_for false 1 || _fail "the first run did not wait for pool north"
for i in 1 2 3; do crm_lead "S$i" south 1795420860; done
run --config share.yaml --db "$SHARE" assign --busy-timeout 5s --now 2026-11-23T08:30:00Z
expect_status 0
expect_eq "$(pgsql "$SHARE" "SELECT string_agg(id || ':' || state, ' ' ORDER BY id) FROM leads")" \
  "N1:pending N2:pending N3:pending S1:offered S2:offered S3:offered" \
  "south routed while north waits"
expect_eq "$(kill -0 "$first" 2>/dev/null && echo waiting)" "waiting" "the first run still waits"
unhold
wait "$first"
expect_eq "$?" "0" "the first run ends once north is free ($(head -c 300 share.first.out))"
expect_eq "$(pgsql "$SHARE" "SELECT string_agg(id || ':' || state || ':' || agent, ' ' ORDER BY id) FROM leads")" \
  "N1:offered:n1 N2:offered:n2 N3:offered:n1 S1:offered:s1 S2:offered:s2 S3:offered:s1" \
  "each pool's rotation as one process makes it"
expect_eq "$(pgsql "$SHARE" "SELECT count(*) FROM events WHERE type = 'offered'")" "6" "six offers"
expect_eq "$(pgsql "$SHARE" "SELECT (SELECT max(seq) FROM events WHERE lead_id LIKE 'S%') < (SELECT min(seq) FROM events WHERE lead_id LIKE 'N%')")" \
  "t" "events' seq in the order of commits"
# One batch with leads for both pools while north is held: it routes south's and leaves
# north's for a batch of its own, which waits for north (here past --busy-timeout: 75, with
# south's batch committed).
hold "SELECT pg_advisory_xact_lock(hashtextextended('pool north', 1380930900));"
wait_for true 1 || _fail "the holder did not lock pool north"
crm_lead N4 north 1795420870
crm_lead S4 south 1795420880
run --config share.yaml --db "$SHARE" assign --busy-timeout 1s --now 2026-11-23T08:30:00Z
expect_status 75
expect_eq "$(pgsql "$SHARE" "SELECT string_agg(id || ':' || state, ' ' ORDER BY id) FROM leads WHERE id IN ('N4', 'S4')")" \
  "N4:pending S4:offered" "south's lead routed, north's left"
unhold
run --config share.yaml --db "$SHARE" assign --now 2026-11-23T08:30:00Z
expect_status 0
expect_eq "$(pgsql "$SHARE" "SELECT state || ':' || agent FROM leads WHERE id = 'N4'")" "offered:n2" "north's once free, next in its rotation"
# A lead row another transaction holds is skipped, not waited for; the next run takes it.
crm_lead X1 north 1795420900
crm_lead X2 north 1795420910
hold "SELECT id FROM leads WHERE id = 'X1' FOR UPDATE;"
for _ in $(seq 1 100); do
  [ "$(pgsql "$SHARE" "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'leads' AND l.mode = 'RowShareLock'")" -ge 1 ] && break
  sleep 0.05
done
run --config share.yaml --db "$SHARE" assign --busy-timeout 3s --now 2026-11-23T08:30:00Z
expect_status 0
expect_eq "$(pgsql "$SHARE" "SELECT string_agg(id || ':' || state, ' ' ORDER BY id) FROM leads WHERE id LIKE 'X%'")" \
  "X1:pending X2:offered" "the held row skipped"
unhold
run --config share.yaml --db "$SHARE" assign --now 2026-11-23T08:30:00Z
expect_status 0
expect_eq "$(pgsql "$SHARE" "SELECT state FROM leads WHERE id = 'X1'")" "offered" "taken by the next run"

# The sweep too: an offer whose lead row another transaction holds is left for the next
# sweep; the others expire and go on.
hold "SELECT id FROM leads WHERE id = 'N1' FOR UPDATE;"
for _ in $(seq 1 100); do
  [ "$(pgsql "$SHARE" "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'leads' AND l.mode = 'RowShareLock'")" -ge 1 ] && break
  sleep 0.05
done
run --config share.yaml --db "$SHARE" sweep --busy-timeout 3s --now 2026-11-23T10:00:00Z
expect_status 0
expect_eq "$(pgsql "$SHARE" "SELECT count(*) FROM events WHERE type = 'expired'")" "9" "nine offers expired"
expect_eq "$(pgsql "$SHARE" "SELECT count(*) FROM events WHERE type = 'expired' AND lead_id = 'N1'")" "0" "the held one left"
unhold
run --config share.yaml --db "$SHARE" sweep --now 2026-11-23T10:00:00Z
expect_status 0
expect_eq "$(pgsql "$SHARE" "SELECT count(*) FROM events WHERE type = 'expired' AND lead_id = 'N1'")" "1" "expired by the next sweep"

# --- kill -9 mid-batch: what committed stays, the rest is routed by the next run, once.
KILL=$(new_db kill)
"$ROUTER" --config conc.yaml --db "$KILL" init -q || exit 1
python3 -c '
for i in range(12000):
    print("{\"id\":\"K%05d\",\"source\":\"web\",\"received_at\":\"2026-11-23T08:00:00Z\"}" % i)' >kill.jsonl
"$ROUTER" --config conc.yaml --db "$KILL" ingest -q kill.jsonl --now $NOW || exit 1
"$ROUTER" --config conc.yaml --db "$KILL" assign -q --now 2026-11-23T08:30:00Z &
victim=$!
for _ in $(seq 1 100); do
  [ "$(pgsql "$KILL" "SELECT count(*) > 0 FROM leads WHERE state = 'offered'")" = t ] && break
  sleep 0.05
done
kill -9 "$victim" 2>/dev/null
wait "$victim" 2>/dev/null
partial=$(pgsql "$KILL" "SELECT count(*) FROM leads WHERE state = 'offered'")
expect_match "$partial" "^[0-9]+$" "offered before the kill"
[ "$partial" -lt 12000 ] && _pass || _fail "the kill came after the last batch ($partial offered); nothing was tested"
run --config conc.yaml --db "$KILL" assign -q --now 2026-11-23T08:30:00Z
expect_status 0
expect_eq "$(pgsql "$KILL" "SELECT count(*) FROM leads WHERE state = 'offered'")" "12000" "all offered after the rerun"
expect_eq "$(pgsql "$KILL" "SELECT count(*) FROM events WHERE type = 'offered'")" "12000" "each offered once"
expect_eq "$(pgsql "$KILL" "SELECT count(*) FROM events WHERE type = 'received'")" "12000" "each received once"

# --- A server restarted between two runs: the second run connects anew and works.
own_dir=$(mktemp -d /tmp/router-pg-own.XXXXXX)
own=$("$ROUTER_SOURCE/scripts/pg-cluster.sh" start "$own_dir") || { _fail "could not start a second server"; own=""; }
if [ -n "$own" ]; then
  trap 'cd /; drop_dbs; "$ROUTER_SOURCE/scripts/pg-cluster.sh" stop "$own_dir"' EXIT
  "$ROUTER" --config conc.yaml --db "$own" init -q || _fail "init on the second server"
  printf '{"id":"R1","source":"web","received_at":"2026-11-23T08:00:00Z"}\n' | "$ROUTER" --config conc.yaml --db "$own" ingest -q --now $NOW
  own_data="$own_dir/data"
  pg_ctl_as() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  bindir=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  (cd / && pg_ctl_as "$bindir/pg_ctl" -D "$own_data" -m fast -w stop >/dev/null)
  run --config conc.yaml --db "$own" assign --now 2026-11-23T08:30:00Z
  expect_status 74
  expect_err "cannot connect to"
  own_port=${own##*port=}
  own_port=${own_port%%&*}
  (cd / && pg_ctl_as "$bindir/pg_ctl" -D "$own_data" -w -l "$own_dir/server.log" \
    -o "-c port=$own_port" start >/dev/null)
  run --config conc.yaml --db "$own" assign --now 2026-11-23T08:30:00Z
  expect_status 0
  expect_eq "$(pgsql "$own" "SELECT state FROM leads WHERE id = 'R1'")" "offered" "routed after the restart"
fi

finish
