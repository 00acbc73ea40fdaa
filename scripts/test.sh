#!/usr/bin/env bash
# Installs dependencies, builds with warnings as errors and runs every test; then builds
# again under AddressSanitizer + UndefinedBehaviorSanitizer and runs every test again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

jobs=$(nproc)

echo "== build (RelWithDebInfo, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROUTER_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
echo "== test"
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

echo "== build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DROUTER_SANITIZE=ON -DROUTER_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs"
echo "== test under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
