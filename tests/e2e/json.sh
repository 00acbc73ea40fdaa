# JSON helper for end-to-end tests (python3 is a build dependency; jq is not).
#   json_get JSON PATH   prints the value at PATH (Python subscripts: '["a"][0]'): strings
#                        as they are, anything else as compact JSON
#   json_lines_get TEXT N PATH   the same on line N (from 0) of JSON Lines TEXT
json_get() {
  printf '%s' "$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
v = eval("d" + sys.argv[1])
print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))' "$2"
}
json_lines_get() {
  json_get "$(printf '%s\n' "$1" | sed -n "$(($2 + 1))p")" "$3"
}
