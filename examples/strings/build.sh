#!/usr/bin/env bash
# Rebuilds strings.wasm from guest/strings.c (clang with Debian's wasi-libc).
# A reactor (no main) exporting wasi-libc's malloc and free; the
# experimental multi-value ABI makes `reverse` return (ptr, len) as two
# results.
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32-wasi -O2 -mexec-model=reactor \
  -mmultivalue -Xclang -target-abi -Xclang experimental-mv \
  -Wl,--export=malloc -Wl,--export=free -Wl,--strip-debug \
  -o strings.wasm guest/strings.c
