# --now and $ROUTER_NOW are checked by every command, before it runs (issue 9, item 11):
# a malformed time is refused with exit 64 and one message, whatever the command; an empty
# $ROUTER_NOW means unset, an empty --now is an error.
source "$(dirname "$0")/lib.sh"
NOW=2026-11-23T13:10:00Z

printf 'version: 1\ndatabase: router.db\n' >router.yaml
"$ROUTER" init -q || exit 1

# The subcommands named in a help text's "Subcommands:" section.
subcommands_of() {
  "$ROUTER" "$@" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
}
# Every command and nested command, from --help, so a new one is covered without editing.
COMMANDS=()
while read -r cmd; do
  COMMANDS+=("$cmd")
  while read -r sub; do
    COMMANDS+=("$cmd $sub")
  done < <(subcommands_of "$cmd")
done < <(subcommands_of)
expect_eq "$((${#COMMANDS[@]} > 10))" 1 "more than 10 commands found (${#COMMANDS[@]})"
for expected in validate init ingest assign events explain "agent history" "agent list"; do
  found=no
  for cmd in "${COMMANDS[@]}"; do [ "$cmd" = "$expected" ] && found=yes; done
  expect_eq "$found" yes "command '$expected' enumerated"
done

message() { echo "router: --now: '$1' is not an RFC 3339 time (e.g. 2026-11-23T13:10:00Z)"; }
BAD=(yesterday 2026-02-30T10:00:00Z T25:00 2026-11-23T13:10:00 2026-11-23 "")
for cmd in "${COMMANDS[@]}"; do
  # shellcheck disable=SC2086 # "agent history" is two words
  for bad in "${BAD[@]}"; do
    run $cmd --now "$bad" </dev/null
    expect_status 64
    expect_eq "$ERR" "$(message "$bad")" "$cmd --now '$bad'"
    expect_no_out
  done
  run --now yesterday $cmd </dev/null
  expect_status 64
  expect_eq "$ERR" "$(message yesterday)" "--now before $cmd"
  OUT=$(ROUTER_NOW=T25:00 "$ROUTER" $cmd 2>"$TEST_DIR/.stderr" </dev/null)
  STATUS=$?
  ERR=$(cat "$TEST_DIR/.stderr")
  expect_status 64
  expect_eq "$ERR" "$(message T25:00)" "ROUTER_NOW for $cmd"
done
expect_eq "$(sql "SELECT count(*) FROM leads") $(sql "SELECT count(*) FROM events")" "0 0" "nothing written"

# --help still wins over a bad time.
run events --now yesterday --help
expect_status 0
expect_out "Usage:"

# An empty $ROUTER_NOW is unset (the system clock); --now overrides $ROUTER_NOW.
OUT=$(ROUTER_NOW= "$ROUTER" validate 2>&1 </dev/null)
STATUS=$?
expect_status 0
INPUT='{"id":"E-1","source":"web"}'
OUT=$(printf '%s' "$INPUT" | ROUTER_NOW= "$ROUTER" ingest -q 2>&1)
STATUS=$?
expect_status 0
received=$(sql "SELECT received_at FROM leads WHERE id = 'E-1'")
wall=$(date +%s)
expect_eq "$(((received - wall) < 600 && (wall - received) < 600))" "1" "empty ROUTER_NOW means the system clock"
OUT=$(printf '%s' '{"id":"E-2","source":"web"}' | ROUTER_NOW=yesterday "$ROUTER" ingest -q --now $NOW 2>&1)
STATUS=$?
expect_status 0
expect_eq "$(sql "SELECT received_at FROM leads WHERE id = 'E-2'")" "1795439400" "--now beats ROUTER_NOW"

finish
