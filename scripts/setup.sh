#!/usr/bin/env bash
# setup.sh — installs what building and testing weft needs on Debian/Ubuntu.
# Idempotent: packages already present are not reinstalled. Uses sudo when
# not root. Set WEFT_SKIP_SETUP=1 to skip (e.g. on a machine set up by hand).
set -euo pipefail

[ "${WEFT_SKIP_SETUP:-0}" = 1 ] && exit 0

# Go is not a Debian package here (Debian 12 ships 1.19; go.mod needs 1.24):
# it must come with the machine (/usr/local/go) or from https://go.dev/dl.
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    echo "setup: Go is in /usr/local/go/bin but not on PATH; add it (export PATH=\$PATH:/usr/local/go/bin)" >&2
  else
    echo "setup: Go 1.24 or newer is required for the Go package and examples: https://go.dev/dl" >&2
  fi
  exit 1
fi

PACKAGES=(
  build-essential cmake pkg-config    # the C core, CLI and tests
  libffi-dev                          # bindings/: natural-signature host functions
  libcmocka-dev                       # tests/unit
  wabt                                # wat2wasm for WAT guests; wasm-interp for bench
  clang lld wasi-libc libclang-rt-14-dev-wasm32  # C guests: clang --target=wasm32-wasi
  libclang-rt-14-dev                  # tests/fuzz: libFuzzer and the sanitizers' runtimes for clang
  clang-19                            # the clang build (scripts/build.sh clang): tail-calling handlers
  hyperfine                           # bench/ timing of whole commands
  valgrind                            # bench/instr-steps.sh: instructions executed
  python3                             # tests/wasi: the rename-race swapper
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

