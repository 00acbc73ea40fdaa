# The outbox is complete (SPEC §3): every lead's story starts with its `received` event, a
# CRM row's written in the transaction that first routes it; every event's detail has a
# reason; a CRM row whose attributes are not a JSON object goes to the manual queue
# (reason bad_attributes, the parser's message in the detail), its row left as written.
source "$(dirname "$0")/lib.sh"
ts() { date -u -d "$1" +%s; }
MON=2026-11-23

cat >router.yaml <<'YAML'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom }
  - { id: ann }
  - { id: bob }
  - { id: jane }
schedules:
  office:
    timezone: Europe/London
    hours:
      mon-fri: "09:00-17:00"
pools:
  toyota:
    members: [bob]
  sales:
    strategy: round_robin
    members: [tom, ann]
    default: jane
    claim_timeout: 15m
    max_offers: 2
    schedule: office
  walkins:
    strategy: open_pool
    members: [tom, ann]
  triage:
    members: [jane]
    pickup: { when: {} }
rules:
  - { name: brand, when: { brand: Toyota }, pool: toyota }
  - { name: web, when: { source: web }, pool: sales }
  - { name: walkin, when: { source: walkin }, pool: walkins }
  - { name: anything, pool: sales }
YAML
"$ROUTER" init -q || exit 1
crm() {  # crm ID SOURCE ATTRIBUTES(SQL literal) TIME
  sql "INSERT INTO leads(id, source, attributes, received_at) VALUES ('$1', '$2', $3, $(ts "$4"))"
}
reason_of() { sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = '$1' AND type = '$2'"; }

# --- Ingested leads: their `received` has reason ingest ------------------------------------
printf '{"id":"I1","source":"web","received_at":"%s"}\n' ${MON}T09:00:00Z | "$ROUTER" ingest -q --now ${MON}T09:00:00Z || exit 1
expect_eq "$(sql "SELECT type || '|' || at || '|' || detail FROM events WHERE lead_id = 'I1'")" \
  "received|$(ts ${MON}T09:00:00Z)|{\"reason\":\"ingest\",\"source\":\"web\"}" "ingest's received event"

# --- CRM rows: bad attributes and a good one ------------------------------------------------
crm C-ARR web "'[1,2]'" ${MON}T09:01:00Z
crm C-TXT web "'not json'" ${MON}T09:02:00Z
crm C-STR web "'\"str\"'" ${MON}T09:03:00Z
crm C-OK web "'{\"brand\":\"Toyota\"}'" ${MON}T09:04:00Z

# A dry run writes nothing, received events included.
run assign --dry-run --now ${MON}T09:10:00Z
expect_status 0
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id LIKE 'C-%'")" "0" "dry run writes no event"

run assign --format json --now ${MON}T09:10:00Z
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | jq -r 'select(.lead == "C-TXT") | [.outcome, .reason, .pool] | @tsv')" \
  "$(printf 'queue\tbad_attributes\t')" "json decision of C-TXT"
expect_match "$(printf '%s\n' "$OUT" | jq -r 'select(.lead == "C-TXT") | .error')" \
  "^parse error at line 1, column 2: syntax error while parsing value" "json decision carries the parser's message"
for id in C-ARR C-TXT C-STR; do
  expect_eq "$(sql "SELECT state || '|' || coalesce(pool, 'NULL') || '|' || coalesce(agent, 'NULL') FROM leads WHERE id = '$id'")" \
    "queued|NULL|NULL" "$id in the manual queue"
  expect_eq "$(sql "SELECT group_concat(type || ':' || json_extract(detail, '$.reason'), ' ') FROM (SELECT * FROM events WHERE lead_id = '$id' ORDER BY seq)")" \
    "received:crm_insert queued:bad_attributes" "$id events"
done
# The rows are left exactly as the CRM wrote them.
expect_eq "$(sql "SELECT group_concat(attributes, ' ~ ') FROM (SELECT attributes FROM leads WHERE id IN ('C-ARR', 'C-TXT', 'C-STR') ORDER BY id)")" \
  '[1,2] ~ "str" ~ not json' "attributes unchanged"
expect_eq "$(sql "SELECT json_extract(detail, '$.error') FROM events WHERE lead_id = 'C-ARR' AND type = 'queued'")" \
  "a JSON array, not an object" "array message"
expect_eq "$(sql "SELECT json_extract(detail, '$.error') FROM events WHERE lead_id = 'C-STR' AND type = 'queued'")" \
  "a JSON string, not an object" "string message"
expect_match "$(sql "SELECT json_extract(detail, '$.error') FROM events WHERE lead_id = 'C-TXT' AND type = 'queued'")" \
  "^parse error at line 1, column 2: syntax error while parsing value - invalid literal" "parser message"

# The valid CRM row is routed on its attributes; its `received` (at received_at, with its
# source) comes right before its offer, written by the same transaction.
expect_eq "$(sql "SELECT state || '|' || agent || '|' || pool || '|' || rule FROM leads WHERE id = 'C-OK'")" \
  "assigned|bob|toyota|brand" "valid CRM row routed on its attributes"
expect_eq "$(sql "SELECT group_concat(type || '|' || at || '|' || detail, ' ') FROM (SELECT * FROM events WHERE lead_id = 'C-OK' ORDER BY seq)")" \
  "received|$(ts ${MON}T09:04:00Z)|{\"reason\":\"crm_insert\",\"source\":\"web\"} assigned|$(ts ${MON}T09:10:00Z)|{\"reason\":\"rule\"}" "C-OK events"
expect_eq "$(sql "SELECT b.seq - a.seq FROM events a, events b WHERE a.lead_id = 'C-OK' AND b.lead_id = 'C-OK' AND a.type = 'received' AND b.type = 'assigned'")" \
  "1" "received just before the routing event"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id = 'I1' AND type = 'received'")" "1" "an ingested lead gets no second received"

# explain shows the reason and the parser's message.
run explain C-TXT --now ${MON}T09:11:00Z
expect_status 0
expect_out "waiting in the manual queue for a person"
expect_match "$OUT" "attributes +not json" "explain shows the attributes as written"
expect_match "$OUT" "error +parse error at line 1, column 2" "explain shows the parser message"
expect_match "$OUT" "reason +bad_attributes: its attributes are not a JSON object" "explain shows the reason"
expect_match "$OUT" "queued +- +bad_attributes \(error=parse error" "timeline"
run explain C-ARR --format json --now ${MON}T09:11:00Z
expect_eq "$(printf '%s' "$OUT" | jq -c '[.lead.attributes, .decisions[0].reason, .decisions[0].error, [.events[].detail.reason]]')" \
  '[[1,2],"bad_attributes","a JSON array, not an object",["crm_insert","bad_attributes"]]' "explain json"

# report: the three count as queued (manual queue depth and queued events).
run report --format json --since ${MON}T00:00:00Z --until ${MON}T23:59:00Z --now ${MON}T09:11:00Z
expect_status 0
expect_eq "$(printf '%s' "$OUT" | jq -c '[.queue.depth, .total.queued]')" "[3,3]" "report counts them queued"

# events --format json: the CRM rows' received events are in the outbox.
run events --format json --now ${MON}T09:11:00Z
expect_eq "$(printf '%s\n' "$OUT" | jq -r 'select(.type == "received") | .lead + "@" + .at + ":" + .detail.reason' | tr '\n' ' ')" \
  "I1@${MON}T09:00:00Z:ingest C-ARR@${MON}T09:01:00Z:crm_insert C-TXT@${MON}T09:02:00Z:crm_insert C-STR@${MON}T09:03:00Z:crm_insert C-OK@${MON}T09:04:00Z:crm_insert " \
  "received events in the outbox"
expect_eq "$(printf '%s\n' "$OUT" | jq -r 'select(.detail.reason == null) | .seq')" "" "every event has detail.reason"

# --- Every other way a CRM row leaves `pending` writes its received first --------------------
crm C-SW web "'{}'" ${MON}T09:20:00Z
"$ROUTER" sweep -q --now ${MON}T09:21:00Z || exit 1
expect_eq "$(sql "SELECT group_concat(type || ':' || json_extract(detail, '$.reason'), ' ') FROM (SELECT * FROM events WHERE lead_id = 'C-SW' ORDER BY seq)")" \
  "received:crm_insert offered:rule" "the sweep routes a CRM row"
crm C-TO phone "'{}'" ${MON}T09:22:00Z
"$ROUTER" assign -q C-TO --to ann --now ${MON}T09:23:00Z || exit 1
expect_eq "$(sql "SELECT group_concat(type || ':' || json_extract(detail, '$.reason'), ' ') FROM (SELECT * FROM events WHERE lead_id = 'C-TO' ORDER BY seq)")" \
  "received:crm_insert assigned:manual" "assign --to"
crm C-TCH phone "'{}'" ${MON}T09:24:00Z
"$ROUTER" touch -q C-TCH --now ${MON}T09:25:00Z || exit 1
"$ROUTER" assign -q C-TCH --now ${MON}T09:26:00Z || exit 1
expect_eq "$(sql "SELECT group_concat(type || ':' || json_extract(detail, '$.reason'), ' ') FROM (SELECT * FROM events WHERE lead_id = 'C-TCH' ORDER BY seq)")" \
  "received:crm_insert touched:touch offered:rule" "touched while pending"
crm C-RE phone "'{}'" ${MON}T09:27:00Z
"$ROUTER" reassign -q C-RE --pool toyota --now ${MON}T09:28:00Z || exit 1
expect_eq "$(sql "SELECT group_concat(type || ':' || json_extract(detail, '$.reason'), ' ') FROM (SELECT * FROM events WHERE lead_id = 'C-RE' ORDER BY seq)")" \
  "received:crm_insert reassign_requested:manual assigned:manual" "reassign of a pending CRM row"

# --- A broad flow: every event type any command writes has detail.reason --------------------
lead() { printf '{"id":"%s","source":"%s"}\n' "$1" "$2" | "$ROUTER" ingest -q --now "$3" || exit 1; }
lead W1 web ${MON}T10:00:00Z
lead W2 web ${MON}T10:00:00Z
lead W3 web ${MON}T10:00:00Z
lead K1 walkin ${MON}T10:00:00Z
crm C-B1 phone "'{}'" ${MON}T10:00:00Z
"$ROUTER" assign -q --now ${MON}T10:01:00Z || exit 1
offered_to() { sql "SELECT agent FROM leads WHERE id = '$1'"; }
"$ROUTER" claim -q W1 --agent "$(offered_to W1)" --now ${MON}T10:02:00Z || exit 1
"$ROUTER" decline -q W2 --agent "$(offered_to W2)" --now ${MON}T10:03:00Z || exit 1
"$ROUTER" touch -q W1 --now ${MON}T10:04:00Z || exit 1
"$ROUTER" touch -q W1 --agent "$(offered_to W1)" --now ${MON}T10:05:00Z || exit 1
"$ROUTER" outcome -q W1 won --now ${MON}T10:06:00Z || exit 1
"$ROUTER" pickup -q --agent tom --pool walkins --now ${MON}T10:07:00Z || exit 1
"$ROUTER" pickup -q --agent jane --lead C-ARR --now ${MON}T10:08:00Z || exit 1
"$ROUTER" reassign -q C-B1 --pool toyota --now ${MON}T10:09:00Z || exit 1
"$ROUTER" reassign -q C-TO --to tom --now ${MON}T10:10:00Z || exit 1
"$ROUTER" agent set "$(offered_to W3)" --status away --now ${MON}T10:11:00Z -q || exit 1
"$ROUTER" sweep -q --now ${MON}T10:12:00Z || exit 1
"$ROUTER" sweep -q --now ${MON}T11:00:00Z || exit 1
expect_eq "$(sql "SELECT CASE WHEN count(DISTINCT type) >= 12 THEN 1 ELSE 0 END FROM events")" "1" "the flow wrote many event types"
expect_eq "$(sql "SELECT group_concat(DISTINCT type) FROM events WHERE detail IS NULL OR json_extract(detail, '$.reason') IS NULL")" \
  "" "every event's detail has a reason"
expect_eq "$(sql "SELECT count(*) FROM leads l WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.lead_id = l.id AND e.type = 'received')")" \
  "0" "every lead has its received event"
expect_eq "$(sql "SELECT count(*) FROM leads l WHERE (SELECT type FROM events e WHERE e.lead_id = l.id ORDER BY seq LIMIT 1) <> 'received'")" \
  "0" "every lead's story starts with received"

finish
