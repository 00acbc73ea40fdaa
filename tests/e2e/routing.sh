# Helpers for the routing tests (assign, claim, strategies). Source after lib.sh.
#   config             writes router.yaml from standard input (a heredoc)
#   fresh_db           empties the database (reset_db) and runs `router init`
#   lead ID TIME [ATTRS]   ingests one lead received at TIME; ATTRS is extra JSON members,
#                      e.g. '"brand":"Toyota","budget":25000'
#   assign_at TIME [ARGS...]   runs `router assign --now TIME ARGS...`
#   agent_of ID        the lead's agent column (empty when NULL)
#   state_of ID        the lead's state
#   chosen             the agents column of every decision line in $OUT, space-separated
#   owners IDS...      agent_of each lead, space-separated
#   set_status A S [UNTIL]  sets an agent's status (and leave end, unix seconds) in agent_state

config() { cat >router.yaml; }

fresh_db() {
  reset_db
  "$ROUTER" init -q || { echo "router init failed" >&2; exit 1; }
}

lead() {
  local id=$1 at=$2 attrs=${3:-}
  INPUT="{\"id\":\"$id\",\"source\":\"${SOURCE:-web}\",\"received_at\":\"$at\"${attrs:+,$attrs}}"
  run_in - ingest -q --now "$at"
  if [ "$STATUS" -ne 0 ]; then
    _fail "ingest of $id failed"
  fi
}

assign_at() {
  local at=$1
  shift
  run assign --now "$at" "$@"
}

agent_of() { sql "SELECT coalesce(agent, '') FROM leads WHERE id = '$1'"; }
state_of() { sql "SELECT state FROM leads WHERE id = '$1'"; }

chosen() {
  printf '%s\n' "$OUT" | awk '$2 ~ /^(offered|assigned)$/ { printf "%s%s", sep, $3; sep = " " }'
}

owners() {
  local out="" id
  for id in "$@"; do
    out="$out${out:+ }$(agent_of "$id")"
  done
  printf '%s' "$out"
}

# set_status AGENT STATUS [UNTIL_EPOCH]: what `router agent set` stores, written directly.
set_status() {
  sql "INSERT INTO agent_state(agent, status, until) VALUES ('$1', '$2', ${3:-NULL})
       ON CONFLICT(agent) DO UPDATE SET status = excluded.status, until = excluded.until"
}
