# `router coverage` and `router validate --coverage`: a Saturday morning with nobody on
# shift, a rule that sends leads to a closed pool, dated gaps from special hours and from a
# leave set with `agent set`; text, JSON, exit statuses, --pool, --weeks, bad flags.
source "$(dirname "$0")/lib.sh"

cat > router.yaml <<'YAML'
version: 1
timezone: Europe/London
agents:
  - id: ann
  - id: bob
calendars:
  uk:
    - 2026-12-25
    - { date: 2026-12-20, hours: "10:00-12:00" }
schedules:
  office:
    timezone: Europe/London
    hours:
      mon-fri: "09:00-17:00"
      sat: "09:00-13:00"
    holidays: [uk]
  evening:
    timezone: Europe/London
    hours:
      mon-fri: "17:00-19:00"
pools:
  sales:
    schedule: office
    members:
      - { agent: ann, shifts: { mon-fri: "09:00-17:00" } }
      - { agent: bob, shifts: { mon-fri: "09:00-13:00" } }
  support:
    members: [bob]
rules:
  - name: late-web
    when: { source: web }
    during: evening
    pool: sales
  - name: rest
    pool: support
YAML
NOW=2026-12-07T10:00:00Z

run init
expect_status 0

# No leave: every Saturday morning nobody is on shift, late-web reaches sales after closing
# every weekday, and the special hours of Sunday 2026-12-20 open with nobody on shift.
run coverage --now $NOW
expect_status 1
expect_eq "$OUT" "coverage from 2026-12-07T10:00:00Z to 2027-01-04T10:00:00Z

pool sales (Europe/London)
      00  02  04  06  08  10  12  14  16  18  20  22
  mon ..................################..............
  tue ..................################..............
  wed ..................################..............
  thu ..................################..............
  fri ..................################..............
  sat ..................!!!!!!!!......................
  sun ................................................
  ## covered  .. closed  !! gap, whole hour  ++ gap, part of the hour
  every week:
    mon-fri 17:00–19:00: rule late-web sends leads to sales while it is closed
    sat 09:00–13:00: nobody on shift
  dated:
    2026-12-20 sun 10:00–12:00: nobody on shift

pool support (Europe/London)
      00  02  04  06  08  10  12  14  16  18  20  22
  mon ################################################
  tue ################################################
  wed ################################################
  thu ################################################
  fri ################################################
  sat ################################################
  sun ################################################
  ## covered  .. closed  !! gap, whole hour  ++ gap, part of the hour
  no gaps" "text report"
expect_eq "$ERR" "" "nothing on stderr"

# A pool without gaps exits 0; -q prints nothing but keeps the status.
run coverage --pool support --now $NOW
expect_status 0
expect_out "  no gaps"
expect_not_out "pool sales"
run coverage -q --now $NOW
expect_status 1
expect_no_out

# A leave set now: ann is the only one on shift in the afternoons until Wednesday noon.
run agent set ann --status leave --until 2026-12-09T12:00:00Z --now $NOW
expect_status 0
run coverage --pool sales --weeks 1 --now $NOW
expect_status 1
expect_eq "$(printf '%s\n' "$OUT" | sed -n '/every week:/,$p')" "  every week:
    mon-fri 17:00–19:00: rule late-web sends leads to sales while it is closed
    sat 09:00–13:00: nobody on shift
  dated:
    2026-12-07 mon 13:00–17:00: everyone on shift is on leave: ann until 2026-12-09 12:00
    2026-12-08 tue 13:00–17:00: everyone on shift is on leave: ann until 2026-12-09 12:00" \
  "dated leave gaps within one week"
expect_out "coverage from 2026-12-07T10:00:00Z to 2026-12-14T10:00:00Z"

# JSON: one document with RFC 3339 times in the pool's offset and who is on leave.
run coverage --pool sales --weeks 1 --format json --now $NOW
expect_status 1
expect_eq "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p = d["pools"][0]
print(d["from"], d["to"], d["weeks"], d["gaps"], len(d["pools"]), p["pool"], p["timezone"])
print(p["grid"][5])
for g in p["weekly"]:
    print("weekly", g["day"], g["start"], g["end_day"], g["end"], g["reason"])
for g in p["dated"]:
    print("dated", g["start"], g["end"], g["day"], g["local_start"], g["local_end"], g["reason"],
          [(x["agent"], x["until"]) for x in g["on_leave"]])
for r in p["rules"]:
    print("rule", r["rule"], r["during"], len(r["weekly"]), r["weekly"][0]["text"], r["dated"])
')" "2026-12-07T10:00:00Z 2026-12-14T10:00:00Z 1 True 1 sales Europe/London
.........!!!!...........
weekly sat 09:00 sat 13:00 nobody_on_shift
dated 2026-12-07T13:00:00+00:00 2026-12-07T17:00:00+00:00 mon 13:00 17:00 everyone_on_leave [('ann', '2026-12-09T12:00:00+00:00')]
dated 2026-12-08T13:00:00+00:00 2026-12-08T17:00:00+00:00 tue 13:00 17:00 everyone_on_leave [('ann', '2026-12-09T12:00:00+00:00')]
rule late-web evening 5 rule late-web sends leads to sales while it is closed []" "json document"

# Summer time: the same gap reads in local time, the offset +01:00.
run coverage --pool sales --weeks 1 --format json --now 2027-06-07T10:00:00Z
expect_status 1
expect_eq "$(printf '%s' "$OUT" | python3 -c '
import json, sys
p = json.load(sys.stdin)["pools"][0]
print(p["weekly"][0]["start"], p["weekly"][0]["end"], p["dated"])')" "09:00 13:00 []" "summer"

# Mistakes: an unknown pool (refused, 1, as in every command: the message and an empty stdout
# tell it from gaps), bad --weeks, a format it does not have.
run coverage --pool sale --now $NOW
expect_status 1
expect_eq "$ERR" "router: no pool 'sale' (did you mean 'sales'?)" "unknown pool"
expect_no_out
run coverage --weeks 0 --now $NOW
expect_status 64
expect_err "--weeks must be at least 1"
run coverage --weeks x --now $NOW
expect_status 64
expect_err "--weeks must be a whole number, not 'x'"
run coverage --weeks 521 --now $NOW
expect_status 64
expect_eq "$ERR" "router: --weeks must be at most 520; see 'router coverage --help'" "weeks too many"
run coverage --format csv --now $NOW
expect_status 64
run coverage --now yesterday
expect_status 64

# A bad configuration is 78 before anything else.
printf 'version: 1\npools: {}\nbogus: 1\n' > bad.yaml
run coverage --config bad.yaml --now $NOW
expect_status 78

# validate --coverage: each gap a warning at the pool's line (the rule's for a rule's gap),
# judged on the configuration alone (ann's leave is in the database, not seen here).
run validate --coverage --now $NOW
expect_status 0
expect_eq "$OUT" "router.yaml: valid (2 agents, 2 pools, 2 rules, 3 warnings)" "summary"
expect_eq "$ERR" "router.yaml:22:3: warning: coverage gap in pool 'sales' every week sat 09:00–13:00: nobody on shift
router.yaml:22:3: warning: coverage gap in pool 'sales' on 2026-12-20 sun 10:00–12:00: nobody on shift
router.yaml:30:5: warning: coverage gap in pool 'sales' every week mon-fri 17:00–19:00: rule late-web sends leads to sales while it is closed" \
  "warnings"
run validate --coverage --strict --now $NOW
expect_status 78
expect_err "router.yaml: 3 warnings (invalid with --strict)"
run validate --coverage --strict --format github --now $NOW
expect_status 78
expect_eq "$OUT" "::warning file=router.yaml,line=22,col=3::coverage gap in pool 'sales' every week sat 09:00–13:00: nobody on shift
::warning file=router.yaml,line=22,col=3::coverage gap in pool 'sales' on 2026-12-20 sun 10:00–12:00: nobody on shift
::warning file=router.yaml,line=30,col=5::coverage gap in pool 'sales' every week mon-fri 17:00–19:00: rule late-web sends leads to sales while it is closed" \
  "annotations"
run validate --coverage --format json --now $NOW
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["valid"], d["warnings"], [x["line"] for x in d["diagnostics"]])')" \
  "True 3 [22, 22, 30]" "json diagnostics"
# Without --coverage the same file has no warning.
run validate --strict --now $NOW
expect_status 0
# After the special Sunday the dated gap is gone.
run validate --coverage --now 2026-12-21T00:00:00Z
expect_eq "$OUT" "router.yaml: valid (2 agents, 2 pools, 2 rules, 2 warnings)" "later summary"

# The database is needed for the leaves; a missing one is the usual error.
if sqlite_part "a missing database file"; then
  run coverage --db missing.db --now $NOW
  expect_status 74
fi

finish
