# kill -9 in the middle of a big routing run loses at most the batch in flight, which the
# next run redoes: every lead ends up routed exactly once (SPEC §6, §7). 30,000 leads are six
# batches of 5,000: a kill after the first leaves five, room enough for a loaded machine.
source "$(dirname "$0")/lib.sh"
T0=2026-11-23T09:00:00Z
T1=2026-11-23T09:10:00Z
N=30000
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
seq 1 $N | awk '{printf "{\"id\":\"L%05d\",\"source\":\"web\"}\n", $1}' >leads.jsonl
"$ROUTER" ingest -q leads.jsonl --now $T0 || exit 1

# Starts `router ARGS` and kills it with SIGKILL once it has committed its first batch (the
# number QUERY prints has changed) and while it still has work left (LEFT prints more than
# 0): the process is stopped with SIGSTOP first, so that both are checked on a run that
# cannot move on, then killed. Counts the kills that interrupted a run that way per command
# (`interrupted[assign]`, `interrupted[sweep]`) and logs every kill in `kills`. On a loaded
# machine a run can still finish its five batches left between two polls; each path is run
# twice so that one such miss does not leave the path untested.
if [ "$E2E_BACKEND" = postgresql ]; then
  peek() { sql "$1"; }
else
  peek() { sqlite3 -batch -cmd ".timeout 5000" router.db "$1"; }
fi
kill_midway() {
  local query=$1 left=$2
  shift 2
  local before seen left_n=gone
  before=$(peek "$query")
  "$ROUTER" "$@" >/dev/null 2>&1 &
  local pid=$! tries=0
  seen=$before
  while [ "$seen" = "$before" ] && [ $tries -lt 3000 ]; do
    sleep 0.01
    seen=$(peek "$query")
    tries=$((tries + 1))
  done
  if kill -STOP "$pid" 2>/dev/null; then
    left_n=$(peek "$left")
    if [ "$left_n" -gt 0 ]; then
      interrupted[$1]=$((${interrupted[$1]:-0} + 1))
    fi
  fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  kills="$kills
  $*: $before -> $seen after $tries polls, $left_n left when stopped"
}

# Every lead routed once: one offer, one `offered` event, the lead row agrees, usage and
# events match the offers.
check_once() {
  local open=$1 what=$2
  expect_eq "$(sql "SELECT count(*) FROM leads WHERE state <> 'offered'")" "0" "$what: every lead offered"
  expect_eq "$(sql "SELECT count(*), count(DISTINCT lead_id) FROM offers WHERE state = 'open'")" "$N|$N" "$what: one open offer per lead"
  expect_eq "$(sql "SELECT count(*) FROM offers")" "$((N * open))" "$what: offers in all"
  expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'offered'")" "$((N * open))" "$what: offered events = offers"
  expect_eq "$(sql "SELECT count(*) FROM (SELECT lead_id FROM events WHERE type = 'offered' GROUP BY lead_id HAVING count(*) <> $open)")" "0" "$what: $open offered events per lead"
  expect_eq "$(sql "SELECT count(*) FROM trails")" "$((N * open))" "$what: one decision per routing"
  expect_eq "$(sql "SELECT count(*) FROM leads l JOIN offers o ON o.lead_id = l.id AND o.state = 'open' WHERE o.agent IS DISTINCT FROM l.agent OR o.deadline IS DISTINCT FROM l.deadline")" "0" "$what: lead rows agree"
  expect_eq "$(sql "SELECT CASE WHEN (SELECT sum(count) FROM usage WHERE period LIKE 'D%') = (SELECT count(*) FROM offers WHERE state = 'open') THEN 1 ELSE 0 END")" "1" "$what: usage counts open offers"
  expect_eq "$(sql "SELECT CASE WHEN max(n) - min(n) <= 1 THEN 1 ELSE 0 END FROM (SELECT agent, count(*) n FROM offers WHERE state = 'open' GROUP BY agent)")" "1" "$what: fair rotation"
}

declare -A interrupted=()
kills=""
pending="SELECT count(*) FROM leads WHERE state = 'pending'"
kill_midway "$pending" "$pending" assign --now $T0
kill_midway "$pending" "$pending" assign --now $T0
run assign --now $T0 -q
expect_status 0
run sweep --now $T0
expect_status 0
expect_no_out
check_once 1 "after killed assigns"

# The same for the expiry path of the sweep: every offer expired once and offered on once.
# Read from the events and lead rows (every offer here is a lead's single offer), not from
# the offers view, which rebuilds each offer from the events: on PostgreSQL its read outlasted
# a whole sweep, so no kill landed mid-run.
expired="SELECT count(*) FROM events WHERE type = 'expired'"
due="SELECT count(*) FROM leads WHERE state = 'offered' AND deadline <= $(date -u -d $T1 +%s)"
kill_midway "$expired" "$due" sweep --now $T1
kill_midway "$expired" "$due" sweep --now $T1
run sweep --now $T1 -q
expect_status 0
run sweep --now $T1
expect_no_out
check_once 2 "after killed sweeps"
expect_eq "$(sql "SELECT count(*), count(DISTINCT lead_id) FROM offers WHERE state = 'expired'")" "$N|$N" "each first offer expired once"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'expired'")" "$N" "expired events"
if sqlite_part "PRAGMA integrity_check"; then
  expect_eq "$(sql "PRAGMA integrity_check")" "ok" "integrity"
fi
echo "kills:$kills"
expect_eq "$((${interrupted[assign]:-0} > 0 && ${interrupted[sweep]:-0} > 0))" "1" \
  "an assign and a sweep killed after their first batch with work left:$kills"

finish
