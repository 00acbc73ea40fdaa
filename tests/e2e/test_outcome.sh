# router outcome LEAD won|lost: closes assigned leads; feeds best_close_rate (SPEC §4, §5).
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
source "$E2E_DIR/lib.sh"
source "$E2E_DIR/json.sh"
NOW=2026-11-23T13:10:00Z
NOW_EPOCH=1795439400

cat >router.yaml <<'YAML'
version: 1
database: router.db
agents:
  - id: ann
  - id: bob
  - id: cat
pools:
  closers:
    strategy: best_close_rate
    members: [ann, bob]
  offers:
    strategy: round_robin
    claim_timeout: 15m
    members: [cat]
rules:
  - name: phone
    when: { source: phone }
    pool: offers
  - name: web
    pool: closers
YAML
"$ROUTER" init -q || exit 1
lead() { printf '{"id":"%s","source":"%s","received_at":"%s"}\n' "$1" "$2" "$3"; }

{ lead L-1 web 2026-11-23T12:00:00Z; lead L-2 web 2026-11-23T12:01:00Z; lead P-1 phone 2026-11-23T12:02:00Z; } >leads.jsonl
"$ROUTER" ingest -q leads.jsonl --now $NOW || exit 1
"$ROUTER" assign -q --now $NOW || exit 1
# No outcomes yet: a tie, broken by rotation.
expect_eq "$(sql "SELECT id || ':' || agent FROM leads WHERE source = 'web' ORDER BY id" | tr '\n' ' ')" \
  "L-1:ann L-2:bob " "tie broken by rotation"

# Closing: state closed, owner kept, an outcomes row and a `closed` event, all at --now.
run outcome L-1 lost --now $NOW
expect_status 0
expect_eq "$OUT" "L-1: closed as lost (ann)" "text"
expect_eq "$(sql "SELECT state, agent, pool, rule, updated_at FROM leads WHERE id = 'L-1'")" \
  "closed|ann|closers|web|$NOW_EPOCH" "lead row"
expect_eq "$(sql "SELECT lead_id, agent, outcome, at FROM outcomes")" "L-1|ann|lost|$NOW_EPOCH" "outcomes row"
expect_eq "$(sql "SELECT type, agent, pool, rule, detail FROM events WHERE lead_id = 'L-1' ORDER BY seq DESC LIMIT 1")" \
  'closed|ann|closers|web|{"outcome":"lost","reason":"outcome"}' "closed event"
run outcome L-2 won --now $NOW --format json
expect_status 0
expect_eq "$OUT" '{"lead":"L-2","state":"closed","outcome":"won","agent":"bob","pool":"closers"}' "json"

# The outcomes feed best_close_rate: bob (1 of 1) beats ann (0 of 1) for the next two leads.
{ lead L-3 web 2026-11-23T13:20:00Z; lead L-4 web 2026-11-23T13:21:00Z; } >more.jsonl
"$ROUTER" ingest -q more.jsonl --now 2026-11-23T13:30:00Z || exit 1
run assign --now 2026-11-23T13:30:00Z
expect_status 0
expect_eq "$(sql "SELECT group_concat(agent, ',') FROM (SELECT agent FROM leads WHERE id IN ('L-3', 'L-4') ORDER BY id)")" \
  "bob,bob" "best close rate"
run explain L-3 --now 2026-11-23T13:30:00Z
expect_match "$OUT" "choice +best_close_rate: bob" "explain shows the strategy's reason"

# Already closed: refused with the earlier result; nothing changes.
run outcome L-2 lost --now $NOW
expect_status 1
expect_eq "$ERR" "router: lead 'L-2' is already closed (won)" "already closed"
expect_eq "$(sql "SELECT outcome FROM outcomes WHERE lead_id = 'L-2'")" "won" "outcome kept"

# Only assigned leads: an offered one is refused with the reason.
run outcome P-1 won --now $NOW
expect_status 1
expect_err "lead 'P-1' is offered, not assigned (it must be claimed first)"
expect_eq "$(sql "SELECT state FROM leads WHERE id = 'P-1'")" "offered" "offer untouched"
"$ROUTER" claim P-1 --agent cat --now 2026-11-23T13:12:00Z -q || exit 1
run outcome P-1 won --now 2026-11-23T14:00:00Z
expect_status 0
expect_eq "$(sql "SELECT state || ':' || agent FROM leads WHERE id = 'P-1'")" "closed:cat" "claimed then closed"

# A pending lead, an unknown lead, a bad outcome word.
lead N-1 web 2026-11-23T13:40:00Z >n.jsonl
"$ROUTER" ingest -q n.jsonl --now 2026-11-23T13:40:00Z || exit 1
run outcome N-1 won --now 2026-11-23T13:40:00Z
expect_status 1
expect_err "lead 'N-1' is pending, not assigned"
run outcome L-5 won --now $NOW
expect_status 1
expect_err "no lead 'L-5' (did you mean"
run outcome L-3 draw --now $NOW
expect_status 64
run outcome L-3 --now $NOW
expect_status 64
expect_eq "$(sql "SELECT count(*) FROM outcomes")" "3" "three outcomes in all"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'closed'")" "3" "three closed events"

finish
