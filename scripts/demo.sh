#!/usr/bin/env bash
# demo.sh — sets up a fresh machine, builds weft and runs the main demo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/build.sh release
# The main demo: a Go HTTP server whose handler is a C plugin compiled to
# Wasm (examples/host-plugin); it sends itself a few requests and exits.
if ! command -v go >/dev/null 2>&1; then
  echo "demo: the main demo needs Go 1.24 or newer on PATH (https://go.dev/dl/)" >&2
  exit 1
fi
echo "==> go run ./examples/host-plugin"
go run ./examples/host-plugin
