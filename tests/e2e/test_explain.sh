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
