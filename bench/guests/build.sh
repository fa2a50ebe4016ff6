#!/usr/bin/env bash
# build.sh — rebuilds the benchmark guests into bench/guests/wasm/ and the
# expected checksums into bench/guests/checksums.txt. The outputs are
# committed, so the harnesses need none of these toolchains; run this only
# after changing a guest (and commit what it writes).
#
# For each C guest NAME (c/NAME.c, built with clang --target=wasm32-wasi -O2):
#   wasm/NAME.wasm      WASI command: `_start` prints the checksum; also
#                       exports `run`. Imports only wasi_snapshot_preview1.
#   wasm/NAME.run.wasm  no imports, no main: only `run` (and memory), for
#                       runtimes or CLIs without WASI.
# For each Go guest NAME (go/NAME, GOOS=wasip1 GOARCH=wasm):
#   wasm/go-NAME.wasm          WASI command: main prints the checksum.
#   wasm/go-NAME.reactor.wasm  -buildmode=c-shared: call `_initialize`,
#                              then the export `run`.
# Plus wasm/large-go.wasm (compile-time benchmark, a stripped Go command),
# wasm/trivial.wasm (call-overhead benchmark, from wat/trivial.wat) and
# wasm/startup.wasm (a CLI's fixed cost, from wat/startup.wat).
#
# Expected checksums are computed natively (gcc -O2 for C, the host Go for
# Go), never by a Wasm runtime, so they check every runtime independently.
#
# Needs: clang + lld + wasi-libc (Debian: clang lld wasi-libc
# libclang-rt-14-dev-wasm32, installed by scripts/setup.sh), gcc, go >= 1.24,
# wat2wasm and wasm-objdump (wabt).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$here/wasm"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# shellcheck source=guests.sh
. "$here/guests.sh"

CFLAGS=("${GUEST_CFLAGS[@]}" -I"$here/c")
# --strip-debug: Debian's wasi-libc objects carry DWARF; the name section stays.
WASM_CFLAGS=(--target=wasm32-wasi "${CFLAGS[@]}" -Wl,--strip-debug)

# imports FILE: prints the module names a .wasm imports from, one a line.
imports() {
  # wasm-objdump fails on a module with no import section: that is "none".
  { wasm-objdump -x -j Import "$1" 2>/dev/null || true; } |
    sed -n 's/.* <- \([^.]*\)\..*/\1/p' | sort -u
}

checksums="$tmp/checksums.txt"
{
  echo "# Expected checksums of the benchmark guests: name, then the value"
  echo "# that \`run\` returns (a non-negative i32) and \`_start\` prints."
  echo "# Computed natively (gcc -O2 / host Go) by bench/guests/build.sh."
} >"$checksums"

for spec in "${C_GUESTS[@]}"; do
  IFS=: read -r name src extra <<<"$spec"
  # shellcheck disable=SC2086 # extra is a list of flags or empty
  clang "${WASM_CFLAGS[@]}" $extra "$here/c/$src" -o "$out/$name.wasm"
  # shellcheck disable=SC2086
  clang "${WASM_CFLAGS[@]}" $extra -DBENCH_NO_MAIN -nostartfiles -Wl,--no-entry \
    "$here/c/$src" -o "$out/$name.run.wasm"
  bad="$(imports "$out/$name.wasm" | grep -vx wasi_snapshot_preview1 || true)"
  [ -z "$bad" ] || { echo "build: $name.wasm imports from $bad" >&2; exit 1; }
  bad="$(imports "$out/$name.run.wasm")"
  [ -z "$bad" ] || { echo "build: $name.run.wasm must import nothing, imports from $bad" >&2; exit 1; }
  native_c "$src" "$tmp/$name"
  echo "$name $("$tmp/$name")" >>"$checksums"
  echo "built $name"
done

gomod="$here/go"
for name in "${GO_GUESTS[@]}"; do
  (cd "$gomod" && GOOS=wasip1 GOARCH=wasm go build -trimpath -o "$out/go-$name.wasm" "./$name")
  (cd "$gomod" && GOOS=wasip1 GOARCH=wasm go build -trimpath -buildmode=c-shared \
    -o "$out/go-$name.reactor.wasm" "./$name")
  native_go "$name" "$tmp/go-$name"
  echo "go-$name $("$tmp/go-$name")" >>"$checksums"
  echo "built go-$name"
done

(cd "$gomod" && GOOS=wasip1 GOARCH=wasm go build -trimpath -ldflags="-s -w" \
  -o "$out/large-go.wasm" ./large)
native_go large "$tmp/large"
echo "large-go $("$tmp/large")" >>"$checksums"
size=$(stat -c %s "$out/large-go.wasm")
echo "built large-go ($size bytes)"
# Committed only while small; above this, .gitignore it and say so in README.
if [ "$size" -ge $((5 * 1024 * 1024)) ]; then
  echo "build: large-go.wasm is $size bytes, over the 5 MiB committed-file budget" >&2
fi

for name in trivial startup; do
  wat2wasm "$here/wat/$name.wat" -o "$out/$name.wasm"
  echo "built $name"
done

mv "$checksums" "$here/checksums.txt"
echo "wrote $here/checksums.txt"
