# install() rules: `cmake --install BUILD --prefix /usr` (into a DESTDIR) lays out the
# program, its man page, documentation, configuration and system files; the version comes
# from project(VERSION) into --version and the man page's header.
source "$(dirname "$0")/lib.sh"
: "${ROUTER_SOURCE:?ROUTER_SOURCE must name the source tree}"

version=$(sed -n 's/^project(router VERSION \([0-9.]*\).*/\1/p' "$ROUTER_SOURCE/CMakeLists.txt")
expect_match "$version" '^[0-9]+\.[0-9]+\.[0-9]+$' "project(VERSION) in CMakeLists.txt"

run --version
expect_status 0
expect_eq "$OUT" "router $version" "--version"

build=$(dirname "$ROUTER")
root=$TEST_DIR/root
OUT=$(DESTDIR=$root cmake --install "$build" --prefix /usr 2>&1)
STATUS=$?
expect_status 0

for path in usr/bin/router usr/share/man/man1/router.1.gz etc/router/router.yaml \
  usr/share/doc/router/README.md usr/share/doc/router/copyright \
  usr/share/doc/router/changelog.gz usr/share/doc/router/examples/config.example.yaml \
  lib/systemd/system/router-sweep.service lib/systemd/system/router-sweep.timer \
  lib/systemd/system/router-notify.service etc/default/router \
  etc/cron.d/router etc/logrotate.d/router usr/lib/sysusers.d/router.conf \
  usr/lib/tmpfiles.d/router.conf; do
  expect_eq "$([ -f "$root/$path" ] && echo yes)" yes "installed /$path"
done
expect_eq "$([ -x "$root/usr/bin/router" ] && echo yes)" yes "/usr/bin/router is executable"
expect_eq "$("$root/usr/bin/router" --version 2>&1)" "router $version" "installed --version"

expect_match "$(gzip -dc "$root/usr/share/man/man1/router.1.gz" 2>/dev/null | grep '^\.TH')" \
  "\"router $version\"" "the man page's .TH line"
expect_match "$(grep '^database:' "$root/etc/router/router.yaml" 2>/dev/null)" \
  '^database: /var/lib/router/router\.db( |$)' "the installed configuration's database"
expect_eq "$(grep -c '^database:' "$root/usr/share/doc/router/examples/config.example.yaml" \
  2>/dev/null)" 1 "the example keeps its database line"

# The units and the cron job run the installed program as router.
service=$root/lib/systemd/system/router-sweep.service
expect_match "$(grep '^ExecStart=' "$service" 2>/dev/null)" \
  '^ExecStart=/usr/bin/router --config /etc/router/router\.yaml sweep -q --metrics-file /var/lib/router/metrics/router\.prom$' \
  "ExecStart"
for key in User=router StateDirectory=router CacheDirectory=router SuccessExitStatus=75 \
  ProtectSystem=strict; do
  expect_match "$(cat "$service" 2>/dev/null)" "(^|"$'\n'")$key" "$key in the service"
done
expect_match "$(cat "$root/lib/systemd/system/router-sweep.timer" 2>/dev/null)" \
  'Persistent=true' "Persistent in the timer"
notify=$root/lib/systemd/system/router-notify.service
expect_match "$(grep '^ExecStart=' "$notify" 2>/dev/null)" \
  '^ExecStart=/usr/bin/router --config /etc/router/router\.yaml notify --follow -q$' \
  "the notify service's ExecStart"
for key in User=router StateDirectory=router Restart=on-failure RestartSec=5s \
  EnvironmentFile=-/etc/default/router WantedBy=multi-user.target; do
  expect_match "$(cat "$notify" 2>/dev/null)" "(^|"$'\n'")$key" "$key in the notify service"
done
expect_eq "$(stat -c %a "$root/etc/default/router" 2>/dev/null)" 640 "/etc/default/router's mode"
cron=$(grep -v '^#' "$root/etc/cron.d/router" 2>/dev/null | grep '^\*')
expect_match "$cron" '^\* \* \* \* \* router test -x /usr/bin/router && ! \[ -d /run/systemd/system \] && /usr/bin/router ' \
  "the cron line runs as router, guarded"
expect_match "$cron" '--metrics-file /var/lib/router/metrics/router\.prom >>/var/log/router/sweep\.log$' \
  "the cron line's metrics and log"

finish
