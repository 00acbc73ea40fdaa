# Shared by bench/run.sh and bench/sweep.sh: the clock, the build, timing helpers and the
# CRM-style lead filler. Sourced, not run.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OUT=$HERE/out
BUILD=$OUT/build
NOW=2026-11-23T13:10:00Z  # a Monday, inside the benchmark schedule's hours
NOW_S=$(date -u -d "$NOW" +%s)

mkdir -p "$OUT"
if [[ ! -x /usr/bin/time ]]; then
  echo "installing GNU time" >&2
  sudo apt-get install -y time >/dev/null || apt-get install -y time >/dev/null
fi
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is needed" >&2; exit 1; }

# Sets ROUTER: $ROUTER when given (an already built Release binary), else builds router in
# Release (-O2 -g) in its own build dir, never the sanitizer one.
build_router() {
  if [[ -n ${ROUTER:-} ]]; then
    [[ -x $ROUTER ]] || { echo "bench: ROUTER=$ROUTER is not executable" >&2; exit 1; }
    return
  fi
  echo "== building router (Release, -O2) in $BUILD" >&2
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -g -DNDEBUG" -DROUTER_SANITIZE=OFF >/dev/null
  make -C "$BUILD" -j2 router 2>&1 | grep -E "error|warning" >&2 || true
  ROUTER=$BUILD/router
  [[ -x $ROUTER ]] || { echo "bench: build failed" >&2; exit 1; }
}

# Runs a command under GNU time; sets TIME_S (wall seconds), RSS_KB (peak RSS) and CPU_S
# (user + system seconds: on a shared machine the wall time includes waiting for a core).
timed() {
  local f=$OUT/time.txt user sys
  /usr/bin/time -o "$f" -f '%e %M %U %S' "$@"
  read -r TIME_S RSS_KB user sys <"$f"
  CPU_S=$(echo "$user + $sys" | bc -l)
}

# spawn_times OUT RUNS HOOK -- LABEL CMD... [-- LABEL CMD...]: process wall times of short
# runs, each command RUNS times in turn, into the file OUT (see bench/spawn_time.py).
spawn_times() {
  local out=$1
  shift
  python3 "$HERE/spawn_time.py" "$@" >"$out"
}

# spawned FILE LABEL FIGURE: one of spawn_times' figures for LABEL, in milliseconds: median,
# mean, min, user or sys.
spawned() {
  local col
  case $3 in
    median) col=2 ;;
    mean) col=3 ;;
    min) col=4 ;;
    user) col=5 ;;
    sys) col=6 ;;
    *) echo "spawned: no figure '$3'" >&2; return 1 ;;
  esac
  awk -v l="$2" -v c="$col" '$1 == l {print $c; found = 1} END {exit !found}' "$1"
}

# spawned_row NAME FILE LABEL: one line of a results table, NAME then spawn_times' figures for
# LABEL in FILE (median, mean, min, user, sys).
spawned_row() {
  printf '  %-34s %8.2f %8.2f %8.2f %8.2f %8.2f ms\n' "$1" "$(spawned "$2" "$3" median)" \
    "$(spawned "$2" "$3" mean)" "$(spawned "$2" "$3" min)" "$(spawned "$2" "$3" user)" \
    "$(spawned "$2" "$3" sys)"
}

# spawned_header: the heading of spawned_row's columns.
spawned_header() { printf '  %-34s %8s %8s %8s %8s %8s\n' "" "median" "mean" "min" "user" "sys"; }

sql_quote() { sed "s/'/''/g"; }

load() { cut -d' ' -f1-3 /proc/loadavg; }

# crm_lead DB ID PHONE: one pending lead as a CRM writes it (its e-mail address ID@example.com),
# received a minute before NOW: the lead bench/run.sh times and bench/link-order.sh profiles.
crm_lead() {
  sqlite3 "$1" "INSERT INTO leads(id, source, attributes, received_at) VALUES
    ('$2', 'web', '{\"brand\":\"Ford\",\"condition\":\"new\",\"budget\":25000,
    \"email\":\"$2@example.com\",\"phone\":\"$3\",\"region\":\"north\"}',
    $NOW_S - 60)"
}

# fill_leads DB N: N pending leads written CRM-style by one set-based insert; received_at
# spread over the 7 days before NOW, in arrival order with a little jitter.
fill_leads() {
  local db=$1 n=$2
  sqlite3 "$db" >/dev/null <<SQL
PRAGMA synchronous=NORMAL;
PRAGMA cache_size=-65536;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
INSERT INTO leads(id, source, attributes, received_at)
SELECT printf('crm-%08d', i),
       CASE i % 4 WHEN 0 THEN 'web' WHEN 1 THEN 'phone' WHEN 2 THEN 'partner' ELSE 'walk-in' END,
       json_object(
         'brand', CASE (i * 7) % 9 WHEN 0 THEN 'Toyota' WHEN 1 THEN 'Lexus' WHEN 2 THEN 'Ford'
                  WHEN 3 THEN 'VW' WHEN 4 THEN 'BMW' WHEN 5 THEN 'Audi' WHEN 6 THEN 'Kia'
                  WHEN 7 THEN 'Honda' ELSE 'Skoda' END,
         'condition', CASE i % 3 WHEN 0 THEN 'used' ELSE 'new' END,
         'budget', 5000 + (i * 7919) % 60000,
         'email', printf('customer%d@example.%s', i, CASE i % 3 WHEN 0 THEN 'com' WHEN 1 THEN 'co.uk' ELSE 'org' END),
         'phone', printf('+44 7%03d %06d', i % 1000, (i * 31) % 1000000),
         'region', CASE i % 5 WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'east'
                   WHEN 3 THEN 'west' ELSE 'central' END),
       $NOW_S - 7 * 86400 + (i * (7 * 86400 - 600)) / $n + (i * 13) % 120
FROM n;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}

# The config cache of these runs stays in bench/out, apart from the user's.
export ROUTER_CACHE_DIR=$OUT/cache
