# `router validate`: exit statuses, text/json/github output, located errors.
source "$(dirname "$0")/lib.sh"

cat > router.yaml <<'YAML'
version: 1
agents:
  - id: tom
  - id: idle
pools:
  sales: { members: [tom] }
rules:
  - name: all
    pool: sales
YAML

# A valid config with one warning: exit 0, summary on stdout, warning on stderr.
run validate
expect_status 0
expect_eq "$OUT" "router.yaml: valid (2 agents, 1 pool, 1 rule, 1 warning)" "summary"
expect_eq "$ERR" "router.yaml:4:5: warning: agent 'idle' is in no pool and is no default: it will never get a lead" "warning line"

# --strict makes the warning fail (before or after the subcommand).
run validate --strict
expect_status 78
expect_err "router.yaml: 1 warning (invalid with --strict)"
run --config router.yaml validate --strict -q
expect_status 78

# JSON: one document.
run validate --format json --strict
expect_status 78
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["valid"], d["errors"], d["warnings"], d["summary"]["agents"], d["diagnostics"][0]["line"], d["diagnostics"][0]["column"], d["diagnostics"][0]["severity"])')" \
  "False 0 1 2 4 5 warning" "json fields"

# The ten mistakes: exactly ten located errors.
run --config "$TEST_DATA/ten_mistakes.yaml" validate
expect_status 78
expect_eq "$(printf '%s\n' "$ERR" | grep -c ': error: ')" "10" "error lines"
expect_err "ten_mistakes.yaml:4:11: error: unknown time zone 'Europe/Lndon' (did you mean 'Europe/London'?)"
expect_err "ten_mistakes.yaml:9:9: error: duplicate agent id 'tom' (first at line 6, column 9)"
expect_err "ten_mistakes.yaml:32:11: error: unknown pool 'sale' in rule 'rest' (did you mean 'sales'?)"
expect_err "ten_mistakes.yaml: 10 errors, 0 warnings"
expect_no_out

run --config "$TEST_DATA/ten_mistakes.yaml" validate --format json
expect_status 78
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["valid"], d["errors"], len(d["diagnostics"]), d["summary"]["agents"], [x["line"] for x in d["diagnostics"]])')" \
  "False 10 10 None [4, 7, 9, 12, 17, 21, 22, 24, 29, 32]" "json errors"

# GitHub annotations: explicitly, or by themselves inside GitHub Actions.
run --config "$TEST_DATA/ten_mistakes.yaml" validate --format github
expect_status 78
expect_out "::error file=$TEST_DATA/ten_mistakes.yaml,line=21,col=15::unknown strategy 'round_robn' (did you mean 'round_robin'?)"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^::error ')" "10" "annotations"
OUT=$(GITHUB_ACTIONS=true "$ROUTER" --config "$TEST_DATA/ten_mistakes.yaml" validate 2>/dev/null)
STATUS=$?
expect_status 78
expect_out "::error file=$TEST_DATA/ten_mistakes.yaml,line=4,col=11::unknown time zone"
# An explicit --format text wins over GITHUB_ACTIONS.
OUT=$(GITHUB_ACTIONS=true "$ROUTER" --config "$TEST_DATA/ten_mistakes.yaml" validate --format text 2>&1)
expect_out "ten_mistakes.yaml:4:11: error: unknown time zone"
expect_not_out "::error"
run validate --format csv
expect_status 64

# A YAML syntax error is located too.
printf 'version: 1\nagents: [tom\npools: {}\n' > broken.yaml
run --config broken.yaml validate
expect_status 78
expect_err "broken.yaml:3:6: error: YAML syntax: end of sequence flow not found"

# A missing file is one error naming it.
run --config nowhere.yaml validate
expect_status 78
expect_eq "$ERR" "nowhere.yaml: error: cannot read the configuration file: it does not exist (give one with --config or \$ROUTER_CONFIG)
nowhere.yaml: 1 error, 0 warnings" "missing file"
ROUTER_CONFIG=nowhere.yaml run validate
expect_status 78

# The shipped example is clean even under --strict.
run --config "$ROUTER_SOURCE/config.example.yaml" validate --strict
expect_status 0
expect_out "config.example.yaml: valid (4 agents, 2 pools, 3 rules)"
expect_eq "$ERR" "" "example diagnostics"

finish
