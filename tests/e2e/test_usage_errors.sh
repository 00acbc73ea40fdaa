# Mistakes at the prompt (issue 10, item 1): every kind of CLI11 parse error is told in
# router's words, exit 64, one line, pointing to the help of the command it happened in.
source "$(dirname "$0")/lib.sh"

# usage EXPECTED ARGS...: the exact stderr line, exit 64, nothing on stdout.
usage() {
  local expected=$1
  shift
  run "$@" </dev/null
  expect_status 64
  expect_eq "$ERR" "router: $expected" "router $*"
  expect_no_out
}

# Unknown commands and options, with a did-you-mean (ExtrasError; RequiredError for a missing
# subcommand, when the mistyped word is the reason it is missing).
usage "unknown command 'asign'; did you mean 'assign'? (see 'router --help')" asign
usage "unknown command 'frobnicate'; see 'router --help'" frobnicate
usage "unknown command 'agent sett'; did you mean 'agent set'? (see 'router agent --help')" agent sett tom
usage "unknown option --metric-file; did you mean --metrics-file? (see 'router sweep --help')" \
  sweep --metric-file x
usage "unknown option --metric-file; did you mean --metrics-file? (see 'router sweep --help')" \
  sweep --metric-file=x
# Global options are candidates too, before or after the command.
usage "unknown option --bussy-timeout; did you mean --busy-timeout? (see 'router events --help')" \
  events --bussy-timeout 1s
usage "unknown option --confg; did you mean --config? (see 'router --help')" --confg x.yaml
usage "unexpected argument 'L2'; see 'router claim --help'" claim L1 L2 --agent tom
usage "unexpected argument 'x'; see 'router init --help'" init x

# Missing arguments (RequiredError).
usage "claim needs a LEAD; see 'router claim --help'" claim --agent tom
usage "claim needs --agent AGENT; see 'router claim --help'" claim L1
usage "outcome needs an OUTCOME (won or lost); see 'router outcome --help'" outcome L1
usage "agent metric needs KEY=VALUE...; see 'router agent metric --help'" agent metric tom
usage "no command given; see 'router --help'"
usage "agent needs a command: set, metric, list, login, logout or history; see 'router agent --help'" agent

# Values out of range or of the wrong type (ValidationError, before CLI11 converts).
usage "--limit must be at least 1; see 'router events --help'" events --limit 0
usage "--after must be 0 or more; see 'router events --help'" events --after -1
usage "--limit must be a whole number, not 'x'; see 'router events --help'" events --limit x
usage "--after must be a whole number, not '1.5'; see 'router events --help'" events --after 1.5
usage "--seed must be a whole number, not 'x'; see 'router assign --help'" --seed x assign
usage "--seed must be a whole number, not 'x'; see 'router assign --help'" assign --seed x
usage "--status must be available, away, leave or offline, not 'awya'; did you mean 'away'? (see 'router agent set --help')" \
  agent set tom --status awya
usage "OUTCOME must be won or lost, not 'drawn'; see 'router outcome --help'" outcome L1 drawn
usage "--by must be agent, pool, rule or source, not 'agnet'; did you mean 'agent'? (see 'router report --help')" \
  report --by agnet
usage "--format must be text or json, not 'csv'; see 'router init --help'" init --format csv
# Before the command, --format is checked against the same declaration, with the same words.
printf 'version: 1\ndatabase: router.db\n' >router.yaml
usage "--format must be text or json, not 'csv'; see 'router init --help'" --format csv init

# A flag given a value (ConversionError).
usage "--dry-run takes no value; see 'router assign --help'" assign --dry-run=maybe
# A value missing, an option given twice (ArgumentMismatch).
usage "--limit needs a value (N); see 'router events --help'" events --limit
usage "--agent is given more than once; see 'router claim --help'" claim L1 --agent a --agent b
# Options that exclude or need each other (ExcludesError, RequiresError).
usage "--to cannot be used with --dry-run; see 'router assign --help'" assign L1 --dry-run --to tom
usage "--pool cannot be used with --to; see 'router reassign --help'" reassign L1 --pool p --to tom
usage "--force needs --to AGENT; see 'router assign --help'" assign L1 --force
usage "--force needs --to AGENT; see 'router reassign --help'" reassign L1 --pool p --force

# help, help COMMAND and -V.
run --help
help_main=$OUT
run help
expect_status 0
expect_eq "$OUT" "$help_main" "router help = router --help"
run report --help
help_report=$OUT
run help report
expect_status 0
expect_eq "$OUT" "$help_report" "router help report = router report --help"
run agent set --help
help_set=$OUT
run help agent set
expect_status 0
expect_eq "$OUT" "$help_set" "router help agent set = router agent set --help"
expect_out "Usage: router agent set"
usage "unknown command 'asign'; did you mean 'assign'? (see 'router --help')" help asign
usage "unknown command 'agent sett'; did you mean 'agent set'? (see 'router agent --help')" help agent sett
run -V
expect_status 0
expect_eq "$OUT" "router 0.1.0" "-V"

finish
