#!/usr/bin/env bash
# build.sh — rebuilds the SIMD benchmark guest twice from kernels.c:
#   kernels.scalar.wasm  clang --target=wasm32-wasi -O2            (no SIMD)
#   kernels.simd.wasm    clang --target=wasm32-wasi -O2 -msimd128  (autovectorized)
# Both export only `run` (and memory) and import nothing (-nostdlib, no
# entry point), so `weft run --invoke run FILE` times them. The expected
# checksum comes from a native gcc build and is written to expected.txt;
# when build/weft exists, both .wasm files are checked against it.
# The .wasm files are committed: run this only after changing kernels.c.
# Needs clang and lld with the wasm32 target (Debian: clang lld), and gcc.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

WASM_FLAGS=(--target=wasm32-wasi -O2 -ffreestanding -nostdlib -Wl,--no-entry
            -Wl,--strip-debug -Wall -Wextra -Werror)
clang "${WASM_FLAGS[@]}" -o "$here/kernels.scalar.wasm" "$here/kernels.c"
clang "${WASM_FLAGS[@]}" -msimd128 -o "$here/kernels.simd.wasm" "$here/kernels.c"

gcc -O2 -Wall -Wextra -Werror -o "$tmp/kernels" "$here/kernels.c"
"$tmp/kernels" > "$here/expected.txt"
echo "expected checksum: $(cat "$here/expected.txt")"

weft="$root/build/weft"
if [ -x "$weft" ]; then
  for f in kernels.scalar.wasm kernels.simd.wasm; do
    got="$("$weft" run --invoke run "$here/$f")"
    if [ "$got" != "$(cat "$here/expected.txt")" ]; then
      echo "FAIL $f: checksum $got" >&2
      exit 1
    fi
    echo "ok   $f"
  done
else
  echo "build/weft not built: skipping the checksum check"
fi
