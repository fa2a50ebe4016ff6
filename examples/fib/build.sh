#!/usr/bin/env bash
# Rebuilds fib.wasm from fib.wat (needs wabt's wat2wasm).
set -euo pipefail
cd "$(dirname "$0")"
wat2wasm fib.wat -o fib.wasm
