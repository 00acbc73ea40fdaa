#!/usr/bin/env bash
# Guards speed work on `assign` against behaviour changes: routes a varied set of leads
# (every strategy, limits, statuses, owner_match, odd attribute JSON) with a fixed --now and
# --seed and prints a digest of every table assign writes.
#
#   bench/golden.sh ROUTER            digest on stdout (compare two builds' digests)
#   bench/golden.sh ROUTER --dump     the tables themselves
#   bench/golden.sh ROUTER --public   digest of what users see: the public tables (leads,
#                                     events), the JSON output and every lead's `explain`
#                                     (text and JSON) — for changes to private tables
#   bench/golden.sh ROUTER --public-dump   the same, in full
set -euo pipefail
ROUTER=$1
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cat >"$DIR/g.yaml" <<'YAML'
version: 1
timezone: Europe/London
agents:
  - { id: ann, tags: [toyota, used], weight: 3 }
  - { id: bob, tags: [toyota] }
  - { id: cy, tags: [ford] }
  - { id: dee, tags: [ford, used], weight: 2 }
  - { id: eve }
  - { id: "fay.x" }
  - { id: gus, tags: [toyota, ford] }
schedules:
  office:
    hours: { mon-fri: "09:00-17:30", sat: "10:00-14:00" }
pools:
  rr:
    strategy: round_robin
    members: [ann, { agent: bob, daily_limit: 3 }, cy, { agent: dee, monthly_limit: 5 }, eve]
    default: gus
    claim_timeout: 15m
    schedule: office
  bc:
    strategy: broadcast
    members: [ann, bob, cy]
    claim_timeout: 1h
  la:
    strategy: least_active
    members: [cy, dee, eve, "fay.x"]
  wr:
    strategy: weighted_random
    members: [ann, dee, gus]
    claim_timeout: 30m
  rd:
    strategy: random
    members: [bob, { agent: eve, daily_limit: 2 }]
  op:
    strategy: open_pool
    members: [ann, bob]
  ts:
    strategy: top_score
    members: [{ agent: cy, daily_limit: 4 }, gus]
    claim_timeout: 5m
    schedule: office
  lr:
    strategy: least_recent
    members: [ann, bob, cy, dee]
rules:
  - name: toyota-used
    when: { brand: toyota, condition: used }
    requires: [toyota, used]
    pool: rr
  - name: partner
    when: { source: partner, budget: { gte: 30000 } }
    pool: bc
  - name: regex
    when: { email: { matches: "@example\\.(com|org)$" }, region: { not: [north] } }
    pool: la
  - name: list
    when: { brand: { in: [ford, kia] } }
    requires: [ford]
    pool: wr
  - name: phone
    when: { phone: { exists: true }, source: phone }
    pool: rd
  - name: walkin
    when: { source: walk-in }
    pool: op
  - name: big
    when: { budget: { gt: 50000 } }
    pool: ts
  - name: lr
    when: { region: [south, east] }
    pool: lr
  - name: rest
    when: { source: { not: web } }
    pool: rr
owner_match:
  keys: [email, phone]
  within: 30d
YAML
r() { "$ROUTER" --config "$DIR/g.yaml" --db "$DIR/g.db" "$@"; }
r init -q >/dev/null
sqlite3 "$DIR/g.db" >/dev/null <<'SQL'
INSERT INTO agent_state(agent, status, until) VALUES ('eve', 'away', NULL), ('fay.x', 'leave', 1700000000);
INSERT INTO agent_metrics(agent, key, value) VALUES ('gus', 'score', 9), ('cy', 'score', 3);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO leads(id, source, attributes, received_at)
SELECT printf('g%04d', i),
  CASE i % 5 WHEN 0 THEN 'web' WHEN 1 THEN 'phone' WHEN 2 THEN 'partner' WHEN 3 THEN 'walk-in' ELSE 'Web' END,
  CASE i % 23
    WHEN 0 THEN '{"brand":"Toyota","condition":"used","email":"A' || (i % 7) || '@Example.com","budget":' || (i * 997 % 80000) || '}'
    WHEN 1 THEN '{"brand":["Ford","x"],"phone":"+44 (0) 7700 ' || (i % 9) || '","budget":1.5e4}'
    WHEN 2 THEN '{"brand":"Kia","email":"q\"uote\\\\back\u00e9' || i || '@example.org","region":"south","n":null}'
    WHEN 3 THEN 'not json'
    WHEN 4 THEN '[1,2]'
    WHEN 5 THEN '{"brand":"Toyota","condition":"used","nested":{"a":1},"budget":-0.0,"t":true,"f":false}'
    WHEN 6 THEN '{ "brand" : "ford" , "region" : "east" ,  "budget" : 60000 }'
    WHEN 7 THEN '{"brand":"Toyot\u0061","condition":"USED","budget":12345678901234567890}'
    WHEN 8 THEN '{"region":"north","email":"b@example.com","budget":"70000"}'
    WHEN 9 THEN '{"Brand":"toyota","Condition":"used","phone":"0044-7700-90' || (i % 5) || '"}'
    WHEN 10 THEN '{"brand":"Ford","brand":"Toyota","condition":"used"}'
    WHEN 11 THEN '{"email":"tab\tin@example.com","region":"west"}'
    WHEN 12 THEN '{"brand":"Ford","budget":' || (i * 31) || '.25,"region":"' || char(233) || 'ast"}'
    WHEN 13 THEN '{}'
    WHEN 14 THEN '{"brand":"ford","requires":[],"budget":1e400}'
    WHEN 15 THEN '{"brand":"ford","budget":-9223372036854775808,"x":[true,null,1.0,"s"]}'
    WHEN 16 THEN '{"email":"ctl' || char(1) || '@example.com","brand":"kia"}'
    WHEN 17 THEN '{"brand":"toyota","condition":"used","email":"a' || (i % 7) || '@example.com"}'
    WHEN 18 THEN '  {"phone":"+1 555 0100","region":"South"}  '
    WHEN 19 THEN '{"brand":"Ford","budget":0012}'
    WHEN 20 THEN '{"brand":"Ford","budget":5,}'
    WHEN 21 THEN '{"email":"x@example.com\/y","brand":"VW","region":"\ud83d\ude00"}'
    ELSE '{"brand":"BMW","budget":' || (i * 7919 % 90000) || ',"email":"c' || (i % 11) || '@example.com","phone":"07700 900' || (i % 13) || '"}'
  END,
  1795000000 + i * 37 - (i % 3) * 40
FROM n;
SQL
# Owner-match history: a few earlier leads already assigned.
sqlite3 "$DIR/g.db" "INSERT INTO leads(id, source, attributes, received_at, state, agent) VALUES
  ('old1', 'web', '{\"email\":\"a3@example.com\"}', 1794000000, 'assigned', 'dee'),
  ('old2', 'web', '{\"phone\":\"07700 9005\"}', 1794000000, 'assigned', 'eve');
  INSERT INTO contacts(key, at, lead_id) VALUES ('email:a3@example.com', 1794000000, 'old1'),
  ('phone:077009005', 1794000000, 'old2');"
r --now 2026-11-21T16:55:00Z --seed 7 assign --format json >"$DIR/out.jsonl" 2>"$DIR/err.txt" || echo "exit $?" >>"$DIR/err.txt"
dump() {
  sqlite3 "$DIR/g.db" <<'SQL'
.mode list
SELECT 'L', id, state, agent, pool, rule, deadline, attempts, updated_at FROM leads ORDER BY id;
SELECT 'O', * FROM offers ORDER BY id;
SELECT 'E', seq, lead_id, at, type, agent, pool, rule, detail FROM events ORDER BY seq;
SELECT 'D', * FROM decisions ORDER BY id;
SELECT 'U', * FROM usage ORDER BY 2, 3, 4;
SELECT 'R', * FROM rotation ORDER BY 2;
SELECT 'A', * FROM agent_state ORDER BY 2;
SELECT 'C', * FROM contacts ORDER BY 2, 3, 4;
SQL
  cat "$DIR/out.jsonl" "$DIR/err.txt"
}
public() {
  sqlite3 "$DIR/g.db" <<'SQL'
.mode list
SELECT 'L', * FROM leads ORDER BY id;
SELECT 'E', seq, lead_id, at, type, agent, pool, rule, detail FROM events ORDER BY seq;
SQL
  cat "$DIR/out.jsonl" "$DIR/err.txt"
  sqlite3 "$DIR/g.db" "SELECT id FROM leads ORDER BY id" | while read -r id; do
    echo "== explain $id"
    r explain "$id" 2>&1 || echo "exit $?"
    r explain "$id" --format json 2>&1 || echo "exit $?"
  done
}
case ${2:-} in
--dump) dump ;;
--public) public | sha256sum | cut -c1-16 ;;
--public-dump) public ;;
*) dump | sha256sum | cut -c1-16 ;;
esac
