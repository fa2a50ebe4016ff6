#!/usr/bin/env bash
# Rebuilds collatz.wasm from collatz.wat (needs wabt's wat2wasm).
set -euo pipefail
cd "$(dirname "$0")"
wat2wasm collatz.wat -o collatz.wasm
