# router report: a generated month of activity, checked against counts taken straight from
# the events table (SPEC §4).
source "$(dirname "$0")/lib.sh"
NOW=2026-11-23T13:10:00Z
NOW_EPOCH=1795439400
NOV_1=1793491200

cat >router.yaml <<'EOF'
version: 1
timezone: Europe/London
database: router.db
agents:
  - id: tom
  - id: sue
  - id: ann
  - id: idle
  - id: boss
pools:
  sales:
    strategy: round_robin
    members:
      - { agent: tom, daily_limit: 5, monthly_limit: 60 }
      - sue
      - ann
    default: boss
    claim_timeout: 1d
  partners:
    strategy: round_robin
    members: [ann]
  floor:
    strategy: open_pool
    members: [sue]
rules:
  - name: web
    when: { source: web }
    pool: sales
  - name: partner
    when: { source: partner }
    pool: partners
  - name: walk-in
    when: { source: walk-in }
    pool: floor
EOF
"$ROUTER" init -q || exit 1

# Before the period: October activity that the default period (this month) leaves out.
printf '{"id":"OCT-1","source":"web","received_at":"2026-10-30T10:00:00Z"}\n' >oct.jsonl
"$ROUTER" ingest -q oct.jsonl --now 2026-10-30T10:00:00Z || exit 1
"$ROUTER" assign -q --now 2026-10-30T10:00:00Z || exit 1

# Every weekday of November until the 20th: three web leads, a partner lead, a walk-in and
# a phone lead (no rule: manual queue); some offers claimed five minutes later.
n=0
for day in 02 03 04 05 06 09 10 11 12 13 16 17 18 19 20; do
  at="2026-11-${day}T10:00:00Z"
  : >day.jsonl
  for k in 1 2 3; do
    n=$((n + 1))
    printf '{"id":"W-%s","source":"web","received_at":"%s"}\n' "$n" "$at" >>day.jsonl
  done
  printf '{"id":"P-%s","source":"partner","received_at":"%s"}\n' "$day" "$at" >>day.jsonl
  printf '{"id":"K-%s","source":"walk-in","received_at":"%s"}\n' "$day" "$at" >>day.jsonl
  printf '{"id":"T-%s","source":"phone","received_at":"%s"}\n' "$day" "$at" >>day.jsonl
  "$ROUTER" ingest -q day.jsonl --now "$at" || exit 1
  "$ROUTER" assign -q --now "$at" || exit 1
  # Claim the first and last web leads of the day (the middle one stays offered).
  for id in "W-$((n - 2))" "W-$n"; do
    agent=$(sql "SELECT agent FROM leads WHERE id = '$id' AND state = 'offered'")
    [ -n "$agent" ] && { "$ROUTER" claim -q "$id" --agent "$agent" --now "2026-11-${day}T10:0${#id}:00Z" || exit 1; }
  done
done
# The last phone lead went to the boss by hand.
"$ROUTER" assign -q T-20 --to boss --now 2026-11-20T11:00:00Z || exit 1

# Outcomes, declines, expiries, a default after the last offer and a pickup, each made by
# the command that makes it in real use.
claimed_by() { sql "SELECT lead_id FROM events WHERE type = 'claimed' AND agent = '$1' ORDER BY seq LIMIT $2"; }
set -- $(claimed_by tom 3)
"$ROUTER" outcome -q "$1" won --now 2026-11-20T12:00:00Z || exit 1
"$ROUTER" outcome -q "$2" lost --now 2026-11-20T12:00:00Z || exit 1
"$ROUTER" outcome -q "$3" won --now 2026-11-20T12:00:00Z || exit 1
"$ROUTER" outcome -q "$(claimed_by sue 1)" lost --now 2026-11-20T12:00:00Z || exit 1
# X-1 is declined by its first agent, expires with the second and third (sweeps a day
# apart: the window is 1d of wall time) and then goes to the default, boss.
printf '{"id":"X-1","source":"web"}\n' | "$ROUTER" ingest -q --now 2026-11-20T13:00:00Z || exit 1
"$ROUTER" assign -q X-1 --now 2026-11-20T13:00:00Z || exit 1
"$ROUTER" decline -q X-1 --agent "$(sql "SELECT agent FROM leads WHERE id = 'X-1'")" --now 2026-11-20T13:05:00Z || exit 1
"$ROUTER" sweep -q --now 2026-11-21T13:06:00Z || exit 1
"$ROUTER" sweep -q --now 2026-11-22T13:07:00Z || exit 1
expect_eq "$(sql "SELECT state || ' ' || agent FROM leads WHERE id = 'X-1'")" "assigned boss" "X-1 went to the default"
expect_match "$(sql "SELECT group_concat(type, ' ') FROM (SELECT type FROM events WHERE lead_id = 'X-1' ORDER BY seq)")" \
  "^received offered declined offered expired( offered expired)? assigned$" "X-1's story"
# sue pulls the oldest walk-in from the open pool.
"$ROUTER" pickup -q --agent sue --pool floor --now 2026-11-23T09:00:00Z || exit 1
expect_eq "$(sql "SELECT type, count(*) FROM events WHERE type IN ('closed', 'declined', 'picked_up') GROUP BY type ORDER BY type" | tr '\n' ' ')" \
  "closed|4 declined|1 picked_up|1 " "the commands made their events"
expect_match "$(sql "SELECT count(*) FROM events WHERE type = 'expired'")" '^[1-9][0-9]*$' "the sweeps expired offers"

# Counts straight from the events table, for the period [Nov 1, now).
in_period="at >= $NOV_1 AND at < $NOW_EPOCH"
count_of() { sql "SELECT count(*) FROM events WHERE $in_period AND type = '$1' AND agent = '$2'"; }

run report --now $NOW --format json
expect_status 0
echo "$OUT" >report.json
field() { python3 -c "import json,sys; d=json.load(open('report.json')); print($1)"; }
expect_eq "$(field 'd["period"]["since"], d["period"]["until"], d["by"]')" \
  "2026-11-01T00:00:00Z 2026-11-23T13:10:00Z agent" "period"
expect_eq "$(field '" ".join(a["agent"] or "-" for a in d["agents"])')" "tom sue ann idle boss -" \
  "agents in config order, the no-agent row last"
for agent in tom sue ann boss; do
  row="[a for a in d['agents'] if a['agent'] == '$agent'][0]"
  for figure in offered claimed expired declined picked_up queued; do
    expect_eq "$(field "$row['$figure']")" "$(count_of $figure $agent)" "$agent $figure"
  done
  assigned=$(sql "SELECT count(*) FROM events WHERE $in_period AND type IN ('claimed', 'assigned') AND agent = '$agent'")
  expect_eq "$(field "$row['assigned']")" "$assigned" "$agent assigned"
  open=$(sql "SELECT (SELECT count(*) FROM offers WHERE state = 'open' AND agent = '$agent') + (SELECT count(*) FROM leads WHERE state = 'assigned' AND agent = '$agent')")
  expect_eq "$(field "$row['open']")" "$open" "$agent open"
  median=$(sql "SELECT json_extract(detail, '$.seconds_to_claim') FROM events WHERE $in_period AND type = 'claimed' AND agent = '$agent'" | sort -n | python3 -c "import sys,statistics; v=[int(x) for x in sys.stdin]; print(float(statistics.median(v)) if v else None)")
  expect_eq "$(field "$row['median_claim_seconds']")" "$median" "$agent median claim"
done
# The October offer is outside the period; the data really has claims and offers.
expect_eq "$(field 'sum(a["offered"] for a in d["agents"])')" "$(sql "SELECT count(*) FROM events WHERE $in_period AND type = 'offered'")" "offered total"
expect_match "$(field 'd["total"]["claimed"]')" '^[1-9][0-9]+$' "some claims"
expect_eq "$(field '[(a["won"], a["lost"], a["close_rate"]) for a in d["agents"][:2]]')" \
  "[(2, 1, 0.6667), (0, 1, 0.0)]" "outcomes and close rate"
expect_eq "$(field 'd["agents"][3]["close_rate"], d["agents"][3]["median_claim_seconds"], d["agents"][3]["offered"], d["agents"][3]["limits"]')" "None None 0 []" "idle agent listed with nothing"
expect_eq "$(field 'd["agents"][4]["defaulted"], d["agents"][4]["assigned"]')" \
  "$(sql "SELECT count(*) FROM events WHERE $in_period AND type = 'assigned' AND agent = 'boss' AND json_extract(detail, '$.reason') = 'exhausted'") $(sql "SELECT count(*) FROM events WHERE $in_period AND type = 'assigned' AND agent = 'boss'")" \
  "boss: exhausted counts as defaulted; manual is assigned"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'assigned' AND agent = 'boss' AND json_extract(detail, '$.reason') = 'manual'")" "1" "one of boss's leads by hand"
# Limits: tom's usage today and this month, as the usage table has it.
expect_eq "$(field 'd["agents"][0]["limits"]')" \
  "[{'pool': 'sales', 'daily_limit': 5, 'today': $(sql "SELECT coalesce(sum(count), 0) FROM usage WHERE agent = 'tom' AND period = 'D2026-11-23'"), 'monthly_limit': 60, 'month': $(sql "SELECT count FROM usage WHERE agent = 'tom' AND pool = 'sales' AND period = 'M2026-11'")}]" "tom's limits"
# Queue: 14 phone leads in the manual queue (one went to the boss), oldest from Nov 2.
expect_eq "$(field 'd["queue"]["depth"], d["queue"]["oldest_seconds"]')" \
  "$(sql "SELECT count(*) FROM leads WHERE state = 'queued' AND pool IS NULL") $((NOW_EPOCH - $(sql "SELECT min(received_at) FROM leads WHERE state = 'queued' AND pool IS NULL")))" "queue"
expect_eq "$(field 'd["queue"]["depth"], d["queue"]["pools"]')" "14 {'floor': 14}" "queue depth and the open pool"

# Text: the table, the idle agent, the queue line.
run report --now $NOW
expect_status 0
expect_out "report 2026-11-01T00:00:00Z .. 2026-11-23T13:10:00Z, by agent"
expect_match "$OUT" $'\n''AGENT +OFFERED +CLAIMED +EXPIRED +DECLINED +ASSIGNED +PICKED UP +OPEN +WON +LOST +CLOSE % +MEDIAN CLAIM +TODAY/LIMIT'$'\n' "header"
expect_match "$OUT" $'\n''idle +0 +0 +0 +0 +0 +0 +0 +0 +0 +- +- +-'$'\n' "idle row"
tom_row="tom +$(count_of offered tom) +$(count_of claimed tom) +$(count_of expired tom) +$(count_of declined tom) +[0-9]+ +$(count_of picked_up tom) +[0-9]+ +2 +1 +67% +[0-9hms]+ +[0-9]+/5"
expect_match "$OUT" $'\n'"$tom_row"$'\n' "tom row"
expect_out "manual queue: 14 leads, oldest 21d3h10m"
expect_out "pool queue floor: 14 leads"

# CSV: a header and one row per agent with the same figures as JSON.
run report --now $NOW --format csv
expect_status 0
expect_eq "$(head -1 <<<"$OUT")" "agent,offered,claimed,expired,declined,assigned,picked_up,open,won,lost,defaulted,queued,close_rate,median_claim_seconds" "csv header"
expect_eq "$(grep -c '' <<<"$OUT")" "7" "csv rows"
expect_eq "$(grep '^tom,' <<<"$OUT" | cut -d, -f2,3)" "$(count_of offered tom),$(count_of claimed tom)" "csv tom"
expect_eq "$(grep '^idle,' <<<"$OUT")" "idle,0,0,0,0,0,0,0,0,0,0,0,," "csv idle"

# --by pool, rule, source: grouped by that column, the same totals.
run report --now $NOW --by pool --format json
expect_status 0
echo "$OUT" >report.json
expect_eq "$(field '[(p["pool"], p["offered"]) for p in d["pools"]][:3]')" \
  "[('sales', $(sql "SELECT count(*) FROM events WHERE $in_period AND type = 'offered' AND pool = 'sales'")), ('partners', 0), ('floor', 0)]" "by pool"
expect_eq "$(field 'd["pools"][1]["assigned"]')" "15" "partner leads assigned directly"
run report --now $NOW --by rule --format json
expect_status 0
echo "$OUT" >report.json
expect_eq "$(field '"rules" in d, [r["rule"] for r in d["rules"]]')" "True ['web', 'partner', 'walk-in', None]" "by rule"
expect_eq "$(field 'd["rules"][0]["claimed"]')" "$(sql "SELECT count(*) FROM events WHERE $in_period AND type = 'claimed' AND rule = 'web'")" "rule claims"
expect_eq "$(field 'd["rules"][3]["queued"]')" "15" "no-rule leads queued"
run report --now $NOW --by source --format csv
expect_status 0
expect_eq "$(head -1 <<<"$OUT" | cut -d, -f1-3)" "source,offered,claimed" "by source header"
expect_eq "$(grep '^phone,' <<<"$OUT" | cut -d, -f6,12)" "1,15" "phone: one by hand, 15 queued"
expect_eq "$(grep '^web,' <<<"$OUT" | cut -d, -f2)" "$(sql "SELECT count(*) FROM events e JOIN leads l ON l.id = e.lead_id WHERE e.$in_period AND e.type = 'offered' AND l.source = 'web'" | sed 's/e\.//')" "web offers"

# --since/--until: October alone has the one offer; a single day has that day's.
run report --now $NOW --since 2026-10-01T00:00:00Z --until 2026-11-01T00:00:00Z --format json
expect_status 0
echo "$OUT" >report.json
expect_eq "$(field 'd["total"]["offered"], d["total"]["claimed"]')" "1 0" "October"
run report --now $NOW --since 2026-11-02T00:00:00Z --until 2026-11-03T00:00:00Z --format json
echo "$OUT" >report.json
expect_eq "$(field 'd["total"]["offered"], d["total"]["claimed"], d["total"]["queued"]')" "3 2 2" "one day: phone and walk-in queued"

# --metrics-file: Prometheus gauges, written whole.
run report --now $NOW --metrics-file metrics.prom -q
expect_status 0
expect_no_out
expect_eq "$(grep '^router_report_leads{agent="tom",figure="offered"}' metrics.prom | cut -d' ' -f2)" "$(count_of offered tom)" "metric tom offered"
expect_eq "$(grep -c '^# TYPE router_report_leads gauge$' metrics.prom)" "1" "metric type"
expect_eq "$(grep '^router_report_queue_depth ' metrics.prom)" "router_report_queue_depth 14" "metric queue depth"
expect_match "$(grep '^router_report_queue_oldest_seconds ' metrics.prom)" '^router_report_queue_oldest_seconds [0-9]+$' "metric oldest"
expect_eq "$(grep '^router_report_limit{agent="tom",pool="sales",period="day"}' metrics.prom)" 'router_report_limit{agent="tom",pool="sales",period="day"} 5' "metric limit"
expect_eq "$(ls -A | grep -c '^\.metrics')" "0" "no temp file left"
run report --now $NOW --metrics-file no-such-dir/metrics.prom
expect_status 74
expect_err "cannot write metrics file"

# Usage errors.
run report --now $NOW --since yesterday
expect_status 64
expect_err "--since: 'yesterday' is not an RFC 3339 time"
run report --now $NOW --by bogus
expect_status 64
expect_err "--by: 'bogus' is not one of agent, pool, rule, source"
run report --now $NOW --since 2026-11-10T00:00:00Z --until 2026-11-01T00:00:00Z
expect_status 64
run report --now $NOW --format github
expect_status 64

# A report that ends now includes what happened at this very second (a sweep run at --now);
# an explicit --until stays exclusive.
total_offered() { python3 -c 'import json,sys; print(json.load(sys.stdin)["total"]["offered"])'; }
run report --now $NOW --format json
before=$(echo "$OUT" | total_offered)
printf '{"id":"late","source":"web"}\n' | "$ROUTER" ingest -q --now $NOW || exit 1
"$ROUTER" assign -q late --now $NOW || exit 1
run report --now $NOW --format json
expect_eq "$(echo "$OUT" | total_offered)" "$((before + 1))" "event at --now counted"
run report --now $NOW --until $NOW --format json
expect_eq "$(echo "$OUT" | total_offered)" "$before" "explicit --until exclusive"

# The sweep's and the report's metrics files can go in one textfile-collector folder: no
# metric name is in both (Prometheus refuses one name with two HELP or TYPE lines).
run sweep --now $NOW --metrics-file sweep.prom -q
expect_status 0
names() { sed -n 's/^# TYPE \([^ ]*\) .*/\1/p' "$1" | sort; }
expect_match "$(names sweep.prom | wc -l) $(names metrics.prom | wc -l)" "^[1-9][0-9]* [1-9][0-9]*$" "both files have metrics"
expect_eq "$(comm -12 <(names sweep.prom) <(names metrics.prom))" "" "no metric name in both files"

finish
