# `router simulate`: a morning of web leads worked minute by minute (sweeps every minute,
# ann claims after 2 minutes, bob after 5, cat never; bob away for a quarter of an hour; a walk-in
# picked up, a lead moved by hand, an outcome), then replayed. The unchanged configuration
# reproduces the record; a removed agent, a new daily limit and a new shift move the shares
# as they must; manual actions that no longer fit are skipped; the database is unchanged;
# text, JSON and CSV; bad flags and a bad NEW.
source "$(dirname "$0")/lib.sh"

cat >router.yaml <<'YAML'
version: 1
timezone: UTC
agents:
  - id: ann
  - id: bob
  - id: cat
  - id: dan
schedules:
  office:
    timezone: UTC
    hours: { mon-fri: "09:00-17:00" }
pools:
  sales:
    strategy: round_robin
    schedule: office
    claim_timeout: 10m
    members: [ann, bob, cat]
    default: dan
  floor:
    strategy: open_pool
    members: [ann]
rules:
  - name: web
    when: { source: web }
    pool: sales
  - name: walk-in
    when: { source: walk-in }
    pool: floor
YAML
DAY=2026-11-02 # a Monday
epoch() { date -u -d "$1" +%s; }
at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
START=$(epoch ${DAY}T09:00:00Z)

run init
expect_status 0
# Twelve web leads, one every five minutes from 09:00, and a walk-in at 09:30.
{
  for i in $(seq 0 11); do
    echo "{\"id\":\"W$i\",\"source\":\"web\",\"received_at\":\"$(at $((START + i * 300)))\"}"
  done
  echo "{\"id\":\"F1\",\"source\":\"walk-in\",\"received_at\":\"${DAY}T09:30:00Z\"}"
} >leads.jsonl
run ingest leads.jsonl --now ${DAY}T09:00:00Z
expect_status 0

# The morning, minute by minute: people first, then cron's sweep. (The open offers are read
# without lib.sh's rewriting of subqueries for PostgreSQL, which costs a Python start.)
if [ "$E2E_BACKEND" = postgresql ]; then
  offers() { psql "$ROUTER_DB" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
else
  offers() { sql "$1"; }
fi
for m in $(seq 0 119); do
  t=$((START + m * 60))
  now=$(at $t)
  case $m in
  22) "$ROUTER" agent set bob --status away --now "$now" >/dev/null ;;
  38) "$ROUTER" agent set bob --status available --now "$now" >/dev/null ;;
  45) "$ROUTER" pickup --agent ann --lead F1 --now "$now" >/dev/null ;;
  100) "$ROUTER" assign W11 --to dan --now "$now" >/dev/null ;;
  110) "$ROUTER" outcome W0 won --now "$now" >/dev/null ;;
  esac
  offers "SELECT l.id, l.agent, max(e.at) FROM leads l JOIN events e ON e.lead_id = l.id
       AND e.type = 'offered' AND e.agent = l.agent WHERE l.state = 'offered'
       GROUP BY l.id, l.agent" | while IFS='|' read -r id agent offered; do
    waited=$((t - offered))
    if { [ "$agent" = ann ] && [ $waited -ge 120 ]; } || { [ "$agent" = bob ] && [ $waited -ge 300 ]; }; then
      "$ROUTER" claim "$id" --agent "$agent" --now "$now" >/dev/null
    fi
  done
  "$ROUTER" sweep -q --now "$now" >/dev/null
done
NOW=${DAY}T12:00:00Z
PERIOD=(--since "$DAY" --until "$NOW" --now "$NOW" --seed 5)

# What the morning was, to compare the replays with.
state_of() {
  sql "SELECT id, state, coalesce(agent, '-'), attempts FROM leads ORDER BY id"
  sql "SELECT count(*), max(seq) FROM events"
  sql "SELECT count(*) FROM agent_log"
}
BEFORE=$(state_of)
if [ "$E2E_BACKEND" = sqlite ]; then
  SUM_BEFORE=$(sha256sum router.db | cut -d' ' -f1)
fi
expect_match "$(sql "SELECT count(*) FROM events WHERE type = 'expired' AND agent = 'cat'")" '^[1-9]'
expect_match "$(sql "SELECT count(*) FROM events WHERE type = 'claimed' AND agent = 'bob'")" '^[1-9]'

# json_get FILE EXPR: a Python expression over the document `d`.
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
row() { echo "next(r for r in d['$1']['$2'] if r['$3'] == '$4')['$5']"; }

# 1. The unchanged configuration reproduces the record: every figure of every agent, pool
#    and rule and the totals (limit hits are not recorded), and nothing was skipped.
run simulate --with router.yaml "${PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >same.json
expect_eq "$(json_get same.json "d['leads']")" 13 "leads in the period"
same=$(python3 - same.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def strip(side):
    out = {}
    for group in ("agents", "pools", "rules"):
        for r in side[group]:
            key = {k: v for k, v in r.items() if k != "limit_hits"}
            out[group + ":" + str(r.get("agent", r.get("pool", r.get("rule"))))] = key
    out["total"] = {k: v for k, v in side["total"].items() if k != "limit_hits"}
    return out
rec, cur = strip(d["recorded"]), strip(d["current"])
bad = [k + ": recorded " + json.dumps(rec.get(k)) + " replayed " + json.dumps(cur.get(k))
       for k in sorted(set(rec) | set(cur)) if rec.get(k) != cur.get(k)]
print("\n".join(bad) if bad else "same")
PY
)
expect_eq "$same" same "the replay of the unchanged configuration"
expect_eq "$(json_get same.json "d['current'] == d['proposed']")" True "both sides alike"
expect_eq "$(json_get same.json "d['current']['manual']")" \
  "{'replayed': {'assigned': 1, 'closed': 1, 'picked_up': 1}, 'skipped': {}}" "manual actions"
expect_eq "$(json_get same.json "$(row recorded agents agent ann claimed)")" \
  "$(sql "SELECT count(*) FROM events WHERE type = 'claimed' AND agent = 'ann'")" "ann's claims"
expect_eq "$(json_get same.json "d['recorded']['total']['limit_hits']")" None "limits unrecorded"
expect_eq "$(json_get same.json "d['diff']['total']['offered']")" 0 "no difference"
run simulate --with router.yaml "${PERIOD[@]}"
expect_status 0
expect_out "Simulated 13 leads received from ${DAY}T00:00:00Z to ${NOW}."
expect_out "No differences."
expect_out "Manual actions replayed: current assigned 1, closed 1, picked_up 1; proposed assigned 1, closed 1, picked_up 1."

# 2. cat leaves sales: cat's offers (all expired) go to ann and bob, fewer offers expire.
sed 's/members: \[ann, bob, cat\]/members: [ann, bob]/' router.yaml >no-cat.yaml
run simulate --with no-cat.yaml "${PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >no-cat.json
cat_offers=$(json_get no-cat.json "$(row current agents agent cat offered)")
expect_match "$cat_offers" '^[1-9]' "cat's offers today"
expect_eq "$(json_get no-cat.json "$(row proposed agents agent cat offered)")" 0 "cat's offers"
expect_eq "$(json_get no-cat.json "$(row diff agents agent cat offered)")" "-$cat_offers" "cat's diff"
expect_eq "$(json_get no-cat.json "d['diff']['agents'][0]['agent']")" cat "largest change first"
expect_eq "$(json_get no-cat.json "d['proposed']['total']['expired'] < d['current']['total']['expired']")" \
  True "fewer expiries"
expect_eq "$(json_get no-cat.json "$(row proposed pools pool sales sla_misses)")" 0 \
  "no sales offer waits past its window"
expect_eq "$(json_get no-cat.json "$(row diff agents agent ann assigned) + $(row diff agents agent bob assigned)")" \
  0 "ann and bob still own every web lead"
run simulate --with no-cat.yaml "${PERIOD[@]}" --format json
expect_eq "$OUT" "$(cat no-cat.json)" "the same --seed, the same answer"
run simulate --with no-cat.yaml "${PERIOD[@]}"
expect_status 0
expect_out "current: router.yaml; proposed: no-cat.yaml; SLA: each pool's claim_timeout."
expect_out "Largest changes (proposed - current):
  agent cat: leads -"
expect_match "$OUT" "cat +[0-9]+->0 " "cat's row"

# 3. ann may take two sales leads a day: the others are passed over at her limit.
sed 's/members: \[ann, bob, cat\]/members: [{ agent: ann, daily_limit: 2 }, bob, cat]/' \
  router.yaml >limit.yaml
run simulate --with limit.yaml "${PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >limit.json
expect_eq "$(json_get limit.json "$(row proposed pools pool sales offered) and $(row proposed agents agent ann offered) <= 2 + 1")" \
  True "ann's sales offers within her limit (plus the walk-in's floor)"
expect_match "$(json_get limit.json "$(row proposed agents agent ann limit_hits)")" '^[1-9]' "ann's limit hits"
expect_eq "$(json_get limit.json "$(row current agents agent ann limit_hits)")" 0 "no limit today"
expect_match "$(json_get limit.json "$(row diff agents agent ann claimed)")" '^-[1-9]' "ann claims fewer"

# 4. bob works afternoons only: no morning offers for him.
sed 's/members: \[ann, bob, cat\]/members: [ann, { agent: bob, shifts: { mon-fri: "13:00-17:00" } }, cat]/' \
  router.yaml >shift.yaml
run simulate --with shift.yaml "${PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >shift.json
expect_match "$(json_get shift.json "$(row current agents agent bob offered)")" '^[1-9]' "bob's offers"
expect_eq "$(json_get shift.json "$(row proposed agents agent bob offered)")" 0 "bob off shift"

# 5. Walk-ins routed to sales: the pick-up of F1 has nothing to pick up and is skipped.
sed 's/^    pool: floor$/    pool: sales/' router.yaml >walk-in.yaml
run simulate --with walk-in.yaml "${PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >walk-in.json
expect_eq "$(json_get walk-in.json "d['proposed']['manual']['skipped']")" "{'picked_up': 1}" "skipped"
expect_eq "$(json_get walk-in.json "$(row proposed rules rule walk-in queued)")" 0 "not queued"
run simulate --with walk-in.yaml "${PERIOD[@]}"
expect_out "proposed assigned 1, closed 1, picked_up 1 skipped."

# 6. CSV: a header, then the rows of each side.
run simulate --with no-cat.yaml "${PERIOD[@]}" --format csv
expect_status 0
expect_eq "$(echo "$OUT" | head -1)" "side,group,name,leads,offered,claimed,declined,expired,assigned,picked_up,share,median_claim_seconds,p90_claim_seconds,defaulted,queued,limit_hits,sla_misses"
expect_match "$OUT" $'\n'"diff,agent,cat,-[0-9]+,-$cat_offers," "cat's diff row"
expect_match "$OUT" $'\n'"recorded,total,,13," "the record's total"
expect_eq "$(echo "$OUT" | grep -c '^proposed,')" 9 "proposed rows: 4 agents, 2 pools, 2 rules, total"

# 7. --sla: every claim after 3 minutes misses it.
run simulate --with router.yaml "${PERIOD[@]}" --sla 3m --format json
expect_status 0
echo "$OUT" >sla.json
expect_eq "$(json_get sla.json "d['sla_seconds']")" 180
expect_eq "$(json_get sla.json "$(row current agents agent bob sla_misses) >= $(row current agents agent bob claimed)")" \
  True "bob claims after 5 minutes"

# 8. The database is exactly as it was.
expect_eq "$(state_of)" "$BEFORE" "the database after simulating"
if [ "$E2E_BACKEND" = sqlite ]; then
  expect_eq "$(sha256sum router.db | cut -d' ' -f1)" "$SUM_BEFORE" "router.db's bytes"
fi

# 9. Bad input: the message, the status, nothing written.
run simulate "${PERIOD[@]}"
expect_status 64
expect_err "router: simulate needs --with NEW.yaml"
run simulate --with missing.yaml "${PERIOD[@]}"
expect_status 78
expect_err "missing.yaml"
printf 'version: 1\nagents:\n  - id: ann\npools:\n  sales:\n    members: [zed]\n' >bad.yaml
run simulate --with bad.yaml "${PERIOD[@]}"
expect_status 78
expect_err "bad.yaml:6:15: error: unknown agent 'zed'"
expect_err "router: bad.yaml: invalid configuration (1 error)"
run simulate --with router.yaml "${PERIOD[@]}" --sla soon
expect_status 64
expect_err "--sla:"
run simulate --with router.yaml --since ${DAY}T12:00:00Z --until ${DAY}T09:00:00Z --now $NOW
expect_status 64
expect_err "--until (${DAY}T09:00:00Z) must be after --since (${DAY}T12:00:00Z)"
run simulate --with router.yaml "${PERIOD[@]}" --format github
expect_status 64
expect_eq "$(state_of)" "$BEFORE" "the database after the refusals"

# 10. The seeds' worked example (seed 003): a group of four set sequentially gets eight leads
#     between 1 pm and 2 pm, two each, in turn. Replayed unchanged, the same; without Lewis,
#     Tom and Stephanie get three; with Denise limited to one a day, Tom gets her second.
reset_db
cat >seeds.yaml <<'YAML'
version: 1
timezone: Europe/London
agents:
  - id: tom
  - id: stephanie
  - id: lewis
  - id: denise
pools:
  group:
    strategy: round_robin
    members: [tom, stephanie, lewis, denise]
rules:
  - name: all
    pool: group
YAML
S=(--config seeds.yaml)
run "${S[@]}" init
expect_status 0
n=0
for t in 13:10 13:13 13:20 13:29 13:35 13:40 13:43 13:47; do
  n=$((n + 1))
  echo "{\"id\":\"S$n\",\"source\":\"web\",\"received_at\":\"2026-11-23T$t:00Z\"}" >lead.jsonl
  "$ROUTER" "${S[@]}" ingest lead.jsonl --now 2026-11-23T$t:00Z >/dev/null
  "$ROUTER" "${S[@]}" assign -q --now 2026-11-23T$t:00Z
done
expect_eq "$(sql "SELECT group_concat(agent, ' ') FROM (SELECT agent FROM leads ORDER BY received_at)")" \
  "tom stephanie lewis denise tom stephanie lewis denise" "the seed's order"
SEED_PERIOD=(--since 2026-11-23 --until 2026-11-24 --now 2026-11-24T00:00:00Z)
owners() {
  json_get "$1" "' '.join('%s=%d' % (r['agent'], r['assigned']) for r in d['$2']['agents'])"
}
run "${S[@]}" simulate --with seeds.yaml "${SEED_PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >seed-same.json
expect_eq "$(owners seed-same.json recorded)" "tom=2 stephanie=2 lewis=2 denise=2"
expect_eq "$(owners seed-same.json current)" "tom=2 stephanie=2 lewis=2 denise=2"
sed 's/members: \[tom, stephanie, lewis, denise\]/members: [tom, stephanie, denise]/' \
  seeds.yaml >no-lewis.yaml
run "${S[@]}" simulate --with no-lewis.yaml "${SEED_PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >no-lewis.json
expect_eq "$(owners no-lewis.json proposed)" "tom=3 stephanie=3 lewis=0 denise=2" "a user removed"
sed 's/members: \[tom, stephanie, lewis, denise\]/members: [tom, stephanie, lewis, { agent: denise, daily_limit: 1 }]/' \
  seeds.yaml >denise-limit.yaml
run "${S[@]}" simulate --with denise-limit.yaml "${SEED_PERIOD[@]}" --format json
expect_status 0
echo "$OUT" >denise-limit.json
expect_eq "$(owners denise-limit.json proposed)" "tom=3 stephanie=2 lewis=2 denise=1" "a daily limit"
# Denise is passed over at her limit for each of the four leads after her first.
expect_eq "$(json_get denise-limit.json "$(row proposed agents agent denise limit_hits)")" 4

finish
