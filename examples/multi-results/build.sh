#!/usr/bin/env bash
# Rebuilds multi.wasm from multi.wat (needs wabt's wat2wasm).
set -euo pipefail
cd "$(dirname "$0")"
wat2wasm multi.wat -o multi.wasm
