#!/usr/bin/env bash
# Builds router in Release into build-pkg/ and makes its Debian package with CPack; the
# package's path is the last line of output.
#   scripts/package.sh               Release build in build-pkg/, then the package
#   scripts/package.sh --from DIR    package an existing build in DIR as it is (CI packages
#                                    its RelWithDebInfo build; the binary is stripped)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build-pkg
from=""
case "${1:-}" in
  --from) from=${2:?"--from needs a build folder"}; build=$from ;;
  "") ;;
  *) echo "usage: scripts/package.sh [--from BUILD_DIR]" >&2; exit 64 ;;
esac

if [ -z "$from" ]; then
  scripts/install-deps.sh
  # Debian's hardening flags (fortify, stack protector, relro, bindnow, PIE) on top of Release.
  export DEB_BUILD_MAINT_OPTIONS=hardening=+all
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" \
    -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" >/dev/null
  cmake --build "$build" -j "$(nproc)"
fi

rm -f "$build"/package/router_*.deb
cpack --config "$build/CPackConfig.cmake" -G DEB >&2
debs=("$build"/package/router_*.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  echo "package.sh: expected one router_*.deb in $build/package" >&2
  exit 1
fi
realpath "${debs[0]}"
