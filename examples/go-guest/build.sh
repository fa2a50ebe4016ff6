#!/usr/bin/env bash
# Rebuilds guest.wasm from guest/ with the Go toolchain's own WASI port.
# -s -w strips the symbol table and DWARF (a smaller .wasm); -trimpath keeps
# this machine's paths out of it.
set -euo pipefail
cd "$(dirname "$0")/guest"
GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags="-s -w" -o ../guest.wasm .
