# Read-only access (SPEC §4): report, events, explain, agent list and agent history work
# for a user who may only read the database (a CRM or dashboard account), open it
# read-only and create or change no file; the commands that write still exit 74.
source "$(dirname "$0")/lib.sh"
# File modes, -wal and -shm: a PostgreSQL reader is a role, which the test server's role
# may not create.
sqlite_only "read-only access through file modes, -wal and -shm"
NOW=2026-11-23T10:00:00Z
# The reader: another user, no supplementary groups; the test runs as root.
# Without them the test is reported as skipped (77, ctest's SKIP_RETURN_CODE), not passed.
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
  echo "test_readonly.sh: SKIPPED: needs root and setpriv to run a second user"
  exit 77
fi
reader() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
chmod 755 "$TEST_DIR"
# The binary may sit where the second user cannot reach it (a build under /root): a copy.
cp "$ROUTER" "$TEST_DIR/router-bin" && chmod 755 "$TEST_DIR/router-bin" || exit 1
ROUTER=$TEST_DIR/router-bin
mkdir data && chmod 755 data
cp "$TEST_DATA/sweep.yaml" router.yaml
sed -i 's|^database: .*|database: data/router.db|' router.yaml
chmod 644 router.yaml
"$ROUTER" init -q || exit 1
printf '{"id":"W1","source":"web"}\n{"id":"W2","source":"web"}\n{"id":"P1","source":"phone"}\n' |
  "$ROUTER" ingest -q --now 2026-11-23T09:00:00Z || exit 1
"$ROUTER" sweep -q --now 2026-11-23T09:00:00Z || exit 1
"$ROUTER" claim W1 --agent tom -q --now 2026-11-23T09:05:00Z || exit 1
"$ROUTER" agent set bob --status away -q --now 2026-11-23T09:06:00Z || exit 1
db() { sqlite3 -batch data/router.db "$1"; }
owner=$(db "SELECT agent FROM leads WHERE id = 'W2'")

# As a writer sees them; the reader must see the same.
readers=("report --now $NOW --format json" "events" "events --format text --after 2"
         "explain W1 --now $NOW" "agent list --now $NOW" "agent history bob --format json")
declare -A expected
for args in "${readers[@]}"; do
  # shellcheck disable=SC2086
  expected[$args]=$("$ROUTER" $args 2>&1) || { echo "root: router $args failed"; exit 1; }
done

# Every file the database has (size, mtime to the nanosecond, checksum), and the folder.
snapshot() {
  (cd data && for f in $(ls -A); do echo "$f $(stat -c '%s %y %U %a' "$f") $(md5sum <"$f")"; done)
}

# Run ARGS as the reader; sets OUT, ERR, STATUS as run() does.
run_reader() {
  OUT=$(reader "$ROUTER" "$@" 2>"$TEST_DIR/.stderr")
  STATUS=$?
  ERR=$(cat "$TEST_DIR/.stderr")
}

check_readers() {  # WHAT
  local before args
  before=$(snapshot)
  for args in "${readers[@]}"; do
    # shellcheck disable=SC2086
    run_reader $args
    expect_status 0
    expect_eq "$OUT" "${expected[$args]}" "$1: router $args as the reader"
  done
  expect_eq "$(snapshot)" "$before" "$1: no file created or changed"
}

check_writers() {  # WHAT
  local before args
  before=$(snapshot)
  for args in "sweep --now $NOW" "assign --now $NOW" "claim W2 --agent $owner --now $NOW" \
              "agent set ann --status away --now $NOW" "outcome W1 won --now $NOW" "init"; do
    # shellcheck disable=SC2086
    run_reader $args
    expect_status 74
    expect_err "read-only"
  done
  printf '{"id":"W9","source":"web"}\n' >lead.jsonl
  run_reader ingest lead.jsonl --now $NOW
  expect_status 74
  expect_err "read-only"
  expect_eq "$(snapshot)" "$before" "$1: writers wrote nothing"
}

# 1. The database, its -wal and -shm belong to another user, readable by all (644), in a
# folder the reader cannot write to.
ls data/router.db-wal data/router.db-shm >/dev/null || exit 1
expect_eq "$(stat -c '%U %a' data/router.db data/router.db-wal data/router.db-shm | sort -u)" \
  "root 644" "files as a writer leaves them"
check_readers "with -wal and -shm"
check_writers "with -wal and -shm"

# 2. Only the database file (its log folded in and removed by a clean close), in a folder
# the reader cannot write to, so SQLite cannot create -wal or -shm.
db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
expect_eq "$(ls -A data)" "router.db" "no -wal or -shm left"
check_readers "without -wal and -shm"
check_writers "without -wal and -shm"
expect_eq "$(ls -A data)" "router.db" "still no -wal or -shm"

# Waits up to 10 s for the follower started last to end; fails naming WHAT when it does not.
# Sets STATUS to its exit status.
wait_follower() {  # WHAT
  for _ in $(seq 100); do kill -0 "$follower" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$follower" 2>/dev/null && _fail "$1 did not end"
  wait "$follower"
  STATUS=$?
}

# events --follow as the reader, started on the file alone (read as a snapshot): it still sees
# what a writer commits afterwards, which brings -wal and -shm back.
last=$(db "SELECT max(seq) FROM events")
reader "$ROUTER" events --follow --after "$last" --limit 2 >follow.out 2>follow.err &
follower=$!
sleep 1  # not a race: only lets the follower open the file before the writer changes it
printf '{"id":"R1","source":"web"}\n' | "$ROUTER" ingest -q --now $NOW || exit 1
printf '{"id":"R2","source":"web"}\n' | "$ROUTER" ingest -q --now $NOW || exit 1
wait_follower "events --follow as the reader"
expect_status 0
expect_eq "$(sed 's/.*"lead":"\([^"]*\)".*/\1/' follow.out | tr '\n' ' ')" "R1 R2 " \
  "events --follow as the reader"
expect_eq "$(cat follow.err)" "" "events --follow as the reader: no error"

# The first writer creates the -wal, then the -shm. A follower reading the file as a snapshot
# that finds the -wal alone (left there on purpose here, a moment long in real life) reads
# nothing until the -shm is there; it does not fail.
db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
expect_eq "$(ls -A data)" "router.db" "no -wal or -shm before the second follower"
last=$(db "SELECT max(seq) FROM events")
reader "$ROUTER" events --follow --after "$last" --limit 1 >follow.out 2>follow.err &
follower=$!
for _ in $(seq 100); do
  [[ $(ls -l "/proc/$follower/fd" 2>/dev/null) == *"/router.db"* ]] && break
  sleep 0.1
done
sleep 0.3  # lets it finish opening the file alone, as a snapshot
: >data/router.db-wal
sleep 1  # four polls find the -wal without the -shm
kill -0 "$follower" 2>/dev/null || _fail "events --follow ended while the -shm was missing"
printf '{"id":"R3","source":"web"}\n' | "$ROUTER" ingest -q --now $NOW || exit 1
wait_follower "the second follower"
expect_status 0
expect_eq "$(sed 's/.*"lead":"\([^"]*\)".*/\1/' follow.out)" "R3" "the second follower"
expect_eq "$(cat follow.err)" "" "the second follower: no error"

# 3. A reader who cannot read the file at all gets 74, naming it.
chmod 600 data/router.db
run_reader events
expect_status 74
expect_err "data/router.db"
chmod 644 data/router.db

# The writer still works after all this, and the readers saw nothing it had not written.
run sweep --now $NOW
expect_status 0
finish
