# Tables have one voice: every text table's heading is in upper case (report, agent list,
# agent history, events --format text, explain); agent list and events also speak CSV,
# with the same figures as their JSON (issue: "Tables everywhere have the same voice").
source "$(dirname "$0")/lib.sh"
cp "$TEST_DATA/sweep.yaml" router.yaml
"$ROUTER" init -q || exit 1
NOW=2026-11-23T09:05:00Z
printf '{"id":"W1","source":"web","note":"a, \\"quoted\\" note"}\n{"id":"P1","source":"phone"}\n' |
  "$ROUTER" ingest -q --now 2026-11-23T09:00:00Z || exit 1
"$ROUTER" sweep -q --now 2026-11-23T09:00:00Z || exit 1
"$ROUTER" agent set ann --status leave --until 2026-11-30T00:00:00Z --now $NOW -q || exit 1

# The heading line of each table: upper case, no lower-case letter in it.
heading_is_upper() {
  local line=$1 what=$2
  expect_match "$line" '^ *[A-Z]' "$what heading starts upper case"
  if [[ "$line" =~ [a-z] ]]; then _fail "$what heading has lower case: $line"; else _pass; fi
}
run report --now $NOW
expect_status 0
heading_is_upper "$(sed -n 2p <<<"$OUT")" "report"
run report --now $NOW --by pool
heading_is_upper "$(sed -n 2p <<<"$OUT")" "report by pool"
run agent list --now $NOW
expect_status 0
heading_is_upper "$(head -1 <<<"$OUT")" "agent list"
run agent history ann --now $NOW
expect_status 0
heading_is_upper "$(head -1 <<<"$OUT")" "agent history"
run events --format text --now $NOW
expect_status 0
heading_is_upper "$(head -1 <<<"$OUT")" "events"
run explain W1 --now $NOW
expect_status 0
for section in Offers Timeline; do
  heading_is_upper "$(grep -A1 "^$section\$" <<<"$OUT" | sed -n 2p)" "explain $section"
done

# agent list --format csv: a header and one record per agent, the figures of the JSON.
run agent list --now $NOW --format csv
expect_status 0
echo "$OUT" >agents.csv
run agent list --now $NOW --format json
echo "$OUT" >agents.json
expect_eq "$(head -1 agents.csv)" "agent,name,status,until,online,open,offered,assigned,today,month" "agent csv header"
expect_eq "$(python3 - <<'EOF'
import csv, json
rows = list(csv.DictReader(open("agents.csv")))
js = json.load(open("agents.json"))
same = [r["agent"] == j["agent"] and r["status"] == j["status"] and int(r["open"]) == j["open"]
        and int(r["offered"]) == j["offered"] and (r["until"] or None) == j["until"] for r, j in zip(rows, js)]
print(len(rows), len(js), all(same))
EOF
)" "5 5 True" "agent csv = json"
expect_eq "$(grep '^ann,' agents.csv)" "ann,,leave,2026-11-30T00:00:00Z,no,0,0,0,0,0" "ann's record"
expect_eq "$(grep '^tom,' agents.csv | cut -d, -f6,7)" "2,2" "tom's open offers"

# events --format csv: the detail is one quoted field holding the JSON object.
run events --format csv
expect_status 0
echo "$OUT" >events.csv
run events
echo "$OUT" >events.jsonl
expect_eq "$(head -1 events.csv)" "seq,at,type,lead,agent,pool,rule,detail" "events csv header"
expect_eq "$(python3 - <<'EOF'
import csv, json
rows = list(csv.DictReader(open("events.csv")))
js = [json.loads(l) for l in open("events.jsonl") if l.strip()]
same = [int(r["seq"]) == j["seq"] and r["type"] == j["type"] and r["lead"] == j["lead"]
        and (r["agent"] or None) == j["agent"] and json.loads(r["detail"]) == j["detail"] for r, j in zip(rows, js)]
print(len(rows), len(js), all(same), rows[0]["lead"], rows[0]["type"])
EOF
)" "4 4 True W1 received" "events csv = json"
run events --format csv --after 3 --limit 1
expect_eq "$(grep -c '' <<<"$OUT")" "2" "csv honours --after and --limit"
run events --format github
expect_status 64

finish
