# Every path that offers a lead again keeps the overrides of the rule that routed it (issue 9):
# expiry, decline, stale re-routing, take-back from an unavailable agent, configuration
# change, and `reassign --pool` into the rule's own pool. The rule's claim_timeout (5m),
# max_offers (2), on_exhausted (queue) and default (rita) all differ from its pool's (15m,
# 3, default, jane), so each check shows whose settings applied.
source "$(dirname "$0")/lib.sh"
T=2026-11-23  # a Monday; no schedule, so deadlines are wall time

# write_config [SALES_MEMBERS] [HOT_POOL]
write_config() {
  cat >router.yaml <<YAML
version: 1
timezone: UTC
database: router.db
agents: [{ id: tom }, { id: ann }, { id: bob }, { id: jane }, { id: rita }, { id: olga }]
pools:
  sales:
    strategy: round_robin
    members: [${1:-tom, ann, bob}]
    default: jane
    claim_timeout: 15m
    max_offers: 3
    on_exhausted: default
    stale_after: 1h
  other:
    strategy: round_robin
    members: [olga]
    claim_timeout: 30m
rules:
  - name: hot
    when: { source: web }
    pool: ${2:-sales}
    claim_timeout: 5m
    max_offers: 2
    on_exhausted: queue
    default: rita
YAML
}
fresh() {
  write_config
  reset_db
  "$ROUTER" init -q || exit 1
}
lead() {
  printf '{"id":"%s","source":"web"}\n' "$1" | "$ROUTER" ingest -q --now "$2" || exit 1
  "$ROUTER" assign -q "$1" --now "$2" || exit 1
}
sweep_at() { "$ROUTER" sweep -q --now "$1" || exit 1; }
# state|agent|pool|rule|deadline|attempts
state() {
  sql "SELECT state || '|' || coalesce(agent, '-') || '|' || coalesce(pool, '-') || '|' ||
         coalesce(rule, '-') || '|' ||
         coalesce(strftime('%H:%M', deadline, 'unixepoch'), '-') || '|' || attempts
       FROM leads WHERE id = '$1'"
}
last_reason() {
  sql "SELECT type || ':' || json_extract(detail, '$.reason') FROM events WHERE lead_id = '$1'
       ORDER BY seq DESC LIMIT 1"
}

# --- expiry: the rule's window, then its max_offers and on_exhausted ---------------------
fresh
lead A1 ${T}T09:00:00Z
expect_eq "$(state A1)" "offered|tom|sales|hot|09:05|1" "A1 first offer, rule window"
sweep_at ${T}T09:06:00Z
expect_eq "$(state A1)" "offered|ann|sales|hot|09:11|2" "A1 re-offered after expiry"
sweep_at ${T}T09:12:00Z
expect_eq "$(state A1)" "queued|-|-|hot|-|2" "A1 exhausted after the rule's 2 offers"
expect_eq "$(last_reason A1)" "queued:exhausted" "A1 queued, not the pool's default"

# --- decline ---------------------------------------------------------------------------
fresh
lead B1 ${T}T09:00:00Z
"$ROUTER" decline -q B1 --agent tom --now ${T}T09:02:00Z || exit 1
expect_eq "$(state B1)" "offered|ann|sales|hot|09:07|2" "B1 offered on after a decline"
"$ROUTER" decline -q B1 --agent ann --now ${T}T09:03:00Z || exit 1
expect_eq "$(state B1)" "queued|-|-|hot|-|2" "B1 exhausted after the rule's 2 offers"

# --- stale: the new round uses the rule's window, max_offers, on_exhausted and default -----
fresh
lead C1 ${T}T09:00:00Z
"$ROUTER" claim -q C1 --agent tom --now ${T}T09:01:00Z || exit 1
sweep_at ${T}T10:02:00Z
expect_eq "$(state C1)" "offered|ann|sales|hot|10:07|1" "C1 stale re-route, rule window"
expect_eq "$(last_reason C1)" "offered:stale" "C1 stale reason"
sweep_at ${T}T10:08:00Z
expect_eq "$(state C1)" "offered|bob|sales|hot|10:13|2" "C1 re-offered after the stale offer expired"
sweep_at ${T}T10:14:00Z
expect_eq "$(state C1)" "queued|-|-|hot|-|2" "C1 exhausted after the rule's 2 offers"
# Nobody else eligible at the stale re-route: the rule's default, not the pool's.
fresh
lead C2 ${T}T09:00:00Z
"$ROUTER" claim -q C2 --agent tom --now ${T}T09:01:00Z || exit 1
"$ROUTER" agent set -q ann --status away --now ${T}T09:30:00Z || exit 1
"$ROUTER" agent set -q bob --status away --now ${T}T09:30:00Z || exit 1
sweep_at ${T}T10:02:00Z
expect_eq "$(state C2)" "assigned|rita|sales|hot|-|0" "C2 stale with nobody eligible: rule default"
expect_eq "$(last_reason C2)" "assigned:default" "C2 default reason"

# --- take-back from an agent who became unavailable ---------------------------------------
fresh
lead D1 ${T}T09:00:00Z
"$ROUTER" agent set -q tom --status away --now ${T}T09:01:00Z || exit 1
sweep_at ${T}T09:01:00Z
expect_eq "$(state D1)" "offered|ann|sales|hot|09:06|2" "D1 taken back from tom, rule window"
"$ROUTER" agent set -q ann --status away --now ${T}T09:02:00Z || exit 1
sweep_at ${T}T09:02:00Z
expect_eq "$(state D1)" "queued|-|-|hot|-|2" "D1 exhausted after the rule's 2 offers"

# --- configuration change: the agent left the pool ---------------------------------------
fresh
lead E1 ${T}T09:00:00Z
write_config "ann, bob"
sweep_at ${T}T09:01:00Z
expect_eq "$(state E1)" "offered|ann|sales|hot|09:06|2" "E1 taken back after tom left, rule window"
write_config "bob"
sweep_at ${T}T09:02:00Z
expect_eq "$(state E1)" "queued|-|-|hot|-|2" "E1 exhausted after the rule's 2 offers"
# A rule that now names another pool no longer governs leads left in the old one: the
# pool's own settings apply.
fresh
lead E2 ${T}T09:00:00Z
write_config "ann, bob" other
sweep_at ${T}T09:01:00Z
expect_eq "$(state E2)" "offered|ann|sales|hot|09:16|2" "E2 rule moved away: the pool's window"

# --- reassign --pool: the rule's pool keeps its overrides; another pool has its own --------
fresh
lead F1 ${T}T09:00:00Z
"$ROUTER" claim -q F1 --agent tom --now ${T}T09:01:00Z || exit 1
"$ROUTER" reassign -q F1 --pool sales --now ${T}T09:10:00Z || exit 1
expect_eq "$(state F1)" "offered|ann|sales|hot|09:15|1" "F1 reassigned through the rule's pool"
lead F2 ${T}T09:00:00Z
"$ROUTER" reassign -q F2 --pool other --now ${T}T09:10:00Z || exit 1
expect_eq "$(state F2)" "offered|olga|other|-|09:40|1" "F2 reassigned through another pool"

finish
