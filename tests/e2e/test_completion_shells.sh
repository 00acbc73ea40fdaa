# `router completion zsh|fish` scripts are valid for their shells; exit 77 (skipped, never
# passed) when a shell is not installed (scripts/install-deps.sh installs both).
source "$(dirname "$0")/lib.sh"

skipped=0
for shell in zsh fish; do
  run completion "$shell"
  expect_status 0
  expect_out "router"
  if ! command -v "$shell" >/dev/null; then
    echo "SKIPPED: $shell is not installed"
    skipped=1
    continue
  fi
  printf '%s\n' "$OUT" >"router.$shell"
  if "$shell" -n "router.$shell"; then _pass; else _fail "$shell -n"; fi
done
# fish lists commands and --format values per command.
expect_match "$("$ROUTER" completion fish)" "-l format -x -a 'text json csv'" "fish --format values"

finish || exit 1
[ "$skipped" -eq 0 ] || exit 77
