#!/usr/bin/env bash
# Rebuilds plugin.wasm from plugin/plugin.c (clang with Debian's wasi-libc).
# The plugin is a reactor: no main and no _start; its _initialize export
# runs the C constructors. wasi-libc's malloc and free are exported so the
# host can place requests in the plugin's memory.
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32-wasi -O2 -mexec-model=reactor \
  -Wl,--export=malloc -Wl,--export=free -Wl,--strip-debug \
  -o plugin.wasm plugin/plugin.c
