#!/usr/bin/env bash
# SPEC §8 benchmark for `router report`: over the database bench/sweep.sh leaves behind
# (N leads routed, their offers expired and offered on: 3 events a lead), each grouping
# three times, warm; wall and cpu seconds and peak RSS. Target: < 1.5 s for every --by over
# 1,000,000 leads (SPEC §8).
#
#   bench/sweep.sh 1000000 && bench/report.sh
#   ROUTER=path bench/report.sh   use an already built Release binary
set -euo pipefail

RUNS=3
source "$(dirname "$0")/lib.sh"
build_router

DB=$OUT/sweep.db
CONFIG=$OUT/bench.yaml
[[ -f $DB && -f $CONFIG ]] || { echo "bench: run bench/sweep.sh first (it leaves $DB)" >&2; exit 1; }
LATER=$(date -u -d "$NOW + 1 hour" +%Y-%m-%dT%H:%M:%SZ)
LEADS=$(sqlite3 "$DB" "SELECT count(*) FROM leads")
EVENTS=$(sqlite3 "$DB" "SELECT count(*) FROM events")
# Warms the page cache and the config cache.
"$ROUTER" --config "$CONFIG" --db "$DB" --now "$LATER" report --since 2026-11-01T00:00:00Z >/dev/null
{
  echo "router report benchmark  ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo "$LEADS leads, $EVENTS events, period 2026-11-01 .. $LATER, $RUNS warm runs each (load: $(load))"
  printf '  %-12s %12s %12s %12s\n' "--by" "best wall s" "its cpu s" "peak RSS MB"
  for by in agent pool rule source; do
    best=""
    for ((k = 1; k <= RUNS; k++)); do
      timed "$ROUTER" --config "$CONFIG" --db "$DB" --now "$LATER" report --by "$by" \
        --since 2026-11-01T00:00:00Z
      if [[ -z $best ]] || (($(echo "$TIME_S < $best" | bc -l))); then
        best=$TIME_S best_cpu=$CPU_S best_rss=$RSS_KB
      fi
    done >/dev/null
    printf '  %-12s %12.2f %12.2f %12.1f\n' "$by" "$best" "$best_cpu" "$(echo "$best_rss / 1024" | bc -l)"
  done
  echo "  (target: < 1.5 s every --by)"
} | tee "$OUT/report-results.txt"
