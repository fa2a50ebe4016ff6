#!/usr/bin/env bash
# build.sh — builds the fuzz targets in build-fuzz/ with clang, libFuzzer,
# ASan and UBSan: fuzz_decode, fuzz_exec (with tests/fuzz/smith, a Rust
# staticlib around wasm-smith, built here with cargo), weft-fuzz-exec, and
# the weft-smith CLI (build-fuzz/smith/release/weft-smith) for diff.sh.
# Needs clang and libclang-rt-14-dev (scripts/setup.sh) and cargo (rustup;
# crates.io is fetched once into ~/.cargo).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/build-fuzz"
jobs="$(nproc 2>/dev/null || echo 2)"

cargo="$(command -v cargo || true)"
[ -n "$cargo" ] || [ ! -x "$HOME/.cargo/bin/cargo" ] || cargo="$HOME/.cargo/bin/cargo"
if [ -z "$cargo" ]; then
  echo "fuzz/build.sh: cargo is required for tests/fuzz/smith (https://rustup.rs)" >&2
  exit 1
fi
"$cargo" build --quiet --release --locked \
  --manifest-path "$root/tests/fuzz/smith/Cargo.toml" --target-dir "$dir/smith"

# -O1: libFuzzer's usual level. At -O2, ASan + UBSan + coverage make the
# dispatch loop (interp.c, one huge function) take a quarter hour to compile.
cmake -S "$root" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
  -DWEFT_FUZZ=ON -DWEFT_BUILD_TESTS=OFF \
  -DWEFT_FUZZ_SMITH_LIB="$dir/smith/release/libweft_fuzz_smith.a" >/dev/null
cmake --build "$dir" -j "$jobs" --target fuzz_decode fuzz_exec weft-fuzz-exec -- --no-print-directory
echo "fuzz/build.sh: built $dir/tests/fuzz/{fuzz_decode,fuzz_exec,weft-fuzz-exec} and $dir/smith/release/weft-smith"
