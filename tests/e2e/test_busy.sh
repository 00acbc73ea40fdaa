# Busy means busy (SPEC §7): while another process takes and releases the write lock in
# short transactions, router waits for it; it exits 75 only after --busy-timeout has passed,
# never at once because one of its own reads still held a snapshot from an earlier batch.
source "$(dirname "$0")/lib.sh"
# Many pools, each swept for stale leads in its own transaction: many moments between two
# of a sweep's transactions, each after the first pool's stale leads were read.
POOLS=30
{
  echo "version: 1"
  echo "database: router.db"
  echo "agents: [{id: a1}, {id: a2}, {id: a3}, {id: a4}, {id: a5}]"
  echo "pools:"
  for p in $(seq $POOLS); do
    echo "  p$p: {strategy: round_robin, members: [a1, a2, a3, a4, a5], stale_after: 10m}"
  done
  echo "rules:"
  for p in $(seq $POOLS); do echo "  - {name: r$p, when: {source: s$p}, pool: p$p}"; done
} >router.yaml
"$ROUTER" init -q || exit 1
TIMEOUT_S=10
ROUNDS=8
LEADS=300

# The other process: takes the write lock the moment it is free (no busy wait of its own,
# so it also gets in between two of router's transactions), writes, holds it 50-150 ms,
# commits and leaves it alone 20-60 ms; until the file `stop` appears (on PostgreSQL, a row
# in busy_stop).
cat >holder.py <<'EOF'
import os, random, sqlite3, time
db = sqlite3.connect("router.db", timeout=0, isolation_level=None)
db.execute("CREATE TABLE IF NOT EXISTS busy_probe(n INTEGER)")
open("ready", "w").close()
n = 0
while not os.path.exists("stop"):
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        continue
    n += 1
    db.execute("INSERT INTO busy_probe VALUES (?)", (n,))
    time.sleep(random.uniform(0.05, 0.15))
    db.execute("COMMIT")
    time.sleep(random.uniform(0.02, 0.06))
print(n)
EOF
# On PostgreSQL the same, in one session: router's writers take an advisory lock first.
cat >holder.sql <<'EOF'
CREATE TABLE busy_probe(n INTEGER);
CREATE TABLE busy_stop(n INTEGER);
\! touch ready
DO $$
DECLARE n int := 0;
BEGIN
  WHILE NOT EXISTS (SELECT 1 FROM busy_stop) LOOP
    PERFORM pg_advisory_xact_lock(1380930900);
    n := n + 1;
    INSERT INTO busy_probe VALUES (n);
    PERFORM pg_sleep(0.05 + random() * 0.1);
    COMMIT;
    PERFORM pg_sleep(0.02 + random() * 0.04);
  END LOOP;
END $$;
EOF
if [ "$E2E_BACKEND" = postgresql ]; then
  psql "$ROUTER_DB" -Xq -v ON_ERROR_STOP=1 -f holder.sql >holder.log 2>holder.err &
else
  PYTHON=$(command -v /usr/bin/python3 python3 | head -1)
  "$PYTHON" holder.py >holder.out 2>holder.err &
fi
holder=$!
for _ in $(seq 600); do [ -e ready ] && break; sleep 0.1; done
[ -e ready ] || { echo "the holder did not start: $(cat holder.err)"; exit 1; }

# Runs router ARGS, appending "STATUS ELAPSED_MS ARGS" to results.
timed() {
  local start end status
  start=$(date +%s%N)
  "$ROUTER" "$@" --busy-timeout ${TIMEOUT_S}s >/dev/null 2>>router.err
  status=$?
  end=$(date +%s%N)
  echo "$status $(((end - start) / 1000000)) $*" >>results
}

leads() {
  seq "$1" "$2" | awk -v n=$POOLS '{printf "{\"id\":\"L%05d\",\"source\":\"s%d\"}\n", $1, $1 % n + 1}'
}
# Each round: new leads, two assigns and two sweeps at once. Leads are assigned at once; the
# sweeps route again the leads left untouched since the earlier rounds (stale after 10m),
# pool by pool, reading each one's routing round, then route the pending ones. Before the
# fix that read kept a snapshot open past each commit and the next BEGIN IMMEDIATE failed
# at once (75 within milliseconds) whenever the holder had just taken the lock.
for r in $(seq 1 $ROUNDS); do
  now=$(date -u -d "2026-11-23T09:00:00Z + $((r * 20)) minutes" +%Y-%m-%dT%H:%M:%SZ)
  leads $((r * 1000)) $((r * 1000 + LEADS - 1)) >"round$r.jsonl"
  timed ingest -q "round$r.jsonl" --now "$now"
  timed assign --now "$now" &
  timed sweep --now "$now" &
  timed sweep --now "$now" &
  timed assign --now "$now" &
  wait $(jobs -p | grep -v "^$holder$")
done
touch stop
if [ "$E2E_BACKEND" = postgresql ]; then
  sql "INSERT INTO busy_stop VALUES (1)"
  wait $holder
  sql "SELECT count(*) FROM busy_probe" >holder.out
  cat holder.err >&2
else
  wait $holder
fi

expect_match "$(cat holder.out)" "^[0-9]+$" "the holder ran"
expect_match "$(cat holder.out)" "^([2-9][0-9]|[0-9]{3,})$" "the holder took the lock many times"
expect_eq "$(wc -l <results)" "$((ROUNDS * 5))" "every run recorded"
early=$(awk -v t=$((TIMEOUT_S * 1000)) '$1 == 75 && $2 < t' results)
expect_eq "$early" "" "no process reported busy before --busy-timeout (status ms command)"
expect_eq "$(awk '$1 != 0' results)" "" "every process finished 0 (status ms command)"
expect_eq "$(cat router.err)" "" "no errors"
# Nothing lost: every lead assigned, none left pending.
expect_eq "$(sql "SELECT state, count(*) FROM leads GROUP BY state")" \
  "assigned|$((ROUNDS * LEADS))" "every lead assigned"
[ "$FAILED" -eq 0 ] || cat results >&2
finish
