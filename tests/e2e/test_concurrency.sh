# Several router processes on one database at once (SPEC §6, §7): no lead offered to two
# agents at once, none routed twice, none lost; the rotation stays fair; a busy database
# gives exit 75 and writes nothing.
source "$(dirname "$0")/lib.sh"
T0=2026-11-23T09:00:00Z
T1=2026-11-23T09:10:00Z
cat >router.yaml <<'EOF'
version: 1
database: router.db
agents: [{id: a1}, {id: a2}, {id: a3}, {id: a4}, {id: a5}]
pools:
  sales: {strategy: round_robin, members: [a1, a2, a3, a4, a5], claim_timeout: 10m}
rules:
  - {name: all, pool: sales}
EOF
"$ROUTER" init -q || exit 1
leads() { seq "$1" "$2" | awk '{printf "{\"id\":\"L%04d\",\"source\":\"web\"}\n", $1}'; }
leads 1 500 >first.jsonl
leads 501 600 >second.jsonl
"$ROUTER" ingest -q first.jsonl --now $T0 || exit 1

# One worker: sweeps and assigns a few times at the same --now. Failures are recorded.
worker() {
  local i
  for i in 1 2 3; do
    "$ROUTER" sweep --now "$1" --busy-timeout 60s >>"worker$2.out" 2>>"worker$2.err" || echo "sweep $?" >>failures
    "$ROUTER" assign --now "$1" --busy-timeout 60s >>"worker$2.out" 2>>"worker$2.err" || echo "assign $?" >>failures
  done
}

# Every lead in a valid state, no lead with two open offers, leads.agent = its open offer.
check_consistent() {
  expect_eq "$(sql "SELECT count(*) FROM leads WHERE state NOT IN ('pending', 'offered', 'assigned', 'queued', 'closed')")" "0" "$1: valid states"
  expect_eq "$(sql "SELECT count(*) FROM (SELECT lead_id FROM offers WHERE state = 'open' GROUP BY lead_id HAVING count(*) > 1)")" "0" "$1: one open offer per lead"
  expect_eq "$(sql "SELECT count(*) FROM leads l WHERE state = 'offered' AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.lead_id = l.id AND o.state = 'open' AND o.agent = l.agent)")" "0" "$1: lead agent = open offer"
  expect_eq "$(sql "SELECT count(*) FROM offers o JOIN leads l ON l.id = o.lead_id WHERE o.state = 'open' AND l.state <> 'offered'")" "0" "$1: open offers only on offered leads"
  # Fair: a plain round robin gives counts that differ by at most one.
  expect_eq "$(sql "SELECT CASE WHEN max(n) - min(n) <= 1 THEN 1 ELSE 0 END FROM (SELECT agent, count(*) n FROM offers WHERE state = 'open' GROUP BY agent)")" "1" "$1: fair rotation"
  expect_eq "$(sql "SELECT count(DISTINCT agent) FROM offers WHERE state = 'open'")" "5" "$1: every agent used"
}

# Four workers and an ingest at once.
for w in 1 2 3 4; do worker $T0 $w & done
"$ROUTER" ingest -q second.jsonl --now $T0 --busy-timeout 60s || echo "ingest $?" >>failures
wait
"$ROUTER" sweep --now $T0 >>worker0.out || exit 1
expect_eq "$(cat failures 2>/dev/null)" "" "no process failed"
expect_eq "$(cat worker*.err)" "" "no errors"
expect_eq "$(sql "SELECT state, count(*) FROM leads GROUP BY state")" "offered|600" "every lead offered once"
expect_eq "$(sql "SELECT count(*), count(DISTINCT lead_id) FROM offers")" "600|600" "one offer per lead"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'offered'")" "600" "one offered event per lead"
# A sweep's lines start with the run's time; assign's do not.
expect_eq "$(cat worker*.out | grep -cE "^($T0 )?L[0-9]+ +offered ")" "600" "each routing printed once, by whoever made it"
check_consistent "first round"

# Four sweeps at once when every offer is due: each expires once and is offered on once.
for w in 1 2 3 4; do
  "$ROUTER" sweep --now $T1 --busy-timeout 60s >"expire$w.out" 2>>"expire$w.err" || echo "sweep $?" >>failures &
done
wait
expect_eq "$(cat failures 2>/dev/null)" "" "no sweep failed"
expect_eq "$(cat expire*.out | grep -cE "^$T1 L[0-9]+ +expired ")" "600" "600 expiries printed in all"
expect_eq "$(sql "SELECT count(*), count(DISTINCT lead_id) FROM offers WHERE state = 'expired'")" "600|600" "each offer expired once"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'expired'")" "600" "expired events"
expect_eq "$(sql "SELECT count(*) FROM offers WHERE state = 'open'")" "600" "each lead offered on once"
expect_eq "$(sql "SELECT count(*) FROM offers a JOIN offers b ON a.lead_id = b.lead_id AND a.id < b.id WHERE a.agent = b.agent")" "0" "never the same agent twice"
expect_eq "$(sql "SELECT min(attempts), max(attempts) FROM leads")" "2|2" "attempts"
expect_eq "$(sql "SELECT sum(count) FROM usage WHERE period LIKE 'D%'")" "600" "usage: one open offer per lead"
check_consistent "second round"
run sweep --now $T1
expect_no_out

# Busy: another process holds the write lock; the sweep waits --busy-timeout, exits 75 and
# writes nothing.
leads 601 603 >third.jsonl
"$ROUTER" ingest -q third.jsonl --now $T1 || exit 1
before=$(sql "SELECT count(*) FROM events; SELECT count(*) FROM leads WHERE state = 'pending'")
hold_write_lock "INSERT INTO meta(key, value) VALUES ('holder', 'x');" || exit 1
start=$(date +%s%N)
run sweep --now $T1 --busy-timeout 1s
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_status 75
expect_eq "$ERR" "router: database is busy (another router process holds the write lock past 1s); try again" "busy message"
expect_no_out
expect_match "$elapsed_ms" '^[0-9]+$' "elapsed"
if [ "$elapsed_ms" -ge 900 ]; then _pass; else _fail "waited only ${elapsed_ms}ms"; fi
# With -q (as cron runs it) a busy run says nothing: the next minute retries it.
run sweep --now $T1 --busy-timeout 1s -q
expect_status 75
expect_eq "$ERR" "" "-q: nothing on stderr when busy"
expect_no_out
release_write_lock
expect_eq "$(sql "SELECT count(*) FROM events; SELECT count(*) FROM leads WHERE state = 'pending'")" "$before" "nothing written while busy"
run sweep --now $T1 --busy-timeout 1s -q
expect_status 0
expect_eq "$(sql "SELECT count(*) FROM leads WHERE state = 'pending'")" "0" "routed once the lock is free"

finish
