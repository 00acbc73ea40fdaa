# The configuration cache (SPEC §8): written on the first run, used on the next, never
# stale (an edit of the same size and time is seen), never invalid (a broken file exits 78
# although an entry exists), and robust (a damaged entry or an unusable folder changes
# nothing but speed). `router init` loads the configuration the way every command does;
# `-v -v` reports "config: cache hit|miss|off" on stderr.
source "$(dirname "$0")/lib.sh"

CACHE="$TEST_DIR/cache"
export ROUTER_CACHE_DIR="$CACHE"
cat > router.yaml <<'YAML'
version: 1
timezone: Europe/London
database: aa.db
agents:
  - id: tom
  - id: idle
schedules:
  office:
    timezone: America/New_York
    hours: { mon-fri: "09:00-17:00" }
pools:
  sales: { members: [tom], schedule: office }
rules:
  - name: web
    when: { email: { matches: "^[a-z]+@example\\.com$" } }
    pool: sales
  - name: all
    pool: sales
YAML
# On PostgreSQL ROUTER_DB wins over `database:`: the files it names are never created.
DB_FILE_PART="the configuration's database file (ROUTER_DB names the PostgreSQL database)"
WARNING="router.yaml:6:5: warning: agent 'idle' is in no pool and is no default: it will never get a lead"
entry_count() { find "$1" -name '*.cfg' 2>/dev/null | wc -l; }
# Replaces text in router.yaml by text of the same length, keeping size and mtime.
edit_in_place() {
  local stamp
  stamp=$(stat -c %y router.yaml)
  sed -i "s/$1/$2/" router.yaml
  touch -d "$stamp" router.yaml
}

# First run: full load, entry written; the configured database is created.
run -v -v init
expect_status 0
expect_err "config: cache miss $CACHE/"
expect_err "(no entry; written)"
expect_err "$WARNING"
expect_eq "$(entry_count "$CACHE")" "1" "entries after the first run"
if sqlite_part "$DB_FILE_PART"; then
  expect_eq "$(test -f aa.db && echo yes)" "yes" "database from the config"
fi
ENTRY=$(find "$CACHE" -name '*.cfg')
expect_eq "$(stat -c %a "$ENTRY")" "600" "entry mode"

# Second run: served from the entry, warnings included; -v alone prints only the warning.
run -v -v init
expect_status 0
expect_err "config: cache hit $ENTRY"
expect_err "$WARNING"
run -v init
expect_status 0
expect_eq "$ERR" "$WARNING" "stderr with -v"
run init
expect_status 0
expect_eq "$ERR" "" "stderr without -v"

# Same size, same mtime, one letter changed: the new database name is used.
size_before=$(stat -c %s router.yaml)
mtime_before=$(stat -c %Y router.yaml)
edit_in_place "database: aa.db" "database: bb.db"
expect_eq "$(stat -c %s.%Y router.yaml)" "$size_before.$mtime_before" "size and mtime kept"
run -v -v init
expect_status 0
expect_err "config: cache miss"
if sqlite_part "$DB_FILE_PART"; then
  expect_eq "$(test -f bb.db && echo yes)" "yes" "database after the edit"
fi
expect_eq "$(entry_count "$CACHE")" "2" "entries after the edit"

# Broken (a misspelt day, same size and mtime): refused although entries exist.
edit_in_place "mon-fri" "mon-fry"
run -v -v init --db cc.db
expect_status 78
expect_err "config: cache miss"
expect_err "(no entry; invalid, not cached)"
expect_err "router.yaml:10:14: error: 'mon-fry' is not a day set"
expect_err "router: router.yaml: invalid configuration (1 error)"
expect_eq "$(test -e cc.db && echo yes)" "" "no database for an invalid config"
expect_eq "$(entry_count "$CACHE")" "2" "invalid config not cached"
run init --db cc.db
expect_status 78

# Back to the first version: its entry is still there.
edit_in_place "mon-fry" "mon-fri"
edit_in_place "database: bb.db" "database: aa.db"
run -v -v init
expect_status 0
expect_err "config: cache hit $ENTRY"

# A damaged entry: full load, entry rewritten, then hits again. A byte of the model fails
# the entry's checksum; a byte of its copy of the text fails the comparison with the file.
printf 'garbage' | dd of="$ENTRY" bs=1 seek=$(($(stat -c %s "$ENTRY") - 40)) conv=notrunc \
  status=none
run -v -v init
expect_status 0
expect_err "config: cache miss $ENTRY (entry damaged; written)"
run -v -v init
expect_err "config: cache hit $ENTRY"
text_at=$(grep -obUa -m 1 'version: 1' "$ENTRY" | head -n 1 | cut -d: -f1)
printf 'garbage' | dd of="$ENTRY" bs=1 seek=$((text_at + 3)) conv=notrunc status=none
run -v -v init
expect_status 0
expect_err "config: cache miss $ENTRY (entry of other content; written)"
run -v -v init
expect_err "config: cache hit $ENTRY"
# Truncated, then empty.
truncate -s 100 "$ENTRY"
run -v -v init
expect_status 0
expect_err "(entry damaged; written)"
: > "$ENTRY"
run -v -v init
expect_status 0
expect_err "(not a cache entry; written)"
run -v -v init
expect_err "config: cache hit"

# A relative --config from another folder is another entry (its `database` differs).
mkdir sub
(cd sub && "$ROUTER" -v -v --config ../router.yaml init 2>"$TEST_DIR/.sub") >/dev/null
expect_match "$(cat "$TEST_DIR/.sub")" "config: cache miss" "other spelling of the path"
if sqlite_part "$DB_FILE_PART"; then
  expect_eq "$(test -f aa.db && test ! -e sub/aa.db && echo yes)" "yes" "database beside the config"
fi

# validate is the checker: it never consults the cache.
run -v -v validate
expect_status 0
expect_not_out "config: cache"
expect_eq "$(printf '%s' "$ERR" | grep -c 'config: cache')" "0" "validate and the cache"

# Turned off, or nowhere to write: the command still works.
for off in "" off; do
  ROUTER_CACHE_DIR="$off" run -v -v init
  expect_status 0
  expect_err "config: cache off (disabled)"
done
ROUTER_CACHE_DIR="$TEST_DIR/router.yaml/cache" run -v -v init
expect_status 0
expect_err "(entry unreadable: Not a directory; not written)"
(unset ROUTER_CACHE_DIR XDG_CACHE_HOME HOME && "$ROUTER" -v -v init 2>"$TEST_DIR/.nohome") >/dev/null
expect_match "$(cat "$TEST_DIR/.nohome")" "config: cache off \(disabled\)" "no HOME"

# The default folders: $XDG_CACHE_HOME/router, else $HOME/.cache/router.
(unset ROUTER_CACHE_DIR && XDG_CACHE_HOME="$TEST_DIR/xdg" HOME="$TEST_DIR/home" "$ROUTER" init) >/dev/null
expect_eq "$(entry_count "$TEST_DIR/xdg/router")" "1" "entry under XDG_CACHE_HOME"
(unset ROUTER_CACHE_DIR XDG_CACHE_HOME && HOME="$TEST_DIR/home" "$ROUTER" init) >/dev/null
expect_eq "$(entry_count "$TEST_DIR/home/.cache/router")" "1" "entry under HOME"

finish
