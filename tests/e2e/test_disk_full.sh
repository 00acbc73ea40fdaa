# A full disk (issue 10, item 11): with the database capped at the pages it already uses
# (the test-only $ROUTER_TEST_MAX_PAGE_COUNT, SQLite's max_page_count), `ingest`, `assign`
# and `sweep` exit 74 with "database or disk is full", leave every lead in a state its
# events agree with, and a later run with room finishes the work.
source "$(dirname "$0")/lib.sh"
# The cap is SQLite's max_page_count: a PostgreSQL server's disk is not router's to fill.
sqlite_only "a full disk is SQLite's max_page_count cap on the file"

cat >router.yaml <<'YAML'
timezone: UTC
database: router.db
pools:
  sales:
    members: [ann, bob, cy, dee]
    strategy: round_robin
    claim_timeout: 10m
    max_offers: 2
    on_exhausted: queue
rules:
  - name: web
    when: { source: web }
    pool: sales
agents:
  - { id: ann }
  - { id: bob }
  - { id: cy }
  - { id: dee }
YAML
"$ROUTER" init -q || exit 1

T0=2026-11-23T10:00:00Z
pages() { sql "PRAGMA page_count"; }
# full [PAGES] run|run_in ARGS...: runs router (lib.sh's run) with the file capped at its
# size now plus PAGES (default 0).
full() {
  local room=0
  if [[ $1 =~ ^[0-9]+$ ]]; then room=$1; shift; fi
  ROUTER_TEST_MAX_PAGE_COUNT=$(($(pages) + room)) "$@"
}
# Room for about one batch of 5000 leads (assign and sweep commit every 5000), not two: a
# batch of assign adds about 290 pages here, one of the sweep (an expiry and a new offer per
# lead) about 470.
ASSIGN_ROOM=400
SWEEP_ROOM=700
# Leads whose attributes fill pages fast: N lines from index $2.
leads() {
  python3 -c '
import json, sys
n, start = int(sys.argv[1]), int(sys.argv[2])
for i in range(start, start + n):
    print(json.dumps({"id": "L%05d" % i, "source": "web", "note": "x" * 100}))
' "$1" "$2"
}
# Every lead's state and agent against its last move in the events, and offers against
# events; prints the disagreeing leads (none when consistent).
disagreements() {
  sql "WITH moves AS (
         SELECT lead_id, type, agent,
                row_number() OVER (PARTITION BY lead_id ORDER BY seq DESC) AS rn
         FROM events WHERE type IN ('offered','claimed','assigned','picked_up','queued','closed'))
       SELECT l.id || ' ' || l.state || ' ' || coalesce(m.type, '-') FROM leads l
       LEFT JOIN moves m ON m.lead_id = l.id AND m.rn = 1
       WHERE NOT CASE l.state
         WHEN 'pending' THEN m.type IS NULL
         WHEN 'offered' THEN m.type = 'offered' AND m.agent IS l.agent
         WHEN 'assigned' THEN m.type IN ('claimed','assigned','picked_up') AND m.agent IS l.agent
         WHEN 'queued' THEN m.type = 'queued'
         WHEN 'closed' THEN m.type = 'closed'
         ELSE 0 END
         OR (l.state = 'offered') <> EXISTS (SELECT 1 FROM offers o WHERE o.lead_id = l.id AND o.state = 'open')
         OR (SELECT count(*) FROM events e WHERE e.lead_id = l.id AND e.type = 'received') <> 1;
       SELECT 'offers ' || (SELECT count(*) FROM offers) || ' <> offered events ' || count(*)
       FROM events WHERE type = 'offered' HAVING count(*) <> (SELECT count(*) FROM offers);"
}
consistent() {
  expect_eq "$(sql 'PRAGMA integrity_check')" "ok" "integrity after $1"
  expect_eq "$(disagreements | head -5)" "" "state and events agree after $1"
}

# --- ingest: all or nothing, even when the disk fills half-way through the file.
leads 20 0 >first.jsonl
run_in first.jsonl ingest --now $T0
expect_status 0
leads 11980 20 >big.jsonl
before=$(sql "SELECT count(*), max(seq) FROM events")
full run_in big.jsonl ingest --now $T0
expect_status 74
expect_err "database or disk is full"
expect_eq "$(printf '%s\n' "$ERR" | wc -l) ${ERR:0:8}" "1 router: " "one line on stderr"
expect_eq "$(sql "SELECT count(*), max(seq) FROM events")" "$before" "nothing of the big file written"
expect_eq "$(sql "SELECT count(*) FROM leads")" "20" "the 20 earlier leads only"
consistent "a full ingest"
# With room, the same file goes in whole.
run_in big.jsonl ingest -q --now $T0
expect_status 0
expect_eq "$(sql "SELECT count(*) FROM leads")" "12000" "the big file after room was made"

# --- assign: several batches; the disk fills part-way.
full $ASSIGN_ROOM run assign -q --now $T0
expect_status 74
expect_err "database or disk is full"
consistent "a full assign"
expect_eq "$(sql "SELECT state, count(*) FROM leads GROUP BY state ORDER BY state" | tr '\n' ' ')" \
  "offered|5000 pending|7000 " "the first batch kept, the second rolled back"
# A later run with room routes the rest, each once.
run assign -q --now $T0
expect_status 0
expect_eq "$(sql "SELECT count(*) FROM leads WHERE state = 'pending'")" "0" "nothing pending after room"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE state = 'offered'")" "12000" "every lead offered"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'offered'")" "12000" "each offered once"
consistent "assign with room"

# --- sweep: every offer expires; the disk fills part-way through the re-offers.
T1=2026-11-23T10:10:00Z
full $SWEEP_ROOM run sweep -q --now $T1
expect_status 74
expect_err "database or disk is full"
consistent "a full sweep"
expect_match "$(sql "SELECT count(*) FROM events WHERE type = 'expired'")" "^[1-9][0-9]{3}$" \
  "some batches of expiries kept"
expect_match "$(sql "SELECT count(*) FROM offers WHERE state = 'open' AND deadline <= strftime('%s', '$T1')")" \
  "^[1-9][0-9]*$" "expired offers left for the next sweep"
run sweep -q --now $T1
expect_status 0
expect_eq "$(sql "SELECT count(*) FROM offers WHERE state = 'open' AND deadline <= strftime('%s', '$T1')")" "0" "every due offer handled"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'expired'")" "12000" "each first offer expired once"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE state = 'offered' AND attempts = 2")" "12000" "each lead offered a second time"
consistent "sweep with room"

# --- A bad value of the test hook is refused, not ignored.
ROUTER_TEST_MAX_PAGE_COUNT=lots run assign --now $T1
expect_status 74
expect_err "ROUTER_TEST_MAX_PAGE_COUNT"
finish
