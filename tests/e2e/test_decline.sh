# router decline (the lead moves on at once) and router touch (SPEC §4, §5).
source "$(dirname "$0")/lib.sh"
ts() { date -u -d "$1" +%s; }
MON=2026-11-23
cp "$TEST_DATA/sweep.yaml" router.yaml
"$ROUTER" init -q || exit 1
lead() { printf '{"id":"%s","source":"%s"}\n' "$1" "$2" | "$ROUTER" ingest -q --now "$3" || exit 1; }
state() { sql "SELECT state || '|' || coalesce(agent, '-') || '|' || coalesce(pool, '-') || '|' || attempts FROM leads WHERE id = '$1'"; }

lead W1 web ${MON}T09:00:00Z
lead W2 web ${MON}T09:00:00Z
"$ROUTER" sweep -q --now ${MON}T09:00:00Z || exit 1
expect_eq "$(state W1)" "offered|tom|sales|1" "W1 offered"
expect_eq "$(state W2)" "offered|ann|sales|1" "W2 offered"

# Refusals, as for claim: nothing is written.
events=$(sql "SELECT count(*) FROM events")
run decline W1 --agent ann --now ${MON}T09:05:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'W1' is not offered to ann (it is offered to tom)" "not theirs"
run decline W9 --agent tom --now ${MON}T09:05:00Z
expect_status 1
expect_err "router: no lead 'W9'"
run decline W1 --agent tam --now ${MON}T09:05:00Z
expect_status 1
expect_err "router: no agent 'tam' (did you mean 'tom'?)"
run decline W1 --agent tom --now ${MON}T09:15:00Z
expect_status 1
expect_eq "$ERR" "router: the offer of lead 'W1' to tom expired at ${MON}T09:15:00Z" "at the deadline"
run decline W1 --now ${MON}T09:05:00Z
expect_status 64
expect_eq "$(sql "SELECT count(*) FROM events")" "$events" "refusals write nothing"

# A decline ends the offer, gives its usage back and offers the lead on at once, with a
# window that starts now.
run decline W1 --agent tom --now ${MON}T09:05:00Z
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" "W1: declined by tom" "first line"
expect_match "$(printf '%s\n' "$OUT" | sed -n 2p)" "^W1 +offered +bob +sales +web +declined  until ${MON}T09:20:00Z$" "offered on"
expect_eq "$(state W1)" "offered|bob|sales|2" "W1 after the decline"
expect_eq "$(sql "SELECT state || ' ' || ended_at FROM offers WHERE lead_id = 'W1' AND agent = 'tom'")" "declined $(ts ${MON}T09:05:00Z)" "offer row"
expect_eq "$(sql "SELECT type || ':' || agent || ':' || json_extract(detail, '$.reason') FROM events WHERE lead_id = 'W1' AND seq > (SELECT max(seq) FROM events WHERE lead_id = 'W1' AND type = 'offered' AND agent = 'tom')" | tr '\n' ' ')" \
  "declined:tom:declined offered:bob:declined " "events"
expect_eq "$(sql "SELECT count FROM usage WHERE agent = 'tom' AND period = 'D2026-11-23'")" "0" "tom's usage given back"
expect_eq "$(sql "SELECT count FROM usage WHERE agent = 'bob' AND period = 'D2026-11-23'")" "1" "bob's usage counted"
run decline W1 --agent tom --now ${MON}T09:06:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'W1' is not offered to tom (it is offered to bob)" "declined twice"

# max_offers (2) reached: on_exhausted default, the default agent gets it.
run decline W1 --agent bob --now ${MON}T09:07:00Z --format json
expect_status 0
expect_eq "$(printf '%s' "$OUT" | jq -c '[.lead, .agent, .declined, .next.outcome, .next.agents, .next.reason]')" \
  '["W1","bob",true,"assign",["jane"],"exhausted"]' "json"
expect_eq "$(state W1)" "assigned|jane|sales|2" "W1 with the default"
run decline W1 --agent jane --now ${MON}T09:08:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'W1' is already claimed by you" "assigned"

# on_exhausted queue (support: one offer only).
lead P1 phone ${MON}T09:00:00Z
"$ROUTER" sweep -q --now ${MON}T09:00:00Z || exit 1
run decline P1 --agent tom --now ${MON}T09:01:00Z
expect_status 0
expect_match "$OUT" "P1 +queued +- +support +phone +exhausted" "to the queue"
expect_eq "$(state P1)" "queued|-|-|1" "P1 queued"
run decline P1 --agent tom --now ${MON}T09:02:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'P1' is queued, not offered to anyone" "queued"

# Broadcast: one member declines, the others keep their offers; the last decline exhausts.
lead C1 chat ${MON}T09:00:00Z
"$ROUTER" sweep -q --now ${MON}T09:00:00Z || exit 1
run decline C1 --agent ann --now ${MON}T09:01:00Z -q
expect_status 0
expect_no_out
expect_eq "$(state C1)" "offered|-|blast|1" "still offered"
expect_eq "$(sql "SELECT group_concat(agent || ':' || state, ' ') FROM offers WHERE lead_id = 'C1'")" "tom:open ann:declined" "offers"
run decline C1 --agent tom --now ${MON}T09:02:00Z
expect_match "$OUT" "C1 +queued +- +blast +chat +exhausted" "everyone declined"

# touch: records activity, the owner only with --agent.
run touch W2 --agent ann --now ${MON}T09:03:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'W2' is not assigned to ann (it is offered)" "offered, not owned"
"$ROUTER" claim -q W2 --agent ann --now ${MON}T09:04:00Z || exit 1
run touch W2 --agent tom --now ${MON}T09:05:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'W2' is not assigned to tom (its owner is ann)" "not the owner"
run touch W2 --agent ann --now ${MON}T10:00:00Z
expect_status 0
expect_eq "$OUT" "W2: touched at ${MON}T10:00:00Z" "touched"
expect_eq "$(sql "SELECT touched_at, updated_at FROM leads WHERE id = 'W2'")" "$(ts ${MON}T10:00:00Z)|$(ts ${MON}T09:04:00Z)" "touched_at"
expect_eq "$(sql "SELECT agent || ' ' || pool || ' ' || json_extract(detail, '$.reason') FROM events WHERE lead_id = 'W2' AND type = 'touched'")" "ann sales agent" "touched event"
run touch W2 --now ${MON}T10:30:00Z --format json
expect_status 0
expect_eq "$OUT" "{\"lead\":\"W2\",\"touched_at\":\"${MON}T10:30:00Z\",\"state\":\"assigned\"}" "json"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id = 'W2' AND type = 'touched'")" "2" "two touches"
run touch W22 --now ${MON}T10:30:00Z
expect_status 1
expect_err "router: no lead 'W22' (did you mean 'W2'?)"
sql "UPDATE leads SET state = 'closed' WHERE id = 'P1'"
run touch P1 --now ${MON}T10:30:00Z
expect_status 1
expect_eq "$ERR" "router: lead 'P1' is closed" "closed"

finish
