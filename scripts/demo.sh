#!/usr/bin/env bash
# The newcomer's tour: installs what is missing, builds, and runs the main job on
# config.example.yaml with a fresh database under var/, printing what happens.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target router >/dev/null

router() { build/router --config config.example.yaml "$@"; }
step() { printf '\n\033[1m$ router %s\033[0m\n' "$*"; router "$@"; }

mkdir -p var
rm -f var/router.db var/router.db-wal var/router.db-shm

# A fixed clock, so every run of the demo tells the same story: Monday morning.
export ROUTER_NOW=2026-11-23T09:05:00Z

step validate
step init
step ingest data/sample-leads.jsonl
step assign                                   # the leads that have arrived by 09:05
step claim W-1001 --agent tom
step assign P-2001 --to jane                  # ops assign one by hand
step explain W-1002                           # why it went where it did

# Later that morning the cron job runs: unclaimed offers expire and move on, new arrivals
# are routed (P-2005 is a repeat contact of W-1001 and goes back to tom).
export ROUTER_NOW=2026-11-23T11:30:00Z
step sweep
step reassign W-1003 --pool night-desk        # a pool used as a reassignment group
step reassign W-1004 --to jane

# A walk-in nobody's rules cover waits in the manual queue until a member of a pool with
# `pickup` whose `when` it matches pulls it.
echo '{"id":"WI-1","source":"walk-in","status":"new"}' | router ingest -
step sweep
step pickup --agent tom
step outcome W-1001 won
step report
step agent list
