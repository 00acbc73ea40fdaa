# A `matches` pattern against a very long lead value (found while fuzzing `when`): the
# regex search recursed once per character and the router died of a stack overflow (exit
# 139). A value longer than 1024 bytes is not searched and never matches; patterns are
# compiled so that the search does not recurse, which refuses back-references.
source "$(dirname "$0")/lib.sh"
cat >router.yaml <<'YAML'
version: 1
agents:
  - id: tom
  - id: ann
pools:
  sales:
    members: [tom]
  rest:
    members: [ann]
rules:
  - name: ab
    when:
      email: { matches: "^(a|b)*$" }
    pool: sales
  - name: other
    pool: rest
YAML
"$ROUTER" init -q || exit 1
long=$(head -c 200000 /dev/zero | tr '\0' a)
fit=$(head -c 1024 /dev/zero | tr '\0' b)
printf '{"id":"LONG","source":"web","email":"%s"}\n{"id":"FIT","source":"web","email":"%s"}\n' \
  "$long" "$fit" >leads.jsonl
run_in leads.jsonl ingest -q --now 2026-11-23T09:00:00Z
expect_status 0
run sweep -q --now 2026-11-23T09:00:00Z
expect_status 0
expect_eq "$(sql "SELECT id || ':' || agent FROM leads ORDER BY id" | tr '\n' ' ')" "FIT:tom LONG:ann " "routed"
run explain LONG --now 2026-11-23T09:01:00Z
expect_status 0
expect_match "$OUT" "does not match /\^\(a\|b\)\*\\$/ \(a value longer than 1024 bytes never matches\)" "explain says why"

# A back-reference is refused when the configuration is checked.
sed -i 's/\^(a|b)\*\$/(a)\\\\1/' router.yaml
run validate
expect_status 78
expect_err "router.yaml:13:25: error: '(a)\\1' is not a valid regular expression (back-references such as \\1 are not supported)"
finish
