#!/usr/bin/env bash
# demo.sh — sets up a fresh machine, builds weft and runs the main demo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/build.sh release
echo "==> weft run --invoke fib examples/fib/fib.wasm 30"
build/weft run --invoke fib examples/fib/fib.wasm 30
