# `router completion bash` (issue 10, item 5): the script is generated from the command
# definitions; sourced in bash, it completes with the COMP_WORDS/COMP_CWORD/COMPREPLY protocol.
source "$(dirname "$0")/lib.sh"

run completion bash
expect_status 0
printf '%s\n' "$OUT" >router.bash
if bash -n router.bash; then _pass; else _fail "bash -n"; fi

# complete WORDS...: what <TAB> offers after the words (the last one is the word being typed).
complete_words() {
  bash -c 'source ./router.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _router
           printf "%s\n" "${COMPREPLY[@]}"' complete "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}

expect_eq "$(complete_words router as)" "assign" "router as<TAB>"
expect_eq "$(complete_words router report --by '')" "agent pool rule source" "report --by <TAB>"
expect_eq "$(complete_words router report --format '')" "csv json text" "report --format <TAB>"
expect_eq "$(complete_words router validate --format '')" "github json text" "validate --format <TAB>"
expect_eq "$(complete_words router cov)" "coverage" "router cov<TAB>"
expect_eq "$(complete_words router coverage --format '')" "json text" "coverage --format <TAB>"
expect_eq "$(complete_words router coverage --we)" "--weeks" "coverage --we<TAB>"
expect_eq "$(complete_words router coverage --si)" "--since" "coverage --si<TAB>"
expect_eq "$(complete_words router agent '')" "history list login logout metric set" "agent <TAB>"
expect_eq "$(complete_words router agent set tom --status '')" "available away leave offline" "--status <TAB>"
expect_eq "$(complete_words router outcome L1 '')" "lost won" "outcome L1 <TAB>"
expect_eq "$(complete_words router completion '')" "bash fish zsh" "completion <TAB>"
expect_eq "$(complete_words router sweep --metr)" "--metrics-file" "sweep --metr<TAB>"
expect_eq "$(complete_words router events --bus)" "--busy-timeout" "a global option after the command"
touch metrics-here.prom
expect_eq "$(complete_words router sweep --metrics-file metrics-h)" "metrics-here.prom" "FILE completes files"
expect_eq "$(complete_words router --con)" "--config" "router --con<TAB>"

# No, or an unknown, shell: a usage error with a did-you-mean.
run completion
expect_status 64
expect_eq "$ERR" "router: completion needs a SHELL (bash, zsh or fish); see 'router completion --help'" "no shell"
run completion bsh
expect_status 64
expect_eq "$ERR" "router: SHELL must be bash, zsh or fish, not 'bsh'; did you mean 'bash'? (see 'router completion --help')" "unknown shell"

finish
