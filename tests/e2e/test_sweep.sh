# router sweep (SPEC §6): expiry in business time, max_offers and on_exhausted, broadcast,
# take-backs, stale_after and touch, leaves, configuration changes, idempotence, dry run,
# metrics file.
source "$(dirname "$0")/lib.sh"
# Every text line of a sweep starts with the run's time, for the log file cron appends to.
# Checked here for every run (each line, exactly --now), then taken off so the checks
# below read the lines themselves.
eval "$(declare -f run | sed '1s/^run/plain_run/')"
run() {
  plain_run "$@"
  local now="" arg prev="" json=""
  for arg in "$@"; do
    [ "$prev" = --now ] && now=$arg
    [ "$prev" = --format ] && [ "$arg" = json ] && json=1
    prev=$arg
  done
  if [ "$1" = sweep ] && [ -z "$json" ] && [ -n "$OUT" ] && [ -n "$now" ]; then
    expect_eq "$(printf '%s\n' "$OUT" | grep -vc "^$now ")" "0" "every sweep line starts with the run's time"
    OUT=$(printf '%s\n' "$OUT" | sed "s/^$now //")
  fi
}
ts() { date -u -d "$1" +%s; }
FRI_1655=2026-11-20T16:55:00Z  # a Friday; office hours end 17:00 (Europe/London = UTC now)
MON=2026-11-23

# A fresh database with the test configuration (or the one given).
fresh() {
  reset_db
  cp "${1:-$TEST_DATA/sweep.yaml}" router.yaml
  "$ROUTER" init -q || exit 1
}
lead() { printf '{"id":"%s","source":"%s"}\n' "$1" "$2" | "$ROUTER" ingest -q --now "$3" || exit 1; }
state() { sql "SELECT state || '|' || coalesce(agent, '-') || '|' || coalesce(pool, '-') FROM leads WHERE id = '$1'"; }
open_offers() { sql "SELECT group_concat(agent || '@' || deadline, ' ') FROM (SELECT * FROM offers WHERE lead_id = '$1' AND state = 'open' ORDER BY id)"; }
snapshot() { sql "SELECT count(*), max(seq) FROM events; SELECT group_concat(id || state || coalesce(CAST(ended_at AS TEXT), '')) FROM offers; SELECT group_concat(id || state || coalesce(agent, '') || attempts) FROM leads; SELECT group_concat(pool || agent || period || count) FROM usage"; }

# --- Expiry: the next member, with a window starting at the expiry, in business time.
fresh
lead W1 web $FRI_1655
run sweep --now $FRI_1655
expect_status 0
expect_match "$OUT" "^W1 +offered +tom +sales +web +rule  until $MON""T09:10:00Z$" "Friday 16:55 + 15m"
expect_eq "$(sql "SELECT deadline FROM leads WHERE id = 'W1'")" "$(ts ${MON}T09:10:00Z)" "lead deadline"
# Idempotent: the same --now again changes and prints nothing.
before=$(snapshot)
run sweep --now $FRI_1655
expect_status 0
expect_no_out
expect_eq "$(snapshot)" "$before" "second run writes nothing"
# Nothing is due a second before the deadline (the weekend does not count).
run sweep --now ${MON}T09:09:59Z
expect_no_out
run sweep --now ${MON}T09:10:00Z
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p | tr -s ' ')" "W1 expired tom sales web claim_timeout" "expiry line"
expect_match "$(printf '%s\n' "$OUT" | sed -n 2p)" "^W1 +offered +ann +sales +web +expired  until ${MON}T09:25:00Z$" "re-offer line"
expect_eq "$(printf '%s\n' "$OUT" | wc -l)" "2" "two lines"
expect_eq "$(open_offers W1)" "ann@$(ts ${MON}T09:25:00Z)" "new window from the expiry"
expect_eq "$(sql "SELECT state, ended_at FROM offers WHERE lead_id = 'W1' AND agent = 'tom'")" "expired|$(ts ${MON}T09:10:00Z)" "tom's offer"
expect_eq "$(sql "SELECT attempts FROM leads WHERE id = 'W1'")" "2" "attempts"
expect_eq "$(sql "SELECT json_extract(detail, '$.reason') || ' ' || json_extract(detail, '$.deadline') FROM events WHERE lead_id = 'W1' AND type = 'expired'")" \
  "claim_timeout ${MON}T09:10:00Z" "expired event"
expect_eq "$(sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = 'W1' AND type = 'offered' ORDER BY seq DESC LIMIT 1")" "expired" "offered event reason"
# Usage is given back for the expired offer (counted on Friday), counted for the new one.
expect_eq "$(sql "SELECT group_concat(agent || ':' || period || '=' || count, ' ') FROM (SELECT * FROM usage ORDER BY agent, period)")" \
  "ann:D2026-11-23=1 ann:M2026-11=1 tom:D2026-11-20=0 tom:M2026-11=0" "usage"
before=$(snapshot)
run sweep --now ${MON}T09:10:00Z
expect_no_out
expect_eq "$(snapshot)" "$before" "second run at the expiry writes nothing"

# --- max_offers 2 reached: on_exhausted default gives the lead to the default (jane).
run sweep --now ${MON}T09:25:00Z
expect_status 0
expect_out "W1            expired   ann"
expect_match "$OUT" "W1 +assigned +jane +sales +web +exhausted" "exhausted to default"
expect_eq "$(state W1)" "assigned|jane|sales" "lead after exhaustion"
expect_eq "$(sql "SELECT count(*) FROM offers WHERE lead_id = 'W1' AND state = 'open'")" "0" "no open offer"
expect_eq "$(sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = 'W1' AND type = 'assigned'")" "exhausted" "assigned event"

# --- on_exhausted queue (support: max_offers 1, no schedule: wall-clock window).
lead P1 phone ${MON}T10:00:00Z
run sweep --now ${MON}T10:00:00Z
expect_match "$OUT" "^P1 +offered +tom +support +phone +rule  until ${MON}T10:15:00Z$" "support offer"
run sweep --now ${MON}T10:15:00Z
expect_match "$OUT" "P1 +queued +- +support +phone +exhausted" "exhausted to queue"
expect_eq "$(state P1)" "queued|-|-" "manual queue"
expect_eq "$(sql "SELECT json_extract(detail, '$.reason') || ' ' || quote(pool) FROM events WHERE lead_id = 'P1' AND type = 'queued'")" "exhausted NULL" "queued event"

# --- Broadcast: every offer of the lead expires together; everyone eligible was offered, so
# the lead goes to on_exhausted (queue).
lead C1 chat ${MON}T10:00:00Z
run sweep --now ${MON}T10:00:00Z
expect_eq "$(open_offers C1)" "tom@$(ts ${MON}T10:10:00Z) ann@$(ts ${MON}T10:10:00Z)" "broadcast offers"
expect_eq "$(state C1)" "offered|-|blast" "broadcast lead has no single agent"
run sweep --now ${MON}T10:10:00Z
expect_eq "$(printf '%s\n' "$OUT" | grep -c ' expired ')" "2" "both offers expired"
expect_match "$OUT" "C1 +queued +- +blast +chat +exhausted" "broadcast exhausted"
expect_eq "$(state C1)" "queued|-|-" "broadcast lead queued"
expect_eq "$(sql "SELECT count(*) FROM events WHERE lead_id = 'C1' AND type = 'expired'")" "2" "expired events"
run sweep --now ${MON}T10:10:00Z
expect_no_out

# --- An agent who becomes unavailable loses their open offers; the lead moves on.
fresh
lead W2 web ${MON}T11:00:00Z
run sweep --now ${MON}T11:00:00Z
expect_eq "$(state W2)" "offered|tom|sales" "offered to tom"
"$ROUTER" agent set tom --status away --now ${MON}T11:04:00Z -q || exit 1
run sweep --now ${MON}T11:05:00Z
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p | tr -s ' ')" "W2 withdrawn tom sales web agent_unavailable" "take-back line"
expect_match "$(printf '%s\n' "$OUT" | sed -n 2p)" "^W2 +offered +ann +sales +web +agent_unavailable  until ${MON}T11:20:00Z$" "offered on"
expect_eq "$(sql "SELECT state FROM offers WHERE lead_id = 'W2' AND agent = 'tom'")" "withdrawn" "tom's offer withdrawn"
expect_eq "$(sql "SELECT count FROM usage WHERE agent = 'tom' AND period = 'D2026-11-23'")" "0" "tom's usage given back"
run sweep --now ${MON}T11:05:00Z
expect_no_out
# Logged out of a pool that requires being online.
"$ROUTER" agent login sue --now ${MON}T11:09:00Z -q || exit 1
"$ROUTER" agent login bob --now ${MON}T11:09:00Z -q || exit 1
lead D1 desk ${MON}T11:10:00Z
run sweep --now ${MON}T11:10:00Z
expect_eq "$(state D1)" "offered|sue|desk" "offered to sue"
"$ROUTER" agent logout sue --now ${MON}T11:10:30Z -q || exit 1
run sweep --now ${MON}T11:11:00Z
expect_match "$OUT" "D1 +withdrawn +sue +desk +desk +agent_unavailable" "logged out"
expect_eq "$(state D1)" "offered|bob|desk" "offered to bob"

# --- Leaves end by themselves: status back to available, logged.
"$ROUTER" agent set tom --status leave --until ${MON}T11:15:00Z --now ${MON}T11:12:00Z -q || exit 1
run sweep --now ${MON}T11:14:59Z
expect_no_out
run sweep --now ${MON}T11:15:00Z
expect_eq "$(printf '%s\n' "$OUT" | tr -s ' ')" "tom available leave ended (until ${MON}T11:15:00Z)" "leave line"
expect_eq "$(sql "SELECT status, quote(until) FROM agent_state WHERE agent = 'tom'")" "available|NULL" "agent state"
expect_eq "$(sql "SELECT kind, value, json_extract(detail, '$.reason') FROM agent_log WHERE agent = 'tom' ORDER BY seq DESC LIMIT 1")" "status|available|leave_ended" "agent log"
run sweep --now ${MON}T11:15:00Z
expect_no_out

# --- stale_after (2h of business time): untouched assigned leads are routed again, the
# owner excluded, in a new round; touch restarts the clock.
fresh
lead W3 web 2026-11-20T16:00:00Z
run sweep --now 2026-11-20T16:00:00Z
run claim W3 --agent tom --now 2026-11-20T16:01:00Z
expect_status 0
# Friday 16:01 + 2h of office time = Monday 10:01.
run sweep --now ${MON}T10:00:59Z
expect_no_out
run touch W3 --agent tom --now ${MON}T09:30:00Z
expect_status 0
expect_eq "$OUT" "W3: touched at ${MON}T09:30:00Z" "touch output"
run sweep --now ${MON}T10:01:00Z
expect_no_out
run sweep --now ${MON}T11:29:59Z
expect_no_out
run sweep --now ${MON}T11:30:00Z
expect_status 0
expect_match "$OUT" "^W3 +offered +ann +sales +web +stale  until ${MON}T11:45:00Z$" "stale re-offer"
expect_eq "$(sql "SELECT group_concat(agent || ':' || round, ' ') FROM offers WHERE lead_id = 'W3'")" "tom:0 ann:1" "new round"
expect_eq "$(sql "SELECT attempts FROM leads WHERE id = 'W3'")" "1" "attempts restart"
expect_eq "$(sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = 'W3' AND type = 'offered' ORDER BY seq DESC LIMIT 1")" "stale" "offered event reason"
run sweep --now ${MON}T11:30:00Z
expect_no_out
# In the new round tom (offered only in round 0) may be offered again; ann is excluded.
run sweep --now ${MON}T11:45:00Z
expect_match "$OUT" "W3 +offered +bob +sales +web +expired" "next in the new round"

# --- Configuration changes: a member removed from the pool loses the offer; a pool removed
# sends its queued leads to the manual queue.
fresh
lead W4 web ${MON}T13:00:00Z
lead K1 walkin ${MON}T13:00:00Z
run sweep --now ${MON}T13:00:00Z
expect_eq "$(state W4)" "offered|tom|sales" "offered to tom"
expect_eq "$(state K1)" "queued|-|walkins" "queued in the open pool"
sed -e 's/members: \[tom, ann, bob\]/members: [ann, bob]/' -e '/^  walkins:/,/^$/d' \
  -e '/name: walkin,/d' "$TEST_DATA/sweep.yaml" >router.yaml
run validate
expect_status 0
run sweep --now ${MON}T13:01:00Z
expect_status 0
expect_match "$OUT" "W4 +withdrawn +tom +sales +web +config_changed" "member removed"
expect_match "$OUT" "W4 +offered +ann +sales +web +config_changed" "offered on within the pool"
expect_match "$OUT" "K1 +queued +- +- +walkin +config_changed" "pool removed"
expect_eq "$(state K1)" "queued|-|-" "manual queue"
expect_eq "$(sql "SELECT json_extract(detail, '$.reason') FROM events WHERE lead_id = 'K1' ORDER BY seq DESC LIMIT 1")" "config_changed" "queued event"
run sweep --now ${MON}T13:01:00Z
expect_no_out

# A pool removed takes back the offer its lead holds. An offer made afterwards under the old
# configuration (a process still running it) is taken back by the next sweep too, although
# the sweep's own configuration has not changed since its last run.
fresh
lead P1 phone ${MON}T13:00:00Z
run sweep --now ${MON}T13:00:00Z
expect_eq "$(state P1)" "offered|tom|support" "offered in support"
cp router.yaml old.yaml
sed -e '/^  support:/,/^  blast:/{/^  blast:/!d}' -e '/name: phone,/d' "$TEST_DATA/sweep.yaml" >router.yaml
run validate
expect_status 0
run sweep --now ${MON}T13:01:00Z
expect_status 0
expect_match "$OUT" "P1 +withdrawn +tom +support +phone +config_changed" "pool removed: offer taken back"
expect_eq "$(state P1)" "queued|-|-" "to the manual queue"
run sweep --now ${MON}T13:01:00Z
expect_no_out
lead P2 phone ${MON}T13:02:00Z
run assign --config old.yaml --now ${MON}T13:02:00Z
expect_eq "$(state P2)" "offered|ann|support" "offered under the old configuration"
run sweep --now ${MON}T13:03:00Z
expect_status 0
expect_match "$OUT" "P2 +withdrawn +ann +support +phone +config_changed" "taken back by the next sweep"
expect_eq "$(state P2)" "queued|-|-" "to the manual queue too"
run sweep --now ${MON}T13:04:00Z
expect_no_out
# Offers made under the sweep's own configuration are looked at once: the next sweep moves
# its mark past their trails, so later sweeps do not read every decision made since the
# last change of configuration again. One made under the old one after that still counts.
lead P3 web ${MON}T13:05:00Z
run sweep --now ${MON}T13:05:00Z
expect_match "$OUT" "P3 +offered " "routed under the sweep's configuration"
run sweep --now ${MON}T13:06:00Z
expect_no_out
expect_eq "$(sql "SELECT value FROM meta WHERE key = 'sweep.offers_seq'")" \
  "$(sql "SELECT max(seq) FROM trails")" "the checked mark moved past the new trails"
lead P4 phone ${MON}T13:07:00Z
run assign --config old.yaml --now ${MON}T13:07:00Z
expect_eq "$(state P4)" "offered|tom|support" "offered under the old configuration again"
run sweep --now ${MON}T13:08:00Z
expect_match "$OUT" "P4 +withdrawn +tom +support +phone +config_changed" "taken back after the mark moved"

# --- --dry-run decides and prints, writes nothing; JSON Lines.
fresh
lead W5 web ${MON}T14:00:00Z
lead W6 web ${MON}T14:00:00Z
run sweep --now ${MON}T14:00:00Z
lead W7 web ${MON}T14:10:00Z
before=$(snapshot)
run sweep --dry-run --now ${MON}T14:15:00Z
expect_status 0
expect_eq "$(snapshot)" "$before" "dry run writes nothing"
expect_eq "$(printf '%s\n' "$OUT" | tail -1)" "dry run: 5 changes decided, nothing written" "dry run summary"
dry=$(printf '%s\n' "$OUT" | sed '$d')
run sweep --now ${MON}T14:15:00Z --seed 1
expect_eq "$OUT" "$dry" "the real run does what the dry run said"
run sweep --dry-run --now ${MON}T14:15:00Z
expect_no_out
lead W8 web ${MON}T14:20:00Z
run sweep --now ${MON}T14:30:00Z --format json
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | jq -c '[.action, .step, .lead, (.agent // .agents)]' | tr '\n' ' ')" \
  '["expired","expiry","W5","bob"] ["expired","expiry","W6","tom"] ["expired","expiry","W7","ann"] ["routed","expiry","W5",["jane"]] ["routed","expiry","W6",["jane"]] ["routed","expiry","W7",["bob"]] ["routed","pending","W8",["tom"]] ' "json lines"
expect_eq "$(printf '%s\n' "$OUT" | jq -r .at | sort -u)" "${MON}T14:30:00Z" "every JSON line carries the run's time as at"

# --- --metrics-file: Prometheus text, written atomically; not on a dry run.
mkdir metrics
run sweep --now ${MON}T14:45:00Z --metrics-file metrics/router.prom
expect_status 0
m=$(cat metrics/router.prom)
expect_match "$m" "router_sweep_last_success_timestamp_seconds $(ts ${MON}T14:45:00Z)" "last success"
expect_match "$m" $'\nrouter_sweep_duration_seconds [0-9]+\\.[0-9]{6}\n' "duration"
expect_match "$m" 'router_sweep_last_run_leads_handled\{outcome="expired"\} 2' "handled expired"
expect_match "$m" 'router_sweep_last_run_leads_handled\{outcome="assigned"\} 1' "handled assigned (exhausted)"
expect_match "$m" 'router_sweep_last_run_leads_handled\{outcome="offered"\} 1' "handled offered"
expect_match "$m" 'router_sweep_last_run_leads_handled\{outcome="stale"\} 0' "zero outcomes written"
expect_match "$m" "# TYPE router_queue_depth gauge"$'\n'"router_queue_depth 0" "queue depth"
expect_match "$m" "router_oldest_pending_lead_timestamp_seconds $(ts ${MON}T14:45:00Z)" "nothing pending"
expect_eq "$(grep -vc '^#' metrics/router.prom)" "26" "samples"
# Counters: every expiry this database has seen (each made by a sweep; dry runs add none),
# typed counter so Prometheus can rate() them.
metric() { sed -n "s/^$1 //p" metrics/router.prom; }
expect_eq "$(metric 'router_sweep_leads_handled_total{outcome="expired"}')" \
  "$(sql "SELECT count(*) FROM events WHERE type = 'expired'")" "expired total = expired events"
expect_eq "$(grep -c '^# TYPE router_sweep_leads_handled_total counter$' metrics/router.prom)" "1" "typed counter"
expect_eq "$(grep -c '^# TYPE router_sweep_leaves_ended_total counter$' metrics/router.prom)" "1" "leaves counter"
totals_before=$(grep '^router_sweep_leads_handled_total' metrics/router.prom)
expect_eq "$(ls -A metrics)" "router.prom" "no temporary file left"
expect_eq "$(stat -c %a metrics/router.prom)" "644" "readable by a scraper"
lead P2 phone ${MON}T15:00:00Z
sql "INSERT INTO leads(id, source, received_at) VALUES ('CRM-1', 'fax', $(ts ${MON}T14:50:00Z))"
run sweep --now ${MON}T15:00:00Z --metrics-file metrics/router.prom -q
expect_no_out
expect_match "$(cat metrics/router.prom)" "router_queue_depth 1" "queue depth after a no_rule lead"
# The counters grew by exactly what this run handled.
grown=$(paste <(printf '%s\n' "$totals_before") <(grep '^router_sweep_leads_handled_total' metrics/router.prom) |
  awk '{ print $4 - $2 }' | tr '\n' ' ')
expect_eq "$grown" "$(grep '^router_sweep_last_run_leads_handled' metrics/router.prom | awk '{ printf "%s ", $2 }')" \
  "counters grew by the run's figures"
# A temporary file of a killed run (its pid is gone) is cleaned by the next; a live
# writer's is left alone.
touch metrics/.router.prom.tmp-999999999 metrics/.router.prom.tmp-$$
run sweep --now ${MON}T15:00:00Z --metrics-file metrics/router.prom -q
expect_status 0
expect_eq "$(ls -A metrics | tr '\n' ' ')" ".router.prom.tmp-$$ router.prom " "killed run's temporary file removed"
rm metrics/.router.prom.tmp-$$
run sweep --dry-run --now ${MON}T16:00:00Z --metrics-file metrics/other.prom
expect_eq "$(ls -A metrics)" "router.prom" "dry run writes no metrics"
run sweep --now ${MON}T16:00:00Z --metrics-file nosuchdir/router.prom
expect_status 74
expect_err "cannot write metrics file nosuchdir/router.prom"

# --- Under systemd ($JOURNAL_STREAM names the stream on fd 1 or 2) the journal stamps each
# line itself: no time in front, and errors carry the syslog priority <3>.
lead J1 web ${MON}T16:01:00Z
: >journal.out
JOURNAL_STREAM=$(stat -c %d:%i journal.out) "$ROUTER" sweep --now ${MON}T16:01:00Z >>journal.out
expect_match "$(cat journal.out)" "^J1 +offered +" "journal: the line as is, no time"
: >journal.err
JOURNAL_STREAM=$(stat -c %d:%i journal.err) "$ROUTER" sweep --now ${MON}T16:02:00Z \
  --metrics-file nosuchdir/router.prom 2>>journal.err
expect_match "$(cat journal.err)" "^<3>router: cannot write metrics file nosuchdir/router.prom" "journal: error priority"
# A $JOURNAL_STREAM naming some other stream (inherited by a child) changes nothing.
lead J2 web ${MON}T16:03:00Z
JOURNAL_STREAM=1:1 "$ROUTER" sweep --now ${MON}T16:03:00Z >other.out 2>other.err
expect_match "$(cat other.out)" "^${MON}T16:03:00Z J2 +offered +" "not the journal: stamped"
JOURNAL_STREAM=1:1 "$ROUTER" sweep --now ${MON}T16:04:00Z --metrics-file nosuchdir/x.prom 2>other.err
expect_match "$(cat other.err)" "^router: cannot write" "not the journal: no priority"

# --- The same take-back with no pool that requires being online (the sweep then reads only
# the agents whose status is not `available`): a logged-in agent keeps the offer, an away
# one loses it.
sed '/require_online/d' "$TEST_DATA/sweep.yaml" >noonline.yaml
fresh noonline.yaml
lead U1 web ${MON}T12:00:00Z
run sweep --now ${MON}T12:00:00Z
expect_eq "$(state U1)" "offered|tom|sales" "no online pools: offered to tom"
"$ROUTER" agent login tom --now ${MON}T12:01:00Z -q || exit 1
run sweep --now ${MON}T12:02:00Z
expect_no_out
"$ROUTER" agent set tom --status away --now ${MON}T12:03:00Z -q || exit 1
run sweep --now ${MON}T12:04:00Z
expect_eq "$(printf '%s\n' "$OUT" | sed -n 1p | tr -s ' ')" "U1 withdrawn tom sales web agent_unavailable" "no online pools: away loses the offer"
expect_eq "$(state U1)" "offered|ann|sales" "no online pools: offered on"

# --- Offers due in several pools in one sweep: each lead goes on in its own pool, from where
# that pool's rotation stands (a batch reads the state of its offers' pools only). Support
# offers twice here, so both pools choose a member.
sed 's/^    max_offers: 1$/    max_offers: 2/' "$TEST_DATA/sweep.yaml" >several.yaml
fresh several.yaml
lead M1 web ${MON}T11:00:00Z
lead M2 phone ${MON}T11:00:00Z
run sweep --now ${MON}T11:00:00Z
lead M3 web ${MON}T11:05:00Z
run sweep --now ${MON}T11:05:00Z
expect_eq "$(state M1) $(state M2) $(state M3)" "offered|tom|sales offered|tom|support offered|ann|sales" "several pools: first offers"
run sweep --now ${MON}T11:15:00Z
expect_status 0
expect_match "$OUT" "M1 +offered +bob +sales +web +expired  until ${MON}T11:30:00Z" "several pools: sales goes on past ann to bob"
expect_match "$OUT" "M2 +offered +ann +support +phone +expired  until ${MON}T11:30:00Z" "several pools: support goes on to ann"
expect_eq "$(state M1) $(state M2) $(state M3)" "offered|bob|sales offered|ann|support offered|ann|sales" "several pools: after the sweep"
expect_eq "$(sql "SELECT group_concat(pool || ':' || agent || '=' || count, ' ') FROM (SELECT * FROM usage WHERE period LIKE 'D%' ORDER BY pool, agent)")" \
  "sales:ann=1 sales:bob=1 sales:tom=0 support:ann=1 support:tom=0" "several pools: usage per pool"

finish
