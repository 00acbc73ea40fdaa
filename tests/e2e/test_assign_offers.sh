# Offers made by `router assign` (SPEC §5 offers): the claim deadline (wall clock, or
# business time with a schedule, across daylight saving), the rows and events written,
# and direct assignment without a claim window.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

epoch() { date -u -d "$1" +%s; }
config <<'EOF'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
schedules:
  office:
    hours: { mon-fri: "09:00-17:00" }
    holidays: [uk]
calendars:
  uk: [2026-12-25]
pools:
  p:
    members: [tom, stephanie]
    claim_timeout: 15m
  biz:
    members: [tom]
    claim_timeout: 15m
    schedule: office
  direct:
    members: [stephanie]
rules:
  - { name: web, when: { source: web }, pool: p }
  - { name: biz, when: { source: phone }, pool: biz }
  - { name: direct, pool: direct }
EOF
fresh_db

# --- An offer: the window starts when the offer is made, not when the lead arrived ------
lead L1 2026-11-23T10:00:00Z
assign_at 2026-11-23T10:03:00Z
expect_status 0
expect_eq "$OUT" "L1            offered   tom           p           web               rule  until 2026-11-23T10:18:00Z
routed 1 lead: 1 offered, 0 assigned, 0 queued" "text output"
NOW_S=$(epoch 2026-11-23T10:03:00Z)
DEADLINE_S=$(epoch 2026-11-23T10:18:00Z)
expect_eq "$(sql "SELECT state, agent, pool, rule, deadline, attempts, updated_at, quote(touched_at) FROM leads WHERE id = 'L1'")" \
  "offered|tom|p|web|$DEADLINE_S|1|$NOW_S|NULL" "lead row"
expect_eq "$(sql "SELECT lead_id, agent, pool, offered_at, deadline, state, quote(ended_at), round FROM offers")" \
  "L1|tom|p|$NOW_S|$DEADLINE_S|open|NULL|0" "offers row"
expect_eq "$(sql "SELECT at, agent, pool, rule, json_extract(detail, '$.reason'), json_extract(detail, '$.deadline'), json_extract(detail, '$.attempt') FROM events WHERE lead_id = 'L1' AND type = 'offered'")" \
  "$NOW_S|tom|p|web|rule|2026-11-23T10:18:00Z|1" "offered event"
expect_eq "$(sql "SELECT type FROM events WHERE lead_id = 'L1' ORDER BY seq" | tr '\n' ' ')" \
  "received offered " "events in order"
expect_eq "$(sql "SELECT agent || ' ' || period || ' ' || count FROM usage ORDER BY period" | tr '\n' ',')" \
  "tom D2026-11-23 1,tom M2026-11 1," "the offer counts against limits"
expect_eq "$(dsql "SELECT json_extract(detail, '$.outcome') || ' ' || json_extract(detail, '$.deadline') FROM decisions WHERE lead_id = 'L1'" L1)" \
  "offer 2026-11-23T10:18:00Z" "decision kept"
# The next lead is offered to the next member while tom's offer is open.
lead L2 2026-11-23T10:05:00Z
assign_at 2026-11-23T10:05:00Z
expect_eq "$(agent_of L2)" "stephanie" "next offer"

# --- Business time: the clock runs only while the schedule is open ----------------------
# Friday 16:55 + 15m with hours ending 17:00 → Monday 09:10.
SOURCE=phone lead B1 2026-11-27T16:55:00Z
assign_at 2026-11-27T16:55:00Z
expect_match "$OUT" "^B1 +offered +tom +biz +biz +rule +until 2026-11-30T09:10:00Z" "Friday to Monday"
expect_eq "$(sql "SELECT deadline FROM leads WHERE id = 'B1'")" "$(epoch 2026-11-30T09:10:00Z)" "deadline column"
expect_eq "$(sql "SELECT deadline FROM offers WHERE lead_id = 'B1'")" "$(epoch 2026-11-30T09:10:00Z)" "offer deadline"
# Arriving while closed (Saturday): the window starts at Monday's opening.
SOURCE=phone lead B2 2026-11-28T11:00:00Z
assign_at 2026-11-28T11:00:00Z
expect_eq "$(sql "SELECT datetime(deadline, 'unixepoch') FROM leads WHERE id = 'B2'")" "2026-11-30 09:15:00" "weekend"
# Open hours: plain addition.
SOURCE=phone lead B3 2026-11-30T10:00:00Z
assign_at 2026-11-30T10:00:00Z
expect_eq "$(sql "SELECT datetime(deadline, 'unixepoch') FROM leads WHERE id = 'B3'")" "2026-11-30 10:15:00" "open"
# Thursday 24 December 16:50 → the 25th is a holiday → Monday 28th 09:05.
SOURCE=phone lead B4 2026-12-24T16:50:00Z
assign_at 2026-12-24T16:50:00Z
expect_eq "$(sql "SELECT datetime(deadline, 'unixepoch') FROM leads WHERE id = 'B4'")" "2026-12-28 09:05:00" "holiday skipped"
# Across the change to summer time (Sunday 28 March 2027): Friday 16:55 GMT → Monday
# 09:10 BST, which is 08:10 UTC.
SOURCE=phone lead B5 2027-03-26T16:55:00Z
assign_at 2027-03-26T16:55:00Z
expect_match "$OUT" "until 2027-03-29T08:10:00Z" "daylight saving"
expect_eq "$(sql "SELECT json_extract(detail, '$.deadline') FROM events WHERE lead_id = 'B5' AND type = 'offered'")" \
  "2027-03-29T08:10:00Z" "offered event deadline in UTC"

# --- No claim_timeout: assigned at once ----------------------------------------------------
SOURCE=sms lead D1 2026-11-23T10:00:00Z
assign_at 2026-11-23T10:01:00Z
expect_status 0
expect_match "$(printf '%s\n' "$OUT" | head -n 1)" "^D1 +assigned +stephanie +direct +direct +rule$" "assigned line"
expect_eq "$(sql "SELECT state, agent, pool, rule, quote(deadline), attempts FROM leads WHERE id = 'D1'")" \
  "assigned|stephanie|direct|direct|NULL|0" "assigned row"
expect_eq "$(sql "SELECT count(*) FROM offers WHERE lead_id = 'D1'")" "0" "no offer"
expect_eq "$(sql "SELECT type || ' ' || agent || ' ' || detail FROM events WHERE lead_id = 'D1' AND type <> 'received'")" \
  'assigned stephanie {"reason":"rule"}' "assigned event"
expect_eq "$(sql "SELECT count FROM usage WHERE pool = 'direct' AND period = 'D2026-11-23'")" "1" \
  "a direct assignment counts against limits"

# --- JSON: one object per decision ----------------------------------------------------------
lead J1 2026-11-23T11:00:00Z
SOURCE=sms lead J2 2026-11-23T11:00:01Z
SOURCE=fax lead J3 2026-11-23T11:00:02Z
assign_at 2026-11-23T11:01:00Z --format json
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    print(d["lead"], d["outcome"], d["reason"], d["pool"], d["rule"], ",".join(d["agents"]), d.get("deadline", "-"))
')" "J1 offer rule p web tom 2026-11-23T11:16:00Z
J2 assign rule direct direct stephanie -
J3 assign rule direct direct stephanie -" "json lines"

finish
