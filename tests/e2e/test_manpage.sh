# The manual page renders cleanly, is laid out as a man page should be, and documents every
# command and global option the binary has, every configuration key the loader accepts and
# the cron line that ships in scripts/router.cron.
source "$(dirname "$0")/lib.sh"
man_page="$ROUTER_SOURCE/man/router.1"
# A failed check of this script's own (lib.sh's _where expects one helper between).
fail() { _fail "$@"; }

lint=$(mandoc -T lint -W warning "$man_page" 2>&1)
expect_eq "$lint" "" "mandoc -T lint -W warning"

warnings=$(groff -man -Tutf8 -ww "$man_page" 2>&1 >/dev/null)
expect_eq "$warnings" "" "groff warnings"

# The lines of section $1 (.SH), or of subsection $2 (.SS) inside it, without the heading.
section() {
  awk -v sh="$1" -v ss="${2:-}" '
    function title(line) { sub(/^\.S[HS] +/, "", line); gsub(/"/, "", line); return line }
    /^\.SH / { in_sh = (title($0) == sh); in_ss = (ss == ""); next }
    /^\.SS / { if (ss != "") in_ss = in_sh && (title($0) == ss); next }
    in_sh && in_ss' "$man_page"
}

# Roff text lines as they print: escapes (\- \& \(dq \e...) and font changes resolved.
unescape() {
  sed -e 's/\\f[BIRP]//g' -e 's/\\(dq/"/g' -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\ / /g' \
    -e 's/\\e/\\/g'
}
# Macro lines as the text they print: no macro name or quotes, escapes resolved.
plain() { sed -e 's/^\.[A-Za-z]*[[:space:]]*//' -e 's/"//g' | unescape; }

# The tags of the .TP items in the lines read: the line after each .TP, as plain text.
tags() { awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' | plain; }

sections=$(grep '^\.SH ' "$man_page" | sed -e 's/^\.SH *//' -e 's/"//g' | paste -sd, -)
expect_eq "$sections" \
  "NAME,SYNOPSIS,DESCRIPTION,COMMANDS,OPTIONS,CONFIGURATION,ENVIRONMENT,FILES,EXIT STATUS,EXAMPLES,SEE ALSO" \
  "sections in order"

# The synopsis is not stretched to the margin: no gap of two spaces inside a line, and a form
# that wraps goes on indented under its command.
synopsis=$(groff -man -Tutf8 -P-cbou -rLL=78n "$man_page" 2>/dev/null |
  awk '/^SYNOPSIS/ { on = 1; next } on && /^[A-Z]/ { exit } on && NF')
forms=$(printf '%s\n' "$synopsis" | grep -c '^       router ')
if [ "$forms" -ge 15 ]; then _pass; else fail "expected at least 15 forms in SYNOPSIS, found $forms"; fi
stretched=$(printf '%s\n' "$synopsis" | grep -E '[^ ]  +[^ ]')
expect_eq "$stretched" "" "stretched SYNOPSIS lines"
unindented=$(printf '%s\n' "$synopsis" | grep -v '^       router ' | grep -v '^        ')
expect_eq "$unindented" "" "SYNOPSIS continuation lines not indented"

# Every subcommand the binary lists, and every subcommand of those that have their own
# (agent list, agent set...), has its own .TP item under COMMANDS whose tag starts with its
# name. A command mentioned only inside another's paragraph does not count.
run --help
help=$OUT
expected=""
for cmd in $(printf '%s\n' "$help" | awk '/^Subcommands:/ {on=1; next} on && NF {print $1}'); do
  subs=$("$ROUTER" "$cmd" --help 2>/dev/null | awk '/^Subcommands:/ {on=1; next} on && NF {print $1}')
  for sub in $subs; do
    expected+="$cmd $sub"$'\n'
  done
  [ -n "$subs" ] || expected+="$cmd"$'\n'
done
OUT="" # the help is in $help; a failure below is about the page, not about the last run
expected=$(printf '%s' "$expected" | sort -u)
expected_count=$(printf '%s\n' "$expected" | grep -c .)
if [ "$expected_count" -ge 20 ]; then _pass; else
  fail "expected at least 20 commands in --help (agent's counted one by one), found $expected_count"
fi
groups=$(printf '%s\n' "$expected" | awk 'NF == 2 {print $1}' | sort -u)
documented=$(section COMMANDS | tags | awk -v groups=" $(echo $groups) " '
  { name = $1; if (index(groups, " " $1 " ") && NF > 1) name = $1 " " $2; print name }' | sort -u)
documented_count=$(printf '%s\n' "$documented" | grep -c .)
expect_eq "$documented_count" "$expected_count" "number of commands with their own heading"
missing=$(comm -23 <(printf '%s\n' "$expected") <(printf '%s\n' "$documented") | paste -sd, -)
expect_eq "$missing" "" "commands without their own heading under COMMANDS"
unknown=$(comm -13 <(printf '%s\n' "$expected") <(printf '%s\n' "$documented") | paste -sd, -)
expect_eq "$unknown" "" "headings under COMMANDS that name no command of the binary"

# Every global option in --help has an item under OPTIONS (-h, --help and --version too).
help_options=$(printf '%s\n' "$help" | awk '/^Options:/ {on=1; next} /^[^ ]/ {on=0} on && $1 ~ /^-/ {print $1}' |
  tr ',' '\n' | sort -u)
option_count=$(printf '%s\n' "$help_options" | grep -c .)
if [ "$option_count" -ge 12 ]; then _pass; else fail "expected at least 12 options in --help, found $option_count"; fi
man_options=$(section OPTIONS | tags | tr ' ,' '\n\n' | grep -- '^-' | sort -u)
missing=$(comm -23 <(printf '%s\n' "$help_options") <(printf '%s\n' "$man_options") | paste -sd, -)
expect_eq "$missing" "" "options of --help without an item under OPTIONS"

# Every key the configuration loader knows is documented under CONFIGURATION, as a tag in
# its own subsection. The tables are read from the loader's source (the same lists its
# "unknown key ... did you mean" check uses), so a key added there fails here until it is
# documented. Table → subsection:
subsection_of() {
  case $1 in
    top_keys) echo "Top level" ;;
    agent_keys) echo "Agents" ;;
    holiday_keys) echo "Calendars" ;;
    schedule_keys) echo "Schedules" ;;
    pool_keys | pickup_keys | on_exhausted) echo "Pools" ;;
    member_keys) echo "Pool members" ;;
    rule_keys) echo "Rules" ;;
    operators) echo "Conditions" ;;
    owner_match_keys) echo "Owner match" ;;
    notification_keys | retry_keys | webhook_keys | notification_rule_keys) echo "Notifications" ;;
    strategy_names) echo "Strategies" ;;
    *) return 1 ;;
  esac
}
# "name key key..." for every k_name = {"...", ...} table of the given sources.
tables() {
  perl -0777 -ne 'while (/\bk_(\w+)\s*=\s*\{(.*?)\}/sg) {
    my ($name, $body) = ($1, $2); my @keys = $body =~ /"([^"]*)"/g;
    print "$name @keys\n" if @keys }' "$@"
}
config_tables=$(tables "$ROUTER_SOURCE"/src/config/*.cpp "$ROUTER_SOURCE"/src/core/model.cpp)
checked_tables=0
checked_keys=0
while read -r table keys; do
  if ! where=$(subsection_of "$table"); then
    # Every table of keys the loader checks must be mapped above.
    case $table in *_keys) fail "table k_$table has no subsection in this test" ;; esac
    continue
  fi
  checked_tables=$((checked_tables + 1))
  documented=$(section CONFIGURATION "$where" | tags | tr -cs 'A-Za-z0-9_-' '\n' | sort -u)
  if [ -z "$documented" ]; then fail "no items in CONFIGURATION subsection '$where'"; fi
  for key in $keys; do
    checked_keys=$((checked_keys + 1))
    if grep -qxF -- "$key" <<<"$documented"; then _pass; else
      fail "key '$key' (k_$table) is not a tag in CONFIGURATION, subsection '$where'"
    fi
  done
done <<<"$config_tables"
expect_eq "$checked_tables" 16 "tables of configuration keys found in the source"
if [ "$checked_keys" -ge 60 ]; then _pass; else fail "expected at least 60 configuration keys, found $checked_keys"; fi

# The cron example is the shipped cron file, line for line (comments left out).
cron=$(grep -v -e '^#' -e '^[[:space:]]*$' "$ROUTER_SOURCE/scripts/router.cron")
if grep -q '^\* \* \* \* \* .*router sweep' <<<"$cron"; then _pass; else
  fail "scripts/router.cron has no sweep line"
fi
example=$(section EXAMPLES | awk '/^\.nf/ {on=1; block=""; next}
  /^\.fi/ {on=0; if (block ~ /router sweep/) print block; next}
  on {block = block $0 "\n"}' | unescape | sed '/^$/d')
expect_eq "$example" "$cron" "the cron example in EXAMPLES against scripts/router.cron"

finish
