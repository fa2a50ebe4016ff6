#!/usr/bin/env bash
# build.sh — rebuilds the hostile guests' .wasm from their .wat (wabt's
# wat2wasm), after regenerating oob.wat and oob.cases (gen_oob.py).
set -euo pipefail
cd "$(dirname "$0")"
python3 gen_oob.py
for wat in *.wat; do
  case "$wat" in
    mem_over4g.wat) wat2wasm --no-check "$wat" -o "${wat%.wat}.wasm" ;; # invalid on purpose
    *) wat2wasm --debug-names "$wat" -o "${wat%.wat}.wasm" ;;
  esac
done
