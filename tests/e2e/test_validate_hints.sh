# `router validate` hints (issue 9, item 12): a tab in indentation at its line and column,
# tags written as a scalar with the fix in the message, a `requires` tag no member of the
# pool has as a warning, and a malformed agent id reported once.
source "$(dirname "$0")/lib.sh"

config() { cat >router.yaml; }

# --- a tab in indentation is named at its line and column ---------------------------------
printf 'version: 1\nagents:\n  - id: tom\npools:\n  sales:\n\tmembers: [tom]\n' >router.yaml
run validate
expect_status 78
expect_err "router.yaml:6:1: error: tab character in indentation"
# ...but a tab inside a quoted value or a block scalar is content, not indentation.
printf 'version: 1\nagents:\n  - { id: tom, name: "Tom\tB" }\n  - id: ann\n    name: |\n      Ann\n      \tSmith\npools:\n  sales:\n    members: [tom, ann]\nrules:\n  - name: all\n    pool: sales\n' >router.yaml
run validate
expect_status 0

# --- tags written as a scalar: the message shows the fix ----------------------------------
config <<'EOF'
version: 1
agents:
  - { id: tom, tags: toyota }
pools:
  sales: { members: [tom] }
rules:
  - { name: all, pool: sales }
EOF
run validate
expect_status 78
expect_err "router.yaml:3:22: error: 'tags' must be a list; write tags: [toyota]"

# --- requires a tag no member of the pool has: a warning at the tag -----------------------
config <<'EOF'
version: 1
agents:
  - { id: tom, tags: [toyota] }
pools:
  sales: { members: [tom] }
rules:
  - { name: lexus, pool: sales, requires: [lexus] }
EOF
run validate
expect_status 0
expect_eq "$ERR" "router.yaml:7:44: warning: rule 'lexus' requires tag 'lexus', but no member of pool 'sales' has it: no member can get its leads" "requires warning"

# --- a malformed agent id is reported once, not also as "in no pool" ----------------------
config <<'EOF'
version: 1
agents:
  - id: Tom
  - id: ann
pools:
  sales: { members: [ann] }
EOF
run validate
expect_status 78
expect_eq "$ERR" "router.yaml:3:9: error: agent id 'Tom' may only contain a-z, 0-9, '.', '_' and '-' (lower case)
router.yaml: 1 error, 0 warnings" "only the id's own error"

# --- a scalar where any list is expected: the fix in the message, and nothing else ---------
# Each mistake is one error: no "has no members", "in no pool", "not used", "can never
# match" or "needs 'keys'" about what the unread list would have said.
config <<'EOF'
version: 1
calendars:
  uk: [2026-12-25]
agents:
  - { id: tom, tags: [toyota] }
schedules:
  office: { hours: { mon-fri: "09:00-17:00" }, holidays: uk }
pools:
  sales: { members: tom, schedule: office }
rules:
  - { name: toyota, pool: sales, requires: toyota }
  - { name: rest, pool: sales, when: { source: { in: web } } }
owner_match: { keys: email }
EOF
run validate
expect_status 78
expect_eq "$ERR" "router.yaml:7:58: error: 'holidays' must be a list; write holidays: [uk]
router.yaml:9:21: error: 'members' must be a list; write members: [tom]
router.yaml:11:44: error: 'requires' must be a list; write requires: [toyota]
router.yaml:12:54: error: 'in' must be a list; write in: [web]
router.yaml:13:22: error: 'keys' must be a list; write keys: [email]
router.yaml: 5 errors, 0 warnings" "one error per scalar list"

# --- a tab after a list entry's dash, before a mapping, is indentation too ------------------
printf 'version: 1\nagents:\n  -\tid: tom\n' >router.yaml
run validate
expect_status 78
expect_eq "$ERR" "router.yaml:3:4: error: tab character in indentation (YAML indents with spaces only)
router.yaml: 1 error, 0 warnings" "tab after a dash"
printf 'version: 1\nagents:\n  - id: tom\n  - \tid: ann\n    tags: [x]\n' >router.yaml
run validate
expect_status 78
expect_err "router.yaml:4:5: error: tab character in indentation"
# ...but before a plain value it is only a separator, which YAML allows.
printf 'version: 1\nagents:\n  - id: tom\npools:\n  sales:\n    members:\n      -\ttom\nrules:\n  - { name: all, pool: sales }\n' >router.yaml
run validate
expect_status 0

finish
