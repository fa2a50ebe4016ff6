#!/usr/bin/env bash
# build-rev.sh REV OUT — builds the weft CLI of git revision REV (Release, in
# a throwaway worktree) and copies it to OUT. Used by instr-steps.sh and
# time-steps.sh to compare the engine across revisions.
set -euo pipefail
rev="$1" out="$2"
root="$(cd "$(dirname "$0")/../.." && pwd)"
wt="$(mktemp -d)/wt"
trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1; rm -rf "$(dirname "$wt")"' EXIT
git -C "$root" worktree add --detach "$wt" "$rev" >/dev/null 2>&1
cmake -S "$wt" -B "$wt/build" -DCMAKE_BUILD_TYPE=Release -DWEFT_BUILD_TESTS=OFF >/dev/null
cmake --build "$wt/build" --target weft_cli -j "$(nproc)" >/dev/null
cp "$wt/build/weft" "$out"
