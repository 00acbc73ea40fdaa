# --seed is reproducible without pinning every run to one member (issue 9): each lead's draw
# derives from the seed and the lead, so separate `router assign LEAD --seed 42` runs (as
# cron makes with ROUTER_SEED set) still spread leads over a random or weighted_random pool,
# and the same inputs choose the same members again.
source "$(dirname "$0")/lib.sh"
NOW=2026-11-23T10:00:00Z
cat >router.yaml <<'YAML'
version: 1
timezone: UTC
database: router.db
agents:
  - { id: tom, weight: 5 }
  - { id: ann }
  - { id: bob }
  - { id: sue }
pools:
  rand:
    strategy: random
    members: [tom, ann, bob, sue]
  weighted:
    strategy: weighted_random
    members: [tom, ann, bob, sue]
rules:
  - { name: web, when: { source: web }, pool: rand }
  - { name: phone, when: { source: phone }, pool: weighted }
YAML
# fresh_leads SOURCE COUNT: a new database with leads S001.. of that source.
fresh_leads() {
  reset_db
  "$ROUTER" init -q || exit 1
  for i in $(seq -f '%03g' 1 "$2"); do
    printf '{"id":"S%s","source":"%s"}\n' "$i" "$1"
  done | "$ROUTER" ingest -q --now "$NOW" || exit 1
}
# Assigns every lead in a separate run with the given extra options.
assign_each() {
  for id in $(sql "SELECT id FROM leads ORDER BY id"); do
    "$ROUTER" assign -q "$id" --now "$NOW" "$@" || exit 1
  done
}
owners() { sql "SELECT agent FROM leads ORDER BY id" | tr '\n' ' '; }
count() { sql "SELECT count(*) FROM leads WHERE agent = '$1'"; }

# --- random: 40 separate runs under one seed reach most members ---------------------------
fresh_leads web 40
assign_each --seed 42
expect_eq "$(sql "SELECT count(*) FROM leads WHERE state = 'assigned'")" "40" "all assigned"
FIRST=$(owners)
members=$(sql "SELECT count(DISTINCT agent) FROM leads")
expect_eq "$((members >= 3))" 1 "40 separate seeded runs reached $members member(s): $FIRST"
most=$(sql "SELECT max(n) FROM (SELECT count(*) AS n FROM leads GROUP BY agent)")
expect_eq "$((most <= 22))" 1 "one member got $most of 40 (expected ~10): $FIRST"
# The same inputs from a fresh database choose the same members.
fresh_leads web 40
assign_each --seed 42
expect_eq "$(owners)" "$FIRST" "same seed, same leads, same choices"
fresh_leads web 40
for id in $(sql "SELECT id FROM leads ORDER BY id"); do
  ROUTER_SEED=42 "$ROUTER" assign -q "$id" --now "$NOW" || exit 1
done
expect_eq "$(owners)" "$FIRST" "ROUTER_SEED gives the same choices"
# One run over all 40 chooses as the separate runs did: a draw depends on the lead only.
fresh_leads web 40
"$ROUTER" assign -q --now "$NOW" --seed 42 || exit 1
expect_eq "$(owners)" "$FIRST" "one run, the same choices as separate runs"
# Another seed, other choices; no seed, unpredictable ones.
fresh_leads web 40
"$ROUTER" assign -q --now "$NOW" --seed 43 || exit 1
expect_eq "$([ "$(owners)" != "$FIRST" ] && echo differ)" differ "seeds 42 and 43 chose alike"
fresh_leads web 40
assign_each
UNSEEDED=$(owners)
fresh_leads web 40
assign_each
expect_eq "$([ "$(owners)" != "$UNSEEDED" ] && echo differ)" differ "two unseeded runs chose alike"

# --- weighted_random: separate seeded runs follow the weights (5:1:1:1) --------------------
fresh_leads phone 64
assign_each --seed 42
WEIGHTED=$(owners)
tom=$(count tom)
# Expected 40 of 64 (sd ~3.9); the others 8 each.
expect_eq "$((tom >= 26 && tom <= 54))" 1 "tom (weight 5) got $tom of 64: $WEIGHTED"
members=$(sql "SELECT count(DISTINCT agent) FROM leads")
expect_eq "$((members >= 3))" 1 "weighted runs reached $members member(s): $WEIGHTED"
for a in ann bob sue; do
  n=$(count "$a")
  expect_eq "$((n < tom))" 1 "$a (weight 1) got $n, tom (weight 5) $tom"
done
fresh_leads phone 64
assign_each --seed 42
expect_eq "$(owners)" "$WEIGHTED" "weighted: same seed, same choices"

finish
