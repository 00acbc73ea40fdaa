#!/usr/bin/env bash
# Writes src/link-order.txt: the functions of router that its short, start-up-bound runs
# execute. CMakeLists.txt (ROUTER_LINK_ORDER) gives the file to lld, which lays those
# functions out together at the start of the text. On a machine where a page fault costs
# 10-20 us, the one-lead run's text faults are a millisecond: scattered over 3 MB of text,
# these functions lay in 47 of router's 64 KB fault-around windows, together in 11
# (bench/README.md, session 23).
#
#   bench/link-order.sh              profile a Release build of bench/out/build
#   ROUTER=path bench/link-order.sh  profile that binary (it must have its symbols)
#
# The runs profiled, each once to fill the configuration cache and once measured:
# - assign of one lead on the 2,000-agent, 500-rule configuration (bench/run.sh's);
# - sweep with nothing due, with --metrics-file as the cron job runs it, on the bench
#   configuration with open offers (bench/sweep.sh's, smaller);
# - sweep that routes one pending lead.
# A function missing from the file (new, renamed or inlined differently since) is only
# placed after the listed ones; the file needs regenerating after large changes, not after
# every commit. Needs valgrind and python3.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "link-order: valgrind is needed" >&2; exit 1; }
build_router

W=$OUT/link-order
rm -rf "$W"
mkdir -p "$W"
cd "$W"
# Each profile finds its cache folder another way, as router is run: by ROUTER_CACHE_DIR
# (bench/run.sh), by systemd's CACHE_DIRECTORY (the package's timer) and under HOME (cron).
unset ROUTER_CACHE_DIR CACHE_DIRECTORY XDG_CACHE_HOME
export HOME=$W/home
mkdir -p "$HOME"

# profile NAME ARGS...: two runs of router under callgrind; the second (a configuration
# cache hit, as every run but a configuration's first) is kept as NAME.out.
profile() {
  local name=$1
  shift
  for k in warm out; do
    [[ -z ${BEFORE_EACH:-} ]] || $BEFORE_EACH
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$W/$name.$k" \
      "$ROUTER" "$@" >/dev/null 2>"$W/$name.$k.log"
  done
}

python3 "$HERE/gen_config.py" --pools 100 --agents-per-pool 20 --rules 500 --database big.db \
  >big.yaml
"$ROUTER" --config big.yaml --db big.db init -q
# next_lead DB: bench/run.sh's one lead (lib.sh), each a new contact.
LEADS=0
next_lead() {
  LEADS=$((LEADS + 1))
  crm_lead "$1" "l-$LEADS" "+44 7700 900$LEADS"
}
BEFORE_EACH='next_lead big.db' ROUTER_CACHE_DIR=$W/cache profile assign --config big.yaml \
  --db big.db --now "$NOW" assign -q

python3 "$HERE/gen_config.py" --pools 5 --agents-per-pool 50 --rules 10 --database sweep.db \
  >bench.yaml
"$ROUTER" --config bench.yaml --db sweep.db init -q
fill_leads sweep.db 2000
"$ROUTER" --config bench.yaml --db sweep.db --now "$NOW" assign -q
mkdir -p metrics
CACHE_DIRECTORY=$W/systemd-cache profile sweep-idle --config bench.yaml --db sweep.db \
  --now "$NOW" sweep -q --metrics-file metrics/router.prom
BEFORE_EACH='next_lead sweep.db' profile sweep-one --config bench.yaml --db sweep.db \
  --now "$NOW" sweep -q --metrics-file metrics/router.prom

# Callgrind names each function once in full ("fn=(12) name", or "cfn=" for a callee), then
# by number; "ob="/"cob=" name the object the next function belongs to. Only router's own
# functions are kept, without repeats: those of the first profile, then those the next one
# adds, and so on, each group sorted by name (callgrind's own order varies from run to run,
# and within the group the order matters little: what counts is that they lie together).
python3 - "$(basename "$ROUTER")" assign.out sweep-idle.out sweep-one.out >order.txt <<'PY'
import re, sys

binary, seen, order = sys.argv[1], set(), []
line_re = re.compile(r"^(c?ob|c?fn)=\((\d+)\)(?: (.*))?$")
for path in sys.argv[2:]:
    objects, functions, group = {}, set(), []
    current = pending = None
    with open(path, errors="replace") as f:
        for line in f:
            m = line_re.match(line.rstrip("\n"))
            if not m:
                continue
            kind, number, name = m.groups()
            if kind in ("ob", "cob"):
                if name:
                    objects[number] = name
                if kind == "ob":
                    current, pending = objects[number], None
                else:
                    pending = objects[number]
                continue
            owner = pending if kind == "cfn" and pending else current
            if kind == "cfn":
                pending = None
            if not name or number in functions:
                continue
            functions.add(number)
            mine = owner is not None and owner.rsplit("/", 1)[-1] == binary
            if mine and not name.startswith("0x") and " " not in name and name not in seen:
                seen.add(name)
                group.append(name)
    order.extend(sorted(group))
if len(order) < 100:
    sys.exit(f"link-order: only {len(order)} functions of {binary} in the profiles")
print("\n".join(order))
PY

{
  echo "# The functions of router that its short runs execute, for lld's"
  echo "# --symbol-ordering-file (CMakeLists.txt, ROUTER_LINK_ORDER): those of a one-lead assign,"
  echo "# then those an idle sweep adds, then those a sweep that routes a lead adds. Written by"
  echo "# bench/link-order.sh; do not edit by hand."
  cat order.txt
} >"$ROOT/src/link-order.txt"
echo "link-order: $(wc -l <order.txt) functions written to src/link-order.txt" >&2
