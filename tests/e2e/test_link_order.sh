# router is linked by lld with src/link-order.txt (CMakeLists.txt, ROUTER_LINK_ORDER): the
# functions a short run executes lie together, so its first touches of them fault in few
# 64 KB windows of text instead of most of router's 3 MB (bench/README.md, session 23).
# Checked on the binary's symbols: the listed functions router has fill few more windows
# than their size needs, and a one-lead run still routes.
source "$(dirname "$0")/lib.sh"
sqlite_only "the layout of router's text does not depend on the database"
if nm -D "$ROUTER" 2>/dev/null | grep ' __asan_init' >/dev/null; then
  echo "SKIP: a sanitizer build is linked without the function order"
  exit 77
fi
ORDER=$ROUTER_SOURCE/src/link-order.txt
# The linkers name themselves in .comment: "Linker: Debian LLD 14.0.6".
comment=$(readelf -p .comment "$ROUTER" 2>&1)
expect_eq "$?" "0" "readelf reads router's .comment ($(head -c 200 <<<"$comment"))"
if grep -q '^ *\[ *[0-9a-f]*\]  GCC' <<<"$comment" && ! grep -q 'Linker: .*LLD' <<<"$comment"; then
  echo "SKIP: router was linked without lld (ROUTER_LINK_ORDER off, or no lld): no order"
  exit 77
fi

# "address size" of each function of router named in the order file, one per line.
nm -S --defined-only "$ROUTER" >symbols.txt 2>nm.err
expect_eq "$?" "0" "nm reads router's symbols ($(head -c 200 nm.err))"
awk 'NR == FNR { if ($0 !~ /^#/ && NF) listed[$1] = 1; next }
     NF == 4 && $3 ~ /^[TtWw]$/ && ($4 in listed) { print $1, $2 }' "$ORDER" symbols.txt |
  sort -u >listed.txt
found=$(wc -l <listed.txt)
expect_match "$found" '^[0-9]{3,}$' "at least 100 of the order file's functions are in router"

# Windows of 64 KB (the kernel's fault-around) that hold a byte of a listed function, and the
# fewest that their total size could fill.
declare -A seen=()
total=0
while read -r start size; do
  start=$((16#$start)) size=$((16#$size))
  total=$((total + size))
  for ((w = start / 65536; w <= (start + size - 1) / 65536; w++)); do seen[$w]=1; done
done <listed.txt
windows=${#seen[@]}
needed=$(((total + 65535) / 65536))
echo "$found listed functions: $needed windows of text at least, $windows used"
# Linked by lld without the order they fill 47 windows for 9 needed; with it, 11, one run of
# text: the padding that aligns each function and the run's ends falling inside windows.
expect_match "$((windows <= needed + 4))" '^1$' \
  "the listed functions lie together: $windows windows for $needed needed"

# The binary so laid out still works: one lead routed.
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
sql "INSERT INTO leads(id, source, received_at) VALUES ('l1', 'web', 1795439340)"
run --now 2026-11-23T13:10:00Z assign -q
expect_status 0
expect_eq "$(sql "SELECT state || ' ' || agent FROM leads WHERE id = 'l1'")" "offered tom" \
  "the lead is offered to tom"

finish
