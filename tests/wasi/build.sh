#!/usr/bin/env bash
# build.sh — rebuilds the committed WASI test guests:
#   wasi_suite.wasm   from src/*.c   (clang --target=wasm32-wasi, Debian's wasi-libc)
#   goguest/goguest.wasm              (GOOS=wasip1 GOARCH=wasm go build), if Go is installed
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -Wl,--strip-debug -o "$here/wasi_suite.wasm" "$here"/src/*.c
echo "built $here/wasi_suite.wasm"
if command -v go >/dev/null; then
  (cd "$here/goguest" && GOOS=wasip1 GOARCH=wasm GOFLAGS=-trimpath \
    go build -ldflags="-s -w" -o goguest.wasm .)
  echo "built $here/goguest/goguest.wasm"
fi
