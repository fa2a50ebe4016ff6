#!/usr/bin/env bash
# build.sh — configures and builds weft with CMake.
#   scripts/build.sh           Release build in build/
#   scripts/build.sh asan      ASan+UBSan build in build-asan/
#   scripts/build.sh clang     Release build by clang 19 in build-clang/: the
#                              engine's other dispatch, tail-calling handlers
#                              (core/src/interp.c), which scripts/test.sh tests
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"

case "${1:-release}" in
  release) dir="$root/build"; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)    dir="$root/build-asan"; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DWEFT_SANITIZE=ON) ;;
  clang)   dir="$root/build-clang"; flags=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang-19) ;;
  *) echo "usage: scripts/build.sh [release|asan|clang]" >&2; exit 2 ;;
esac

cmake -S "$root" -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs" -- --no-print-directory
