#!/usr/bin/env bash
# build-rev.sh SPEC OUT — builds the weft CLI of SPEC (Release, in a
# throwaway worktree) and copies it to OUT. SPEC is a git revision, or
# REV+VARIANT for a build variant of it (tools/variant.sh). Used by
# instr-steps.sh and time-steps.sh to compare the engine across revisions
# and variants.
set -euo pipefail
spec="$1" out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rev="${spec%%+*}"
variant=""
[[ "$spec" != *+* ]] || variant="${spec#*+}"
wt="$(mktemp -d)/wt"
trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1; rm -rf "$(dirname "$wt")"' EXIT
git -C "$root" worktree add --detach "$wt" "$rev" >/dev/null 2>&1
extra=()
if [ -n "$variant" ]; then
  read -r -a extra <<<"$("$here/variant.sh" "$variant" "$wt")"
fi
cmake -S "$wt" -B "$wt/build" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_TESTS=OFF "${extra[@]}" >/dev/null
cmake --build "$wt/build" --target weft_cli -j "$(nproc)" >/dev/null
cp "$wt/build/weft" "$out"
