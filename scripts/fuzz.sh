#!/usr/bin/env bash
# Runs every libFuzzer harness of tests/fuzz for SECONDS each (default 60) under ASan+UBSan.
#   scripts/fuzz.sh [SECONDS]
# Uses $FUZZ_BUILD when set (a build configured with -DROUTER_FUZZ=ON), else build-asan when
# it is one, else configures and builds build-fuzz with clang. Each harness starts from its
# seed corpus (tests/fuzz/corpus/NAME, never written) plus a scratch corpus in $FUZZ_OUT (a
# new temp dir by default). A crash, sanitizer report, leak, one input taking over 10 s or
# over 2 GiB is a finding: the script prints the saved input and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
harnesses=(fuzz_config fuzz_leads fuzz_syntax)

if [ -n "${FUZZ_BUILD:-}" ]; then
  build=$FUZZ_BUILD
elif grep -q '^ROUTER_FUZZ:BOOL=ON' build-asan/CMakeCache.txt 2>/dev/null; then
  build=build-asan
else
  build=build-fuzz
fi
if ! grep -q '^ROUTER_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  if ! command -v clang++ >/dev/null; then
    echo "fuzz: clang++ is needed (scripts/install-deps.sh installs clang)" >&2
    exit 1
  fi
  echo "== configure $build (clang, ASan + UBSan, fuzzers)"
  cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    -DROUTER_FUZZ=ON -DROUTER_WERROR=ON >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target "${harnesses[@]}"

out=${FUZZ_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/router-fuzz.XXXXXX")}
failed=0
for h in "${harnesses[@]}"; do
  mkdir -p "$out/$h/corpus" "$out/$h/findings"
  echo "== $h: $seconds s (log and corpus in $out/$h)"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/tests/fuzz/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$out/$h/findings/" \
    "$out/$h/corpus" "tests/fuzz/corpus/$h" >"$out/$h/log" 2>&1; then
    grep -E '^Done [0-9]+ runs' "$out/$h/log" || true
  else
    failed=1
    tail -n 40 "$out/$h/log"
    for f in "$out/$h/findings"/*; do
      [ -e "$f" ] && echo "fuzz: $h: finding saved in $f (replay: $build/tests/fuzz/$h $f)"
    done
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: findings above" >&2
  exit 1
fi
echo "fuzz: no findings"
