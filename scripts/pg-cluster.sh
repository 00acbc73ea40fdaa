#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (issue 14): a brand-new cluster in DIR/data
# that listens only on a Unix socket in DIR, with durability off, and a database router_test
# owned by the role router (LOGIN, CREATEDB, no superuser).
# Usage:
#   scripts/pg-cluster.sh start DIR  creates and starts it; prints its libpq URI, one line:
#                                    postgresql://router@/router_test?host=DIR&port=PORT
#                                    (also written to DIR/uri). DIR: a fresh empty folder,
#                                    e.g. from mktemp -d under /tmp.
#   scripts/pg-cluster.sh stop DIR   stops it (immediate) and removes DIR; quiet, and exit 0
#                                    when DIR is gone or the server is not running (traps).
#   scripts/pg-cluster.sh uri DIR    prints DIR/uri.
# PG_CLUSTER_CONF, when set, is appended to the new cluster's postgresql.conf.
# As root, whatever touches the cluster runs as the postgres user, which then owns DIR; the
# folders above DIR must let it through (those of /tmp do). The server's log: DIR/server.log.
set -euo pipefail

die() {
  echo "pg-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|uri DIR" >&2
  exit 2
}

# The server's programs: pg_config --bindir when it has them (Debian's pg_config picks the
# newest server installed), else the newest /usr/lib/postgresql/*/bin.
find_bindir() {
  local dir
  if command -v pg_config >/dev/null; then
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return
    fi
  fi
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return
  fi
  die "no PostgreSQL server found (pg_config --bindir, /usr/lib/postgresql/*/bin): install postgresql"
}

# Runs a command as the cluster's owner: postgres when we are root (the server refuses to
# run as root), else ourselves. From /, which the postgres user can always enter.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Percent-encodes a path for the URI's query: keeps unreserved characters and '/'.
uri_encode() {
  local s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~/-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  echo "$out"
}

# Whether some server already has PORT. The socket lives in our own fresh DIR, so nothing can
# collide there; this keeps concurrent clusters on different ports, which is easier to read
# in ps and logs (starts running at once take turns through a lock, see cmd_start).
port_taken() {
  local port=$1
  if compgen -G "/tmp/*/.s.PGSQL.$port" >/dev/null || [ -e "/var/run/postgresql/.s.PGSQL.$port" ]; then
    return 0
  fi
  if command -v ss >/dev/null && ss -Hlxt 2>/dev/null | grep -Eq "(\.s\.PGSQL\.|:)$port( |$)"; then
    return 0
  fi
  return 1
}

log_tail() {
  local dir=$1
  if [ -s "$dir/server.log" ]; then
    echo "pg-cluster: last lines of $dir/server.log:" >&2
    tail -n 20 "$dir/server.log" >&2
  fi
}

cmd_start() {
  local dir=$1 bindir port uri data started=""
  [ -d "$dir" ] || die "start: $dir is not a folder (make it with mktemp -d)"
  dir=$(cd "$dir" && pwd -P)
  data=$dir/data
  [ ! -e "$data" ] || die "start: $data already exists; give start a fresh folder"
  bindir=$(find_bindir)

  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "start: running as root, but there is no postgres user"
    chown postgres: "$dir"
  fi
  # The socket is in DIR: let other local users reach it (trust for local connections).
  chmod 755 "$dir"
  as_owner test -w "$dir" -a -x "$dir" ||
    die "start: the postgres user cannot write to $dir; a folder above it is closed (use mktemp -d under /tmp)"

  if ! as_owner "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=reject \
    --encoding=UTF8 --locale=C --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
    echo "pg-cluster: initdb failed:" >&2
    tail -n 20 "$dir/initdb.log" >&2
    exit 1
  fi

  # Settings for tests: no TCP, the socket in DIR, no durability. The port is given at start.
  local sockdir=${dir//\'/\'\'}
  as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF

# scripts/pg-cluster.sh: a throw-away server for tests.
listen_addresses = ''
unix_socket_directories = '$sockdir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
  # More settings, one per line, from the caller (bench/pg_statements.sh loads
  # pg_stat_statements this way).
  if [ -n "${PG_CLUSTER_CONF:-}" ]; then
    printf '%s\n' "$PG_CLUSTER_CONF" | as_owner tee -a "$data/postgresql.conf" >/dev/null
  fi

  # Starts running at once pick their ports one at a time: the lock is held from the pick
  # until the server listens. Shared by every user, hence opened for reading only; the server
  # must not inherit it, or it would hold the lock for its whole life.
  local lock=/tmp/router-pg-cluster.lock
  if [ ! -e "$lock" ]; then
    (umask 000 && : >>"$lock") 2>/dev/null || true
  fi
  exec 9</dev/null
  if [ -r "$lock" ] && command -v flock >/dev/null; then
    exec 9<"$lock"
    flock -w 120 9 || true
  fi
  port=54320
  for _ in 1 2 3 4 5; do
    while [ "$port" -le 54399 ] && port_taken "$port"; do
      port=$((port + 1))
    done
    [ "$port" -le 54399 ] || break
    if as_owner "$bindir/pg_ctl" start -w -t 60 -s -D "$data" -l "$dir/server.log" \
      -o "-c port=$port" >/dev/null 2>>"$dir/pg_ctl.log" 9<&-; then
      started=1
      break
    fi
    port=$((port + 1))
  done
  exec 9<&-
  if [ -z "$started" ]; then
    echo "pg-cluster: the server did not start in $dir (ports 54320..54399)" >&2
    cat "$dir/pg_ctl.log" >&2 2>/dev/null || true
    log_tail "$dir"
    as_owner "$bindir/pg_ctl" stop -s -m immediate -D "$data" >/dev/null 2>&1 || true
    exit 1
  fi

  if ! as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres \
    -d postgres >/dev/null 2>>"$dir/pg_ctl.log" <<'EOF'
CREATE ROLE router LOGIN NOSUPERUSER CREATEDB;
CREATE DATABASE router_test OWNER router;
EOF
  then
    echo "pg-cluster: could not create the role router and the database router_test:" >&2
    cat "$dir/pg_ctl.log" >&2
    log_tail "$dir"
    as_owner "$bindir/pg_ctl" stop -s -m immediate -D "$data" >/dev/null 2>&1 || true
    exit 1
  fi

  uri="postgresql://router@/router_test?host=$(uri_encode "$dir")&port=$port"
  echo "$uri" >"$dir/uri"
  echo "$uri"
}

cmd_stop() {
  local dir=$1 bindir pid
  [ -e "$dir" ] || return 0
  dir=$(cd "$dir" 2>/dev/null && pwd -P) || dir=$1
  if [ -f "$dir/data/postmaster.pid" ]; then
    bindir=$(find_bindir 2>/dev/null) || bindir=""
    if [ -n "$bindir" ]; then
      as_owner "$bindir/pg_ctl" stop -s -m immediate -t 30 -D "$dir/data" >/dev/null 2>&1 || true
    fi
    # Should pg_ctl have failed: the postmaster, if it is still ours, goes anyway.
    pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && [ -d "/proc/$pid" ] &&
      tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/data"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case $1 in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  uri)
    [ -f "$2/uri" ] || die "uri: no $2/uri (was the cluster started?)"
    cat "$2/uri"
    ;;
  *) usage ;;
esac
