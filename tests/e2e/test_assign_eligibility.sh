# Who is eligible for a lead, through `router assign` (SPEC §5): status and leave, shifts,
# require_online, limits, required tags, the default, the queue and owner_match.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

MON=2026-11-23  # a Monday; Europe/London is on UTC in November
TUE=2026-11-24

# base_config [POOL LINES] [RULE LINES]: pool `p` round_robin, default none.
base_config() {
  local pool_lines=${1:-"    members: [tom, stephanie, lewis]"} rule_lines=${2:-"  - name: all
    pool: p"}
  config <<EOF
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom, tags: [toyota, used] }
  - { id: stephanie, name: Stephanie, tags: [toyota] }
  - { id: lewis, name: Lewis, tags: [used] }
  - { id: jane, name: Jane }
schedules:
  office:
    hours: { mon-fri: "09:00-17:00" }
pools:
  p:
    strategy: round_robin
$pool_lines
rules:
$rule_lines
EOF
}
epoch() { date -u -d "$1" +%s; }
reason_of() {
  sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = '$1' AND type <> 'received' ORDER BY seq DESC LIMIT 1"
}

# --- status: only `available` members; a leave with a passed `until` is over ------------
base_config
fresh_db
set_status tom away
set_status stephanie offline
set_status lewis leave "$(epoch ${MON}T12:00:00Z)"
lead S1 ${MON}T10:00:00Z
assign_at ${MON}T10:00:00Z
expect_status 0
expect_eq "$(state_of S1)" "queued" "nobody available"
expect_eq "$(reason_of S1)" "no_eligible_agent" "reason"
expect_eq "$(dsql "SELECT json_extract(detail, '$.excluded[2].why') FROM decisions WHERE lead_id = 'S1'" S1)" \
  "on leave until 2026-11-23T12:00:00Z" "leave exclusion kept"
# At 12:00 the leave has ended by itself.
lead S2 ${MON}T12:00:00Z
assign_at ${MON}T12:00:00Z
expect_eq "$(agent_of S2)" "lewis" "leave until passed"
# A leave without an end stays a leave; back to available, the member is eligible again.
set_status lewis leave
set_status tom available
lead S3 ${MON}T12:05:00Z
assign_at ${MON}T12:05:00Z
expect_eq "$(agent_of S3)" "tom" "open-ended leave excluded"

# --- shifts: only on duty then; judged at the schedule's next opening when it is closed --
base_config "    schedule: office
    members:
      - { agent: tom, shifts: { fri: \"09:00-17:00\" } }
      - { agent: stephanie, shifts: { mon-wed: \"09:00-10:00\" } }
      - { agent: lewis, shifts: { mon-fri: \"13:00-17:00\" } }"
fresh_db
lead H1 ${MON}T09:30:00Z
assign_at ${MON}T09:30:00Z
expect_eq "$(agent_of H1)" "stephanie" "only stephanie on shift Monday 09:30"
lead H2 ${MON}T14:00:00Z
assign_at ${MON}T14:00:00Z
expect_eq "$(agent_of H2)" "lewis" "only lewis on shift Monday 14:00"
lead H3 ${MON}T11:00:00Z
assign_at ${MON}T11:00:00Z
expect_eq "$(state_of H3)" "queued" "nobody on shift Monday 11:00"
expect_eq "$(dsql "SELECT json_extract(detail, '$.excluded[0].reason') FROM decisions WHERE lead_id = 'H3'" H3)" \
  "off_shift" "exclusion code"
# Sunday evening the office is closed: shifts are judged at Monday 09:00.
lead H4 2026-11-22T20:00:00Z
assign_at 2026-11-22T20:00:00Z
expect_eq "$(agent_of H4)" "stephanie" "closed: judged at the next opening"
# Friday 18:00 → next opening is Monday 09:00, where tom (fri) is off shift.
lead H5 2026-11-27T18:00:00Z
assign_at 2026-11-27T18:00:00Z
expect_eq "$(agent_of H5)" "stephanie" "Friday evening judged at Monday morning"

# A shift may cross midnight; it belongs to the day it starts on (no schedule here).
base_config "    members:
      - { agent: tom, shifts: { mon: \"22:00-06:00\" } }"
fresh_db
lead X1 ${MON}T03:00:00Z     # Monday 03:00: Sunday has no shift
lead X2 ${MON}T22:30:00Z     # Monday 22:30
lead X3 ${TUE}T05:59:00Z     # Tuesday 05:59: still Monday's shift
lead X4 ${TUE}T06:00:00Z     # Tuesday 06:00: over
for id in X1 X2 X3 X4; do
  assign_at "$(sql "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', received_at, 'unixepoch') FROM leads WHERE id = '$id'")" "$id"
done
expect_eq "$(state_of X1) $(state_of X2) $(state_of X3) $(state_of X4)" "queued assigned assigned queued" \
  "overnight shift"

# --- require_online ----------------------------------------------------------------------
base_config "    require_online: true
    members: [tom, stephanie, lewis]"
fresh_db
sql "INSERT INTO agent_state(agent, online) VALUES ('stephanie', 1), ('tom', 0)"
lead O1 ${MON}T10:00:00Z
lead O2 ${MON}T10:01:00Z
assign_at ${MON}T10:02:00Z
expect_eq "$(owners O1 O2)" "stephanie stephanie" "only the logged-in member"
expect_eq "$(dsql "SELECT json_extract(detail, '$.excluded[0].reason') FROM decisions WHERE lead_id = 'O1'" O1)" \
  "not_logged_in" "exclusion code"

# --- limits: offers count when made; periods in the pool's zone ------------------------
# America/New_York is UTC-5 in November: 2026-11-24T03:00Z is still the 23rd there.
config <<EOF
version: 1
timezone: America/New_York
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
pools:
  p:
    members:
      - { agent: tom, daily_limit: 1 }
      - { agent: stephanie, daily_limit: 1, monthly_limit: 3 }
    claim_timeout: 10m
rules:
  - { name: all, pool: p }
EOF
fresh_db
lead Z1 ${MON}T15:00:00Z
lead Z2 ${MON}T15:01:00Z
assign_at ${MON}T15:02:00Z
expect_eq "$(owners Z1 Z2)" "tom stephanie" "offers within limits"
expect_eq "$(sql "SELECT agent || ' ' || period || ' ' || count FROM usage ORDER BY agent, period" | tr '\n' ',')" \
  "stephanie D2026-11-23 1,stephanie M2026-11 1,tom D2026-11-23 1,tom M2026-11 1," "local periods"
# 03:00 UTC on the 24th is 22:00 on the 23rd in New York: still the same day, limits hold.
lead Z3 ${TUE}T03:00:00Z
assign_at ${TUE}T03:00:00Z
expect_eq "$(state_of Z3)" "queued" "same local day: limits reached"
expect_eq "$(dsql "SELECT group_concat(json_extract(value, '$.reason')) FROM decisions, json_each(json_extract(detail, '$.excluded')) WHERE lead_id = 'Z3'" Z3)" \
  "daily_limit,daily_limit" "daily_limit exclusions"
# 06:00 UTC is 01:00 on the 24th there: a new day.
lead Z4 ${TUE}T06:00:00Z
assign_at ${TUE}T06:00:00Z
expect_eq "$(agent_of Z4)" "tom" "new local day"
expect_eq "$(sql "SELECT count FROM usage WHERE agent = 'tom' AND period = 'D2026-11-24'")" "1" "new day's usage"
# Stephanie's monthly limit (3): days 24 and 25 bring her to 3, then she is skipped.
lead Z5 ${TUE}T06:01:00Z
assign_at ${TUE}T06:01:00Z
lead Z6 2026-11-25T15:00:00Z
lead Z7 2026-11-25T15:01:00Z
assign_at 2026-11-25T15:02:00Z
lead Z8 2026-11-26T15:00:00Z
lead Z9 2026-11-26T15:01:00Z
assign_at 2026-11-26T15:02:00Z
expect_eq "$(owners Z5 Z6 Z7 Z8)" "stephanie tom stephanie tom" "within the monthly limit"
expect_eq "$(state_of Z9)" "queued" "monthly limit reached"
expect_eq "$(dsql "SELECT json_extract(detail, '$.excluded[1].reason') FROM decisions WHERE lead_id = 'Z9'" Z9)" \
  "monthly_limit" "monthly exclusion"

# The pool's schedule sets the zone: Pacific/Auckland is UTC+13 in November, so
# 2026-11-23T11:30Z is already the 24th there while London is still on the 23rd.
config <<EOF
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom }
schedules:
  nz: { timezone: Pacific/Auckland, hours: { daily: "00:00-24:00" } }
pools:
  p:
    members: [{ agent: tom, daily_limit: 1 }]
    schedule: nz
rules:
  - { name: all, pool: p }
EOF
fresh_db
lead K1 ${MON}T10:00:00Z
lead K2 ${MON}T10:30:00Z
lead K3 ${MON}T11:30:00Z
assign_at ${MON}T10:00:00Z K1
assign_at ${MON}T10:30:00Z K2
assign_at ${MON}T11:30:00Z K3
expect_eq "$(state_of K1) $(state_of K2) $(state_of K3)" "assigned queued assigned" "days of the schedule's zone"
expect_eq "$(sql "SELECT period || '=' || count FROM usage ORDER BY period" | tr '\n' ' ')" \
  "D2026-11-23=1 D2026-11-24=1 M2026-11=2 " "periods in Auckland"

# --- requires: agent tags ----------------------------------------------------------------
base_config "" "  - { name: toyota-used, when: { brand: toyota, condition: used }, requires: [toyota, used], pool: p }
  - { name: toyota, when: { brand: toyota }, requires: [toyota], pool: p }
  - { name: all, pool: p }"
fresh_db
lead R1 ${MON}T10:00:00Z '"brand":"Toyota","condition":"used"'
lead R2 ${MON}T10:01:00Z '"brand":"Toyota","condition":"used"'
lead R3 ${MON}T10:02:00Z '"brand":"Toyota"'
lead R4 ${MON}T10:03:00Z '"brand":"Toyota"'
lead R5 ${MON}T10:04:00Z '"brand":"Ford"'
assign_at ${MON}T10:05:00Z
expect_eq "$(owners R1 R2 R3 R4 R5)" "tom tom stephanie tom stephanie" "requires"
expect_eq "$(sql "SELECT rule FROM leads WHERE id IN ('R1','R3','R5') ORDER BY id" | tr '\n' ' ')" \
  "toyota-used toyota all " "rules"
expect_eq "$(dsql "SELECT json_extract(detail, '$.excluded[0].why') FROM decisions WHERE lead_id = 'R1'" R1)" \
  "lacks tag used" "missing tag"

# --- default: nobody eligible → the default, outside limits --------------------------------
base_config "    members: [tom, stephanie]
    default: jane"
fresh_db
set_status tom away
set_status stephanie away
lead D1 ${MON}T10:00:00Z
assign_at ${MON}T10:00:00Z
expect_status 0
expect_match "$OUT" "^D1 +assigned +jane +p +all +default" "default line"
expect_eq "$(sql "SELECT state || ' ' || agent || ' ' || pool || ' ' || rule FROM leads WHERE id = 'D1'")" \
  "assigned jane p all" "default row"
expect_eq "$(reason_of D1)" "default" "default reason"
expect_eq "$(sql "SELECT count(*) FROM usage")" "0" "the default is not counted"
expect_eq "$(sql "SELECT count(*) FROM rotation")" "0" "nor moves the rotation"

# --- the queue: no rule, no eligible agent ----------------------------------------------
base_config "    members: [tom]" "  - { name: web, when: { source: web }, pool: p }"
fresh_db
SOURCE=fax lead N1 ${MON}T10:00:00Z
set_status tom away
lead N2 ${MON}T10:01:00Z
assign_at ${MON}T10:02:00Z
expect_status 0
expect_match "$OUT" "N1 +queued +- +- +- +no_rule" "no_rule line"
expect_match "$OUT" "N2 +queued +- +p +web +no_eligible_agent" "no_eligible_agent line"
expect_out "routed 2 leads: 0 offered, 0 assigned, 2 queued"
expect_eq "$(sql "SELECT id || ' ' || state || ' ' || quote(agent) || ' ' || quote(pool) FROM leads ORDER BY id" | tr '\n' ',')" \
  "N1 queued NULL NULL,N2 queued NULL NULL," "manual queue rows"
expect_eq "$(reason_of N1) $(reason_of N2)" "no_rule no_eligible_agent" "queued reasons"

# --- owner_match: a repeat contact goes back to the owner ----------------------------------
config <<EOF
version: 1
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
  - { id: lewis, name: Lewis }
pools:
  p:
    members:
      - tom
      - stephanie
      - { agent: lewis, daily_limit: 1 }
    claim_timeout: 15m
rules:
  - { name: all, pool: p }
owner_match:
  keys: [email, phone]
  within: 30d
EOF
fresh_db
lead E1 ${MON}T10:00:00Z '"email":"Amelia.Hart@Example.com"'
assign_at ${MON}T10:00:00Z
expect_eq "$(agent_of E1)" "tom" "first lead offered to tom"
# While E1 is only offered, tom is not its owner yet: E2 goes round the rotation.
lead E2 ${MON}T10:01:00Z '"email":"amelia.hart@example.com"'
assign_at ${MON}T10:01:00Z
expect_eq "$(agent_of E2)" "stephanie" "offered is not owned"
"$ROUTER" claim E1 --agent tom --now ${MON}T10:02:00Z -q || _fail "claim E1"
# Same email, different case, once E1 is claimed: back to tom, assigned at once.
lead E3 ${MON}T10:03:00Z '"email":"AMELIA.HART@example.COM"'
assign_at ${MON}T10:03:00Z
expect_match "$OUT" "^E3 +assigned +tom +- +- +owner_match" "owner_match line"
expect_eq "$(sql "SELECT state || ' ' || agent FROM leads WHERE id = 'E3'")" "assigned tom" "owner row"
expect_eq "$(reason_of E3)" "owner_match" "owner_match reason"
expect_eq "$(sql "SELECT count FROM usage WHERE agent = 'tom' AND period LIKE 'D%'")" "1" \
  "owner_match not counted against limits"
# The rotation did not move: the next new contact goes to lewis (after stephanie).
lead E4 ${MON}T10:04:00Z '"email":"someone@else.org"'
assign_at ${MON}T10:04:00Z
expect_eq "$(agent_of E4)" "lewis" "rotation untouched by owner_match"
# Phone compared by digits; the owner is picked even over a daily limit (lewis has 1 of 1).
"$ROUTER" claim E4 --agent lewis --now ${MON}T10:05:00Z -q || _fail "claim E4"
lead E5 ${MON}T10:06:00Z '"email":"someone@else.org"'
assign_at ${MON}T10:06:00Z
expect_eq "$(agent_of E5)" "lewis" "owner over the limit"
# The owner away: normal routing.
lead E6 ${MON}T10:07:00Z '"phone":"+44 7700 900101"'
assign_at ${MON}T10:07:00Z
"$ROUTER" claim E6 --agent "$(agent_of E6)" --now ${MON}T10:08:00Z -q || _fail "claim E6"
FIRST_OWNER=$(agent_of E6)
set_status "$FIRST_OWNER" away
lead E7 ${MON}T10:09:00Z '"phone":"+44 (7700) 900-101"'
assign_at ${MON}T10:09:00Z
if [ "$(agent_of E7)" != "$FIRST_OWNER" ] && [ -n "$(agent_of E7)" ]; then _pass; else
  _fail "E7 went to $(agent_of E7), its owner $FIRST_OWNER is away"
fi
expect_eq "$(dsql "SELECT json_extract(detail, '$.owner_match.used') || ' ' || json_extract(detail, '$.owner_match.owner') FROM decisions WHERE lead_id = 'E7'" E7)" \
  "0 $FIRST_OWNER" "owner_match recorded but not used"
set_status "$FIRST_OWNER" available
lead E8 ${MON}T10:10:00Z '"phone":"44.7700.900.101"'
assign_at ${MON}T10:10:00Z
expect_eq "$(agent_of E8)" "$FIRST_OWNER" "phone by digits"
# Outside `within` (30d): no match.
lead E9 2027-01-05T10:00:00Z '"email":"amelia.hart@example.com"'
assign_at 2027-01-05T10:00:00Z
expect_eq "$(reason_of E9)" "rule" "older than within"


# Repeat contacts in the same run: the first lead is assigned at once (no claim window), so
# the second, routed later in the same transaction, already finds its owner.
config <<EOF
version: 1
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
pools:
  p: { members: [tom, stephanie] }
rules:
  - { name: all, pool: p }
owner_match: { keys: [email] }
EOF
fresh_db
lead M1 ${MON}T10:00:00Z '"email":"a@b.c"'
lead M2 ${MON}T10:01:00Z '"email":"x@y.z"'
lead M3 ${MON}T10:02:00Z '"email":"A@B.C"'
assign_at ${MON}T10:05:00Z
expect_eq "$(owners M1 M2 M3)" "tom stephanie tom" "owner found within one run"
expect_eq "$(reason_of M3)" "owner_match" "same-run reason"

# Leads one a run, into one of several pools: a run reads only its lead's pool's rotation and
# usage, and those must still be that pool's (limits and turns held across runs, whatever
# the other pool did in between).
config <<EOF
version: 1
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
  - { id: lewis, name: Lewis }
pools:
  cars:
    members:
      - { agent: tom, daily_limit: 1 }
      - { agent: stephanie, daily_limit: 1 }
  vans:
    members:
      - { agent: lewis }
      - { agent: tom }
rules:
  - { name: vans, when: { kind: van }, pool: vans }
  - { name: cars, pool: cars }
EOF
fresh_db
lead C1 ${MON}T10:00:00Z '"kind":"car"'
assign_at ${MON}T10:00:00Z
lead V1 ${MON}T10:01:00Z '"kind":"van"'
assign_at ${MON}T10:01:00Z
lead C2 ${MON}T10:02:00Z '"kind":"car"'
assign_at ${MON}T10:02:00Z
lead V2 ${MON}T10:03:00Z '"kind":"van"'
assign_at ${MON}T10:03:00Z
lead C3 ${MON}T10:04:00Z '"kind":"car"'
assign_at ${MON}T10:04:00Z
expect_eq "$(owners C1 C2)" "tom stephanie" "cars in turn, one a run"
expect_eq "$(owners V1 V2)" "lewis tom" "vans in turn, between the cars"
expect_eq "$(state_of C3)" "queued" "cars' daily limits read in a run of one lead"
expect_eq "$(reason_of C3)" "no_eligible_agent" "limits, not a turn"

finish
