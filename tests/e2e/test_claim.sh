# `router claim LEAD --agent A` (SPEC §4, §5): an agent accepts the lead offered to them;
# refused (exit 1, with the reason) when expired, not theirs, already claimed, or unknown.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

epoch() { date -u -d "$1" +%s; }
config <<'EOF'
version: 1
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: stephanie, name: Stephanie }
pools:
  p:
    members: [tom, stephanie]
    claim_timeout: 15m
rules:
  - { name: web, when: { source: web }, pool: p }
EOF
fresh_db
lead L1 2026-11-23T10:00:00Z
lead L2 2026-11-23T10:00:01Z
lead L3 2026-11-23T10:00:02Z
SOURCE=fax lead Q1 2026-11-23T10:00:03Z
lead P1 2026-11-23T11:00:00Z
assign_at 2026-11-23T10:00:00Z L1 L2 L3 Q1
expect_eq "$(owners L1 L2 L3)" "tom stephanie tom" "offers"
dump() { sql "SELECT * FROM leads ORDER BY id; SELECT * FROM offers ORDER BY id; SELECT * FROM events ORDER BY seq; SELECT * FROM usage ORDER BY 1, 2, 3"; }

# --- Success ------------------------------------------------------------------------------
run claim L1 --agent tom --now 2026-11-23T10:05:30Z
expect_status 0
expect_eq "$OUT" "L1: claimed by tom after 5m30s" "text"
expect_eq "$ERR" "" "nothing on stderr"
expect_eq "$(sql "SELECT state, agent, pool, rule, quote(deadline), attempts, updated_at FROM leads WHERE id = 'L1'")" \
  "assigned|tom|p|web|NULL|1|$(epoch 2026-11-23T10:05:30Z)" "lead row"
expect_eq "$(sql "SELECT state, ended_at FROM offers WHERE lead_id = 'L1'")" \
  "claimed|$(epoch 2026-11-23T10:05:30Z)" "offer row"
expect_eq "$(sql "SELECT at, agent, pool, rule, json_extract(detail, '$.reason'), json_extract(detail, '$.offered_at'), json_extract(detail, '$.seconds_to_claim') FROM events WHERE lead_id = 'L1' AND type = 'claimed'")" \
  "$(epoch 2026-11-23T10:05:30Z)|tom|p|web|claim|2026-11-23T10:00:00Z|330" \
  "claimed event"
expect_eq "$(sql "SELECT count FROM usage WHERE agent = 'tom' AND period = 'D2026-11-23'")" "2" \
  "a claimed offer stays counted"

# --- Already claimed ------------------------------------------------------------------------
BEFORE=$(dump)
run claim L1 --agent tom --now 2026-11-23T10:06:00Z
expect_status 1
expect_no_out
expect_eq "$ERR" "router: lead 'L1' is already claimed by you" "by you"
run claim L1 --agent stephanie --now 2026-11-23T10:06:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L1' is already claimed by tom" "by another"
expect_eq "$(dump)" "$BEFORE" "refusals write nothing"

# --- Not yours ------------------------------------------------------------------------------
run claim L2 --agent tom --now 2026-11-23T10:06:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'L2' is not offered to tom (it is offered to stephanie)" "not yours"
expect_eq "$(state_of L2) $(agent_of L2)" "offered stephanie" "still offered to stephanie"

# --- Expired: at or after the deadline (offered at 10:00:00, so due 10:15:00) ----------
run claim L3 --agent tom --now 2026-11-23T10:15:00Z
expect_status 1
expect_eq "$ERR" "router: the offer of lead 'L3' to tom expired at 2026-11-23T10:15:00Z" "at the deadline"
run claim L3 --agent tom --now 2026-11-24T09:00:00Z
expect_status 1
expect_err "expired at 2026-11-23T10:15:00Z"
expect_eq "$(dump)" "$BEFORE" "expired claims write nothing"
# One second before the deadline is in time.
run claim L3 --agent tom --now 2026-11-23T10:14:59Z --format json
expect_status 0
expect_eq "$OUT" '{"lead":"L3","agent":"tom","pool":"p","seconds_to_claim":899,"withdrawn":[]}' "json"

# --- Not offered at all ----------------------------------------------------------------------
run claim Q1 --agent tom --now 2026-11-23T10:20:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'Q1' is queued, not offered to anyone" "queued"
run claim P1 --agent tom --now 2026-11-23T11:00:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'P1' is pending, not offered to anyone" "pending"

# --- Unknown lead or agent: exit 1 with the nearest name --------------------------------------
run claim L9 --agent tom --now 2026-11-23T10:20:00Z
expect_status 1
expect_match "$ERR" "^router: no lead 'L9' \(did you mean 'L[0-9]'\?\)$" "unknown lead"
run claim P2 --agent tom --now 2026-11-23T10:20:00Z
expect_eq "$ERR" "router: no lead 'P2' (did you mean 'P1'?)" "nearest lead"
run claim L2 --agent stephany --now 2026-11-23T10:20:00Z
expect_status 1
expect_eq "$ERR" "router: no agent 'stephany' (did you mean 'stephanie'?)" "unknown agent"
expect_eq "$(state_of L2)" "offered" "L2 untouched"

# --- Usage ------------------------------------------------------------------------------------
run claim L2 --now 2026-11-23T10:20:00Z
expect_status 64
run claim --agent tom --now 2026-11-23T10:20:00Z
expect_status 64

# --- Global options after the subcommand and before it mean the same ------------------------
run --now 2026-11-23T10:07:00Z claim L2 --agent stephanie -q
expect_status 0
expect_no_out
expect_eq "$(sql "SELECT state || ' ' || agent || ' ' || updated_at FROM leads WHERE id = 'L2'")" \
  "assigned stephanie $(epoch 2026-11-23T10:07:00Z)" "claimed with --now first"

finish
