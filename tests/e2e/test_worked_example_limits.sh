# The seed's worked example (issue 3) with daily and monthly limits: a member who reached a
# limit is skipped with no catch-up, and the limit resets with the next day or month (SPEC §5
# round_robin, limits). The order without limits: test_worked_example.sh.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

DAY=2026-11-23
TIMES="13:10 13:13 13:20 13:29 13:35 13:40 13:43 13:47"

# members_config "MEMBER YAML LINES" writes a one-pool config with those members.
members_config() {
  config <<EOF
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
  - { id: lewis, name: Lewis }
  - { id: denise, name: Denise }
  - { id: eve, name: Eve }
pools:
  sales:
    strategy: round_robin
    members:
$1
rules:
  - name: everything
    pool: sales
EOF
}
FOUR="      - tom
      - stephanie
      - lewis
      - denise"

# route_one N TIME: lead LN arrives at TIME on $DAY and is routed by its own run; the
# agent it went to is appended to $GOT.
GOT=""
route_one() {
  local at="${DAY}T$2:00Z"
  lead "L$1" "$at"
  assign_at "$at"
  expect_status 0
  local who
  who=$(chosen)
  GOT="$GOT${GOT:+${who:+ }}$who"
}

# --- Daily limit: skipped, no catch-up; the next day the limit resets -----------------
members_config "      - tom
      - { agent: stephanie, daily_limit: 1 }
      - lewis
      - denise"
fresh_db
GOT=""
n=0
for t in $TIMES; do
  n=$((n + 1))
  route_one $n "$t"
done
# Stephanie's second turn (lead 6) is skipped; she gets no make-up lead later.
expect_eq "$GOT" "tom stephanie lewis denise tom lewis denise tom" "daily limit skips"
expect_eq "$(sql "SELECT count FROM usage WHERE pool = 'sales' AND agent = 'stephanie' AND period = 'D$DAY'")" \
  "1" "stephanie's usage today"
expect_eq "$(sql "SELECT count FROM usage WHERE pool = 'sales' AND agent = 'tom' AND period = 'D$DAY'")" \
  "3" "tom's usage today"
expect_eq "$(sql "SELECT count FROM usage WHERE pool = 'sales' AND agent = 'tom' AND period = 'M2026-11'")" \
  "3" "tom's usage this month"
# The next morning her turn comes round normally: the limit counts per day.
DAY=2026-11-24
GOT=""
route_one 9 09:00
route_one 10 09:05
route_one 11 09:10
expect_eq "$GOT" "stephanie lewis denise" "next day: limit reset"

# Everybody at their limit and no default: the lead waits in the manual queue.
members_config "      - { agent: tom, daily_limit: 1 }
      - { agent: stephanie, daily_limit: 1 }"
DAY=2026-11-23
fresh_db
GOT=""
route_one 1 13:10
route_one 2 13:13
route_one 3 13:20
expect_eq "$GOT" "tom stephanie" "two within limits"
expect_eq "$(sql "SELECT state || ' ' || quote(agent) || ' ' || quote(pool) FROM leads WHERE id = 'L3'")" \
  "queued NULL NULL" "third queued"
expect_eq "$(sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = 'L3' AND type = 'queued'")" \
  "no_eligible_agent" "queued reason"
expect_match "$OUT" "^L3 +queued +- +sales +everything +no_eligible_agent" "queued line"

# --- Monthly limit: reached → skipped for the rest of the month -----------------------
members_config "      - tom
      - { agent: stephanie, monthly_limit: 2 }
      - lewis"
fresh_db
GOT=""
for n in 1 2 3 4 5 6; do route_one $n "13:2$n"; done
expect_eq "$GOT" "tom stephanie lewis tom stephanie lewis" "within the monthly limit"
DAY=2026-11-27
GOT=""
route_one 7 10:00
route_one 8 10:05
route_one 9 10:10
expect_eq "$GOT" "tom lewis tom" "monthly limit reached, later that month"
DAY=2026-12-01
GOT=""
route_one 10 10:00
route_one 11 10:05
expect_eq "$GOT" "stephanie lewis" "new month: limit reset"

finish
