# Every distribution strategy through the binary (SPEC §5 strategies).
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

T0=2026-11-23T10:00:00Z
NOW=2026-11-23T12:00:00Z

# pool_config STRATEGY [EXTRA POOL LINES] [MEMBERS]: pool `p` (by default of tom, stephanie
# and lewis) and pool `other` (tom, with a claim window); rule `all` sends web leads to `p`.
pool_config() {
  config <<EOF
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom, weight: 3 }
  - { id: stephanie, name: Stephanie }
  - { id: lewis, name: Lewis }
  - { id: jane, name: Jane }
pools:
  p:
    strategy: $1
    members: ${3:-[tom, stephanie, lewis]}
${2:-}
  other:
    members: [tom]
    claim_timeout: 1h
rules:
  - name: phone-to-other
    when: { source: phone }
    pool: other
  - name: all
    pool: p
EOF
}

# many_leads N FIRST: a JSON Lines file of N web leads, ids LFIRST..., a second apart.
many_leads() {
  local i
  for ((i = $2; i < $2 + $1; i++)); do
    printf '{"id":"L%04d","source":"web","received_at":"2026-11-23T10:%02d:%02dZ"}\n' \
      "$i" $((i / 60 % 60)) $((i % 60))
  done >leads.jsonl
  "$ROUTER" ingest -q leads.jsonl --now "$NOW" || _fail "ingest of $1 leads"
}
sequence() { sql "SELECT agent FROM leads WHERE pool = 'p' ORDER BY received_at, id" | tr '\n' ' '; }

# --- round_robin ----------------------------------------------------------------------
pool_config round_robin
fresh_db
many_leads 7 0
assign_at "$NOW"
expect_status 0
expect_eq "$(chosen)" "tom stephanie lewis tom stephanie lewis tom" "round robin"
expect_eq "$(sql "SELECT last_agent || ' ' || member_order FROM rotation WHERE pool = 'p'")" \
  'tom ["tom","stephanie","lewis"]' "rotation cursor"

# --- random: reproducible under --seed ------------------------------------------------
pool_config random
fresh_db
many_leads 40 0
assign_at "$NOW" --seed 7
expect_status 0
FIRST=$(sequence)
fresh_db
many_leads 40 0
assign_at "$NOW" --seed 7
SECOND=$(sequence)
expect_eq "$SECOND" "$FIRST" "same seed, same choices"
# The seed also comes from $ROUTER_SEED.
fresh_db
many_leads 40 0
ROUTER_SEED=7 "$ROUTER" assign -q --now "$NOW"
expect_eq "$(sequence)" "$FIRST" "ROUTER_SEED"
fresh_db
many_leads 40 0
assign_at "$NOW" --seed 8
expect_match "$(sequence)" "^((tom|stephanie|lewis) ){40}$" "forty choices"
if [ "$(sequence)" != "$FIRST" ]; then _pass; else _fail "seeds 7 and 8 chose the same 40 agents"; fi
for a in tom stephanie lewis; do
  expect_match "$FIRST" "$a" "uniform random reaches $a"
done
expect_eq "$(sql "SELECT DISTINCT json_extract(detail, '$.reason') FROM events WHERE type = 'assigned'")" \
  "rule" "random reason"
# A random pick still only picks among eligible members.
set_status tom away
many_leads 30 100
assign_at "$NOW" --seed 9
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id >= 'L0100' AND agent = 'tom'")" "0" \
  "random skips the ineligible"

# --- weighted_random: proportional to weight ------------------------------------------
pool_config weighted_random
fresh_db
many_leads 500 0
assign_at "$NOW" --seed 42 -q
expect_status 0
TOM=$(sql "SELECT count(*) FROM leads WHERE agent = 'tom'")
STEPH=$(sql "SELECT count(*) FROM leads WHERE agent = 'stephanie'")
LEWIS=$(sql "SELECT count(*) FROM leads WHERE agent = 'lewis'")
expect_eq "$((TOM + STEPH + LEWIS))" "500" "all weighted leads assigned"
# Expected 300 / 100 / 100 (weights 3:1:1); these bounds are about 5 standard deviations.
if ((TOM >= 245 && TOM <= 355)); then _pass; else _fail "tom got $TOM of 500, expected ~300"; fi
for n in "$STEPH" "$LEWIS"; do
  if ((n >= 55 && n <= 145)); then _pass; else _fail "weight-1 member got $n of 500, expected ~100"; fi
done
WEIGHTED=$(sequence)
fresh_db
many_leads 500 0
assign_at "$NOW" --seed 42 -q
expect_eq "$(sequence)" "$WEIGHTED" "weighted: same seed, same choices"

# --- least_active: fewest open offers and assignments, across pools --------------------
pool_config least_active
fresh_db
# Tom holds an open offer in pool `other` and an assigned lead there.
SOURCE=phone lead P1 $T0
SOURCE=phone lead P2 $T0
assign_at "$T0"
"$ROUTER" claim P1 --agent tom --now 2026-11-23T10:01:00Z -q
expect_eq "$(sql "SELECT group_concat(state, ',') FROM (SELECT state FROM leads WHERE id IN ('P1','P2') ORDER BY id)")" \
  "assigned,offered" "tom's other work"
# Stephanie once had a lead that is now closed: closed leads do not count.
sql "INSERT INTO leads(id, source, received_at, state, agent, pool) VALUES ('OLD', 'web', 1, 'closed', 'stephanie', 'p')"
many_leads 5 0
assign_at "$NOW"
expect_status 0
# 0/0/0 besides tom's 2: stephanie, lewis; then tie 1/1 → rotation after lewis; ...
expect_eq "$(chosen)" "stephanie lewis stephanie lewis tom" "least active"
expect_match "$OUT" "L0000 +assigned +stephanie" "line"
# A run of fewer leads than pools counts only its pools' members, each in the (agent,
# state) indexes: the same counts. Stephanie gets an assigned and an offered lead more,
# lewis an open broadcast offer: tom 3, stephanie 4, lewis 3.
sql "INSERT INTO leads(id, source, received_at, state, agent, pool) VALUES
       ('X1', 'web', 1, 'assigned', 'stephanie', 'p'), ('X2', 'web', 1, 'offered', 'stephanie', 'p')"
sql "INSERT INTO broadcast_offers(lead_id, agent, pool, offered_at, state) VALUES ('OLD', 'lewis', 'p', 1, 'open')"
LONE=""
for i in 5 6; do
  many_leads 1 "$i"
  assign_at "$NOW"
  expect_status 0
  LONE="$LONE${LONE:+ }$(chosen)"
done
# Tom and lewis tie at 3: rotation after tom gives lewis; then tom has the fewest.
expect_eq "$LONE" "lewis tom" "least active, one lead a run"

# --- least_pending: the `pending` metric ------------------------------------------------
pool_config least_pending
fresh_db
set_metric() {
  sql "INSERT INTO agent_metrics(agent, key, value) VALUES ('$1', '$2', $3)
       ON CONFLICT(agent, key) DO UPDATE SET value = excluded.value"
}
set_metric tom pending 5
set_metric stephanie pending 2
set_metric lewis pending 2
many_leads 3 0
assign_at "$NOW"
# Stephanie and Lewis tie at 2: round-robin order breaks the tie each time.
expect_eq "$(chosen)" "stephanie lewis stephanie" "least pending, ties by rotation"
set_metric tom pending 0
many_leads 2 10
assign_at "$NOW"
expect_eq "$(chosen)" "tom tom" "least pending follows the metric"

# --- best_close_rate: won / (won + lost) over the window --------------------------------
pool_config best_close_rate
fresh_db
DAY_S=86400
NOW_S=$(date -u -d "$NOW" +%s)
outcome() { sql "INSERT INTO outcomes(lead_id, agent, outcome, at) VALUES ('$1', '$2', '$3', $((NOW_S - $4 * DAY_S)))"; }
outcome o1 tom won 1
outcome o2 tom lost 2
outcome o3 stephanie won 1
outcome o4 stephanie won 3
outcome o5 stephanie won 6
outcome o6 stephanie lost 5
# Lewis's perfect record is older than the 7-day window.
outcome o7 lewis won 8
outcome o8 lewis won 9
many_leads 3 0
assign_at "$NOW"
expect_eq "$(chosen)" "stephanie stephanie stephanie" "best close rate"
expect_eq "$(dsql "SELECT json_extract(detail, '$.note') FROM decisions WHERE lead_id = 'L0000'" L0000)" \
  "best_close_rate: stephanie closes 75% (3 won of 4)" "close rate note"
# A 14-day window counts Lewis's old wins.
pool_config best_close_rate "    window: 14d"
many_leads 2 10
assign_at "$NOW"
expect_eq "$(chosen)" "lewis lewis" "best close rate, 14-day window"

# --- top_score: the best performer gets everything within limits ----------------------
pool_config top_score "" "[tom, { agent: stephanie, daily_limit: 2 }, lewis]"
fresh_db
set_metric tom score 10
set_metric stephanie score 50
set_metric lewis score 30
many_leads 4 0
assign_at "$NOW"
expect_eq "$(chosen)" "stephanie stephanie lewis lewis" "top score within limits"

# --- least_recent: longest since their last lead from any pool -------------------------
pool_config least_recent
fresh_db
lead A1 2026-11-23T10:00:00Z
assign_at 2026-11-23T10:00:00Z
lead A2 2026-11-23T10:05:00Z
assign_at 2026-11-23T10:05:00Z
lead A3 2026-11-23T10:10:00Z
assign_at 2026-11-23T10:10:00Z
# Nobody had a lead: rotation order; then whoever never had one.
expect_eq "$(owners A1 A2 A3)" "tom stephanie lewis" "least recent, first round"
# Tom gets a lead from pool `other` (an offer counts): he is now the most recent.
SOURCE=phone lead P1 2026-11-23T10:15:00Z
assign_at 2026-11-23T10:15:00Z
expect_eq "$(agent_of P1)" "tom" "other pool"
lead A4 2026-11-23T10:20:00Z
assign_at 2026-11-23T10:20:00Z
lead A5 2026-11-23T10:25:00Z
assign_at 2026-11-23T10:25:00Z
expect_eq "$(owners A4 A5)" "stephanie lewis" "least recent across pools"

# --- broadcast: every eligible member at once, first claim wins ------------------------
pool_config broadcast "    claim_timeout: 15m"
fresh_db
set_status lewis away
lead B1 $T0
assign_at $T0
expect_status 0
expect_match "$OUT" "^B1 +offered +tom,stephanie +p +all +rule +until 2026-11-23T10:15:00Z" "broadcast line"
expect_eq "$(sql "SELECT state || ' ' || quote(agent) || ' ' || pool || ' ' || deadline || ' ' || attempts FROM leads WHERE id = 'B1'")" \
  "offered NULL p $(date -u -d 2026-11-23T10:15:00Z +%s) 1" "broadcast lead row"
expect_eq "$(sql "SELECT agent || ' ' || state FROM offers WHERE lead_id = 'B1' ORDER BY agent" | tr '\n' ',')" \
  "stephanie open,tom open," "an offer each"
expect_eq "$(sql "SELECT agent || ' ' || json_extract(detail, '$.reason') FROM events WHERE lead_id = 'B1' AND type = 'offered' ORDER BY agent" | tr '\n' ',')" \
  "stephanie rule,tom rule," "an offered event each"
expect_eq "$(sql "SELECT agent || '=' || count FROM usage WHERE period = 'D2026-11-23' ORDER BY agent" | tr '\n' ' ')" \
  "stephanie=1 tom=1 " "both offers counted"
# Lewis (away) was not offered it: his claim is refused.
run claim B1 --agent lewis --now 2026-11-23T10:03:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'B1' is not offered to lewis" "not among the offered"
run claim B1 --agent stephanie --now 2026-11-23T10:04:00Z
expect_status 0
expect_out "B1: claimed by stephanie"
expect_eq "$(sql "SELECT state || ' ' || agent FROM leads WHERE id = 'B1'")" "assigned stephanie" "winner"
expect_eq "$(sql "SELECT agent || ' ' || state FROM offers WHERE lead_id = 'B1' ORDER BY agent" | tr '\n' ',')" \
  "stephanie claimed,tom withdrawn," "the other offer withdrawn"
expect_eq "$(sql "SELECT type || ' ' || agent FROM events WHERE lead_id = 'B1' AND type IN ('claimed', 'withdrawn') ORDER BY seq" | tr '\n' ',')" \
  "withdrawn tom,claimed stephanie," "claim events"
expect_eq "$(sql "SELECT agent || '=' || count FROM usage WHERE period = 'D2026-11-23' ORDER BY agent" | tr '\n' ' ')" \
  "stephanie=1 tom=0 " "the withdrawn offer's usage given back"
run claim B1 --agent tom --now 2026-11-23T10:05:00Z
expect_status 1
expect_err "already claimed by stephanie"
expect_eq "$(sql "SELECT state || ' ' || agent FROM leads WHERE id = 'B1'")" "assigned stephanie" "still stephanie's"

# Without a claim_timeout a broadcast is still an offer (open until claimed), never an
# assignment of one lead to every member.
pool_config broadcast
fresh_db
lead B2 $T0
assign_at $T0
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | head -n 1 | sed 's/ *$//')" \
  "B2            offered   tom,stephanie,lewis p           all               rule" "open-ended broadcast line"
expect_eq "$(sql "SELECT state || ' ' || quote(agent) || ' ' || quote(deadline) || ' ' || attempts FROM leads WHERE id = 'B2'")" \
  "offered NULL NULL 1" "open-ended broadcast row"
expect_eq "$(sql "SELECT agent || ' ' || state || ' ' || quote(deadline) FROM offers WHERE lead_id = 'B2' ORDER BY id" | tr '\n' ',')" \
  "tom open NULL,stephanie open NULL,lewis open NULL," "open-ended offers"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id = 'B2' AND type = 'assigned'")" "0" "nobody assigned"
expect_eq "$(sql "SELECT group_concat(json_extract(detail, '$.attempt')) FROM events WHERE lead_id = 'B2' AND type = 'offered'")" \
  "1,1,1" "attempt in each offered event"
run claim B2 --agent lewis --now 2026-11-30T10:00:00Z
expect_status 0
expect_eq "$OUT" "B2: claimed by lewis after 7d; offers to 2 others withdrawn" "claimed a week later"
expect_eq "$(sql "SELECT state || ' ' || agent FROM leads WHERE id = 'B2'")" "assigned lewis" "lewis owns it"

# --- open_pool: queued in the pool for members to pull --------------------------------
pool_config open_pool
fresh_db
lead Q1 $T0
assign_at $T0
expect_status 0
expect_match "$OUT" "^Q1 +pooled +- +p +all" "open pool line"
expect_eq "$(sql "SELECT state || ' ' || quote(agent) || ' ' || pool || ' ' || rule FROM leads WHERE id = 'Q1'")" \
  "queued NULL p all" "queued in the pool"
expect_eq "$(sql "SELECT type || ' ' || quote(agent) || ' ' || pool FROM events WHERE lead_id = 'Q1' AND type <> 'received'")" \
  "queued NULL p" "queued event"
expect_eq "$(sql "SELECT count(*) FROM offers")" "0" "no offers"
expect_eq "$(sql "SELECT count(*) FROM usage")" "0" "nothing counted"

finish
