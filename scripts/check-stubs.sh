#!/usr/bin/env bash
# Proves the end-to-end tests test something: every tests/e2e/test_*.sh is run with ROUTER
# set to a stub that exits 0 silently and to one that exits 1; each run must fail. A script
# that passes against a binary that does nothing is reported and fails this check.
# Usage: scripts/check-stubs.sh [SCRIPT...]   (default: every e2e script)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# The SQLite variant only: a stub proves as much there, and needs no server.
unset ROUTER_TEST_BACKEND

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '#!/bin/sh\nexit 0\n' >"$work/stub-exit0"
printf '#!/bin/sh\nexit 1\n' >"$work/stub-exit1"
chmod +x "$work/stub-exit0" "$work/stub-exit1"

if [ $# -gt 0 ]; then
  scripts=("$@")
else
  scripts=(tests/e2e/test_*.sh)
fi

# One line per run: "ok" when the script failed as it must, "PASSED" when it did not.
# A stub never makes progress, so a script that waits for the binary is cut short by the
# timeout, which counts as the failure it must be.
one() {
  local script=$1 stub=$2
  if E2E_FAIL_FAST=1 ROUTER="$work/$stub" ROUTER_SOURCE="$root" TEST_DATA="$root/tests/data" \
    timeout 120 bash "$script" >/dev/null 2>&1 </dev/null; then
    echo "PASSED ${script##*/} $stub"
  else
    echo "ok ${script##*/} $stub"
  fi
}
export -f one
export work root
results=$(for script in "${scripts[@]}"; do
  printf '%s stub-exit0\n%s stub-exit1\n' "$script" "$script"
done | xargs -P "$(nproc)" -n 2 bash -c 'one "$0" "$1"')

checked=$(printf '%s\n' "$results" | grep -c .)
failed=$(printf '%s\n' "$results" | grep -c '^PASSED')
printf '%s\n' "$results" | awk '$1 == "PASSED" {print "check-stubs: " $2 " passed against " $3 ", a binary that does nothing" > "/dev/stderr"}'
echo "check-stubs: $((checked - failed)) passed, $failed failed"
[ "$checked" -eq $((2 * ${#scripts[@]})) ] && [ "$failed" -eq 0 ]
