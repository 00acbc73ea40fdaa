# router events --follow (SPEC §4): the outbox after --after, then each new event as other
# processes commit it, in seq order, none twice or skipped; --limit ends it after N in all;
# TERM and INT end it with exit 0; a reader that goes away ends it quietly; a database that
# disappears ends it with exit 74.
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
source "$E2E_DIR/lib.sh"
NOW=2026-11-23T13:10:00Z

PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap 'stop_all; e2e_cleanup' EXIT

cat >router.yaml <<'YAML'
version: 1
database: router.db
agents:
  - id: tom
pools:
  sales:
    members: [tom]
rules:
  - name: all
    pool: sales
YAML
"$ROUTER" init -q || exit 1
printf '{"id":"A","source":"web"}\n{"id":"B","source":"web"}\n' >ab.jsonl
"$ROUTER" ingest -q ab.jsonl --now $NOW || exit 1
"$ROUTER" assign -q --now $NOW || exit 1

# lines FILE: how many lines FILE has (0 when it does not exist).
lines() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
# wait_lines FILE N: waits up to 10 s for FILE to have at least N lines.
wait_lines() {
  for _ in $(seq 100); do [ "$(lines "$1")" -ge "$2" ] && return 0; sleep 0.1; done
  return 1
}
# wait_exit PID: waits up to 10 s for PID to end; sets STATUS to its exit status, or 999
# (after killing it) when it did not end.
wait_exit() {
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$1" 2>/dev/null; then
    kill -9 "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    STATUS=999
  else
    wait "$1"
    STATUS=$?
  fi
}
# seqs FILE: the seq of each JSON line of FILE, space-separated.
seqs() { sed 's/^{"seq":\([0-9]*\),.*/\1/' "$1" | tr '\n' ' '; }
# ingest ID...: one lead per id, each in its own process, all at once.
ingest() {
  local id ps=()
  for id in "$@"; do
    printf '{"id":"%s","source":"web"}\n' "$id" | "$ROUTER" ingest -q --now $NOW &
    ps+=($!)
  done
  for id in "${ps[@]}"; do wait "$id" || return 1; done
}

# --- What is there after --after first, then what others write, as it is committed.
"$ROUTER" events --follow --after 2 >f1.out 2>f1.err &
f1=$!
PIDS+=("$f1")
wait_lines f1.out 2
expect_eq "$(seqs f1.out)" "3 4 " "the backlog after --after"
ingest C D E F G
wait_lines f1.out 7
expect_eq "$(lines f1.out)" "7" "five received events, once each"
"$ROUTER" assign -q --now $NOW &
a1=$!
ingest H I J
wait "$a1"
"$ROUTER" assign -q --now $NOW || exit 1
total=$(sql "SELECT count(*) FROM events WHERE seq > 2")
expect_eq "$total" "18" "events written meanwhile: two assigned, eight received, eight assigned"
wait_lines f1.out "$total"
sleep 0.6  # two more polls: nothing may follow
expect_eq "$(seqs f1.out)" "$(sql "SELECT seq FROM events WHERE seq > 2 ORDER BY seq" | tr '\n' ' ')" \
  "every new event, in seq order"
expect_eq "$(sort f1.out | uniq -d | wc -l | tr -d ' ')" "0" "no event twice"
run events --after 2
expect_eq "$(cat f1.out)" "$OUT" "the same lines as without --follow"
if kill -0 "$f1" 2>/dev/null; then _pass; else _fail "--follow ended on its own"; fi
kill -TERM "$f1"
wait_exit "$f1"
expect_status 0
expect_eq "$(cat f1.err)" "" "TERM: nothing on stderr"

# --- --limit: N events in all, the backlog included, then exit 0.
run events --follow --limit 2
expect_status 0
expect_eq "$(printf '%s\n' "$OUT" | sed 's/^{"seq":\([0-9]*\),.*/\1/' | tr '\n' ' ')" "1 2 " \
  "--limit within the backlog"
last=$(sql "SELECT max(seq) FROM events")
"$ROUTER" events --follow --after $((last - 1)) --limit 3 >f2.out 2>f2.err &
f2=$!
PIDS+=("$f2")
wait_lines f2.out 1
ingest K L
wait_exit "$f2"
expect_status 0
expect_eq "$(seqs f2.out)" "$last $((last + 1)) $((last + 2)) " "--limit counts the new events too"

# --- --format text: the table's header once, then a row per event as it comes; INT ends it.
last=$(sql "SELECT max(seq) FROM events")
"$ROUTER" events --follow --format text --after "$last" >f3.out 2>f3.err &
f3=$!
PIDS+=("$f3")
ingest M
wait_lines f3.out 2
ingest N
wait_lines f3.out 3
expect_eq "$(grep -c '^SEQ ' f3.out)" "1" "one header"
expect_match "$(sed -n 3p f3.out)" "^$((last + 2)) +[0-9T:Z-]+ +received +N " "text row"
kill -INT "$f3"
wait_exit "$f3"
expect_status 0

# --- A reader that goes away (head) ends it quietly, even with nothing new to write.
("$ROUTER" events --follow 2>h.err | head -n 1 >h.out; echo "${PIPESTATUS[0]}" >h.status) &
PIDS+=("$!")
for _ in $(seq 100); do [ -s h.status ] && break; sleep 0.1; done
expect_eq "$(cat h.status 2>/dev/null)" "0" "closed output: exit 0"
expect_eq "$(cat h.err)" "" "closed output: nothing on stderr"
expect_eq "$(seqs h.out)" "1 " "closed output: what head read"

# --- A database that disappears: exit 74, one line.
if [ "$E2E_BACKEND" = postgresql ]; then
  # A database of its own, dropped under the follower (as the file is removed below).
  GONE=${PG_DB}_gone
  trap 'stop_all; e2e_cleanup; psql "$ROUTER_TEST_PG" -Xqc "DROP DATABASE IF EXISTS $GONE WITH (FORCE)" >/dev/null 2>&1' EXIT
  psql "$ROUTER_TEST_PG" -Xqc "CREATE DATABASE $GONE" >/dev/null || exit 1
  "$ROUTER" init -q --db "$(pg_uri $GONE)" || exit 1
  printf '{"id":"G%s","source":"web"}\n' 1 2 3 | "$ROUTER" ingest -q --db "$(pg_uri $GONE)" --now $NOW || exit 1
  "$ROUTER" events --follow --db "$(pg_uri $GONE)" >f4.out 2>f4.err &
  f4=$!
  PIDS+=("$f4")
  wait_lines f4.out 3
  psql "$ROUTER_TEST_PG" -Xqc "DROP DATABASE $GONE WITH (FORCE)" >/dev/null
  wait_exit "$f4"
  expect_status 74
  expect_match "$(cat f4.err)" "^router: [^"$'\n'"]+$" "gone: one line"
else
  sqlite3 router.db ".backup copy.db" || exit 1
  "$ROUTER" events --follow --db copy.db >f4.out 2>f4.err &
  f4=$!
  PIDS+=("$f4")
  wait_lines f4.out 3
  rm -f copy.db copy.db-wal copy.db-shm
  wait_exit "$f4"
  expect_status 74
  expect_eq "$(cat f4.err)" "router: database copy.db was removed or replaced" "gone: one line"
fi

# --- Any other write error is one: exit 74, one line.
"$ROUTER" events --follow >/dev/full 2>full.err &
full=$!
PIDS+=("$full")
wait_exit "$full"
expect_status 74
expect_eq "$(cat full.err)" "router: cannot write standard output: No space left on device" \
  "full: one line"

finish
