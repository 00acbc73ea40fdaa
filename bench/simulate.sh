#!/usr/bin/env bash
# `router simulate` on a month of N leads (default 100,000), both sides (SPEC §8: under 30 s).
# The record is written set-based with sqlite3: leads spread evenly over 30 days, each
# offered to a member of one of two pools when it arrives, claimed after 1 to 10 minutes
# (four in five) or expired after the 15-minute window. NEW drops a member and adds daily
# limits. Prints the wall time and peak RSS of the simulation. (No least_active pool: it counts
# every open lead at each decision, which makes a replay quadratic; see bench/README.md.)
#
#   bench/simulate.sh ROUTER [N]
set -euo pipefail
ROUTER=$(realpath "${1:?usage: bench/simulate.sh ROUTER [N]}")
N=${2:-100000}
DIR=$(mktemp -d /tmp/router-bench-simulate.XXXXXX)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$DIR"' EXIT
cd "$DIR"

agents() { for i in $(seq -w 1 20); do echo "  - id: a$i"; done; }
members() { for i in $(seq -w "$1" "$2"); do printf 'a%s, ' "$i"; done | sed 's/, $//'; }
cat >router.yaml <<YAML
version: 1
timezone: Europe/London
agents:
$(agents)
schedules:
  office:
    timezone: Europe/London
    hours: { mon-fri: "08:00-20:00", sat: "09:00-13:00" }
pools:
  sales:
    strategy: round_robin
    schedule: office
    claim_timeout: 15m
    members: [$(members 1 10)]
    default: a01
  service:
    strategy: random
    claim_timeout: 15m
    members: [$(members 11 20)]
    default: a11
rules:
  - { name: cars, when: { source: cars }, pool: sales }
  - { name: rest, pool: service }
YAML
# NEW: a10 leaves sales, and every other sales member may take 20 leads a day.
limited() { for i in $(seq 1 9); do printf '{ agent: a%02d, daily_limit: 20 }, ' "$i"; done | sed 's/, $//'; }
sed "s/^    members: \[a01, .*a10\]$/    members: [$(limited)]/" router.yaml >new.yaml
grep -q "daily_limit: 20 }\]" new.yaml || { echo "bench/simulate.sh: new.yaml was not made" >&2; exit 1; }
"$ROUTER" --config router.yaml --db router.db init >/dev/null
SINCE=$(date -u -d 2026-10-01T00:00:00Z +%s)
sqlite3 -batch router.db <<SQL
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $N)
INSERT INTO leads(id, source, attributes, received_at, state)
  SELECT printf('L%07d', i), CASE WHEN i % 2 = 0 THEN 'cars' ELSE 'vans' END, '{}',
         $SINCE + i * (30 * 86400) / $N, 'assigned' FROM n;
-- One offer per lead to a member of its pool, then a claim (4 in 5) or an expiry.
CREATE TEMP TABLE o AS SELECT id, received_at AS at, CAST(substr(id, 2) AS INTEGER) AS i,
  CASE WHEN source = 'cars' THEN 'sales' ELSE 'service' END AS pool,
  CASE WHEN source = 'cars' THEN 'cars' ELSE 'rest' END AS rule FROM leads;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail)
  SELECT id, at, 'offered', printf('a%02d', (i / 2) % 10 + CASE WHEN pool = 'sales' THEN 1 ELSE 11 END),
         pool, rule, '{"reason":"rule"}' FROM o;
INSERT INTO events(lead_id, at, type, agent, pool, rule, detail)
  SELECT id, at + CASE WHEN (i / 7) % 5 = 4 THEN 900 ELSE 60 + (i * 37) % 540 END,
         CASE WHEN (i / 7) % 5 = 4 THEN 'expired' ELSE 'claimed' END,
         printf('a%02d', (i / 2) % 10 + CASE WHEN pool = 'sales' THEN 1 ELSE 11 END),
         pool, rule, '{"reason":"rule"}' FROM o ORDER BY at;
SQL
UNTIL=$(date -u -d "@$((SINCE + 30 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
/usr/bin/time -f '%e s wall, %M KB peak RSS' -o time.txt \
  "$ROUTER" --config router.yaml --db router.db --now "$UNTIL" --seed 7 simulate \
  --with new.yaml --since 2026-10-01T00:00:00Z --until "$UNTIL" >out.txt
echo "simulate of $N leads, both sides: $(cat time.txt)"
tail -n 8 out.txt
