# Inputs the fuzzers (tests/fuzz) found mishandled: each is now refused with the documented
# error and exit status, never an internal error (70) or a hang.
source "$(dirname "$0")/lib.sh"
NOW=2026-11-23T13:10:00Z

printf 'version: 1\ndatabase: router.db\n' >router.yaml
"$ROUTER" init -q || exit 1
count() { sql "SELECT count(*) FROM leads"; }

# A JSON number no double can hold is bad input naming its line (it was an internal error).
INPUT='{"id":"N-1","source":"web"}
{"id":"N-2","source":"web","budget":1e400}'
run_in - ingest --now $NOW
expect_status 65
expect_eq "$ERR" "router: <stdin>:2: a number is out of range (it must fit a double, at most about 1.8e308)" "attribute 1e400"
INPUT='{"id":"N-3","source":"web","received_at":-1e400}'
run_in - ingest --now $NOW
expect_status 65
expect_eq "$ERR" "router: <stdin>:1: a number is out of range (it must fit a double, at most about 1.8e308)" "received_at -1e400"
expect_eq "$(count)" "0" "nothing written"

# An RFC 3339 time outside the years 0000-9999 in UTC is refused: it could not be printed back.
INPUT='{"id":"Y-1","source":"web","received_at":"9999-12-31T23:30:00-01:00"}'
run_in - ingest --now $NOW
expect_status 65
expect_eq "$ERR" "router: <stdin>:1: 'received_at' is outside the years 0000 to 9999 in UTC: \"9999-12-31T23:30:00-01:00\" (e.g. 2026-11-23T13:10:00Z)" "year 10000"
INPUT='{"id":"Y-2","source":"web","received_at":"0000-01-01T00:30:00+01:00"}'
run_in - ingest --now $NOW
expect_status 65
expect_eq "$ERR" "router: <stdin>:1: 'received_at' is outside the years 0000 to 9999 in UTC: \"0000-01-01T00:30:00+01:00\" (e.g. 2026-11-23T13:10:00Z)" "year -1"
expect_eq "$(count)" "0" "nothing written"
INPUT='{"id":"Y-3","source":"web","received_at":"9999-12-31T23:59:59Z"}
{"id":"Y-4","source":"web","received_at":"0000-01-01T00:00:00Z"}'
run_in - ingest --now $NOW
expect_status 0
expect_eq "$(sql "SELECT received_at FROM leads ORDER BY id")" "253402300799
-62167219200" "first and last second in range"
INPUT=''
run_in - ingest --now 9999-12-31T23:30:00-01:00
expect_status 64
expect_eq "$ERR" "router: --now: '9999-12-31T23:30:00-01:00' is outside the years 0000 to 9999 in UTC (e.g. 2026-11-23T13:10:00Z)" "--now year 10000"

# A stray comma where a YAML document should start is a syntax error at once (yaml-cpp's
# LoadAll looped forever on it, allocating as it went).
printf ',\n' >comma.yaml
OUT=$(timeout 10 "$ROUTER" validate --config comma.yaml 2>&1)
STATUS=$?
expect_status 78
expect_out "comma.yaml:1:1: error: YAML syntax: unexpected ',' (a comma separates items only inside [ ] or { })"
printf 'version: 1\ndatabase: router.db\n...\n--- ,\n' >comma.yaml
OUT=$(timeout 10 "$ROUTER" validate --config comma.yaml 2>&1)
STATUS=$?
expect_status 78
expect_out "comma.yaml:4:5: error: a second YAML document: the configuration must be a single document"
printf '# only a comment\n  , version: 1\n' >comma.yaml
OUT=$(timeout 10 "$ROUTER" validate --config comma.yaml 2>&1)
STATUS=$?
expect_status 78
expect_out "comma.yaml:2:3: error: YAML syntax: unexpected ','"
OUT=$(timeout 10 "$ROUTER" ingest --config comma.yaml --now $NOW </dev/null 2>&1)
STATUS=$?
expect_status 78
expect_out "comma.yaml:2:3: error: YAML syntax: unexpected ','"

finish
