# router ingest: JSON Lines and CSV, from a file or stdin, all or nothing (SPEC §4, §7).
source "$(dirname "$0")/lib.sh"
SAMPLE="$ROUTER_SOURCE/data/sample-leads.jsonl"
NOW=2026-11-23T13:10:00Z
NOW_EPOCH=1795439400

printf 'version: 1\ndatabase: router.db\n' >router.yaml
"$ROUTER" init -q || exit 1
count() { sql "SELECT count(*) FROM leads"; }
events() { sql "SELECT count(*) FROM events"; }

# From a file: every lead, exact columns, one `received` event each.
cp "$SAMPLE" sample.jsonl
run ingest sample.jsonl --now $NOW
expect_status 0
expect_eq "$OUT" "ingested 20 leads" "sample"
expect_eq "$(count)" "20" "leads"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'received'")" "20" "received events"
expect_eq "$(sql "SELECT id, source, attributes, received_at, state, quote(agent), quote(pool), quote(rule), quote(deadline), attempts, quote(updated_at), quote(touched_at) FROM leads WHERE id = 'W-1001'")" \
  'W-1001|web|{"brand":"Toyota","condition":"new","budget":32000,"region":"north","email":"amelia.hart@example.com","phone":"+44 7700 900101","status":"new"}|1795421100|pending|NULL|NULL|NULL|NULL|0|NULL|NULL' "lead row"
expect_eq "$(sql "SELECT lead_id, at, type, quote(agent), quote(pool), quote(rule), detail FROM events WHERE lead_id = 'W-1001'")" \
  'W-1001|1795421100|received|NULL|NULL|NULL|{"reason":"ingest","source":"web"}' "event row"
expect_eq "$(sql "SELECT json_type(attributes, '$.budget') || ':' || json_extract(attributes, '$.budget') FROM leads WHERE id = 'P-2001'")" "integer:9500" "numbers stay numbers"
# Events come in input order.
expect_eq "$(sql "SELECT lead_id FROM events ORDER BY seq LIMIT 3" | tr '\n' ' ')" "W-1001 W-1002 P-2001 " "event order"

# Re-running the import is harmless: everything skipped and reported.
run ingest sample.jsonl --now $NOW
expect_status 0
expect_eq "$OUT" "ingested 0 leads; skipped 20 already present: W-1001, W-1002, P-2001, W-1003, PT-3001, W-1004, P-2002, W-1005, PT-3002, W-1006 and 10 more" "rerun"
expect_eq "$(count)" "20" "leads after rerun"
expect_eq "$(events)" "20" "events after rerun"

# From stdin (no argument, and `-`); received_at defaults to --now; JSON output.
INPUT='{"id":"W-1001","source":"web"}
{"id":"S-1","source":"web","brand":"Ford"}

{"id":"W-1002","source":"web"}'
run_in - ingest --now $NOW --format json
expect_status 0
expect_eq "$OUT" '{"ingested":1,"skipped":["W-1001","W-1002"]}' "stdin json"
expect_eq "$(sql "SELECT received_at, attributes FROM leads WHERE id = 'S-1'")" "$NOW_EPOCH|{\"brand\":\"Ford\"}" "default received_at"
expect_eq "$(sql "SELECT at FROM events WHERE lead_id = 'S-1'")" "$NOW_EPOCH" "event at"
INPUT='{"id":42,"source":"phone"}'
run_in - ingest - --now $NOW
expect_status 0
expect_eq "$OUT" "ingested 1 lead" "stdin dash"
expect_eq "$(sql "SELECT typeof(id) || ':' || id FROM leads WHERE source = 'phone' AND id = '42'")" "text:42" "numeric id as text"
INPUT='{"id":"Q-1","source":"web"}'
run_in - ingest -q --now $NOW
expect_status 0
expect_no_out

# CSV: quoted commas, doubled quotes, line breaks; empty cells absent; offsets honoured.
cp "$TEST_DATA/leads.csv" leads.csv
run ingest leads.csv --now $NOW
expect_status 0
expect_eq "$OUT" "ingested 3 leads" "csv by extension"
expect_eq "$(sql "SELECT attributes FROM leads WHERE id = 'C-2'")" \
  '{"brand":"Ford","condition":"used","budget":"9000","email":"bob@example.com","note":"Said \"call after 5\""}' "csv attributes"
expect_eq "$(sql "SELECT json_extract(attributes, '$.note') FROM leads WHERE id = 'C-3'")" "Two lines:
second line" "multi-line field"
expect_eq "$(sql "SELECT received_at FROM leads WHERE id = 'C-3'")" "$((NOW_EPOCH - 4*3600 - 40*60))" "offset time"
expect_eq "$(sql "SELECT received_at FROM leads WHERE id = 'C-2'")" "$NOW_EPOCH" "csv default time"
printf 'source,id\r\nweb,C-9\r\n' >leads.txt
run_in leads.txt ingest --csv --now $NOW
expect_status 0
expect_eq "$OUT" "ingested 1 lead" "csv from stdin"

# A bad line refuses the whole input, naming the line; nothing is written.
before_leads=$(count)
before_events=$(events)
cp "$TEST_DATA/leads-bad-line.jsonl" bad.jsonl
run ingest bad.jsonl --now $NOW
expect_status 65
expect_eq "$ERR" "router: bad.jsonl:4: no 'source'" "bad line"
expect_no_out
expect_eq "$(count)" "$before_leads" "nothing written"
expect_eq "$(events)" "$before_events" "no events written"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id LIKE 'B-%'")" "0" "good lines before it not written"

INPUT='{"id":"N-1","source":"web"}
{"id":"N-2","source":"web","received_at":"2026-13-01T00:00:00Z"}'
run_in - ingest --now $NOW
expect_status 65
expect_eq "$ERR" "router: <stdin>:2: 'received_at' is not an RFC 3339 time: \"2026-13-01T00:00:00Z\" (e.g. 2026-11-23T13:10:00Z)" "bad time"

INPUT='{"id":"D-1","source":"web"}
{"id":"D-2","source":"web"}
{"id":"D-1","source":"phone"}'
run_in - ingest --now $NOW
expect_status 65
expect_eq "$ERR" "router: <stdin>:3: id 'D-1' already appears on line 1" "repeated id"

INPUT='not json at all'
run_in - ingest --now $NOW
expect_status 65
expect_eq "$ERR" "router: <stdin>:1: not valid JSON (at column 2)" "not json"

printf 'id,source,brand\nR-1,web,Ford\nR-2,web\n' >short.csv
run ingest short.csv --now $NOW
expect_status 65
expect_eq "$ERR" "router: short.csv:3: row 3 has 2 fields, the header has 3" "csv field count"
expect_eq "$(count)" "$before_leads" "still nothing written"

# Binary garbage is refused cleanly, with one line of error, in either format.
head -c 2000 /dev/urandom >garbage.bin
run ingest garbage.bin --now $NOW
expect_status 65
expect_match "$ERR" "^router: garbage\.bin:[0-9]+: " "garbage"
expect_eq "$(printf '%s\n' "$ERR" | wc -l)" "1" "one error line"
run ingest garbage.bin --csv --now $NOW
expect_status 65
expect_match "$ERR" "^router: garbage\.bin:[0-9]+: " "garbage csv"
expect_eq "$(count)" "$before_leads" "garbage wrote nothing"

run ingest no-such-file.jsonl
expect_status 65
expect_eq "$ERR" "router: cannot read no-such-file.jsonl: No such file or directory" "missing input"

run ingest --format csv </dev/null
expect_status 64

# A missing database is refused before reading input, with the hint.
if sqlite_part "a missing database file"; then
  run ingest --db missing.db sample.jsonl
  expect_status 74
  expect_eq "$ERR" "router: database missing.db does not exist; run 'router init'" "missing db"
fi

# An invalid configuration is refused (78) even though ingest does not route.
printf 'version: [1\n' >broken.yaml
INPUT='{"id":"CFG-1","source":"web"}'
run_in - ingest --config broken.yaml --db "$DB" --now $NOW
expect_status 78
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id = 'CFG-1'")" "0" "invalid config wrote nothing"

# Busy: another process holds the write lock longer than --busy-timeout.
hold_write_lock || exit 1
INPUT='{"id":"BUSY-1","source":"web"}'
run_in - ingest --busy-timeout 1s --now $NOW
expect_status 75
expect_eq "$ERR" "router: database is busy (another router process holds the write lock past 1s); try again" "busy"
release_write_lock
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id = 'BUSY-1'")" "0" "busy wrote nothing"
run_in - ingest --busy-timeout 1s --now $NOW
expect_status 0
expect_eq "$OUT" "ingested 1 lead" "after the lock is released"

# A large input: 50,000 leads in one go.
awk 'BEGIN { for (i = 1; i <= 50000; i++) printf "{\"id\":\"BIG-%d\",\"source\":\"web\",\"budget\":%d}\n", i, i }' >big.jsonl
run ingest big.jsonl --now $NOW
expect_status 0
expect_eq "$OUT" "ingested 50000 leads" "large input"
expect_eq "$(sql "SELECT count(*) FROM leads WHERE id LIKE 'BIG-%'")" "50000" "large count"
expect_eq "$(sql "SELECT count(*) FROM events e JOIN leads l ON l.id = e.lead_id WHERE l.id LIKE 'BIG-%'")" "50000" "large events"

finish
