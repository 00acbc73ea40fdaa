# The `notifications:` section through `router validate` and the other commands: located
# errors (text, json, github), exit 78, the warning for agents without an email address.
source "$(dirname "$0")/lib.sh"

cat > router.yaml <<'YAML'
version: 1
agents:
  - { id: tom, email: tom@example.com }
pools:
  sales: { members: [tom] }
rules:
  - { name: all, pool: sales }
notifications:
  from: "Leads <leads@example.com>"
  webhooks:
    crm: { url: "https://crm.example.com/hook", secret_env: ROUTER_WEBHOOK_SECRET }
  rules:
    - events: [ofered]
      email: agent
      subject: "New lead {{lead}} for {{agnet}}"
    - events: [all]
      webhook: crn
YAML

# Every mistake located, exit 78.
run validate
expect_status 78
expect_err "router.yaml:13:16: error: unknown event type 'ofered' (did you mean 'offered'?)"
expect_err "router.yaml:15:16: error: 'subject': unknown field 'agnet' (did you mean 'agent'?)"
expect_err "router.yaml:17:16: error: unknown webhook 'crn' in notification rule 2 (did you mean 'crm'?)"
expect_err "router.yaml:11:5: warning: webhook 'crm' is used by no notification rule"
expect_err "router.yaml: 3 errors, 1 warning"
expect_no_out

run validate --format json
expect_status 78
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["valid"], d["errors"], d["warnings"], [(x["line"], x["column"]) for x in d["diagnostics"]])')" \
  "False 3 1 [(11, 5), (13, 16), (15, 16), (17, 16)]" "json diagnostics"

run validate --format github
expect_status 78
expect_out "::error file=router.yaml,line=15,col=16::'subject': unknown field 'agnet' (did you mean 'agent'?)"

# Any other command refuses the configuration the same way.
run --now 2026-11-23T10:00:00Z assign
expect_status 78
expect_err "router.yaml:13:16: error: unknown event type 'ofered'"

# Fixed, with an agent who has no address: valid, one warning; --strict refuses it.
sed -i -e 's/\[ofered\]/[offered]/' -e 's/{{agnet}}/{{agent}}/' -e 's/webhook: crn/webhook: crm/' \
  -e 's/  - { id: tom, email: tom@example.com }/&\n  - ann/' -e 's/members: \[tom\]/members: [tom, ann]/' \
  router.yaml
run validate
expect_status 0
expect_out "router.yaml: valid (2 agents, 1 pool, 1 rule, 1 warning)"
expect_eq "$ERR" "router.yaml:14:7: warning: this notification rule emails the event's agent, but agent ann has no 'email': their events will not be mailed" "warning"
run validate --strict
expect_status 78

finish
