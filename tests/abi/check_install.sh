#!/usr/bin/env bash
# check_install.sh BUILD_DIR — installs the build into a scratch prefix and
# builds tests/abi/consumer against it twice: with pkg-config and with
# CMake's find_package(weft). Both programs must run.
set -euo pipefail
build="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:${PKG_CONFIG_PATH:-}"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Werror "$here/consumer/consumer.c" -o "$tmp/consumer-pc" \
  $(pkg-config --cflags --libs weft) -Wl,-rpath,"$prefix/lib"
"$tmp/consumer-pc"

cmake -S "$here/consumer" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/cmake-build" >/dev/null
"$tmp/cmake-build/consumer"
echo "ok: pkg-config and find_package(weft) both build and run a consumer"
