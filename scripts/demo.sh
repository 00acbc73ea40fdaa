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
step assign
step claim W-1001 --agent tom
step assign P-2001 --to jane
