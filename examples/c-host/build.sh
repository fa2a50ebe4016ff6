#!/usr/bin/env bash
# Rebuilds guest.wasm from guest.c (clang with Debian's wasi-libc target).
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32-wasi -O2 -nostdlib -Wl,--no-entry -Wl,--export=summarize \
  -Wl,--allow-undefined -o guest.wasm guest.c
