# Help that shows what a command takes, and plain dates (issue 10, item 2).
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
source "$E2E_DIR/lib.sh"
NOW=2026-11-23T13:10:00Z

cat >router.yaml <<'YAML'
version: 1
timezone: Europe/Paris
database: router.db
agents:
  - { id: tom, name: Tom Baker }
pools:
  sales:
    strategy: round_robin
    members: [tom]
rules:
  - name: all
    pool: sales
YAML
"$ROUTER" init -q || exit 1

# --- Plain dates: midnight in the configuration's time zone (Paris is UTC+1 in November) ---
run report --since 2026-11-01 --until 2026-11-15 --format json --now $NOW
expect_status 0
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; p=json.load(sys.stdin)["period"]; print(p["since"], p["until"])')" \
  "2026-10-31T23:00:00Z 2026-11-14T23:00:00Z" "report period from plain dates"
run report --since 2026-11-01T00:00:00Z --format json --now $NOW
expect_status 0
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["period"]["since"])')" \
  "2026-11-01T00:00:00Z" "RFC 3339 still accepted"
run report --since 2026-02-30 --now $NOW
expect_status 64
run agent set tom --status leave --until 2026-11-25 --now $NOW
expect_status 0
expect_eq "$(sql "SELECT until FROM agent_state WHERE agent = 'tom'")" \
  "$(date -u -d 2026-11-24T23:00:00Z +%s)" "leave ends at midnight Paris time"

# --- Help: placeholders, the global heading, each command's --format values ---------------
run report --help
expect_status 0
expect_out "--since TIME"
expect_out "--by agent|pool|rule|source"
expect_out "--metrics-file FILE"
expect_out "Global options:"
expect_out "--format text|json|csv"
expect_out "--busy-timeout DURATION"
expect_out "(default: 5s)"
expect_out "(default: this month)"
run validate --help
expect_out "--format text|json|github"
expect_out "--coverage"
expect_out "--now TIME"
run coverage --help
expect_out "--pool POOL"
expect_out "--weeks N"
expect_out "--since TIME"
expect_out "--format text|json"
run assign --help
expect_out "--format text|json"
expect_out "--seed N"
expect_out "--to AGENT"
expect_not_out "--format text|json|"
run events --help
expect_out "--after SEQ"
expect_out "--limit N"
expect_out "--follow"
expect_out "--format json|text|csv"
run claim --help
expect_out "Usage: router claim [OPTIONS] LEAD"
expect_out "--agent AGENT"
run agent metric --help
expect_out "KEY=VALUE"
run help --help
expect_not_out "--format"

# No CLI11 type names in any command's or subcommand's help; the loop must run over them all.
subcommands_of() {
  "$ROUTER" "$@" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
}
checked=0
while read -r cmd; do
  for words in "$cmd" $(subcommands_of "$cmd" | sed "s/^/$cmd:/"); do
    # shellcheck disable=SC2086
    help=$("$ROUTER" ${words//:/ } --help)
    checked=$((checked + 1))
    if grep -qwE 'TEXT|UINT|INT|FLOAT|NONNEGATIVE|POSITIVE' <<<"$help"; then
      _fail "CLI11 type name in 'router ${words//:/ } --help'"
    else
      _pass
    fi
    expect_match "$help" "Usage: router ${words//:/ }" "usage of ${words//:/ }"
  done
done < <(subcommands_of)
expect_eq "$checked" 27 "commands and subcommands checked"

finish
