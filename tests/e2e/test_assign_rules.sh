# Rules through `router assign` (SPEC §2 rules, §5): every `when` operator, first match
# wins, `during`, and per-rule overrides of the pool's claim window.
E2E=$(cd "$(dirname "$0")" && pwd)
source "$E2E/lib.sh"
source "$E2E/routing.sh"

MON=2026-11-23
NOW=${MON}T12:00:00Z
rule_of() { sql "SELECT coalesce(rule, '-') FROM leads WHERE id = '$1'"; }

config <<'EOF'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom }
pools:
  p:
    members: [tom]
rules:
  - { name: equals, when: { brand: toyota }, pool: p }
  - { name: any-of, when: { brand: [Ford, Kia] }, pool: p }
  - { name: gt, when: { budget: { gt: 50000 } }, pool: p }
  - { name: gte, when: { budget: { gte: 40000 } }, pool: p }
  - { name: lt, when: { budget: { lt: 1000 } }, pool: p }
  - { name: lte, when: { budget: { lte: 5000 } }, pool: p }
  - { name: not, when: { source: chat, region: { not: [north, south] } }, pool: p }
  - { name: in, when: { channel: { in: [form, chat] } }, pool: p }
  - { name: matches, when: { email: { matches: "@example\\.(com|org)$" } }, pool: p }
  - { name: exists, when: { phone: { exists: true } }, pool: p }
  - { name: absent, when: { source: sms, phone: { exists: false } }, pool: p }
  - name: combined
    when:
      source: [web, partner]
      condition: new
      budget: { gte: 10000, lt: 20000 }
    pool: p
EOF
fresh_db

# case_ EXPECTED ATTRS: the next lead, with ATTRS, must match rule EXPECTED (- for none).
N=0
declare -A WANT
case_() {
  N=$((N + 1))
  local id
  id=$(printf 'C%02d' $N)
  WANT[$id]=$1
  lead "$id" "${MON}T10:$(printf %02d $N):00Z" "$2"
}
case_ equals '"brand":"TOYOTA"'                 # equals ignores case
case_ equals '"brand":"toyota","budget":99999'   # first match wins over gt
case_ any-of '"brand":"kia"'                     # list: any of, ignoring case
case_ -      '"brand":"Lexus"'
case_ gt     '"budget":50001'
case_ gte    '"budget":50000'
case_ gte    '"budget":"40000"'                  # a number given as text compares as a number
case_ -      '"budget":"lots"'                   # not a number: fails the comparisons
case_ lt     '"budget":999.5'
case_ lte    '"budget":5000'
case_ -      '"budget":5001'
case_ in     '"channel":"Chat"'
case_ -      '"channel":"phone"'
case_ matches '"email":"Someone@EXAMPLE.org"'    # matches ignores case
case_ -      '"email":"someone@example.org.uk"'
case_ exists '"phone":"+44 1"'
case_ -      '"phone":null'                      # null is absent
case_ combined '"condition":"NEW","budget":15000'
case_ -      '"condition":"new","budget":20000'
SOURCE=chat case_ not    '"region":"east"'
SOURCE=chat case_ not    ''                      # not: an absent field has no listed value
SOURCE=chat case_ -      '"region":"North"'
SOURCE=sms case_ absent  ''
SOURCE=sms case_ exists  '"phone":"1"'
SOURCE=partner case_ combined '"condition":"new","budget":10000'
case_ any-of '"brand":["Audi","Ford"]'           # an array matches when any value does
assign_at "$NOW"
expect_status 0
for id in $(printf '%s\n' "${!WANT[@]}" | sort); do
  expect_eq "$(rule_of "$id")" "${WANT[$id]}" "rule of $id"
  if [ "${WANT[$id]}" = "-" ]; then
    expect_eq "$(state_of "$id") $(sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = '$id' AND type = 'queued'")" \
      "queued no_rule" "$id queued"
  else
    expect_eq "$(state_of "$id") $(agent_of "$id")" "assigned tom" "$id assigned"
  fi
done
# Why rules failed is kept for `explain`.
expect_eq "$(dsql "SELECT json_extract(detail, '$.rules_tried[0].why') FROM decisions WHERE lead_id = 'C04'" C04)" \
  "brand: 'Lexus' is not 'toyota'" "why equals failed"
expect_eq "$(dsql "SELECT json_array_length(json_extract(detail, '$.rules_tried')) FROM decisions WHERE lead_id = 'C01'" C01)" \
  "1" "rules after the first match are not tried"

# --- during: a rule applies only while its schedule is open at the lead's received_at --
config <<'EOF'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom }
  - { id: night, name: Night Desk }
schedules:
  office:
    hours: { mon-fri: "09:00-17:00" }
    holidays: [uk]
calendars:
  uk: [2026-12-25]
pools:
  day: { members: [tom] }
  out-of-hours: { members: [night] }
rules:
  - { name: office-hours, during: office, pool: day }
  - { name: after-hours, pool: out-of-hours }
EOF
fresh_db
lead W1 ${MON}T10:00:00Z
lead W2 ${MON}T17:00:00Z                # the range's end is closed
lead W3 2026-11-22T11:00:00Z            # Sunday
lead W4 2026-12-25T11:00:00Z            # a holiday
lead W5 ${MON}T08:59:59Z
lead W6 ${MON}T16:59:59Z
# Routed long after: received_at decides, not the time of the run.
assign_at 2026-12-26T03:00:00Z
expect_status 0
expect_eq "$(sql "SELECT id || '=' || rule FROM leads ORDER BY id" | tr '\n' ' ')" \
  "W1=office-hours W2=after-hours W3=after-hours W4=after-hours W5=after-hours W6=office-hours " \
  "during"
expect_eq "$(dsql "SELECT json_extract(detail, '$.rules_tried[0].why') FROM decisions WHERE lead_id = 'W3'" W3)" \
  "during office: closed at 2026-11-22T11:00:00Z" "why during failed"

# --- per-rule claim_timeout overrides the pool's -----------------------------------------
config <<'EOF'
version: 1
database: router.db
agents:
  - { id: tom, name: Tom }
pools:
  p:
    members: [tom]
    claim_timeout: 15m
  direct:
    members: [tom]
rules:
  - { name: hot, when: { priority: hot }, pool: p, claim_timeout: 2m }
  - { name: direct-offer, when: { priority: warm }, pool: direct, claim_timeout: 1h }
  - { name: normal, pool: p }
EOF
fresh_db
lead T1 ${MON}T10:00:00Z '"priority":"hot"'
lead T2 ${MON}T10:00:00Z '"priority":"cold"'
lead T3 ${MON}T10:00:00Z '"priority":"warm"'
assign_at ${MON}T10:00:30Z
expect_status 0
expect_eq "$(sql "SELECT id || ' ' || state || ' ' || datetime(deadline, 'unixepoch') FROM leads ORDER BY id" | tr '\n' ',')" \
  "T1 offered 2026-11-23 10:02:30,T2 offered 2026-11-23 10:15:30,T3 offered 2026-11-23 11:00:30," \
  "deadlines from the rule or the pool"
expect_eq "$(sql "SELECT lead_id || ' ' || datetime(deadline, 'unixepoch') FROM offers ORDER BY lead_id" | tr '\n' ',')" \
  "T1 2026-11-23 10:02:30,T2 2026-11-23 10:15:30,T3 2026-11-23 11:00:30," "offer deadlines"
expect_eq "$(sql "SELECT json_extract(detail, '$.deadline') FROM events WHERE lead_id = 'T1' AND type = 'offered'")" \
  "2026-11-23T10:02:30Z" "offered event deadline"

finish
