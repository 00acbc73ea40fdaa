# The seed's worked example (issue 3): a sequential user group of Tom, Stephanie, Lewis and
# Denise, leads arriving between 13:00 and 14:00, each routed by its own `router assign`
# run as cron would; then a member added or removed midway (SPEC §5 round_robin). Limits:
# test_worked_example_limits.sh.
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

# --- The example exactly as written -------------------------------------------------
members_config "$FOUR"
fresh_db
n=0
for t in $TIMES; do
  n=$((n + 1))
  route_one $n "$t"
done
expect_eq "$GOT" "tom stephanie lewis denise tom stephanie lewis denise" "printed order"
expect_eq "$(owners L1 L2 L3 L4 L5 L6 L7 L8)" "tom stephanie lewis denise tom stephanie lewis denise" \
  "owners"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE state = 'assigned' AND pool = 'sales' AND rule = 'everything'")" \
  "8" "all assigned through the rule"
# They each get two leads.
expect_eq "$(sql "SELECT agent || '=' || count(*) FROM leads GROUP BY agent ORDER BY agent" | tr '\n' ' ')" \
  "denise=2 lewis=2 stephanie=2 tom=2 " "two each"
# The event times are the arrival times: each lead was routed by the run at its arrival.
expect_eq "$(sql "SELECT strftime('%H:%M', at, 'unixepoch') || ' ' || agent FROM events WHERE type = 'assigned' ORDER BY seq" | tr '\n' ',')" \
  "13:10 tom,13:13 stephanie,13:20 lewis,13:29 denise,13:35 tom,13:40 stephanie,13:43 lewis,13:47 denise," \
  "assigned events"
expect_eq "$(sql "SELECT DISTINCT json_extract(detail, '$.reason') FROM events WHERE type = 'assigned'")" \
  "rule" "reason"
# The decision line itself.
expect_match "$OUT" "^L8 +assigned +denise +sales +everything +rule" "decision line"
# "Tom would receive a lead next."
route_one 9 13:58
expect_eq "$(agent_of L9)" "tom" "the ninth lead"

# --- The same leads all pending at once, routed by one run: the same order -----------
fresh_db
n=0
for t in $TIMES; do
  n=$((n + 1))
  lead "L$n" "${DAY}T$t:00Z"
done
assign_at "${DAY}T13:50:00Z"
expect_status 0
expect_eq "$(chosen)" "tom stephanie lewis denise tom stephanie lewis denise" "one run, same order"
expect_out "routed 8 leads: 0 offered, 8 assigned, 0 queued"

# --- A backfill: all eight leads stored up front, then one run at each arrival time -----
# A run routes only the leads that have arrived by its --now; later ones wait for their run.
fresh_db
n=0
for t in $TIMES; do
  n=$((n + 1))
  lead "L$n" "${DAY}T$t:00Z"
done
GOT=""
n=0
for t in $TIMES; do
  n=$((n + 1))
  assign_at "${DAY}T$t:00Z"
  expect_status 0
  expect_eq "$(printf '%s\n' "$OUT" | head -n 1 | awk '{print $1}')" "L$n" "run at $t routes L$n"
  GOT="$GOT${GOT:+ }$(chosen)"
done
expect_eq "$GOT" "tom stephanie lewis denise tom stephanie lewis denise" "backfill order"
expect_eq "$(sql "SELECT count(*) FROM events e JOIN leads l ON l.id = e.lead_id WHERE e.type = 'assigned' AND e.at = l.received_at")" \
  "8" "each routed at its arrival"

# --- A member added midway (between runs) -------------------------------------------
# Eve joins after Stephanie got lead 2, placed after her: Eve is next in configured order
# and the rotation never restarts at the top.
members_config "$FOUR"
fresh_db
GOT=""
route_one 1 13:10
route_one 2 13:13
members_config "      - tom
      - stephanie
      - eve
      - lewis
      - denise"
route_one 3 13:20
route_one 4 13:29
route_one 5 13:35
route_one 6 13:40
route_one 7 13:43
expect_eq "$GOT" "tom stephanie eve lewis denise tom stephanie" "member added in the middle"

# Added at the end, just after the last member's turn: the newcomer is next, then Tom.
members_config "$FOUR"
fresh_db
GOT=""
for n in 1 2 3 4; do route_one $n "13:1$n"; done
members_config "$FOUR
      - eve"
route_one 5 13:35
route_one 6 13:40
expect_eq "$GOT" "tom stephanie lewis denise eve tom" "member added at the end"

# Added at the top, before the last receiver: the rotation still continues after her.
members_config "$FOUR"
fresh_db
GOT=""
route_one 1 13:10
route_one 2 13:13
members_config "      - eve
$FOUR"
route_one 3 13:20
route_one 4 13:29
route_one 5 13:35
route_one 6 13:40
expect_eq "$GOT" "tom stephanie lewis denise eve tom" "member added at the top"

# --- A member removed midway ----------------------------------------------------------
# Stephanie is removed after Tom's first lead: Lewis is next, no reset to the top.
members_config "$FOUR"
fresh_db
GOT=""
route_one 1 13:10
members_config "      - tom
      - lewis
      - denise"
route_one 2 13:13
route_one 3 13:20
route_one 4 13:29
expect_eq "$GOT" "tom lewis denise tom" "other member removed"

# Lewis got the last lead and is then removed: the rotation continues from his place.
members_config "$FOUR"
fresh_db
GOT=""
route_one 1 13:10
route_one 2 13:13
route_one 3 13:20
members_config "      - tom
      - stephanie
      - denise"
route_one 4 13:29
route_one 5 13:35
route_one 6 13:40
expect_eq "$GOT" "tom stephanie lewis denise tom stephanie" "last receiver removed"

# Denise got the last lead and is removed, and the agent's whole definition goes too.
members_config "$FOUR"
fresh_db
GOT=""
for n in 1 2 3 4; do route_one $n "13:1$n"; done
members_config "      - tom
      - stephanie
      - lewis"
sed -i '/id: denise/d' router.yaml
route_one 5 13:35
route_one 6 13:40
expect_eq "$GOT" "tom stephanie lewis denise tom stephanie" "last receiver deleted from agents"

# Removed and added back later: they rejoin at their configured place.
members_config "$FOUR"
fresh_db
GOT=""
route_one 1 13:10
members_config "      - tom
      - lewis
      - denise"
route_one 2 13:13
members_config "$FOUR"
route_one 3 13:20
route_one 4 13:29
route_one 5 13:35
expect_eq "$GOT" "tom lewis denise tom stephanie" "removed then re-added"

finish
