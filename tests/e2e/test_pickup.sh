# router pickup: open pools first come first served; pools with pickup.when pull from the
# manual queue; oldest first or --lead; refusals exit 1; never counted against limits.
source "$(dirname "$0")/lib.sh"

cat > router.yaml <<'YAML'
version: 1
timezone: UTC
database: router.db
agents:
  - { id: tom }
  - { id: lewis }
  - { id: stephanie }
  - { id: denise }
pools:
  showroom:
    strategy: open_pool
    members: [tom, lewis]
  sales:
    members:
      - { agent: stephanie, daily_limit: 1 }
    pickup: { when: { status: [new, no_answer] } }
  desk:
    members: [denise]
rules:
  - name: walk-ins
    when: { source: walk-in }
    pool: showroom
  - name: web
    when: { source: web }
    pool: sales
YAML

run init
expect_status 0
INPUT='{"id":"W1","source":"walk-in","received_at":"2026-11-23T09:00:00Z"}
{"id":"P1","source":"phone","status":"New","received_at":"2026-11-23T08:00:00Z"}
{"id":"P2","source":"phone","status":"won","received_at":"2026-11-23T07:00:00Z"}
{"id":"W2","source":"walk-in","received_at":"2026-11-23T09:30:00Z"}
{"id":"P3","source":"phone","status":"no_answer","received_at":"2026-11-23T09:45:00Z"}'
run_in - ingest
expect_status 0
run assign --now 2026-11-23T10:00:00Z
expect_status 0
expect_eq "$(sql "SELECT id, state, coalesce(pool,'-') FROM leads ORDER BY id" | tr '\n' ' ')" \
  "P1|queued|- P2|queued|- P3|queued|- W1|queued|showroom W2|queued|showroom " "queues after assign"

# Open pool: the oldest of the pool's queue goes to the first member who asks.
run pickup --agent lewis --now 2026-11-23T10:01:00Z
expect_status 0
expect_out "W1: picked up by lewis from pool showroom"
expect_eq "$(sql "SELECT state, agent, pool FROM leads WHERE id='W1'")" "assigned|lewis|showroom"
expect_eq "$(sql "SELECT type, agent, pool, json_extract(detail,'$.from') FROM events WHERE lead_id='W1' ORDER BY seq DESC LIMIT 1")" \
  "picked_up|lewis|showroom|open_pool" "picked_up event"

# A member of no open pool and no pickup pool is not allowed.
run pickup --agent denise --now 2026-11-23T10:02:00Z
expect_status 1
expect_err "denise is in no open_pool and no pool with pickup"

# Pickup pool: oldest manual-queue lead matching when (P2's status does not match).
run pickup --agent stephanie --now 2026-11-23T10:03:00Z
expect_status 0
expect_out "P1: picked up by stephanie from the manual queue (pool sales)"
# Pick-ups never count against limits: stephanie's daily_limit of 1 does not stop a second.
run pickup --agent stephanie --format json --now 2026-11-23T10:04:00Z
expect_status 0
expect_eq "$(echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["lead"], d["from"])')" \
  "P3 manual_queue" "second pickup, json"
expect_eq "$(sql "SELECT count(*) FROM usage")" "0" "no usage counted"

# Nothing left that stephanie may take: P2 does not match.
run pickup --agent stephanie --now 2026-11-23T10:05:00Z
expect_status 1
expect_err "nothing to pick up for stephanie"
run pickup --agent stephanie --lead P2 --now 2026-11-23T10:05:00Z
expect_status 1
expect_err "does not match the pickup rules"

# --lead takes that one; --pool restricts; unknown names are refused with a suggestion.
run pickup --agent tom --lead W1 --now 2026-11-23T10:06:00Z
expect_status 1
expect_err "lead 'W1' is assigned, not queued"
run pickup --agent tom --pool sales --now 2026-11-23T10:06:00Z
expect_status 1
expect_err "tom may not pick up from pool 'sales'"
run pickup --agent tom --pool showrom --now 2026-11-23T10:06:00Z
expect_status 1
expect_err "did you mean 'showroom'"
run pickup --agent tomm --now 2026-11-23T10:06:00Z
expect_status 1
expect_err "did you mean 'tom'"
run pickup --agent tom --lead W2 --pool showroom --now 2026-11-23T10:07:00Z
expect_status 0
expect_eq "$(sql "SELECT state, agent FROM leads WHERE id='W2'")" "assigned|tom"
run pickup --agent tom --now 2026-11-23T10:08:00Z
expect_status 1
run pickup --now 2026-11-23T10:08:00Z
expect_status 64

finish
