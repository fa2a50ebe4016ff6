#!/usr/bin/env bash
# Runs the fib guest through the CLI and checks its results.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
weft="$here/../../build/weft"
expect() { # expect WANT ARGS...
  local want="$1"; shift
  local got
  got="$("$weft" run "$@")"
  if [ "$got" != "$want" ]; then
    echo "FAIL weft run $*: got '$got', want '$want'"
    exit 1
  fi
}
expect 6765 --invoke fib "$here/fib.wasm" 20
expect 832040 --invoke fib "$here/fib.wasm" 30
expect 332833500 --invoke loop "$here/fib.wasm" 1000
echo "ok examples/fib"
