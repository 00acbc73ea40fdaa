#!/usr/bin/env bash
# Installs what router needs to build, test and run, from Debian's packages. Idempotent:
# does nothing when everything is present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache ninja-build
  libcli11-dev libsqlitecpp-dev libsqlite3-dev libyaml-cpp-dev
  libhowardhinnant-date-dev doctest-dev nlohmann-json3-dev
  tzdata sqlite3 mandoc groff-base time python3 jq zsh fish openssl
  dpkg-dev lintian
  # tests/e2e/test_zone_files.sh watches which folders router opens.
  strace
  # libcurl and OpenSSL: webhooks and their HMAC signatures (src/transport/).
  libcurl4-openssl-dev libssl-dev
  # Header-only Mustache for notification templates (src/core/template.cpp).
  libkainjow-mustache-dev
  # clang++ and its ASan/UBSan/libFuzzer runtimes: the sanitizer build and tests/fuzz.
  clang libclang-rt-14-dev
  # lld links router with its hot functions together (CMakeLists.txt, ROUTER_LINK_ORDER).
  lld
  # PostgreSQL server, psql and libpq (issue 14): the PostgreSQL backend, and the throw-away
  # server its tests run against (scripts/pg-cluster.sh).
  postgresql libpq-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
