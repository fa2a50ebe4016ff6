#!/usr/bin/env bash
# build-rev.sh SPEC OUT — builds the weft CLI of SPEC (Release, in a
# throwaway worktree) and copies it to OUT. SPEC is a git revision, or
# REV+VARIANT for a build variant of it (tools/variant.sh). Used by
# instr-steps.sh and time-steps.sh to compare the engine across revisions
# and variants.
set -euo pipefail
spec="$1" out="$2"
bench="$(cd "$(dirname "$0")/.." && pwd)"
root="$(dirname "$bench")"
source "$bench/tools/revs.sh"
checkout_worktree "$(spec_rev "$spec")"
variant="$(spec_variant "$spec")"
extra=()
if [ -n "$variant" ]; then
  read -r -a extra <<<"$("$bench/tools/variant.sh" "$variant" "$wt")"
fi
cmake -S "$wt" -B "$wt/build" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_TESTS=OFF "${extra[@]}" >/dev/null
cmake --build "$wt/build" --target weft_cli -j "$(nproc)" >/dev/null
cp "$wt/build/weft" "$out"
