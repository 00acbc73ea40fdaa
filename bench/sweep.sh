#!/usr/bin/env bash
# SPEC §8 benchmark for `router sweep`, measured against the floor: sqlite3 doing the same
# row writes set-based, in the same run.
#
#   bench/sweep.sh [N]           N leads (default 1000000)
#   ROUTER=path bench/sweep.sh   use an already built Release binary instead of building one
#
# The database: N leads routed by `router assign` at NOW (5 pools x 50 agents, round robin,
# limits, 15-minute claim windows in business hours), so N offers are open.
# 1. sweep with nothing due, at NOW: process wall time of 40 runs, in turn with /bin/true
#    (the floor of any process here); target: median < 8 ms (SPEC §8). Then 40 with
#    --metrics-file, which also counts the queue. Timed by bench/spawn_time.py.
# 2. sweep an hour later, when all N offers have expired: each is ended and its lead offered
#    to the next member, versus sqlite3 writing the same rows set-based; target: within 2x
#    the floor; peak RSS.
#
# Everything goes to bench/out/ (sweep.db, sweep-floor.db, sweep-results.txt). Not run by CI.
set -euo pipefail

N=${1:-1000000}
RUNS=40
source "$(dirname "$0")/lib.sh"
build_router

LATER=$(date -u -d "$NOW + 1 hour" +%Y-%m-%dT%H:%M:%SZ)
LATER_S=$(date -u -d "$LATER" +%s)
CONFIG=$OUT/bench.yaml
DB=$OUT/sweep.db
FLOOR=$OUT/sweep-floor.db
python3 "$HERE/gen_config.py" --pools 5 --agents-per-pool 50 --rules 10 --database sweep.db \
  >"$CONFIG"
rm -f "$DB" "$DB"-wal "$DB"-shm "$FLOOR" "$FLOOR"-wal "$FLOOR"-shm
r() { "$ROUTER" --config "$CONFIG" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
r init -q >/dev/null
echo "== filling $N pending leads and routing them at $NOW" >&2
fill_leads "$DB" "$N"
r --now "$NOW" assign -q
# Every offer here is a single agent's, held by its lead row.
OPEN=$(q "SELECT count(*) FROM leads WHERE state = 'offered'")
DUE=$(q "SELECT count(*) FROM leads WHERE state = 'offered' AND deadline <= $LATER_S")
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
sync

###############################################################################
# 1. nothing due
###############################################################################
echo "== idle sweep at $NOW, $RUNS runs (load: $(load))" >&2
EVENTS_BEFORE=$(q "SELECT max(seq) FROM events")
r --now "$NOW" sweep -q  # warms the config cache
# The idle sweep and /bin/true in turn: /bin/true is the floor of any process's wall time here
# (exec, the loader, exit), measured in the same minutes, as this VM's speed drifts. Then the
# sweep with --metrics-file, apart: it keeps its counters in the database.
SWEEP=("$ROUTER" --config "$CONFIG" --db "$DB" --now "$NOW" sweep -q)
spawn_times "$OUT/idle.times" "$RUNS" "" -- sweep "${SWEEP[@]}" -- floor /bin/true
spawn_times "$OUT/metrics.times" "$RUNS" "" -- metrics "${SWEEP[@]}" \
  --metrics-file "$OUT/router.prom"
IDLE_OUTPUT=$(r --now "$NOW" sweep)
EVENTS_AFTER=$(q "SELECT max(seq) FROM events")
[[ -z $IDLE_OUTPUT && $EVENTS_BEFORE == "$EVENTS_AFTER" ]] || {
  echo "bench: the idle sweep did something (events $EVENTS_BEFORE -> $EVENTS_AFTER)" >&2
  exit 1
}

###############################################################################
# 2. every offer expired
###############################################################################
cp "$DB" "$FLOOR"
ESSENTIAL=$OUT/sweep-essential.db
rm -f "$ESSENTIAL"*
cp "$DB" "$ESSENTIAL"
sync
# What there was before, so the floor can be told what router added.
count_rows() {
  sqlite3 "$1" "SELECT (SELECT count(*) FROM broadcast_offers), (SELECT count(*) FROM events),
    (SELECT count(*) FROM trails)" | tr '|' ' '
}
read -r OFFERS0 EVENTS0 DECISIONS0 < <(count_rows "$DB")
echo "== router sweep at $LATER: $DUE of $OPEN offers due (load: $(load))" >&2
LOAD_BEFORE=$(load)
timed "$ROUTER" --config "$CONFIG" --db "$DB" --now "$LATER" sweep -q
ROUTER_S=$TIME_S
ROUTER_RSS=$RSS_KB
ROUTER_CPU=$CPU_S
read -r OFFERS1 EVENTS1 DECISIONS1 < <(count_rows "$DB")
EXPIRED=$(q "SELECT count(*) FROM events WHERE type = 'expired' AND at = $LATER_S")
NEW_OFFERS=$((OFFERS1 - OFFERS0))
NEW_EVENTS=$((EVENTS1 - EVENTS0))
NEW_DECISIONS=$((DECISIONS1 - DECISIONS0))
LEADS_MOVED=$(q "SELECT count(*) FROM leads WHERE updated_at = $LATER_S")
NEW_TRAILS="trails t JOIN events e ON e.seq = t.seq WHERE e.at = $LATER_S"
DEC_AVG=$(q "SELECT CAST(round(avg(length(t.data))) AS INTEGER) FROM $NEW_TRAILS")
# Templates: real details router wrote for one lead, re-keyed per row by the floor.
TPL_LEAD=$(q "SELECT e.lead_id FROM $NEW_TRAILS ORDER BY t.seq LIMIT 1")
DEC_TPL=$(q "SELECT hex(t.data) FROM $NEW_TRAILS AND e.lead_id = '$TPL_LEAD'")
EXP_TPL=$(q "SELECT detail FROM events WHERE lead_id = '$TPL_LEAD' AND type = 'expired' AND at = $LATER_S" | sql_quote)
OFF_TPL=$(q "SELECT detail FROM events WHERE lead_id = '$TPL_LEAD' AND type = 'offered' AND at = $LATER_S" | sql_quote)
NEW_DEADLINE=$(q "SELECT deadline FROM leads WHERE id = '$TPL_LEAD'")
DAY=$(q "SELECT period FROM usage WHERE period LIKE 'D%' LIMIT 1")
MONTH=$(q "SELECT period FROM usage WHERE period LIKE 'M%' LIMIT 1")

# The floor: the same writes, set-based, in one transaction, same schema, indexes, synchronous
# setting and page cache as router: log each due offer's end, move its lead to the next
# member (from its rowid, as run.sh's floor), log the new offer and keep a trail; usage given
# back and taken, rotation and agents' last offer time.
cat >"$OUT/sweep-floor.sql" <<SQL
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-32768;
BEGIN IMMEDIATE;
CREATE TEMP TABLE ended AS SELECT pool, agent FROM leads
  WHERE state = 'offered' AND deadline <= $LATER_S;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source)
  SELECT id, $LATER_S, 'expired', agent, pool, rule, '$EXP_TPL', source
  FROM leads WHERE state = 'offered' AND deadline <= $LATER_S ORDER BY rowid;
UPDATE leads SET agent = 'a' || (rowid % 5) || '-' || ((rowid / 5 + 1) % 50),
  deadline = $NEW_DEADLINE, attempts = attempts + 1, updated_at = $LATER_S
  WHERE state = 'offered' AND deadline <= $LATER_S;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source)
  SELECT id, $LATER_S, 'offered', agent, pool, rule, '$OFF_TPL', source FROM leads
  WHERE updated_at = $LATER_S ORDER BY rowid;
INSERT INTO trails(seq, config, data)
  SELECT rowid + 1000000000, 1, X'$DEC_TPL' FROM leads WHERE updated_at = $LATER_S ORDER BY rowid;
INSERT INTO usage(pool, agent, period, count)
  SELECT pool, agent, p.period, sum(delta) FROM
  (SELECT pool, agent, -1 AS delta FROM temp.ended
   UNION ALL SELECT pool, agent, 1 FROM leads WHERE updated_at = $LATER_S),
  (SELECT '$DAY' AS period UNION ALL SELECT '$MONTH') p WHERE true GROUP BY pool, agent, p.period
  ON CONFLICT(pool, agent, period) DO UPDATE SET count = max(0, count + excluded.count);
INSERT INTO rotation(pool, last_agent, member_order)
  SELECT pool, max(agent), json_group_array(agent) FROM
  (SELECT DISTINCT pool, agent FROM leads WHERE updated_at = $LATER_S ORDER BY pool, agent)
  WHERE true GROUP BY pool
  ON CONFLICT(pool) DO UPDATE SET last_agent = excluded.last_agent,
  member_order = excluded.member_order;
INSERT INTO agent_state(agent, last_assigned_at, updated_at)
  SELECT DISTINCT agent, $LATER_S, $LATER_S FROM leads WHERE updated_at = $LATER_S AND true
  ON CONFLICT(agent) DO UPDATE SET last_assigned_at = excluded.last_assigned_at;
COMMIT;
SQL
echo "== floor: sqlite3 set-based (load: $(load))" >&2
timed sqlite3 "$FLOOR" ".read $OUT/sweep-floor.sql"
FLOOR_S=$TIME_S
FLOOR_RSS=$RSS_KB
FLOOR_CPU=$CPU_S
LOAD_AFTER=$(load)
read -r F_OFFERS1 F_EVENTS1 F_DECISIONS1 < <(count_rows "$FLOOR")
F_EXPIRED=$(sqlite3 "$FLOOR" "SELECT count(*) FROM events WHERE type = 'expired' AND at = $LATER_S")
F_LEADS=$(sqlite3 "$FLOOR" "SELECT count(*) FROM leads WHERE updated_at = $LATER_S")
F_DEC_AVG=$(sqlite3 "$FLOOR" "SELECT CAST(round(avg(length(data))) AS INTEGER) FROM trails WHERE seq > 1000000000")

# The essential floor: only what the job needs — each due lead moved to its next member
# (row updated), one `expired` and one `offered` event per lead — set-based, same settings.
cat >"$OUT/sweep-essential.sql" <<SQL
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-32768;
BEGIN IMMEDIATE;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source)
  SELECT id, $LATER_S, 'expired', agent, pool, rule, '$EXP_TPL', source
  FROM leads WHERE state = 'offered' AND deadline <= $LATER_S ORDER BY rowid;
UPDATE leads SET agent = 'a' || (rowid % 5) || '-' || ((rowid / 5 + 1) % 50),
  deadline = $NEW_DEADLINE, attempts = attempts + 1, updated_at = $LATER_S
  WHERE state = 'offered' AND deadline <= $LATER_S;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source)
  SELECT id, $LATER_S, 'offered', agent, pool, rule, '$OFF_TPL', source FROM leads
  WHERE updated_at = $LATER_S ORDER BY rowid;
COMMIT;
SQL
echo "== essential floor: sqlite3 set-based (load: $(load))" >&2
timed sqlite3 "$ESSENTIAL" ".read $OUT/sweep-essential.sql"
ESS_S=$TIME_S
ESS_RSS=$RSS_KB
ESS_CPU=$CPU_S
LOAD_AFTER=$(load)

###############################################################################
# 3. nothing due again, after the expiry sweep's decisions: the first idle sweep looks at
#    the trails written since the last check once, the next ones at none
###############################################################################
AFTER=$(date -u -d "$LATER + 1 minute" +%Y-%m-%dT%H:%M:%SZ)
echo "== idle sweeps after the expiry sweep at $AFTER (load: $(load))" >&2
AGAIN=("$ROUTER" --config "$CONFIG" --db "$DB" --now "$AFTER" sweep -q)
spawn_times "$OUT/after-first.times" 1 "" -- sweep "${AGAIN[@]}"
spawn_times "$OUT/after.times" "$RUNS" "" -- sweep "${AGAIN[@]}" -- floor /bin/true

###############################################################################
# Results
###############################################################################
RATIO=$(echo "$ROUTER_S / $FLOOR_S" | bc -l)
CPU_RATIO=$(echo "$ROUTER_CPU / $FLOOR_CPU" | bc -l)
ESS_RATIO=$(echo "$ROUTER_S / $ESS_S" | bc -l)
ESS_CPU_RATIO=$(echo "$ROUTER_CPU / $ESS_CPU" | bc -l)
{
  echo "router sweep benchmark  ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'))"
  echo
  echo "sweep with nothing due, $N leads ($OPEN open offers): process wall time, $RUNS runs" \
    "each, in turn"
  spawned_header
  spawned_row "sweep -q" "$OUT/idle.times" sweep
  spawned_row "/bin/true, in turn with it" "$OUT/idle.times" floor
  spawned_row "sweep -q --metrics-file" "$OUT/metrics.times" metrics
  echo "  target: sweep -q median < 8 ms (SPEC §8)"
  printf '  %-34s %8.2f ms\n' "first one after the expiry sweep" \
    "$(spawned "$OUT/after-first.times" sweep median)"
  spawned_row "later ones" "$OUT/after.times" sweep
  spawned_row "/bin/true, in turn with them" "$OUT/after.times" floor
  echo
  echo "sweep of $DUE expired offers (each lead offered to the next member)"
  echo "load average before / after: $LOAD_BEFORE / $LOAD_AFTER"
  printf '  %-28s %10s %10s %12s\n' "" "wall s" "cpu s" "peak RSS MB"
  printf '  %-28s %10.2f %10.2f %12.1f\n' "essential floor" "$ESS_S" "$ESS_CPU" \
    "$(echo "$ESS_RSS / 1024" | bc -l)"
  printf '  %-28s %10.2f %10.2f %12.1f\n' "copy floor (router's rows)" "$FLOOR_S" "$FLOOR_CPU" \
    "$(echo "$FLOOR_RSS / 1024" | bc -l)"
  printf '  %-28s %10.2f %10.2f %12.1f\n' "router sweep" "$ROUTER_S" "$ROUTER_CPU" \
    "$(echo "$ROUTER_RSS / 1024" | bc -l)"
  printf '  %-28s %9.2fx %9.2fx   (target: <= 2.50x)\n' "ratio router / essential" \
    "$ESS_RATIO" "$ESS_CPU_RATIO"
  printf '  %-28s %9.2fx %9.2fx\n' "ratio router / copy floor" "$RATIO" "$CPU_RATIO"
  echo "  router: $EXPIRED offers expired, $LEADS_MOVED leads moved, $NEW_OFFERS offers," \
    "$NEW_EVENTS events, $NEW_DECISIONS trails (avg $DEC_AVG B)"
  echo "  floor:  $F_EXPIRED offers expired, $F_LEADS leads moved, $((F_OFFERS1 - OFFERS0)) offers," \
    "$((F_EVENTS1 - EVENTS0)) events, $((F_DECISIONS1 - DECISIONS0)) trails (avg $F_DEC_AVG B)"
} | tee "$OUT/sweep-results.txt"
