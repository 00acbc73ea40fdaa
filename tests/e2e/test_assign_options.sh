# `router assign` options (SPEC §4): named leads, --dry-run, --format json, --to (manual
# assignment), global options after the subcommand, leads the CRM inserted with SQL, and
# idempotence (a second run at the same --now does nothing and prints nothing).
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

NOW=2026-11-23T12:00:00Z
epoch() { date -u -d "$1" +%s; }
dump() {
  sql "SELECT * FROM leads ORDER BY id; SELECT * FROM offers ORDER BY id;
       SELECT * FROM events ORDER BY seq; SELECT * FROM usage ORDER BY 1, 2, 3;
       SELECT * FROM rotation; SELECT * FROM trails ORDER BY seq; SELECT * FROM configs;
       SELECT * FROM agent_state ORDER BY 1; SELECT * FROM contacts ORDER BY 1, 2, 3"
}
config <<'EOF'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
  - { id: lewis, name: Lewis }
pools:
  p:
    strategy: round_robin
    members: [tom, stephanie, { agent: lewis, daily_limit: 1 }]
    claim_timeout: 15m
  r:
    strategy: random
    members: [tom, stephanie, lewis]
rules:
  - { name: web, when: { source: web }, pool: p }
  - { name: rand, when: { source: phone }, pool: r }
owner_match: { keys: [email] }
EOF
fresh_db
for i in 1 2 3 4 5; do lead "L$i" "2026-11-23T10:0$i:00Z" "\"email\":\"c$i@example.com\""; done
SOURCE=phone lead R1 2026-11-23T10:06:00Z
SOURCE=phone lead R2 2026-11-23T10:07:00Z
SOURCE=fax lead F1 2026-11-23T10:08:00Z

# --- Named leads only ------------------------------------------------------------------------
assign_at "$NOW" L3 L2
expect_status 0
# In the order given; the others stay pending.
expect_match "$OUT" "^L3 +offered +tom .*
L2 +offered +stephanie " "named, in order"
expect_eq "$(sql "SELECT group_concat(id) FROM (SELECT id FROM leads WHERE state = 'pending' ORDER BY id)")" \
  "F1,L1,L4,L5,R1,R2" "others still pending"
# Unknown lead: refused, nothing routed, even the known ones named with it.
BEFORE=$(dump)
assign_at "$NOW" L1 L33
expect_status 1
expect_no_out
expect_eq "$ERR" "router: no lead 'L33' (did you mean 'L3'?)" "unknown lead"
# A named lead that is not pending.
assign_at "$NOW" L1 L2
expect_status 1
expect_eq "$ERR" "router: lead 'L2' is offered, not pending; use 'router reassign' to route it again" \
  "not pending"
expect_eq "$(dump)" "$BEFORE" "refusals write nothing"

# --- --dry-run: the same decisions as the real run, nothing written --------------------------
assign_at "$NOW" --dry-run --seed 5
expect_status 0
DRY=$OUT
expect_eq "$(dump)" "$BEFORE" "dry run writes nothing"
expect_match "$DRY" "dry run: would route 6 leads: 3 offered, 2 assigned, 1 queued$" "dry-run summary"
assign_at "$NOW" --dry-run --seed 5 --format json
expect_status 0
DRY_JSON=$OUT
expect_eq "$(dump)" "$BEFORE" "json dry run writes nothing"
assign_at "$NOW" --seed 5
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed '$d')" "$(printf '%s\n' "$DRY" | sed '$d')" "same decisions"
expect_eq "$(printf '%s\n' "$OUT" | tail -n 1)" "routed 6 leads: 3 offered, 2 assigned, 1 queued" "summary"
# The rotation continues after the named run's last choice (stephanie).
expect_eq "$(owners L1 L4 L5)" "lewis tom stephanie" "rotation continued from the named run"
expect_eq "$(dsql "SELECT json_extract(detail, '$.outcome') FROM decisions WHERE lead_id = 'F1'" F1)" "queue" "F1"
# The JSON dry run printed exactly what was then decided.
expect_eq "$(printf '%s\n' "$DRY_JSON" | python3 -c '
import json, sys
for d in map(json.loads, sys.stdin):
    print(d["lead"], d["outcome"], ",".join(d["agents"]) or "-")')" \
  "$(dsql "SELECT lead_id || ' ' || json_extract(detail, '$.outcome') || ' ' || coalesce((SELECT group_concat(value) FROM json_each(json_extract(detail, '$.agents'))), '-') FROM decisions WHERE at = $(epoch $NOW) AND lead_id NOT IN ('L2', 'L3') ORDER BY id")" \
  "json dry run = real run"

# --- Idempotence: nothing pending → nothing done, nothing printed ---------------------------
AFTER=$(dump)
assign_at "$NOW"
expect_status 0
expect_no_out
expect_eq "$ERR" "" "no stderr"
assign_at "$NOW" --format json
expect_status 0
expect_no_out
assign_at "$NOW" --dry-run
expect_status 0
expect_no_out
expect_eq "$(dump)" "$AFTER" "second run changed nothing"

# --- --format json: one JSON object per line ---------------------------------------------------
for i in 6 7 8; do lead "L$i" "2026-11-23T12:0$i:00Z"; done
assign_at 2026-11-23T12:10:00Z --format json
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" "3" "three lines"
expect_eq "$(printf '%s\n' "$OUT" | python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]; print("ok")')" \
  "ok" "every line is JSON"
expect_eq "$(printf '%s\n' "$OUT" | head -n 1 | python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
print(d["lead"], d["mode"], d["outcome"], d["reason"], d["rule"], d["pool"], d["agents"], d["deadline"],
      d["strategy"], d["attempt"], d["counts_against_limits"], d["eligible"],
      [r["rule"] for r in d["rules_tried"]], [(e["agent"], e["reason"]) for e in d["excluded"]])')" \
  "L6 fresh offer rule web p ['tom'] 2026-11-23T12:25:00Z round_robin 1 True ['tom', 'stephanie'] ['web'] [('lewis', 'daily_limit')]" \
  "json fields"
# -q: quiet in text, JSON still printed.
lead L9 2026-11-23T12:11:00Z
assign_at 2026-11-23T12:11:00Z -q
expect_status 0
expect_no_out
expect_eq "$(state_of L9)" "offered" "-q still routes"

lead L10 2026-11-23T12:11:30Z
assign_at 2026-11-23T12:11:30Z -q --format json
expect_status 0
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["lead"])')" \
  "L10" "-q does not silence JSON"
# A dry run of named leads decides them and writes nothing.
lead L11 2026-11-23T12:11:40Z
BEFORE=$(dump)
assign_at 2026-11-23T12:11:40Z L11 --dry-run
expect_status 0
expect_match "$OUT" "^L11 +offered +[a-z]+ +p +web +rule +until 2026-11-23T12:26:40Z
dry run: would route 1 lead: 1 offered, 0 assigned, 0 queued$" "named dry run"
expect_eq "$(dump)" "$BEFORE" "named dry run writes nothing"

# --- Manual assignment: assign LEAD --to AGENT -------------------------------------------------
# L9 is offered to someone; by hand to lewis: the offer withdrawn, its usage given back, and
# lewis's limit untouched (he is at 1 of 1 and still gets it).
OFFERED_TO=$(agent_of L9)
USED_BEFORE=$(sql "SELECT count FROM usage WHERE pool = 'p' AND agent = '$OFFERED_TO' AND period = 'D2026-11-23'")
run assign L9 --to lewis --now 2026-11-23T12:12:00Z
expect_status 0
expect_eq "$OUT" "L9: assigned to lewis by hand (was $OFFERED_TO)" "manual text"
expect_eq "$(sql "SELECT state, agent, quote(deadline), updated_at FROM leads WHERE id = 'L9'")" \
  "assigned|lewis|NULL|$(epoch 2026-11-23T12:12:00Z)" "manual row"
expect_eq "$(sql "SELECT agent || ' ' || state FROM offers WHERE lead_id = 'L9'")" "$OFFERED_TO withdrawn" "offer withdrawn"
expect_eq "$(sql "SELECT type || ' ' || agent || ' ' || json_extract(detail, '$.reason') FROM events WHERE lead_id = 'L9' AND type IN ('withdrawn', 'assigned') ORDER BY seq" | tr '\n' ',')" \
  "withdrawn $OFFERED_TO manual,assigned lewis manual," "manual events"
expect_eq "$(sql "SELECT count FROM usage WHERE pool = 'p' AND agent = '$OFFERED_TO' AND period = 'D2026-11-23'")" \
  "$((USED_BEFORE - 1))" "withdrawn offer's usage given back"
expect_eq "$(sql "SELECT count FROM usage WHERE pool = 'p' AND agent = 'lewis' AND period = 'D2026-11-23'")" "1" \
  "manual not counted"
# A queued lead, and a pending one, by hand; JSON output.
run assign F1 L9 --to tom --now 2026-11-23T12:13:00Z --format json
expect_status 0
expect_eq "$OUT" '{"lead":"F1","outcome":"assign","reason":"manual","agents":["tom"],"previous_state":"queued","previous_agent":null}
{"lead":"L9","outcome":"assign","reason":"manual","agents":["tom"],"previous_state":"assigned","previous_agent":"lewis"}' \
  "manual json"
expect_eq "$(sql "SELECT state || ' ' || agent FROM leads WHERE id = 'F1'")" "assigned tom" "queued lead assigned"
# Refused while a reassignment is in progress; nothing changes.
sql "INSERT INTO reassignments(lead_id, pool, requested_at) VALUES ('L8', 'p', $(epoch 2026-11-23T12:13:00Z))"
BEFORE=$(dump)
run assign L7 L8 --to stephanie --now 2026-11-23T12:14:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L8' cannot be moved by hand: reassignment in progress until 2026-11-23T12:25:00Z; wait, or use --force" "reassign in progress"
expect_eq "$(dump)" "$BEFORE" "nothing assigned"
sql "UPDATE leads SET state = 'closed' WHERE id = 'L6'"
run assign L6 --to stephanie --now 2026-11-23T12:14:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L6' is closed" "closed lead"
run assign L7 --to stephany --now 2026-11-23T12:14:00Z
expect_status 1
expect_eq "$ERR" "router: no agent 'stephany' (did you mean 'stephanie'?)" "unknown agent"
run assign L77 --to stephanie --now 2026-11-23T12:14:00Z
expect_status 1
expect_match "$ERR" "^router: no lead 'L77' \(did you mean 'L7'\?\)$" "unknown lead"
run assign --to stephanie --now 2026-11-23T12:14:00Z
expect_status 64
run assign L7 --to stephanie --dry-run --now 2026-11-23T12:14:00Z
expect_status 64

# --- Global options after the subcommand = before it -----------------------------------------
fresh_db
lead G1 2026-11-23T10:00:00Z
lead G2 2026-11-23T10:00:00Z
run --now 2026-11-23T10:30:00Z --format json assign G1
expect_status 0
FIRST=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["agents"], d["deadline"])')
expect_eq "$FIRST" "['tom'] 2026-11-23T10:45:00Z" "options before"
run assign G2 --format json --now 2026-11-23T10:30:00Z
expect_status 0
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print(d["deadline"])')" \
  "2026-11-23T10:45:00Z" "options after"
ROUTER_NOW=2026-11-23T10:40:00Z "$ROUTER" claim G2 --agent stephanie -q
expect_eq "$(sql "SELECT state || ' ' || updated_at FROM leads WHERE id = 'G2'")" \
  "assigned $(epoch 2026-11-23T10:40:00Z)" "ROUTER_NOW"
run assign --now 2026-11-23T10:30:00Z --format csv
expect_status 64
expect_err "router: "
run assign --now not-a-time
expect_status 64

# --- Leads the CRM inserted straight into `leads` are routed ----------------------------------
sql "INSERT INTO leads(id, source, attributes, received_at) VALUES ('CRM-1', 'web', '{\"email\":\"x@y.z\"}', $(epoch 2026-11-23T11:00:00Z))"
sql "INSERT INTO leads(id, source, received_at) VALUES ('CRM-2', 'phone', $(epoch 2026-11-23T11:01:00Z))"
assign_at 2026-11-23T11:05:00Z --seed 1
expect_status 0
expect_match "$OUT" "^CRM-1 +offered +" "crm lead offered"
expect_match "$OUT" "
CRM-2 +assigned +(tom|stephanie|lewis) +r +rand +rule" "crm lead assigned"
expect_eq "$(sql "SELECT state || ' ' || pool || ' ' || rule FROM leads WHERE id LIKE 'CRM-%' ORDER BY id" | tr '\n' ',')" \
  "offered p web,assigned r rand," "crm rows"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id = 'CRM-1' AND type = 'offered'")" "1" "crm event"

finish
