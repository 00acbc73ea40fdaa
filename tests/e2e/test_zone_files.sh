# Time zones are read from their own files in the tz folder (util/zone.hpp): no run lists
# every zone first (date's library walks /usr/share/zoneinfo on its first use of any zone:
# hundreds of stat calls, a few milliseconds of every start; issue 13 item 5), and a sweep
# with nothing to route computes no local time at all. Seen with strace: the walk opens the
# folder as a directory. Only a configuration naming an unknown zone walks it, to suggest a
# name.
source "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || { echo "SKIP: strace is missing"; exit 77; }
strace -f -o /dev/null true 2>/dev/null || { echo "SKIP: strace cannot trace here"; exit 77; }

cat >router.yaml <<'YAML'
timezone: Europe/London
database: router.db
agents:
  - id: tom
schedules:
  office:
    timezone: America/New_York
    hours: { mon-fri: "09:00-17:00" }
pools:
  sales: { members: [tom], schedule: office, claim_timeout: 30m }
rules:
  - { name: web, pool: sales }
YAML
ts() { date -u -d "$1" +%s; }

# router ARGS under strace; WALKS is how often the tz folder was opened as a directory.
# LeakSanitizer cannot stop a traced process's threads, so a sanitizer build checks leaks in
# the other scripts, not under strace.
traced() {
  OUT=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -e trace=openat -o "$TEST_DIR/trace.txt" "$ROUTER" "$@" 2>"$TEST_DIR/.stderr")
  STATUS=$?
  ERR=$(cat "$TEST_DIR/.stderr")
  WALKS=$(grep -c '"/usr/share/zoneinfo".*O_DIRECTORY' "$TEST_DIR/trace.txt")
  ZONES=$(grep -o '"/usr/share/zoneinfo/[^"]*"' "$TEST_DIR/trace.txt" | sort -u | tr -d '"' | xargs)
}

run init -q
expect_status 0
# 16:50 in New York on a Monday: ten minutes of the claim window today, twenty tomorrow.
T0=2026-12-07T21:50:00Z
printf '%s\n' '{"id":"L1","source":"web"}' >l1.jsonl
run_in l1.jsonl ingest -q --now $T0
expect_status 0

traced -v -v sweep -q --now $T0
expect_status 0
expect_match "$ERR" "config: cache hit" "the sweep's configuration comes from the cache"
expect_eq "$(sql "SELECT state || ' ' || agent || ' ' || deadline FROM leads WHERE id = 'L1'")" \
  "offered tom $(ts 2026-12-08T14:20:00Z)" "L1's deadline in New York's business hours"
expect_eq "$WALKS" "0" "routing reads zone files without walking the folder"
expect_eq "$ZONES" "/usr/share/zoneinfo/America/New_York /usr/share/zoneinfo/Europe/London" \
  "the configuration's two zones read, nothing else"

traced -v -v sweep --now $T0
expect_status 0
expect_no_out
expect_match "$ERR" "config: cache hit" "the idle sweep's configuration comes from the cache"
expect_eq "$WALKS" "0" "an idle sweep with a cached configuration does not walk the tz folder"

# Without the cache too: a zone name is valid when its file is a zone file.
ROUTER_CACHE_DIR=off traced sweep --now $T0
expect_status 0
expect_eq "$WALKS" "0" "a full load reads the zone files without walking the folder"

# An unknown zone: the folder is walked once, for the nearest names.
sed -i 's|America/New_York|America/New_Yrok|' router.yaml
ROUTER_CACHE_DIR=off traced validate
expect_status 78
expect_match "$ERR" "unknown time zone 'America/New_Yrok'.*did you mean 'America/New_York'" \
  "an unknown zone, with the nearest name"
expect_eq "$WALKS" "1" "the folder walked once to suggest a name"

finish
