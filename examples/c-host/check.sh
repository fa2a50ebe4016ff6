#!/usr/bin/env bash
# Runs the C host example and checks what it prints.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
got="$("$here/../../build/example-c-host" "$here/guest.wasm" 10 0.5)"
want="guest: summed values 1..10
host: summarize = 27.5"
if [ "$got" != "$want" ]; then
  printf 'FAIL examples/c-host: got\n%s\nwant\n%s\n' "$got" "$want"
  exit 1
fi
echo "ok examples/c-host"
