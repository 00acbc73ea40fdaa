#!/usr/bin/env bash
# Checks a router .deb without installing it: lintian (no errors; warnings printed), every
# path the package must hold, the conffiles and maintainer scripts; then, extracted into a
# temporary root, the binary validates the shipped configuration (database pointed into
# that root), the man page renders without warnings and systemd-analyze verify (when
# present) is clean on the units.
#   scripts/check-package.sh build/package/router_0.1.0_amd64.deb
set -euo pipefail

deb=${1:?usage: scripts/check-package.sh PACKAGE.deb}
[ -f "$deb" ] || { echo "check-package: $deb: no such file" >&2; exit 1; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

echo "== lintian"
if ! command -v lintian >/dev/null; then
  fail "lintian is not installed (scripts/install-deps.sh installs it)"
else
  lintian_out=$(lintian --fail-on error "$deb" 2>&1) && lintian_status=0 || lintian_status=$?
  [ -n "$lintian_out" ] && printf '%s\n' "$lintian_out"
  if [ "$lintian_status" -ne 0 ] || grep -q '^E: ' <<<"$lintian_out"; then
    fail "lintian reports errors (status $lintian_status)"
  else
    pass "lintian: no errors ($(grep -c '^W: ' <<<"$lintian_out" || true) warnings)"
  fi
fi

echo "== contents"
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|')
version=$(dpkg-deb -f "$deb" Version)
for path in \
  /usr/bin/router \
  /usr/share/man/man1/router.1.gz \
  /etc/router/router.yaml \
  /usr/share/doc/router/README.md \
  /usr/share/doc/router/copyright \
  /usr/share/doc/router/changelog.gz \
  /usr/share/doc/router/examples/config.example.yaml \
  /lib/systemd/system/router-sweep.service \
  /lib/systemd/system/router-sweep.timer \
  /lib/systemd/system/router-notify.service \
  /etc/default/router \
  /etc/cron.d/router \
  /usr/share/bash-completion/completions/router \
  /usr/share/zsh/vendor-completions/_router \
  /usr/share/fish/vendor_completions.d/router.fish \
  /usr/lib/sysusers.d/router.conf \
  /usr/lib/tmpfiles.d/router.conf \
  /etc/logrotate.d/router; do
  if grep -qxF "$path" <<<"$contents"; then
    pass "holds $path"
  else
    fail "the package does not hold $path"
  fi
done
# Webhook secrets: not readable by all (the postinst gives it to the router group).
mode=$(dpkg-deb -c "$deb" | awk '$NF == "./etc/default/router" {print $1}')
if [ "$mode" = "-rw-r-----" ]; then
  pass "/etc/default/router is not world-readable ($mode)"
else
  fail "/etc/default/router has mode '$mode', not -rw-r-----"
fi
depends=$(dpkg-deb -f "$deb" Depends)
# libcurl4 and libssl3 are loaded with dlopen (webhooks): dpkg-shlibdeps cannot see them.
for dep in tzdata sqlite3 libsqlite3-0 libc6 libcurl4 libssl3; do
  if grep -qE "(^|, )$dep( |,|$)" <<<"$depends"; then
    pass "depends on $dep"
  else
    fail "Depends has no $dep: $depends"
  fi
done

# libstdc++, libgcc and yaml-cpp are linked statically (start-up time, CMakeLists.txt), and
# time zones are read from tzdata's files without libdate-tz.
for dep in libstdc++6 libgcc-s1 libyaml-cpp0.7 libdate-tz3; do
  if grep -qE "(^|, )$dep( |,|$)" <<<"$depends"; then
    fail "Depends has $dep, which router should not load: $depends"
  else
    pass "no dependency on $dep"
  fi
done

echo "== control"
control=$root/control
dpkg-deb -e "$deb" "$control"
for conffile in /etc/router/router.yaml /etc/default/router; do
  if grep -qxF "$conffile" "$control/conffiles" 2>/dev/null; then
    pass "$conffile is a conffile"
  else
    fail "$conffile is not in conffiles"
  fi
done
if grep -q 'dpkg-statoverride --update --add root router 0640 /etc/default/router' \
  "$control/postinst" 2>/dev/null; then
  pass "the postinst gives /etc/default/router to the router group"
else
  fail "the postinst does not give /etc/default/router to the router group"
fi
for script in postinst prerm postrm; do
  if [ -x "$control/$script" ] && sh -n "$control/$script"; then
    pass "$script is an executable shell script"
  else
    fail "$script is missing, not executable or not valid sh"
  fi
done

echo "== extracted into a temporary root"
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin/router
config=$root/etc/router/router.yaml
if [ "$("$bin" --version 2>&1)" = "router $version" ]; then
  pass "router --version says $version"
else
  fail "router --version says '$("$bin" --version 2>&1)', the package is $version"
fi
if grep -qE '^database: /var/lib/router/router.db( |$)' "$config"; then
  pass "the configuration's database is /var/lib/router/router.db"
else
  fail "the configuration's database is not /var/lib/router/router.db"
fi
mkdir -p "$root/var/lib/router"
if out=$(ROUTER_CACHE_DIR=off "$bin" --config "$config" --db "$root/var/lib/router/router.db" \
  validate 2>&1); then
  pass "the shipped configuration validates"
else
  printf '%s\n' "$out"
  fail "the shipped configuration does not validate"
fi
if out=$(ROUTER_CACHE_DIR=off "$bin" --config "$config" --db "$root/var/lib/router/router.db" \
  init 2>&1) && [ -f "$root/var/lib/router/router.db" ]; then
  pass "init creates the database in the temporary root"
else
  printf '%s\n' "$out"
  fail "init failed on the shipped configuration"
fi

page=$root/router.1
if gzip -dc "$root/usr/share/man/man1/router.1.gz" >"$page" 2>/dev/null; then
  if ! grep -q "^\.TH .*\"router $version\"" "$page"; then
    fail "the man page's header does not name router $version"
  fi
  lint=$(mandoc -T lint -W warning "$page" 2>&1 || true)
  groff_out=$(groff -ww -man -Tutf8 "$page" 2>&1 >/dev/null || echo "groff failed")
  if [ -z "$lint$groff_out" ]; then
    pass "the man page renders without warnings"
  else
    printf '%s\n' "$lint" "$groff_out"
    fail "the man page has warnings"
  fi
else
  fail "the man page is not a gzip file"
fi

echo "== systemd units"
if ! command -v systemd-analyze >/dev/null; then
  echo "SKIPPED: systemd-analyze verify (systemd-analyze is not installed); NOT checked"
else
  # Verified by path, with the extracted binary in ExecStart (systemd-analyze checks that it
  # is executable) and the extracted man page for Documentation=man:router(1).
  units=$root/units
  mkdir -p "$units"
  unit_files=(router-sweep.service router-sweep.timer router-notify.service)
  for unit in "${unit_files[@]}"; do
    sed "s|/usr/bin/router|$bin|g" "$root/lib/systemd/system/$unit" >"$units/$unit"
  done
  for unit in router-sweep.service router-notify.service; do
    if ! grep -q "^ExecStart=$bin " "$units/$unit"; then
      fail "$unit does not run /usr/bin/router"
    fi
  done
  if grep -qx 'ExecStart=.* notify --follow.*' "$units/router-notify.service" &&
    grep -qx 'EnvironmentFile=-/etc/default/router' "$units/router-notify.service" &&
    grep -qx 'Restart=on-failure' "$units/router-notify.service"; then
    pass "router-notify.service runs notify --follow, reads /etc/default/router, restarts"
  else
    fail "router-notify.service lacks notify --follow, its EnvironmentFile or Restart="
  fi
  verify=$(cd "$units" && MANPATH=$root/usr/share/man \
    systemd-analyze verify "${unit_files[@]}" 2>&1) && status=0 || status=$?
  if [ "$status" -eq 0 ] && [ -z "$verify" ]; then
    pass "systemd-analyze verify is clean on the units"
  else
    printf '%s\n' "$verify"
    fail "systemd-analyze verify (status $status)"
  fi
fi

if [ "$failures" -ne 0 ]; then
  echo "check-package: $failures check(s) failed"
  exit 1
fi
echo "check-package: $deb is good"
