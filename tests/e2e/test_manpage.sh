# The manual page renders cleanly, is laid out as a man page should be, and documents every
# command and global option the binary has and the cron line that ships in
# scripts/router.cron.
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
  "NAME,SYNOPSIS,DESCRIPTION,COMMANDS,OPTIONS,ENVIRONMENT,FILES,EXIT STATUS,EXAMPLES,SEE ALSO" \
  "sections in order"

# The synopsis is not stretched to the margin: no gap of two spaces inside a line, and a form
# that wraps goes on indented under its command.
synopsis=$(groff -man -Tutf8 -rLL=78n "$man_page" 2>/dev/null | col -bx |
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
  if [ -n "$subs" ]; then
    expected+=$(printf "$cmd %s\n" $subs)$'\n'
  else
    expected+="$cmd"$'\n'
  fi
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
