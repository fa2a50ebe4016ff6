#!/usr/bin/env bash
# Rebuilds the Go tests' .wasm guests from their .wat sources (wabt).
set -euo pipefail
cd "$(dirname "$0")"
for wat in *.wat; do
  wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm"
done
