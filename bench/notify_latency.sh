#!/usr/bin/env bash
# Latency of `router notify --follow` (issue 12): from the moment `router assign` starts
# offering a lead to the moment a local webhook receiver (tests/e2e/webhook_server.py)
# gets that offer. Target: under 2 s. Prints the median, the 90th percentile and the
# worst of N leads (default 30), and exits 1 when the median misses the target.
#   bench/notify_latency.sh [N]        ROUTER=path/to/router to skip the Release build
set -euo pipefail
source "$(dirname "$0")/lib.sh"
N=${1:-30}
build_router
command -v python3 >/dev/null || { echo "bench: python3 is needed" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER=""
FOLLOW=""
cleanup() {
  [[ -n $FOLLOW ]] && kill "$FOLLOW" 2>/dev/null && wait "$FOLLOW" 2>/dev/null
  [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK"

python3 "$ROOT/tests/e2e/webhook_server.py" --port-file port --log hook.log --secret s3cret &
SERVER=$!
for _ in $(seq 100); do [[ -s port ]] && break; sleep 0.05; done
cat >router.yaml <<YAML
timezone: UTC
database: router.db
pools:
  sales: { members: [ann, bob], claim_timeout: 15m }
rules:
  - { name: all, pool: sales }
agents:
  - { id: ann }
  - { id: bob }
notifications:
  webhooks:
    crm: { url: "http://127.0.0.1:$(cat port)/hook", secret_env: ROUTER_WEBHOOK_SECRET, timeout: 5s }
  rules:
    - { events: [offered], webhook: crm }
YAML
export ROUTER_WEBHOOK_SECRET=s3cret ROUTER_CACHE_DIR=$WORK/cache
"$ROUTER" init -q
# The real clock: --follow polls the database and delivers as events arrive.
"$ROUTER" notify --follow -q >follow.log 2>&1 &
FOLLOW=$!
sleep 0.5

: >starts
for i in $(seq "$N"); do
  printf '{"id":"B%03d","source":"web"}\n' "$i" | "$ROUTER" ingest - -q
  echo "B$(printf %03d "$i") $(date +%s.%N)" >>starts
  "$ROUTER" assign -q
  # Spread the offers over the poll interval.
  sleep "0.$((RANDOM % 9 + 1))"
done
for _ in $(seq 100); do
  [[ $(grep -c '"path"' hook.log 2>/dev/null || true) -ge $N ]] && break
  sleep 0.1
done

python3 - "$N" <<'PY'
import json, statistics, sys
n = int(sys.argv[1])
start = dict((l.split()[0], float(l.split()[1])) for l in open("starts"))
got = {}
bad = 0
for line in open("hook.log"):
    r = json.loads(line)
    lead = json.loads(r["body"])["lead"]
    got.setdefault(lead, r["time"])
    bad += 0 if r.get("signature_ok") else 1
lat = sorted(got[k] - start[k] for k in start if k in got)
missing = n - len(lat)
if not lat:
    print("notify latency: nothing delivered"); sys.exit(1)
med = statistics.median(lat)
p90 = lat[min(len(lat) - 1, int(0.9 * len(lat)))]
print(f"notify --follow latency, offer to webhook received, {len(lat)} leads: "
      f"median {med:.3f} s, p90 {p90:.3f} s, max {lat[-1]:.3f} s; missing {missing}; "
      f"bad signatures {bad}; target median < 2 s")
sys.exit(0 if med < 2 and missing == 0 and bad == 0 else 1)
PY
