#!/usr/bin/env bash
# Installs dependencies, builds with warnings as errors and runs every test, the end-to-end
# scripts on SQLite (e2e.*) and on PostgreSQL (e2e_pg.*, label postgresql); then builds
# again under AddressSanitizer + UndefinedBehaviorSanitizer and runs every test again but
# the PostgreSQL variants (-LE postgresql: they would double the slowest stage; the
# PostgreSQL-specific e2e.postgres still runs there); with clang, that build also runs each
# fuzzer of tests/fuzz for 30 s. Both test runs share one throw-away PostgreSQL server
# (scripts/pg-cluster.sh), named by ROUTER_TEST_PG.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)
# New build folders use Ninja, which keeps both cores busy across targets; one configured
# before keeps its generator (CMake refuses to switch).
generator() { [ -f "$1/CMakeCache.txt" ] || echo "-GNinja"; }

echo "== build (RelWithDebInfo, -Werror)"
cmake $(generator build) -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUTER_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
# One throw-away PostgreSQL server for both test runs, on a Unix socket only; the tests find
# it through ROUTER_TEST_PG. The trap stops and removes it however the script ends.
echo "== PostgreSQL for the tests (scripts/pg-cluster.sh)"
pg_dir=$(mktemp -d /tmp/router-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
ROUTER_TEST_PG=$(scripts/pg-cluster.sh start "$pg_dir")
export ROUTER_TEST_PG
echo "PostgreSQL runs in $pg_dir: $ROUTER_TEST_PG"
echo "== test (e2e scripts on SQLite and on PostgreSQL)"
ctest --test-dir build --output-on-failure -j "$jobs"
echo "== package (CPack DEB from build/, stripped; checked without installing)"
package_start=$SECONDS
deb=$(scripts/package.sh --from build | tail -n 1)
scripts/check-package.sh "$deb"
echo "package stage: $((SECONDS - package_start)) s"
echo "== e2e scripts against stub binaries (each must fail)"
scripts/check-stubs.sh
echo "== soak (60 s of concurrent processes, then invariants)"
scripts/soak.sh 60

# With clang, one sanitizer build also gives the libFuzzer harnesses (tests/fuzz); without
# it, gcc. Naming the compiler makes cmake start afresh when build-asan had the other one.
if command -v clang++ >/dev/null; then
  echo "== build (clang, ASan + UBSan, fuzzers)"
  cmake $(generator build-asan) -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    -DROUTER_SANITIZE=ON -DROUTER_FUZZ=ON -DROUTER_WERROR=ON >/dev/null
else
  echo "== build (gcc, ASan + UBSan)"
  cmake $(generator build-asan) -S . -B build-asan -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug \
    -DROUTER_SANITIZE=ON -DROUTER_FUZZ=OFF -DROUTER_WERROR=ON >/dev/null
fi
cmake --build build-asan -j "$jobs"
echo "== test under sanitizers (without the PostgreSQL variants of the e2e scripts)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE postgresql
if grep -q '^ROUTER_FUZZ:BOOL=ON' build-asan/CMakeCache.txt; then
  echo "== fuzz (30 s per harness)"
  FUZZ_BUILD=build-asan scripts/fuzz.sh 30
fi
