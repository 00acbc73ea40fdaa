# Every event carries its lead's source (the `events.source` column, schema 3), whichever
# command wrote it: ingest, a CRM row routed by assign, offers, claims, declines, expiries,
# defaults, outcomes, touches, pickups and reassignments.
source "$(dirname "$0")/lib.sh"

cat >router.yaml <<'EOF'
version: 1
timezone: Europe/London
database: router.db
agents:
  - id: tom
  - id: sue
  - id: boss
pools:
  sales:
    strategy: round_robin
    members: [tom, sue]
    default: boss
    claim_timeout: 1h
  floor:
    strategy: open_pool
    members: [sue]
rules:
  - name: web
    when: { source: web }
    pool: sales
  - name: walk-in
    when: { source: walk-in }
    pool: floor
EOF
"$ROUTER" init -q || exit 1

printf '%s\n' '{"id":"W1","source":"web"}' '{"id":"W2","source":"web"}' \
  '{"id":"K1","source":"walk-in"}' '{"id":"T1","source":"phone"}' >leads.jsonl
run ingest -q leads.jsonl --now 2026-11-23T09:00:00Z
expect_status 0
sql "INSERT INTO leads(id, source, received_at) VALUES ('C1', 'web', 1795424400)"
run assign -q --now 2026-11-23T09:00:00Z
expect_status 0
run claim -q W1 --agent "$(sql "SELECT agent FROM leads WHERE id = 'W1'")" --now 2026-11-23T09:01:00Z
expect_status 0
run decline -q W2 --agent "$(sql "SELECT agent FROM leads WHERE id = 'W2'")" --now 2026-11-23T09:02:00Z
expect_status 0
run sweep -q --now 2026-11-23T10:30:00Z
expect_status 0
run sweep -q --now 2026-11-23T12:00:00Z
expect_status 0
run outcome -q W1 won --now 2026-11-23T12:10:00Z
expect_status 0
run touch C1 --now 2026-11-23T12:11:00Z
expect_status 0
run pickup -q --agent sue --pool floor --now 2026-11-23T12:12:00Z
expect_status 0
run reassign -q K1 --to tom --now 2026-11-23T12:13:00Z
expect_status 0

expect_eq "$(sql "SELECT group_concat(type, ' ') FROM (SELECT DISTINCT type FROM events ORDER BY type)")" \
  "assigned claimed closed declined expired offered picked_up queued reassign_requested received touched" \
  "the commands wrote every kind of event"
expect_eq "$(sql "SELECT count(*) FROM events e JOIN leads l ON l.id = e.lead_id WHERE e.source IS NOT DISTINCT FROM l.source")" \
  "$(sql "SELECT count(*) FROM events")" "every event has its lead's source"
expect_eq "$(sql "SELECT group_concat(source, ' ') FROM (SELECT DISTINCT source FROM events ORDER BY source)")" \
  "phone walk-in web" "the sources"
finish
