# Races that matter to users, between separate router processes on one database: exactly
# one of two claims of a broadcast lead wins; exactly one of two pickups of the same lead
# wins; a decline racing the sweep's expiry of the same offer ends it once; reassign --pool
# racing the sweep leaves one open offer; assign and sweep with several batches each
# interleave their transactions and still route every lead once. Each round is repeated,
# since a race that is run once proves little; state and events must agree after each.
source "$(dirname "$0")/lib.sh"
MON=2026-11-23
T0=${MON}T10:00:00Z
cat >router.yaml <<'EOF'
version: 1
timezone: Europe/London
database: router.db
agents: [{id: tom}, {id: ann}, {id: bob}, {id: sue}]
pools:
  blast: {strategy: broadcast, members: [tom, ann], claim_timeout: 10m, on_exhausted: queue}
  walkins: {strategy: open_pool, members: [tom, ann]}
  sales: {strategy: round_robin, members: [tom, ann, bob], claim_timeout: 10m}
  slow: {strategy: round_robin, members: [tom, ann, bob], claim_timeout: 1h}
  desk: {strategy: round_robin, members: [sue, bob], claim_timeout: 1h}
  backoffice:
    strategy: round_robin
    members: [tom, ann]
    pickup: { when: { source: phone } }
rules:
  - {name: chat, when: {source: chat}, pool: blast}
  - {name: walkin, when: {source: walkin}, pool: walkins}
  - {name: web, when: {source: web}, pool: sales}
  - {name: form, when: {source: form}, pool: slow}
EOF
"$ROUTER" init -q || exit 1
R=12
ingest() { printf '{"id":"%s","source":"%s"}\n' "$1" "$2" | "$ROUTER" ingest -q --now "$T0" || exit 1; }
for i in $(seq 1 $R); do
  ingest C$i chat
  ingest K$i walkin
  ingest P$i phone
done
"$ROUTER" assign -q --now $T0 || exit 1

# Runs two commands at once, each with its own output files, and prints their exit
# statuses sorted ("0 1" means one won and one was refused).
race() {
  ("$ROUTER" $1 --busy-timeout 30s >a.out 2>a.err; echo $? >a.rc) &
  ("$ROUTER" $2 --busy-timeout 30s >b.out 2>b.err; echo $? >b.rc) &
  wait
  printf '%s\n%s\n' "$(cat a.rc)" "$(cat b.rc)" | sort | tr '\n' ' ' | sed 's/ $//'
}

# Two agents claim the same broadcast lead: one wins, the other is told who did.
wins=0
for i in $(seq 1 $R); do
  got=$(race "claim C$i --agent tom --now ${MON}T10:01:00Z" "claim C$i --agent ann --now ${MON}T10:01:00Z")
  [ "$got" = "0 1" ] && wins=$((wins + 1))
done
expect_eq "$wins" "$R" "broadcast claims: one winner each time"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id LIKE 'C%' AND state = 'assigned'")" "$R" "broadcast leads assigned"
expect_eq "$(sql "SELECT count(*) FROM (SELECT lead_id FROM events WHERE type = 'claimed' AND lead_id LIKE 'C%' GROUP BY lead_id HAVING count(*) = 1)")" "$R" "one claimed event per broadcast lead"
expect_eq "$(sql "SELECT count(*) FROM offers WHERE lead_id LIKE 'C%' AND state = 'open'")" "0" "no broadcast offer left open"
expect_eq "$(sql "SELECT count(*) FROM leads l WHERE id LIKE 'C%' AND agent IS DISTINCT FROM (SELECT agent FROM events e WHERE e.lead_id = l.id AND e.type = 'claimed')")" "0" "owner = claimer"

# Two agents pick up the same open-pool lead.
wins=0
for i in $(seq 1 $R); do
  got=$(race "pickup --agent tom --lead K$i --now ${MON}T10:02:00Z" "pickup --agent ann --lead K$i --now ${MON}T10:02:00Z")
  [ "$got" = "0 1" ] && wins=$((wins + 1))
done
expect_eq "$wins" "$R" "open-pool pickups: one winner each time"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'picked_up' AND lead_id LIKE 'K%'")" "$R" "one picked_up event per open-pool lead"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id LIKE 'K%' AND state = 'assigned' AND agent IN ('tom', 'ann')")" "$R" "open-pool leads assigned"

# Two agents pick up the same lead from the manual queue (phone leads match no rule).
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id LIKE 'P%' AND state = 'queued' AND pool IS NULL")" "$R" "phone leads in the manual queue"
wins=0
for i in $(seq 1 $R); do
  got=$(race "pickup --agent tom --lead P$i --now ${MON}T10:03:00Z" "pickup --agent ann --lead P$i --now ${MON}T10:03:00Z")
  [ "$got" = "0 1" ] && wins=$((wins + 1))
done
expect_eq "$wins" "$R" "manual-queue pickups: one winner each time"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'picked_up' AND lead_id LIKE 'P%'")" "$R" "one picked_up event per queued lead"
expect_eq "$(sql "SELECT count(*) FROM leads l WHERE id LIKE 'P%' AND agent IS DISTINCT FROM (SELECT agent FROM events e WHERE e.lead_id = l.id AND e.type = 'picked_up')")" "0" "owner = picker"

# A decline just before the deadline races the sweep at the deadline: the offer ends once,
# as declined or as expired, and the lead is offered on once. Each lead is offered a minute
# after the one before, so each sweep finds only its own lead due.
at() { date -u -d "${MON}T10:00:00Z + $1 minutes" +%Y-%m-%dT%H:%M:%SZ; }
for i in $(seq 1 $R); do
  ingest D$i form
  "$ROUTER" assign -q D$i --now "$(at $((10 + i)))" || exit 1
done
for i in $(seq 1 $R); do
  agent=$(sql "SELECT agent FROM leads WHERE id = 'D$i'")
  due=$(at $((70 + i)))
  race "decline D$i --agent $agent --now $(date -u -d "$due 1 second ago" +%Y-%m-%dT%H:%M:%SZ)" "sweep -q --now $due" >/dev/null
done
expect_eq "$(sql "SELECT count(*) FROM (SELECT lead_id FROM events WHERE lead_id LIKE 'D%' AND type IN ('declined', 'expired') GROUP BY lead_id HAVING count(*) = 1)")" "$R" "each first offer ended once"
expect_eq "$(sql "SELECT count(*) FROM (SELECT lead_id FROM offers WHERE lead_id LIKE 'D%' AND state = 'open' GROUP BY lead_id HAVING count(*) = 1)")" "$R" "one open offer per lead after the race"
expect_eq "$(sql "SELECT count(*) FROM offers WHERE lead_id LIKE 'D%' AND state IN ('declined', 'expired')")" "$R" "offers ended agree with events"
expect_eq "$(sql "SELECT count(*) FROM leads l JOIN offers o ON o.lead_id = l.id AND o.state = 'open' WHERE l.id LIKE 'D%' AND (l.state <> 'offered' OR l.agent <> o.agent OR l.attempts <> 2)")" "0" "lead rows agree with their open offers"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id LIKE 'D%' AND type = 'offered'")" "$((2 * R))" "two offered events per lead"

# reassign --pool racing the sweep's expiry of the same offer, a lead at a time as above.
for i in $(seq 1 $R); do
  ingest S$i form
  "$ROUTER" assign -q S$i --now "$(at $((100 + i)))" || exit 1
done
for i in $(seq 1 $R); do
  due=$(at $((160 + i)))
  race "reassign S$i --pool desk --now $due" "sweep -q --now $due" >/dev/null
done
expect_eq "$(sql "SELECT count(*) FROM (SELECT lead_id FROM offers WHERE lead_id LIKE 'S%' AND state = 'open' GROUP BY lead_id HAVING count(*) = 1)")" "$R" "reassign vs sweep: one open offer per lead"
expect_eq "$(sql "SELECT count(*) FROM leads l JOIN offers o ON o.lead_id = l.id AND o.state = 'open' WHERE l.id LIKE 'S%' AND (l.state <> 'offered' OR l.agent <> o.agent OR l.pool IS DISTINCT FROM o.pool)")" "0" "reassign vs sweep: lead rows agree"
expect_eq "$(sql "SELECT count(*) FROM offers o WHERE lead_id LIKE 'S%' AND o.state <> 'open' AND NOT EXISTS (SELECT 1 FROM events e WHERE e.lead_id = o.lead_id AND e.type IN ('expired', 'withdrawn', 'declined', 'reassign_requested') AND e.agent = o.agent)")" "0" "every ended offer has its event"

# assign and sweep with several batches each (a batch is 5000 leads): two of each at once.
N=12000
seq 1 $N | awk '{printf "{\"id\":\"B%05d\",\"source\":\"web\"}\n", $1}' >bulk.jsonl
"$ROUTER" ingest -q bulk.jsonl --now ${MON}T14:00:00Z || exit 1
: >failures
for w in 1 2; do
  ("$ROUTER" assign -q --now ${MON}T14:00:00Z --busy-timeout 120s || echo "assign $?" >>failures) &
  ("$ROUTER" sweep -q --now ${MON}T14:00:00Z --busy-timeout 120s || echo "sweep $?" >>failures) &
done
wait
expect_eq "$(cat failures)" "" "no bulk process failed"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id LIKE 'B%' AND state = 'offered'")" "$N" "every bulk lead offered"
expect_eq "$(sql "SELECT count(*), count(DISTINCT lead_id) FROM offers WHERE lead_id LIKE 'B%'")" "$N|$N" "one offer per bulk lead"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id LIKE 'B%' AND type = 'offered'")" "$N" "one offered event per bulk lead"
expect_eq "$(sql "SELECT CASE WHEN max(n) - min(n) <= 1 THEN 1 ELSE 0 END FROM (SELECT agent, count(*) n FROM offers WHERE lead_id LIKE 'B%' GROUP BY agent)")" "1" "bulk rotation fair"

# Throughout: at most one open offer per lead outside the broadcast pool, and every lead's
# state agrees with its open offers.
expect_eq "$(sql "SELECT count(*) FROM (SELECT lead_id FROM offers o JOIN leads l ON l.id = o.lead_id WHERE o.state = 'open' AND l.pool IS DISTINCT FROM 'blast' GROUP BY lead_id HAVING count(*) > 1)")" "0" "one open offer per lead"
expect_eq "$(sql "SELECT count(*) FROM leads l WHERE (state = 'offered') <> EXISTS (SELECT 1 FROM offers o WHERE o.lead_id = l.id AND o.state = 'open')")" "0" "offered iff an open offer"
if sqlite_part "PRAGMA integrity_check"; then
  expect_eq "$(sql "PRAGMA integrity_check")" "ok" "integrity"
fi

finish
