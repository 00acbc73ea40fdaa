# `router coverage` and `router validate --coverage`: a Saturday morning with nobody on
# shift, a rule that sends leads to a closed pool, dated gaps from special hours and from a
# leave set with `agent set`; text, JSON, exit statuses, --pool, --weeks, bad flags; with
# --since, leads ingested and assigned counted per hour against the daily limits.
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

# --since: the leads that reached each pool since then, per hour of the week, against the daily
# limits of those on duty. inbound's members take 2 + 1 a day; Tuesday 2026-12-01 gets 4 leads,
# the 4th at 15:45; Saturday's lead arrives with nobody on duty (not judged); a lead before
# --since and one never routed are not counted; the phone lead is phones' (dan, no limit).
cat > demand.yaml <<'YAML'
version: 1
timezone: Europe/London
agents:
  - id: cat
  - id: dan
  - id: eve
schedules:
  desk:
    timezone: Europe/London
    hours:
      mon-fri: "09:00-17:00"
pools:
  inbound:
    schedule: desk
    default: eve
    members:
      - { agent: cat, daily_limit: 2, shifts: { mon-fri: "09:00-13:00" } }
      - { agent: dan, daily_limit: 1, shifts: { mon-fri: "13:00-17:00" } }
  phones:
    members: [dan]
rules:
  - name: phone
    when: { source: phone }
    pool: phones
  - name: rest
    pool: inbound
YAML
lead() { printf '{"id":"%s","source":"%s","received_at":"%s"}\n' "$1" "$2" "$3"; }
{
  lead O-1 web 2026-11-27T10:00:00Z
  lead W-1 web 2026-11-30T09:15:00Z
  lead W-2 web 2026-11-30T10:20:00Z
  lead W-3 web 2026-11-30T14:00:00Z
  lead W-4 web 2026-12-01T09:05:00Z
  lead W-5 web 2026-12-01T09:30:00Z
  lead W-6 web 2026-12-01T13:10:00Z
  lead W-7 web 2026-12-01T15:45:00Z
  lead P-1 phone 2026-12-01T10:00:00Z
  lead W-8 web 2026-12-05T11:00:00Z
} > demand.jsonl
DEMAND_NOW=2026-12-07T10:00:00Z
"$ROUTER" ingest -q --config demand.yaml demand.jsonl --now 2026-12-06T00:00:00Z || exit 1
run assign --config demand.yaml --now 2026-12-06T00:00:00Z
expect_status 0
lead N-1 web 2026-12-04T12:00:00Z > pending.jsonl
"$ROUTER" ingest -q --config demand.yaml pending.jsonl --now 2026-12-06T00:00:00Z || exit 1
[ "$(sql "SELECT count(*) FROM leads WHERE state = 'pending'")" = 1 ] || exit 1

# Without --since the configuration has no gap (exit 0); the day over the limits makes it 1.
run coverage --config demand.yaml --now $DEMAND_NOW
WITHOUT_SINCE=$STATUS
run coverage --config demand.yaml --pool inbound --since 2026-11-30 --now $DEMAND_NOW
expect_eq "$WITHOUT_SINCE $STATUS" "0 1" "exit statuses without and with --since"
expect_eq "$(printf '%s\n' "$OUT" | sed -n '/no gaps/,$p')" "  no gaps
  arrivals from 2026-11-30T00:00:00Z to 2026-12-07T10:00:00Z: 8 leads
      00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23
  mon  .  .  .  .  .  .  .  .  .  1  1  .  .  .  1  .  .  .  .  .  .  .  .  .
  tue  .  .  .  .  .  .  .  .  .  2  .  .  .  1  .  1! .  .  .  .  .  .  .  .
  wed  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
  thu  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
  fri  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
  sat  .  .  .  .  .  .  .  .  .  .  .  1  .  .  .  .  .  .  .  .  .  .  .  .
  sun  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .
  leads per hour of the week  ++ 100 or more  ! the daily limits ran out
  on duty, daily limits:
    mon-fri: cat 2, dan 1 = 3 a day
    sat-sun: nobody on duty
  over the daily limits:
    2026-12-01 tue 15:00: arrivals exceed the daily limits: 4 leads, limits 3" \
  "demand text"
expect_eq "$ERR" "" "nothing on stderr"

# phones: dan has no limit, so nothing is over; the phone lead is its only one.
run coverage --config demand.yaml --pool phones --since 2026-11-30 --now $DEMAND_NOW
expect_status 0
expect_out "  arrivals from 2026-11-30T00:00:00Z to 2026-12-07T10:00:00Z: 1 lead"
expect_out "    mon-sun: dan no limit = no limit"
expect_out "  over the daily limits: none"

# From Wednesday on, Tuesday is outside the period: nothing over, exit 0.
run coverage --config demand.yaml --since 2026-12-02T00:00:00Z --now $DEMAND_NOW
expect_status 0
expect_out "  arrivals from 2026-12-02T00:00:00Z to 2026-12-07T10:00:00Z: 1 lead"

# JSON: per pool a demand object; over_limits at the top and per pool.
run coverage --config demand.yaml --since 2026-11-30 --format json --now $DEMAND_NOW
expect_status 1
expect_eq "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["since"], d["gaps"], d["over_limits"])
for p in d["pools"]:
    m = p["demand"]
    print(p["pool"], p["gaps"], p["over_limits"], m["since"], m["until"], m["total"])
    print(" ", [(day, h, n) for day, row in enumerate(m["arrivals"]) for h, n in enumerate(row) if n])
    print(" ", m["on_duty"][0][9], m["on_duty"][0][13], m["on_duty"][0][17], m["on_duty"][5][11])
    print(" ", [(x["day"], x["on_duty"], x["limit"], x["unlimited"]) for x in m["days"][::5]])
    print(" ", [(x["date"], x["day"], x["hour"], x["arrivals"], x["limit"], x["text"]) for x in m["over"]])
')" "2026-11-30T00:00:00Z False True
inbound False True 2026-11-30T00:00:00Z 2026-12-07T10:00:00Z 8
  [(0, 9, 1), (0, 10, 1), (0, 14, 1), (1, 9, 2), (1, 13, 1), (1, 15, 1), (5, 11, 1)]
  ['cat'] ['dan'] [] []
  [('mon', ['cat', 'dan'], 3, False), ('sat', [], None, False)]
  [('2026-12-01', 'tue', '15:00', 4, 3, 'arrivals exceed the daily limits: 4 leads, limits 3')]
phones False False 2026-11-30T00:00:00Z 2026-12-07T10:00:00Z 1
  [(1, 10, 1)]
  ['dan'] ['dan'] ['dan'] ['dan']
  [('mon', ['dan'], None, True), ('sat', ['dan'], None, True)]
  []" "demand json"
# Without --since the document has no demand, and the same keys otherwise.
WITH_SINCE=$OUT
run coverage --config demand.yaml --format json --now $DEMAND_NOW
expect_eq "$(printf '%s\n%s\n' "$OUT" "$WITH_SINCE" | python3 -c '
import json, sys
for line in sys.stdin:
    d = json.loads(line)
    print(list(d), [list(p) for p in d["pools"]][0])')" \
  "['from', 'to', 'weeks', 'gaps', 'pools'] ['pool', 'timezone', 'gaps', 'grid', 'weekly', 'dated', 'rules']
['from', 'to', 'weeks', 'gaps', 'since', 'over_limits', 'pools'] ['pool', 'timezone', 'gaps', 'grid', 'weekly', 'dated', 'rules', 'over_limits', 'demand']" \
  "keys without and with --since"

# Mistakes: a --since that is not a time, and one not before --now.
run coverage --config demand.yaml --since yesterday --now $DEMAND_NOW
expect_status 64
expect_eq "$ERR" "router: --since: 'yesterday' is not an RFC 3339 time or a date (e.g. 2026-11-01T00:00:00Z, 2026-11-01)" "bad since"
expect_no_out
run coverage --config demand.yaml --since 2026-12-08 --now $DEMAND_NOW
expect_status 64
expect_eq "$ERR" "router: --since (2026-12-08T00:00:00Z) must be before now (2026-12-07T10:00:00Z)" "since after now"
run coverage --config demand.yaml --since $DEMAND_NOW --now $DEMAND_NOW
expect_status 64

finish
