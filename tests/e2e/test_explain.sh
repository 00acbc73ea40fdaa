# router explain LEAD: rules tried, members excluded and why, the choice, the timeline (SPEC §4).
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
source "$E2E_DIR/lib.sh"
source "$E2E_DIR/json.sh"
NOW=2026-11-23T13:10:00Z

cat >router.yaml <<'YAML'
version: 1
database: router.db
agents:
  - { id: tom, tags: [toyota] }
  - { id: stephanie, tags: [toyota] }
  - { id: lewis }
  - { id: jane }
pools:
  vip:
    members: [jane]
  sales:
    strategy: round_robin
    claim_timeout: 15m
    members: [stephanie, lewis, tom]
rules:
  - name: vip
    when: { brand: BMW }
    pool: vip
  - name: toyota-web
    when: { source: web, brand: Toyota }
    requires: [toyota]
    pool: sales
YAML
"$ROUTER" init -q || exit 1
"$ROUTER" agent set stephanie --status leave --until 2026-11-30T09:00:00Z --now $NOW -q || exit 1
printf '%s\n' '{"id":"W-1","source":"web","received_at":"2026-11-23T13:00:00Z","brand":"Toyota","email":"a@example.com"}' \
  '{"id":"PH-1","source":"phone","received_at":"2026-11-23T13:01:00Z","brand":"Ford"}' >leads.jsonl
"$ROUTER" ingest -q leads.jsonl --now $NOW || exit 1
"$ROUTER" assign -q --now $NOW || exit 1

# Text: where it stands, the lead, the decision in words, offers and timeline.
run explain W-1 --now $NOW
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" \
  "W-1 is offered to tom, waiting for a claim until 2026-11-23T13:25:00Z (offer 1)" "summary"
expect_out "  lead         W-1
  source       web
  received     2026-11-23T13:00:00Z
  state        offered
  agent        tom
  pool         sales
  rule         toyota-web
  deadline     2026-11-23T13:25:00Z
  attempts     1
  attributes   brand=Toyota, email=a@example.com"
expect_out "Decision 1 at 2026-11-23T13:10:00Z (new lead)"
expect_match "$OUT" $'\n  rules        vip +no: [^\n]*BMW' "vip tried and missed"
expect_match "$OUT" $'\n               toyota-web +matched\n' "matching rule marked"
expect_out "  pool         sales (round_robin)"
expect_out "  excluded     stephanie  on leave until 2026-11-30T09:00:00Z [status]"
expect_match "$OUT" $'\n               lewis +[^\n]*toyota \\[missing_tags\\]\n' "missing tag"
expect_out "  eligible     tom"
expect_out "  choice       round_robin: first in order"
expect_out "  outcome      offered to tom until 2026-11-23T13:25:00Z (attempt 1)"
expect_out "  reason       rule: a member of the matching rule's pool was chosen"
expect_match "$OUT" $'Offers\n  AGENT +POOL +OFFERED +DEADLINE +STATE +ENDED\n  tom +sales +2026-11-23T13:10:00Z +2026-11-23T13:25:00Z +open +-\n' "offers"
expect_match "$OUT" $'Timeline\n  TIME +EVENT +AGENT +DETAILS\n  2026-11-23T13:00:00Z +received +- +ingest \\(source=web\\)\n  2026-11-23T13:10:00Z +offered +tom +rule \\(attempt=1, deadline=2026-11-23T13:25:00Z\\)' "timeline"

# JSON: the lead's columns, the decision record, offers and events.
run explain W-1 --format json --now $NOW
expect_status 0
expect_eq "$(json_get "$OUT" '["lead"]["state"]')" "offered" "json state"
expect_eq "$(json_get "$OUT" '["lead"]["attributes"]')" '{"brand":"Toyota","email":"a@example.com"}' "json attributes"
expect_eq "$(json_get "$OUT" '["lead"]["received_at"]')" "2026-11-23T13:00:00Z" "json received_at"
expect_eq "$(json_get "$OUT" '["lead"]["touched_at"]')" "null" "json touched_at"
expect_eq "$(json_get "$OUT" '["decisions"][0]["at"]')" "2026-11-23T13:10:00Z" "decision time"
expect_eq "$(json_get "$OUT" '[ "decisions"][0]["rules_tried"][1]')" '{"matched":true,"rule":"toyota-web"}' "rules tried"
expect_eq "$(json_get "$OUT" '["decisions"][0]["excluded"][0]["reason"]')" "status" "status exclusion"
expect_eq "$(json_get "$OUT" '["decisions"][0]["excluded"][1]["reason"]')" "missing_tags" "tag exclusion"
expect_eq "$(json_get "$OUT" '["decisions"][0]["agents"]')" '["tom"]' "chosen"
expect_eq "$(json_get "$OUT" '["offers"][0]["state"]')" "open" "offer state"
expect_eq "$(json_get "$OUT" '["events"][0]["type"]') $(json_get "$OUT" '["events"][1]["type"]')" "received offered" "event types"
expect_eq "$(json_get "$OUT" '["events"][1]["detail"]')" '{"attempt":1,"deadline":"2026-11-23T13:25:00Z","reason":"rule"}' "event detail"
expect_eq "$(json_get "$OUT" '["outcome"]')" "null" "no outcome"

# After the claim: assigned, the offer claimed, the claim in the timeline.
"$ROUTER" claim W-1 --agent tom --now 2026-11-23T13:14:00Z -q || exit 1
run explain W-1 --now 2026-11-23T13:20:00Z
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "W-1 is assigned to tom (pool sales)" "summary after claim"
expect_match "$OUT" $'\n  tom +sales +2026-11-23T13:10:00Z +2026-11-23T13:25:00Z +claimed +2026-11-23T13:14:00Z\n' "offer claimed"
expect_match "$OUT" $'\n  2026-11-23T13:14:00Z +claimed +tom' "claim in timeline"
"$ROUTER" outcome W-1 won --now 2026-11-23T15:00:00Z -q || exit 1
run explain W-1 --now 2026-11-23T15:00:00Z
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "W-1 is closed as won by tom" "summary after outcome"
expect_out "  outcome      won at 2026-11-23T15:00:00Z"
run explain W-1 --format json --now 2026-11-23T15:00:00Z
expect_eq "$(json_get "$OUT" '["outcome"]')" '{"outcome":"won","agent":"tom","at":"2026-11-23T15:00:00Z"}' "json outcome"

# No rule matched: every rule's miss, and the manual queue.
run explain PH-1 --now $NOW
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "PH-1 is waiting in the manual queue for a person" "queued summary"
expect_match "$OUT" $'\n  rules        vip +no: [^\n]*\n               toyota-web +no: ' "both rules missed"
expect_out "  outcome      sent to the manual queue"
expect_out "  reason       no_rule: no rule matched"

# A lead the CRM inserted and nobody routed yet.
sql "INSERT INTO leads(id, source, attributes, received_at) VALUES ('CRM-7', 'crm', '{}', 1795439000)"
run explain CRM-7 --now $NOW
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "CRM-7 is not routed yet (pending)" "never routed"
expect_out "Decisions
  not routed yet (pending)"
run explain CRM-7 --format json --now $NOW
expect_eq "$(json_get "$OUT" '["decisions"]')" "[]" "no decisions"
expect_eq "$(json_get "$OUT" '["events"]')" "[]" "no events"

# Decisions are kept as compact trails that refer to the configuration they were made under,
# stored once however many leads it routed.
expect_eq "$(sql "SELECT count(*), count(DISTINCT config), CASE WHEN max(length(data)) < 48 THEN 1 ELSE 0 END FROM trails")" "2|1|1" \
  "two small trails, one configuration"
expect_eq "$(sql "SELECT count(*) FROM configs")" "1" "configuration stored once"
expect_eq "$(sql "SELECT text FROM configs")" "$(cat router.yaml)" "its text"
expect_eq "$(sql "SELECT length(text) FROM configs")" "$(wc -c <router.yaml)" "all of it"
# Editing the configuration does not rewrite history: W-1's rules are still the ones in force
# when it was routed, and a lead routed now is explained under the new file.
cp router.yaml before.yaml
sed -i 's/brand: BMW/brand: Audi/' router.yaml
run explain W-1 --now $NOW
expect_match "$OUT" $'\n  rules        vip +no: [^\n]*BMW' "old rules after the edit"
printf '%s\n' '{"id":"N-1","source":"web","received_at":"2026-11-23T13:02:00Z","brand":"Toyota"}' >n1.jsonl
"$ROUTER" ingest -q n1.jsonl --now $NOW || exit 1
"$ROUTER" assign -q --now $NOW || exit 1
run explain N-1 --now $NOW
expect_match "$OUT" $'\n  rules        vip +no: [^\n]*Audi' "new rules for a new lead"
expect_eq "$(sql "SELECT count(*) FROM configs")" "2" "the edited text stored too"
run explain W-1 --format json --now $NOW
expect_eq "$(json_get "$OUT" '["decisions"][0]["rules_tried"][0]["why"]')" "brand: 'Toyota' is not 'BMW'" \
  "json under the old configuration"
cp before.yaml router.yaml

# A database from before the trails (schema 2) keeps its decisions as JSON: `init` migrates
# it and explain still shows them.
if sqlite_part "schema 2 is older than PostgreSQL support: no such database there"; then
  cp router.db v2.db
  sqlite3 v2.db "DROP VIEW offers; DROP TABLE rounds; DROP INDEX leads_offered_deadline; ALTER TABLE broadcast_offers RENAME TO offers; DROP TABLE trails; DROP TABLE configs; ALTER TABLE events DROP COLUMN source; PRAGMA user_version = 2;
    INSERT INTO decisions(lead_id, at, detail) VALUES ('PH-1', 1795000000,
    '{\"agents\":[],\"counts_against_limits\":false,\"eligible\":[],\"excluded\":[],\"lead\":\"PH-1\",\"mode\":\"fresh\",\"outcome\":\"queue\",\"pool\":null,\"reason\":\"no_rule\",\"rule\":null,\"rules_tried\":[{\"matched\":false,\"rule\":\"legacy\",\"why\":\"brand is Ford, not Kia\"}]}')"
  run explain PH-1 --db v2.db --now $NOW
  expect_status 74
  run init --db v2.db
  expect_status 0
  run explain PH-1 --db v2.db --format json --now $NOW
  expect_status 0
  expect_eq "$(json_get "$OUT" '["decisions"][0]["rules_tried"][0]')" \
    '{"matched":false,"rule":"legacy","why":"brand is Ford, not Kia"}' "a decision from before the migration"
  expect_eq "$(json_get "$OUT" '["decisions"][0]["at"]')" '2026-11-18T11:06:40Z' "its time"
fi

# Unknown lead: refused with the nearest id; bad usage.
run explain W-2 --now $NOW
expect_status 1
expect_eq "$ERR" "router: no lead 'W-2' (did you mean 'W-1'?)" "unknown lead"
expect_no_out
run explain --now $NOW
expect_status 64
run explain W-1 --format csv --now $NOW
expect_status 64

finish
