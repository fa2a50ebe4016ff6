#!/usr/bin/env bash
# build.sh — rebuilds the soak guests (guests/*.wasm, committed) from their
# WAT sources with wabt's wat2wasm. Run it after editing a .wat file.
set -euo pipefail
cd "$(dirname "$0")/guests"
for wat in *.wat; do
  wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm"
done
