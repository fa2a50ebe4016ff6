#!/usr/bin/env bash
# Rebuilds add.wasm from add.wat (needs wabt's wat2wasm).
set -euo pipefail
cd "$(dirname "$0")"
wat2wasm add.wat -o add.wasm
