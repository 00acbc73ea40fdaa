# router reassign: reassignment groups (seed 001) — route existing leads again through a
# pool, "in progress" lock, default when nobody is eligible, --to, --from.
source "$(dirname "$0")/lib.sh"

write_config() {
  cat > router.yaml <<YAML
version: 1
timezone: UTC
database: router.db
agents:
  - { id: tom }
  - { id: stephanie }
  - { id: lewis }
  - { id: denise }
  - { id: max }
  - { id: jane }
pools:
  sales:
    members: [tom, stephanie]
    claim_timeout: 15m
  rescue:
    members: [$1]
    claim_timeout: 10m
    default: jane
rules:
  - name: all
    pool: sales
YAML
}
write_config "lewis, denise"
run init
INPUT='{"id":"L1","source":"web","received_at":"2026-11-23T09:00:00Z"}
{"id":"L2","source":"web","received_at":"2026-11-23T09:00:01Z"}
{"id":"L3","source":"web","received_at":"2026-11-23T09:00:02Z"}
{"id":"L4","source":"web","received_at":"2026-11-23T09:00:03Z"}'
run_in - ingest
run assign --now 2026-11-23T09:01:00Z
expect_eq "$(sql "SELECT group_concat(agent, ',') FROM (SELECT agent FROM leads ORDER BY id)")" \
  "tom,stephanie,tom,stephanie" "first routing"
run claim L1 --agent tom --now 2026-11-23T09:02:00Z
expect_status 0

# Through the group: offered to its first member, in progress until claimed.
run reassign L1 --pool rescue --now 2026-11-23T09:05:00Z
expect_status 0
expect_out "L1"
expect_out "lewis"
expect_eq "$(sql "SELECT state, agent, pool, attempts FROM leads WHERE id='L1'")" "offered|lewis|rescue|1"
expect_eq "$(sql "SELECT count(*) FROM reassignments WHERE lead_id='L1'")" "1" "in progress"
expect_eq "$(sql "SELECT type FROM events WHERE lead_id='L1' ORDER BY seq DESC LIMIT 2" | tr '\n' ' ')" \
  "offered reassign_requested " "event trail"
expect_eq "$(sql "SELECT json_extract(detail,'$.previous_agent') FROM events WHERE lead_id='L1' AND type='reassign_requested'")" "tom"
run assign L1 --to jane --now 2026-11-23T09:06:00Z
expect_status 1
expect_err "lead 'L1' cannot be moved by hand: reassignment in progress until 2026-11-23T09:15:00Z; wait, or use --force"
run reassign L1 --pool rescue --now 2026-11-23T09:06:00Z
expect_status 1
expect_err "already being reassigned"
run claim L1 --agent lewis --now 2026-11-23T09:07:00Z
expect_status 0
expect_eq "$(sql "SELECT count(*) FROM reassignments")" "0" "claim settles the reassignment"
expect_eq "$(sql "SELECT state, agent FROM leads WHERE id='L1'")" "assigned|lewis"
# Routed by the group's strategy: counted against the group's limits.
expect_eq "$(sql "SELECT agent, count FROM usage WHERE pool='rescue' AND period LIKE 'D%'")" "lewis|1"

# Membership changes never reset the rotation: max joins at the front, lewis had the last.
write_config "max, lewis, denise"
run reassign L2 --pool rescue --now 2026-11-23T09:10:00Z
expect_status 0
expect_eq "$(sql "SELECT agent FROM leads WHERE id='L2'")" "denise" "rotation continues after lewis"
expect_eq "$(sql "SELECT state FROM offers WHERE lead_id='L2' ORDER BY id" | tr '\n' ' ')" \
  "withdrawn open " "stephanie's offer withdrawn"

# Nobody eligible → the group's default, directly; not counted; settled at once.
sql "INSERT INTO agent_state(agent, status) VALUES ('max','away'),('lewis','away'),('denise','away') ON CONFLICT(agent) DO UPDATE SET status = excluded.status"
run reassign L3 --pool rescue --now 2026-11-23T09:12:00Z
expect_status 0
expect_eq "$(sql "SELECT state, agent FROM leads WHERE id='L3'")" "assigned|jane"
expect_eq "$(sql "SELECT json_extract(detail,'$.reason') FROM events WHERE lead_id='L3' ORDER BY seq DESC LIMIT 1")" "default"
expect_eq "$(sql "SELECT count(*) FROM reassignments WHERE lead_id='L3'")" "0"
expect_eq "$(sql "SELECT count(*) FROM usage WHERE agent='jane'")" "0" "default not counted"
sql "UPDATE agent_state SET status = 'available'"

# --to: a direct move; while a reassignment is in progress only with --force, which ends it.
run reassign L2 --to tom --now 2026-11-23T09:15:00Z
expect_status 1
expect_err "reassignment in progress until 2026-11-23T09:20:00Z; wait, or use --force"
run reassign L2 --to tom --force --now 2026-11-23T09:15:00Z
expect_status 0
expect_out "L2: moved to tom (was denise)"
expect_eq "$(sql "SELECT state, agent FROM leads WHERE id='L2'")" "assigned|tom"
expect_eq "$(sql "SELECT count(*) FROM reassignments")" "0"

# --from: every open lead of tom (L2 assigned, L3? no: jane's; L4 offered to stephanie).
run claim L4 --agent stephanie --now 2026-11-23T09:16:00Z
run reassign L4 --to tom --now 2026-11-23T09:17:00Z
run reassign --from tom --pool rescue --now 2026-11-23T09:20:00Z
expect_status 0
expect_out "moved 2 leads of tom through rescue"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE agent='tom'")" "0" "tom has nothing left"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE state='offered' AND pool='rescue'")" "2"

# Refusals.
run reassign L1 --pool resuce --now 2026-11-23T09:21:00Z
expect_status 1
expect_err "did you mean 'rescue'"
run reassign L9 --pool rescue --now 2026-11-23T09:21:00Z
expect_status 1
expect_err "no lead 'L9'"
run reassign L1 --pool rescue --to tom
expect_status 64
run reassign L1
expect_status 64
run reassign --from tom --to jane
expect_status 64
sql "UPDATE leads SET state='closed' WHERE id='L1'"
run reassign L1 --pool rescue --now 2026-11-23T09:22:00Z
expect_status 1
expect_err "lead 'L1' is closed"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id='L1' AND at >= $(date -u -d 2026-11-23T09:21:00Z +%s)")" "0" "refusals write nothing"

finish
