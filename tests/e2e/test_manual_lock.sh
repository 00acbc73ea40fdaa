# The "in progress" lock of seed 001 holds for every move by hand: while a reassignment offer
# waits for a claim, `reassign --to` and `assign --to` are refused unless --force, which
# withdraws the open offers (reason manual_override); the member whose offer was withdrawn
# is told the lead was moved by hand; moving a lead to its owner changes nothing.
source "$(dirname "$0")/lib.sh"
ts() { date -u -d "$1" +%s; }
D=2026-11-23
cat > router.yaml <<YAML
version: 1
timezone: UTC
database: router.db
agents:
  - { id: tom }
  - { id: sue }
  - { id: lewis }
  - { id: denise }
  - { id: max }
  - { id: jane }
pools:
  sales:
    members: [tom]
    claim_timeout: 15m
  rescue:
    members: [lewis, denise]
    claim_timeout: 10m
    default: jane
  team:
    strategy: broadcast
    members: [lewis, denise, max]
    claim_timeout: 10m
  open_team:
    strategy: broadcast
    members: [lewis, denise]
rules:
  - name: all
    pool: sales
YAML
"$ROUTER" init -q || exit 1
for id in L1 L2 L3 L4; do
  printf '{"id":"%s","source":"web","received_at":"%sT09:00:00Z"}\n' "$id" "$D"
done | "$ROUTER" ingest -q || exit 1
"$ROUTER" assign -q --now ${D}T09:01:00Z || exit 1
for id in L1 L2 L3 L4; do
  "$ROUTER" claim -q "$id" --agent tom --now ${D}T09:02:00Z || exit 1
done
state() { sql "SELECT state || '|' || coalesce(agent, '-') FROM leads WHERE id = '$1'"; }
events() { sql "SELECT count(*) FROM events"; }

# A reassignment offer waits for lewis's claim until 09:15.
run reassign L1 --pool rescue --now ${D}T09:05:00Z
expect_status 0
expect_eq "$(state L1)" "offered|lewis" "L1 offered through rescue"

# Refused by hand, naming the deadline; nothing written.
before=$(events)
run reassign L1 --to sue --now ${D}T09:06:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L1' cannot be moved by hand: reassignment in progress until ${D}T09:15:00Z; wait, or use --force" "reassign --to refused"
run assign L1 --to sue --now ${D}T09:06:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L1' cannot be moved by hand: reassignment in progress until ${D}T09:15:00Z; wait, or use --force" "assign --to: the same refusal"
expect_eq "$(events)" "$before" "refusals write nothing"
expect_eq "$(state L1)" "offered|lewis" "still lewis's offer"
expect_eq "$(sql "SELECT count(*) FROM reassignments WHERE lead_id = 'L1'")" "1" "still in progress"
run reassign L1 --pool rescue --force --now ${D}T09:06:00Z
expect_status 64
run assign L1 --force --now ${D}T09:06:00Z
expect_status 64

# --force ends the reassignment: lewis's offer withdrawn (manual_override), then sue's.
run reassign L1 --to sue --force --now ${D}T09:07:00Z
expect_status 0
expect_out "L1: moved to sue (was lewis); reassignment in progress ended"
expect_eq "$(state L1)" "assigned|sue" "moved to sue"
expect_eq "$(sql "SELECT count(*) FROM reassignments")" "0" "reassignment ended"
expect_eq "$(sql "SELECT state FROM offers WHERE lead_id = 'L1' AND agent = 'lewis'")" "withdrawn" "lewis's offer"
expect_eq "$(sql "SELECT type || '|' || coalesce(agent, '-') || '|' || json_extract(detail, '$.reason') FROM events WHERE lead_id = 'L1' AND at = $(ts ${D}T09:07:00Z) ORDER BY seq" | tr '\n' ' ')" \
  "reassign_requested|lewis|manual withdrawn|lewis|manual_override assigned|sue|manual " "event trail"
expect_eq "$(sql "SELECT coalesce(sum(count), 0) FROM usage WHERE pool = 'rescue'")" "0" "lewis's place in rescue given back"

# lewis, whose offer was withdrawn, learns what happened.
before=$(events)
run claim L1 --agent lewis --now ${D}T09:08:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L1' was moved to sue by hand at ${D}T09:07:00Z" "claim after the move"
run decline L1 --agent lewis --now ${D}T09:08:00Z
expect_status 1
expect_err "was moved to sue by hand at ${D}T09:07:00Z"
run claim L1 --agent sue --now ${D}T09:08:00Z
expect_status 1
expect_err "lead 'L1' was moved to you by hand at ${D}T09:07:00Z"
expect_eq "$(events)" "$before" "refused claims write nothing"

# To the current owner: nothing changes, and it says so.
run reassign L1 --to sue --now ${D}T09:09:00Z
expect_status 0
expect_out "L1: already assigned to sue; nothing changed"
run assign L1 --to sue --format json --now ${D}T09:09:00Z
expect_status 0
expect_out '"outcome":"unchanged"'
expect_eq "$(events)" "$before" "no events for a move to the owner"
expect_eq "$(sql "SELECT updated_at FROM leads WHERE id = 'L1'")" "$(ts ${D}T09:07:00Z)" "lead row untouched"

# A broadcast reassignment: every open offer withdrawn by --force.
run reassign L2 --pool team --now ${D}T09:10:00Z
expect_status 0
expect_eq "$(sql "SELECT count(*) FROM offers WHERE lead_id = 'L2' AND state = 'open'")" "3" "three open offers"
run reassign L2 --to jane --now ${D}T09:11:00Z
expect_status 1
expect_err "reassignment in progress until ${D}T09:20:00Z; wait, or use --force"
run reassign L2 --to jane --force --now ${D}T09:12:00Z
expect_status 0
expect_eq "$(state L2)" "assigned|jane" "L2 moved to jane"
expect_eq "$(sql "SELECT agent || '|' || json_extract(detail, '$.reason') FROM events WHERE lead_id = 'L2' AND type = 'withdrawn' AND at = $(ts ${D}T09:12:00Z) ORDER BY agent" | tr '\n' ' ')" \
  "denise|manual_override lewis|manual_override max|manual_override " "every offer withdrawn"
expect_eq "$(sql "SELECT count(*) FROM offers WHERE lead_id = 'L2' AND state = 'open'")" "0" "no open offer left"
run claim L2 --agent denise --now ${D}T09:13:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L2' was moved to jane by hand at ${D}T09:12:00Z" "broadcast member told"

# assign --to --force behaves the same way.
run reassign L3 --pool rescue --now ${D}T09:20:00Z
expect_status 0
run assign L3 --to sue --force --now ${D}T09:21:00Z
expect_status 0
expect_out "L3: assigned to sue by hand"
expect_eq "$(state L3)" "assigned|sue" "L3 assigned by hand"
expect_eq "$(sql "SELECT type || '|' || json_extract(detail, '$.reason') FROM events WHERE lead_id = 'L3' AND at = $(ts ${D}T09:21:00Z) ORDER BY seq" | tr '\n' ' ')" \
  "withdrawn|manual_override assigned|manual " "assign --force trail"
expect_eq "$(sql "SELECT count(*) FROM reassignments")" "0" "assign --force ends the reassignment"

# A broadcast without a claim window: in progress until claimed.
run reassign L4 --pool open_team --now ${D}T09:30:00Z
expect_status 0
run assign L4 --to sue --now ${D}T09:31:00Z
expect_status 1
expect_err "reassignment in progress until the offer is claimed; wait, or use --force"

expect_eq "$(sql "SELECT count(*) FROM events WHERE type IN ('reassign_requested', 'withdrawn', 'assigned') AND json_extract(detail, '$.reason') IS NULL")" "0" "every manual event has a reason"
finish
