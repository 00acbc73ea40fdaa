# router agent set|metric|list|login|logout|history (SPEC §4, §5: status, presence, limits).
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
source "$E2E_DIR/lib.sh"
source "$E2E_DIR/json.sh"
NOW=2026-11-23T13:10:00Z
NOW_EPOCH=1795439400

cat >router.yaml <<'YAML'
version: 1
timezone: Europe/London
database: router.db
agents:
  - { id: tom, name: Tom Baker }
  - { id: stephanie, name: Stephanie Cole }
  - { id: lewis, name: Lewis Hay }
pools:
  sales:
    strategy: round_robin
    members:
      - tom
      - { agent: stephanie, daily_limit: 2, monthly_limit: 10 }
      - lewis
  online:
    strategy: round_robin
    require_online: true
    members: [tom, lewis]
rules:
  - name: phone
    when: { source: phone }
    pool: online
  - name: all
    pool: sales
YAML
"$ROUTER" init -q || exit 1
lead() { printf '{"id":"%s","source":"%s","received_at":"%s"}\n' "$1" "$2" "$3"; }

# `agent` needs a subcommand; each subcommand needs its agent.
run agent --now $NOW
expect_status 64
run agent set --status away --now $NOW
expect_status 64
run agent frobnicate tom --now $NOW
expect_status 64

# A leave with an end: agent_state upserted and the change logged, in one go.
run agent set stephanie --status leave --until 2026-11-25T09:00:00Z --now $NOW
expect_status 0
expect_eq "$OUT" "stephanie: leave until 2026-11-25T09:00:00Z (was available)" "set leave"
expect_eq "$(sql "SELECT status, until, online, updated_at FROM agent_state WHERE agent = 'stephanie'")" \
  "leave|1795597200|0|$NOW_EPOCH" "agent_state row"
expect_eq "$(sql "SELECT agent, at, kind, value, detail FROM agent_log")" \
  "stephanie|$NOW_EPOCH|status|leave|{\"previous\":\"available\",\"until\":\"2026-11-25T09:00:00Z\"}" "agent_log row"

# Refused before anything is written: --until without leave or in the past, bad values, unknown agent.
run agent set tom --status away --until 2026-11-25T09:00:00Z --now $NOW
expect_status 64
expect_err "--until is only for --status leave"
run agent set tom --status leave --until 2026-11-23T13:00:00Z --now $NOW
expect_status 64
expect_err "is not in the future"
run agent set tom --status leave --until tomorrow --now $NOW
expect_status 64
expect_err "not an RFC 3339 time"
run agent set tom --status holiday --now $NOW
expect_status 64
run agent set tomm --status away --now $NOW
expect_status 1
expect_eq "$ERR" "router: no agent 'tomm' (did you mean 'tom'?)" "unknown agent"
expect_eq "$(sql "SELECT count(*) FROM agent_log")" "1" "nothing more logged"
expect_eq "$(sql "SELECT count(*) FROM agent_state")" "1" "no other state rows"

# The next assign skips her: status is the first exclusion.
{ lead W-1 web 2026-11-23T12:00:00Z; lead W-2 web 2026-11-23T12:01:00Z; lead W-3 web 2026-11-23T12:02:00Z; } >day1.jsonl
"$ROUTER" ingest -q day1.jsonl --now $NOW || exit 1
run assign --now $NOW
expect_status 0
expect_eq "$(sql "SELECT group_concat(agent, ',') FROM (SELECT agent FROM leads WHERE id LIKE 'W-%' ORDER BY id)")" \
  "tom,lewis,tom" "leave skipped"
run explain W-1 --now $NOW
expect_out "stephanie  on leave until 2026-11-25T09:00:00Z [status]"

# The listing shows her leave; JSON has the same rows.
run agent list --now $NOW
expect_status 0
expect_match "$(printf '%s\n' "$OUT" | sed -n 1p)" "^AGENT +NAME +STATUS +UNTIL +ONLINE +OPEN +TODAY +MONTH +LIMITS" "list header"
expect_match "$(printf '%s\n' "$OUT" | grep '^stephanie')" "^stephanie +Stephanie Cole +leave +2026-11-25T09:00:00Z +no +0 +0 +0 +sales 0/2 0/10$" "stephanie row"
expect_match "$(printf '%s\n' "$OUT" | grep '^tom')" "^tom +Tom Baker +available +- +no +2 +2 +2 +-$" "tom row"
run agent list --format json --now $NOW
expect_status 0
expect_eq "$(json_get "$OUT" '[1]["status"]')" "leave" "json status"
expect_eq "$(json_get "$OUT" '[1]["until"]')" "2026-11-25T09:00:00Z" "json until"
expect_eq "$(json_get "$OUT" '[0]["assigned"]')" "2" "json assigned"
expect_eq "$(json_get "$OUT" '[1]["pools"]')" \
  '[{"pool":"sales","today":0,"daily_limit":2,"month":0,"monthly_limit":10}]' "json pools"

# Once `until` has passed the leave is over by itself: listed available, and routed to.
LATER=2026-11-25T10:00:00Z
lead W-4 web 2026-11-25T09:30:00Z >day2.jsonl
"$ROUTER" ingest -q day2.jsonl --now $LATER || exit 1
run assign --now $LATER
expect_status 0
expect_eq "$(sql "SELECT agent FROM leads WHERE id = 'W-4'")" "stephanie" "leave ended"
run agent list --now $LATER
expect_match "$(printf '%s\n' "$OUT" | grep '^stephanie')" "^stephanie +Stephanie Cole +available +- +no +1 +1 +1 +sales 1/2 1/10$" "after leave"

# Presence: require_online pools only route to logged-in members.
lead P-1 phone 2026-11-25T09:40:00Z >phone.jsonl
"$ROUTER" ingest -q phone.jsonl --now $LATER || exit 1
run agent login lewis --now $LATER
expect_status 0
expect_eq "$OUT" "lewis: logged in" "login"
run agent login lewis --now $LATER
expect_eq "$OUT" "lewis: already logged in" "login twice"
run assign --now $LATER
expect_eq "$(sql "SELECT agent FROM leads WHERE id = 'P-1'")" "lewis" "online member chosen"
run explain P-1 --now $LATER
expect_out "  excluded     tom  not logged in [not_logged_in]"
run agent logout lewis --now 2026-11-25T18:00:00Z --format json
expect_status 0
expect_eq "$OUT" '{"agent":"lewis","online":false,"changed":true}' "logout json"
expect_eq "$(sql "SELECT online FROM agent_state WHERE agent = 'lewis'")" "0" "online cleared"
expect_eq "$(sql "SELECT group_concat(kind, ',') FROM (SELECT kind FROM agent_log WHERE agent = 'lewis' ORDER BY seq)")" \
  "login,logout" "one row per change"
run agent logout lewis --now 2026-11-25T18:00:00Z
expect_status 0
expect_eq "$OUT" "lewis: already logged out" "logout twice"
expect_eq "$(sql "SELECT count(*) FROM agent_log WHERE agent = 'lewis'")" "2" "no row for no change"

# History: every status and presence change, oldest first.
run agent set lewis --status away --now 2026-11-25T18:05:00Z -q
expect_status 0
expect_no_out
run agent history lewis --now $LATER
expect_status 0
expect_eq "$OUT" "TIME                  KIND    VALUE  DETAILS
2026-11-25T10:00:00Z  login   -      -
2026-11-25T18:00:00Z  logout  -      -
2026-11-25T18:05:00Z  status  away   previous=available" "history text"
run agent history lewis --format json --now $LATER
expect_eq "$(json_get "$OUT" '[2]')" \
  '{"seq":4,"at":"2026-11-25T18:05:00Z","kind":"status","value":"away","detail":{"previous":"available","until":null}}' "history json"
run agent history tom --now $LATER
expect_eq "$OUT" "tom: no history yet" "empty history"
run agent history lewiss --now $LATER
expect_status 1
expect_err "did you mean 'lewis'?"

# Metrics: every pair checked first; a bad one names itself and nothing is written.
run agent metric tom pending=3 score=4.5 --now $LATER
expect_status 0
expect_eq "$OUT" "tom: pending=3, score=4.5" "metric"
# Stored as numbers: sqlite3 prints a REAL 3 as 3.0, psql a double precision as 3.
three=3.0
[ "$E2E_BACKEND" = sqlite ] || three=3
expect_eq "$(sql "SELECT key || '=' || value || ':' || typeof(value) FROM agent_metrics WHERE agent = 'tom' ORDER BY key" | tr '\n' ' ')" \
  "pending=$three:real score=4.5:real " "metrics stored"
run agent metric tom pending=1 score=high --now $LATER
expect_status 64
expect_err "bad metric 'score=high': VALUE must be a number"
run agent metric tom Pending=1 --now $LATER
expect_status 64
expect_err "bad metric 'Pending=1'"
expect_eq "$(sql "SELECT value FROM agent_metrics WHERE agent = 'tom' AND key = 'pending'")" "$three" "unchanged"
run agent metric tom --now $LATER
expect_status 64
run agent metric jane pending=1 --now $LATER
expect_status 1
run agent metric tom pending=2 --format json --now $LATER
expect_eq "$OUT" '{"agent":"tom","metrics":{"pending":2.0}}' "metric json"

finish
