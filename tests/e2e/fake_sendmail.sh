#!/usr/bin/env bash
# A stand-in for /usr/sbin/sendmail that records every call instead of sending mail.
#   FAKE_SENDMAIL_DIR     (required) where calls are recorded: NNN.eml holds the standard
#                         input, NNN.args the arguments, one per line; NNN counts up from
#                         001 and is claimed atomically, so concurrent calls never clash.
#   FAKE_SENDMAIL_STATUS  exit status (default 0); without it, the first line of
#                         $FAKE_SENDMAIL_DIR/status if that file exists, so a test can change
#                         the answer between runs of a long-lived router.
#   FAKE_SENDMAIL_SLEEP   seconds to sleep after reading the message, before answering.
#   FAKE_SENDMAIL_NOREAD  when set, exit at once without reading standard input (a sendmail
#                         that dies early); the call is still recorded, with an empty .eml.
# A non-zero status also prints "fake-sendmail: status N" on standard error, as a real
# sendmail prints its reason.
set -u
dir=${FAKE_SENDMAIL_DIR:?fake_sendmail: FAKE_SENDMAIL_DIR is not set}
mkdir -p "$dir" || exit 75

# Claim the next number: mkdir is atomic, so two calls never get the same one. Start past
# the numbers already taken (counted, not tried one by one: a test may send hundreds).
claimed=("$dir"/.claim-*)
[ -e "${claimed[0]}" ] || claimed=()
n=$((${#claimed[@]} + 1))
printf -v id '%03d' "$n"
while ! mkdir "$dir/.claim-$id" 2>/dev/null; do
  n=$((n + 1))
  printf -v id '%03d' "$n"
done

printf '%s\n' "$@" >"$dir/$id.args.tmp" && mv "$dir/$id.args.tmp" "$dir/$id.args"

if [ -n "${FAKE_SENDMAIL_NOREAD:-}" ]; then
  : >"$dir/$id.eml"
else
  cat >"$dir/$id.eml.tmp" && mv "$dir/$id.eml.tmp" "$dir/$id.eml"
fi

if [ -n "${FAKE_SENDMAIL_SLEEP:-}" ]; then
  sleep "$FAKE_SENDMAIL_SLEEP"
fi

status=${FAKE_SENDMAIL_STATUS:-}
if [ -z "$status" ] && [ -f "$dir/status" ]; then
  status=$(head -n 1 "$dir/status")
fi
status=${status:-0}
if [ "$status" -ne 0 ]; then
  echo "fake-sendmail: status $status" >&2
fi
exit "$status"
