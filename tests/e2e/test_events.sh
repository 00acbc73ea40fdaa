# router events [--after SEQ] [--limit N]: the outbox as JSON Lines, oldest first (SPEC §4).
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
source "$E2E_DIR/lib.sh"
source "$E2E_DIR/json.sh"
NOW=2026-11-23T13:10:00Z

cat >router.yaml <<'YAML'
version: 1
database: router.db
agents:
  - id: tom
pools:
  sales:
    members: [tom]
rules:
  - name: all
    pool: sales
YAML
"$ROUTER" init -q || exit 1

# An empty outbox prints nothing, in either format.
run events --now $NOW
expect_status 0
expect_no_out
run events --format text --now $NOW
expect_status 0
expect_no_out

printf '{"id":"A","source":"web","received_at":"2026-11-23T12:00:00Z","brand":"Ford"}\n{"id":"B","source":"web","received_at":"2026-11-23T12:05:00Z"}\n' >leads.jsonl
"$ROUTER" ingest -q leads.jsonl --now $NOW || exit 1
"$ROUTER" assign -q --now $NOW || exit 1

# JSON Lines by default: one object per event with every column, detail parsed.
run events --now $NOW
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" "4" "four events"
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p)" \
  '{"seq":1,"lead":"A","at":"2026-11-23T12:00:00Z","type":"received","agent":null,"pool":null,"rule":null,"detail":{"reason":"ingest","source":"web"}}' "first event"
expect_eq "$(printf '%s\n' "$OUT" | sed -n 3p)" \
  '{"seq":3,"lead":"A","at":"2026-11-23T13:10:00Z","type":"assigned","agent":"tom","pool":"sales","rule":"all","detail":{"reason":"rule"}}' "assigned event"
expect_eq "$(json_lines_get "$OUT" 3 '["lead"]')" "B" "last lead"

# --after continues from a seq; --limit caps a page; past the end prints nothing.
run events --after 2 --now $NOW
expect_eq "$(printf '%s\n' "$OUT" | sed 's/.*"seq":\([0-9]*\).*/\1/' | tr '\n' ' ')" "3 4 " "after 2"
run events --after 1 --limit 2 --now $NOW
expect_eq "$(printf '%s\n' "$OUT" | sed 's/.*"seq":\([0-9]*\).*/\1/' | tr '\n' ' ')" "2 3 " "limit"
run events --after 4 --now $NOW
expect_status 0
expect_no_out
run events --format json --after 3 --now $NOW
expect_eq "$(json_get "$OUT" '["seq"]')" "4" "explicit json"

# --format text: an aligned table.
run events --format text --after 2 --now $NOW
expect_status 0
expect_eq "$OUT" "SEQ     AT                    TYPE               LEAD          AGENT       POOL        RULE              DETAILS
3       2026-11-23T13:10:00Z  assigned           A             tom         sales       all               rule
4       2026-11-23T13:10:00Z  assigned           B             tom         sales       all               rule" "text"

# Usage errors.
run events --after -1 --now $NOW
expect_status 64
run events --limit 0 --now $NOW
expect_status 64
run events --format github --now $NOW
expect_status 64

# Many events stream page by page, in order, none lost or repeated.
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
     INSERT INTO events(lead_id, at, type, detail) SELECT 'X-' || i, 1795439400 + i, 'touched', '{\"reason\":\"crm\"}' FROM n"
run events --now $NOW
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" "5004" "every event"
expect_eq "$(printf '%s\n' "$OUT" | sed 's/.*"seq":\([0-9]*\).*/\1/' | sort -n | uniq | wc -l | tr -d ' ')" "5004" "no repeats"
expect_eq "$(printf '%s\n' "$OUT" | sed 's/.*"seq":\([0-9]*\).*/\1/' | sort -nc && echo sorted)" "sorted" "in order"
expect_eq "$(printf '%s\n' "$OUT" | tail -1 | sed 's/.*"lead":"\([^"]*\)".*/\1/')" "X-5000" "last"
run events --after 1000 --limit 1500 --now $NOW
expect_eq "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" "1500" "limit across pages"
expect_eq "$(printf '%s\n' "$OUT" | tail -1 | sed 's/.*"seq":\([0-9]*\).*/\1/')" "2500" "limit end"

finish
