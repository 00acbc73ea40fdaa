# The manual page renders cleanly and documents every command the binary has.
source "$(dirname "$0")/lib.sh"
man_page="$ROUTER_SOURCE/man/router.1"

lint=$(mandoc -T lint -W warning "$man_page" 2>&1)
expect_eq "$lint" "" "mandoc -T lint -W warning"

warnings=$(groff -man -Tutf8 -ww "$man_page" 2>&1 >/dev/null)
expect_eq "$warnings" "" "groff warnings"

for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
  if grep -q "^\.SH \"\?$section\"\?$" "$man_page"; then _pass; else _fail "no section $section"; fi
done

# Every subcommand the binary lists is documented under COMMANDS.
# The loop must not pass by running zero times when the help changes shape.
run --help
commands=$(printf '%s\n' "$OUT" | awk '/^Subcommands:/ {on=1; next} on && NF {print $1}')
count=$(printf '%s\n' "$commands" | grep -c .)
if [ "$count" -ge 15 ]; then _pass; else _fail "expected at least 15 subcommands in --help, found $count"; fi
for cmd in $commands; do
  if grep -q "^\.B[IR]* \"\?$cmd\b" "$man_page"; then _pass; else _fail "command $cmd not in man page"; fi
done

finish
