#!/usr/bin/env bash
# Installs the Debian package on THIS machine, uses it as an operator would, then purges it
# and checks that nothing is left. Run by hand as root on a Debian 12 machine you can spare
# (not from test.sh): it creates and removes the router user and /var/lib/router.
#   scripts/try-install.sh               package with scripts/package.sh (Release build)
#   scripts/try-install.sh --from build  package an existing build instead
# The cron job runs here as cron would (its own environment, as router) rather than waiting
# for cron, which a container may not run.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" -eq 0 ] || { echo "try-install: run as root" >&2; exit 1; }
if dpkg-query -W -f='${Status}' router 2>/dev/null | grep -q installed; then
  echo "try-install: router is already installed; dpkg --purge router first" >&2
  exit 1
fi

failures=0
check() {  # check WHAT COMMAND...: runs COMMAND, prints ok or FAIL
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
# Runs a command as router: sudo when present, else runuser (util-linux).
as_router() {
  if command -v sudo >/dev/null; then sudo -u router "$@"; else runuser -u router -- "$@"; fi
}
owner_mode() { stat -c '%U:%G %a' "$1" 2>/dev/null; }

echo "== package"
deb=$(scripts/package.sh "$@" | tail -n 1)
echo "$deb"

echo "== \$ apt-get install -y $deb"
apt-get install -y "$deb" 2>&1 | grep -vE '^(Reading|Building|Note, selecting|\(Reading)' || true
check "router is installed" dpkg-query -W router
check "the router system user exists" getent passwd router
check "/var/lib/router is router:router 0750" test "$(owner_mode /var/lib/router)" = "router:router 750"
check "/var/lib/router/metrics is router's" test "$(owner_mode /var/lib/router/metrics | cut -d' ' -f1)" = router:router
check "/var/cache/router is router's" test "$(owner_mode /var/cache/router | cut -d' ' -f1)" = router:router
check "/var/log/router is router:adm" test "$(owner_mode /var/log/router | cut -d' ' -f1)" = router:adm
check "the database /var/lib/router/router.db is router's" \
  test "$(owner_mode /var/lib/router/router.db | cut -d' ' -f1)" = router:router
check "/etc/default/router (webhook secrets) is root:router 0640" \
  test "$(owner_mode /etc/default/router)" = "root:router 640"
if [ -d /run/systemd/system ]; then
  check "router-notify.service is installed, not enabled" \
    sh -c '[ "$(systemctl is-enabled router-notify.service 2>/dev/null)" = disabled ]'
fi

if command -v sudo >/dev/null; then
  echo "== \$ sudo -u router router ingest leads.jsonl"
else
  echo "== \$ runuser -u router -- router ingest leads.jsonl   (no sudo here)"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
grep -E '"id": "(W-1001|W-1002)"' data/sample-leads.jsonl | sed 's/"received_at": "[^"]*", //' \
  >"$work/leads.jsonl"
chmod 644 "$work/leads.jsonl"
(cd "$work" && as_router router ingest leads.jsonl)

echo "== the cron job's command, as router, with the cron file's environment"
cron_line=$(grep -E '^\* \* \* \* \* router ' /etc/cron.d/router)
command=${cron_line#\* \* \* \* \* router }
mapfile -t cron_env < <(grep -E '^[A-Z_]+=' /etc/cron.d/router)
echo "env ${cron_env[*]}"
echo "$command"
# As cron runs it: the file's variables, HOME and LOGNAME of the user, /bin/sh -c, cwd HOME.
(cd / && env -i HOME=/var/lib/router LOGNAME=router USER=router "${cron_env[@]}" \
  setpriv --reuid=router --regid=router --init-groups /bin/sh -c "$command") || true
if [ -d /run/systemd/system ]; then
  echo "(systemd is running here: the cron guard skips; the timer runs the sweep)"
  systemctl start router-sweep.service
  sleep 1
fi
echo "-- /var/log/router/sweep.log:"
cat /var/log/router/sweep.log 2>/dev/null || true
# Offered to an agent, or (out of hours, to a pool that assigns) assigned: either way the
# sweep routed it and logged it.
routed() { grep -qE "^([0-9T:Z-]+ )?$1 +(offered|assigned) " /var/log/router/sweep.log; }
check "the sweep routed W-1001 (offered or assigned)" routed W-1001
check "the sweep routed W-1002 (offered or assigned)" routed W-1002
check "metrics were written" test -s /var/lib/router/metrics/router.prom
echo "-- router report, as router:"
as_router router report || true

echo "== \$ dpkg --purge router"
dpkg --purge router
check "router is gone" sh -c '! dpkg-query -W -f="\${Status}" router 2>/dev/null | grep -q installed'
check "the router user is gone" sh -c '! getent passwd router'
check "the router group is gone" sh -c '! getent group router'
check "no statoverride is left for /etc/default/router" \
  sh -c '! dpkg-statoverride --list /etc/default/router'
for path in /usr/bin/router /etc/router /etc/cron.d/router /etc/logrotate.d/router \
  /var/lib/router /var/cache/router /var/log/router /lib/systemd/system/router-sweep.service \
  /lib/systemd/system/router-notify.service /etc/default/router \
  /usr/lib/sysusers.d/router.conf /usr/share/doc/router \
  /etc/systemd/system/timers.target.wants/router-sweep.timer; do
  check "$path is gone" test ! -e "$path"
done

if [ "$failures" -ne 0 ]; then
  echo "try-install: $failures check(s) failed"
  exit 1
fi
echo "try-install: installed, used, purged: all good"
