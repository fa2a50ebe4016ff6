#!/usr/bin/env bash
# expect.sh WANT CMD [ARGS...] — runs CMD and fails unless its stdout,
# without surrounding whitespace, is exactly WANT. bench/cli-bench.sh wraps
# every timed command in it, so each timed run is also a checked run.
# wabt's wasm-interp prints a result as "run() => i32:N": that prefix is
# dropped before comparing.
set -uo pipefail
want="$1"
shift
got="$("$@")" || { echo "expect: $1 failed (exit $?)" >&2; exit 1; }
got="$(printf '%s' "$got" | tr -d '\r' |
  sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e 's/^[A-Za-z_]*() => i[36][24]://')"
if [ "$got" != "$want" ]; then
  echo "expect: $* printed \"$got\", want \"$want\"" >&2
  exit 1
fi
