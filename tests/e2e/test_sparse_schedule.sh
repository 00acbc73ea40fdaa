# Business time on a schedule open one minute a week (Sunday 03:00-03:01 London): claim
# deadlines and stale limits are exact however far away (a day of business time is 1440
# weeks), never wall time; `validate` warns about settings that take two weeks or more.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

epoch() { date -u -d "$1" +%s; }
config <<'EOF2'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom }
  - { id: ann }
schedules:
  sunday:
    hours: { sun: "03:00-03:01" }
pools:
  rare:
    members: [tom, ann]
    schedule: sunday
    claim_timeout: 2m
  slow:
    members: [tom]
    schedule: sunday
    claim_timeout: 1d
  keep:
    members: [tom, ann]
    schedule: sunday
    stale_after: 1d
rules:
  - { name: slow, when: { source: slow }, pool: slow }
  - { name: keep, when: { source: keep }, pool: keep }
  - { name: rare, pool: rare }
EOF2

# --- validate: the warnings at the settings' values; exit 0, 78 with --strict ------------
run validate
expect_status 0
expect_eq "$OUT" "router.yaml: valid (2 agents, 3 pools, 3 rules, 3 warnings)" "summary"
expect_eq "$ERR" "router.yaml:14:20: warning: pool 'rare': claim_timeout 2m can take up to 14 days of wall time on schedule 'sunday', which is open 1m a week
router.yaml:18:20: warning: pool 'slow': claim_timeout 1d can take up to 10080 days of wall time on schedule 'sunday', which is open 1m a week
router.yaml:22:18: warning: pool 'keep': stale_after 1d can take up to 10080 days of wall time on schedule 'sunday', which is open 1m a week" "warnings"
run validate --strict
expect_status 78

fresh_db

# --- 2m: two open minutes, two Sundays on (not the wall clock's 03:03) -------------------
lead R1 2026-11-22T03:01:00Z
assign_at 2026-11-22T03:01:00Z
expect_status 0
expect_match "$OUT" "^R1 +offered +tom +rare +rare +rule  until 2026-12-06T03:01:00Z" "two weeks on"
expect_eq "$(sql "SELECT deadline FROM leads WHERE id = 'R1'")" "$(epoch 2026-12-06T03:01:00Z)" "stored deadline"
# Across the spring-forward change: 03:00 BST on 28 March and 4 April 2027.
lead R2 2027-03-21T03:01:00Z
assign_at 2027-03-21T03:01:00Z
expect_match "$OUT" "^R2 +offered +ann +rare +rare +rule  until 2027-04-04T02:01:00Z" "across the change"

# --- 1d: 1440 open minutes, 1440 weeks on (wall time would say the next day) -------------
# Sunday 19 April 2026 03:01 BST plus 1d is Sunday 23 November 2053 03:01 GMT.
SOURCE=slow lead S1 2026-04-19T02:01:00Z
assign_at 2026-04-19T02:01:00Z
expect_status 0
expect_match "$OUT" "^S1 +offered +tom +slow +slow +rule  until 2053-11-23T03:01:00Z" "1440 weeks on"
# A claim a day later is in time (the wall clock would have expired it).
run claim S1 --agent tom --now 2026-04-20T02:01:00Z
expect_status 0

# R1 is offered until its deadline: the sweep expires it then, not before.
run sweep --now 2026-12-06T03:00:59Z
expect_no_out
run sweep --now 2026-12-06T03:01:00Z
expect_match "$OUT" "R1 +offered +ann +rare +rare +expired  until 2026-12-20T03:01:00Z" "expired at the deadline, offered on"

# --- stale_after 1d: 1440 open minutes back from 2026-11-23 is 1999-04-25 03:00 BST -------
fresh_db
SOURCE=keep lead K1 1999-04-25T02:00:00Z
assign_at 1999-04-25T02:00:00Z
SOURCE=keep lead K2 1999-04-25T02:00:01Z
assign_at 1999-04-25T02:00:01Z
expect_eq "$(owners K1 K2)" "tom ann" "assigned directly"
run sweep --now 2026-11-23T00:00:00Z
expect_status 0
expect_match "$OUT" "K1 +assigned +ann +keep +keep +stale" "untouched since the cutoff: stale"
expect_not_out "K2"
expect_eq "$(owners K1 K2)" "ann ann" "K2 is not stale yet"

finish
