# router's heap starts at a huge-page boundary and is advised for transparent huge pages
# (util/heap.hpp): where a page fault is expensive (a virtual machine: about 11 us each),
# a one-lead run on 2,000 agents x 500 rules took 808 faults and now about 190. Checked on
# a running router (events --follow): one [heap] mapping starts at a 2 MB boundary, is
# eligible for huge pages and holds what the run allocated.
source "$(dirname "$0")/lib.sh"
THP=/sys/kernel/mm/transparent_hugepage/enabled
[ -r "$THP" ] || { echo "SKIP: this kernel has no transparent huge pages"; exit 77; }
grep -q '\[never\]' "$THP" && { echo "SKIP: transparent huge pages are off ($(cat "$THP"))"; exit 77; }
# AddressSanitizer's allocator does not use the heap: there is nothing to advise. (grep
# reads all of nm's output: with -q it would stop early and pipefail report nm's SIGPIPE.)
if nm -D "$ROUTER" 2>/dev/null | grep ' __asan_init' >/dev/null; then
  echo "SKIP: an AddressSanitizer build allocates outside the heap"
  exit 77
fi

cat >router.yaml <<'YAML'
timezone: Europe/London
database: router.db
agents:
  - id: tom
pools:
  sales: { members: [tom], claim_timeout: 30m }
rules:
  - { name: web, pool: sales }
YAML
run init -q
expect_status 0

# The [heap] mappings of process $1: "start THPeligible Rss-kB" per line.
heap_maps() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); start = r[1]; heap = ($NF == "[heap]") }
       heap && /^Rss:/ { rss = $2 }
       heap && /^THPeligible:/ { print start, $2, rss }' "/proc/$1/smaps"
}

"$ROUTER" events --follow >follow.out 2>follow.err &
follower=$!
# Read its mappings once it has the database open (the file, or on PostgreSQL a socket to the
# server): main() has run by then (a [heap] exists from the loader on, before main advises
# anything).
opened="/router.db$"
[ "$E2E_BACKEND" = sqlite ] || opened="socket:"
for _ in $(seq 100); do
  ls -l "/proc/$follower/fd" 2>/dev/null | grep -q "$opened" && break
  sleep 0.1
done
maps=$(heap_maps "$follower" 2>/dev/null)
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
printf '%s\n' "$maps" >maps.txt
# 2 MB = 0x200000: the start's last five hex digits are 0 and the sixth is even.
aligned=$(awk '$1 ~ /[02468ace]00000$/ && $2 == 1 && $3 > 0' maps.txt | wc -l)
expect_eq "$aligned" "1" "one [heap] mapping at a 2 MB boundary, eligible and in use ($(tr '\n' ';' <maps.txt))"
expect_eq "$(cat follow.err)" "" "the follower ran cleanly"

finish
