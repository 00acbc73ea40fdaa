# YAML merge keys (issue 9, item 7): pools share settings through `<<: *defaults` held under
# an ignored `x-` top-level key; a real `assign` uses the merged claim_timeout, also from the
# configuration cache; an error in merged content points at the anchor's line, once.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

config <<'EOF'
version: 1
database: router.db
x-pool-defaults: &defaults
  claim_timeout: 20m
  max_offers: 1
  on_exhausted: queue
x-fast: &fast { claim_timeout: 5m, strategy: round_robin }
agents:
  - { id: tom, tags: [toyota] }
  - { id: ann, tags: [toyota] }
pools:
  sales:
    <<: *defaults
    members: [tom]
  support:
    <<: [*fast, *defaults]
    members: [ann]
    max_offers: 2
rules:
  - { name: phone, when: { source: phone }, pool: support }
  - { name: web, pool: sales, requires: [toyota] }
EOF

# --- validate accepts the merged file: no duplicate-key or unknown-key error ------------
run validate
expect_status 0
expect_eq "$OUT" "router.yaml: valid (2 agents, 2 pools, 2 rules)" "summary"
expect_eq "$ERR" "" "no diagnostics"

# --- assign: the deadline comes from the merged claim_timeout ------------------------------
fresh_db
lead L1 2026-11-23T10:00:00Z
SOURCE=phone lead L2 2026-11-23T10:00:00Z
assign_at 2026-11-23T10:00:00Z
expect_status 0
expect_out "L1            offered   tom           sales       web               rule  until 2026-11-23T10:20:00Z"
# support: *fast comes first in the list, so its 5m wins over the defaults' 20m.
expect_out "L2            offered   ann           support     phone             rule  until 2026-11-23T10:05:00Z"
expect_eq "$(sql "SELECT id || ' ' || (deadline - $(date -u -d 2026-11-23T10:00:00Z +%s)) FROM leads ORDER BY id" | tr '\n' ',')" \
  "L1 1200,L2 300," "deadlines in the database"

# --- the configuration cache serves the merged model unchanged ------------------------------
lead L3 2026-11-23T11:00:00Z
run -v -v assign --now 2026-11-23T11:00:00Z
expect_status 0
expect_err "config: cache hit"
expect_out "L3            offered   tom           sales       web               rule  until 2026-11-23T11:20:00Z"

# --- an error inside merged content points at the anchor's line, once -----------------------
sed -i 's/claim_timeout: 20m/claim_timeout: 20x/' router.yaml
run validate
expect_status 78
expect_match "$ERR" "^router.yaml:4:18: error: 'claim_timeout'" "error at the anchor's line"
expect_eq "$(printf '%s\n' "$ERR" | grep -c ': error: ')" "1" "reported once for two pools"

# --- a '<<' that names no mapping is an error at its line ------------------------------------
config <<'EOF'
version: 1
agents: [{ id: tom }]
pools:
  sales:
    <<: defaults
    members: [tom]
EOF
run validate
expect_status 78
expect_err "router.yaml:5:5: error: '<<' must name a mapping to merge"

# --- keys written in the mapping win over merged ones (and over a list's) --------------------
config <<'EOF'
version: 1
database: router.db
x-pool-defaults: &defaults { claim_timeout: 20m, strategy: round_robin }
x-fast: &fast { claim_timeout: 5m }
agents: [{ id: tom }, { id: ann }]
pools:
  sales:
    <<: *defaults
    members: [tom]
    claim_timeout: 7m
  support:
    claim_timeout: 9m
    <<: [*fast, *defaults]
    members: [ann]
rules:
  - { name: phone, when: { source: phone }, pool: support }
  - { name: web, pool: sales }
EOF
fresh_db
lead W1 2026-11-23T10:00:00Z
SOURCE=phone lead P1 2026-11-23T10:00:00Z
assign_at 2026-11-23T10:00:00Z
expect_status 0
expect_out "W1            offered   tom           sales       web               rule  until 2026-11-23T10:07:00Z"
expect_out "P1            offered   ann           support     phone             rule  until 2026-11-23T10:09:00Z"

finish
