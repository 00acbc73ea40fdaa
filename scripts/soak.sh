#!/usr/bin/env bash
# Runs the soak (tests/soak/soak.py) against build/router (or $ROUTER) for SECONDS
# (default 60): eight kinds of router process on one database, then its invariants.
# Usage: scripts/soak.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
router=${ROUTER:-$PWD/build/router}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 tests/soak/soak.py "$router" "$seconds" "$work"
