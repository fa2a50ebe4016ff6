#!/usr/bin/env bash
# dispatch-diff.sh [COUNT] [SEED] — the engine's two dispatches against each
# other: COUNT modules from wasm-smith (as diff.sh makes them; default
# 2000 from a random seed) run by weft-fuzz-exec of the default build
# (build/: GCC, computed-goto loop) and of the clang 19 build
# (build-clang/: tail-calling handlers, core/src/interp.c). The same engine
# must write the same transcripts byte for byte, traps and fuel included.
# Needs tests/fuzz/build.sh (for weft-smith), scripts/build.sh and
# scripts/build.sh clang. Work files stay in build-fuzz/dispatch-diff/SEED.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
count="${1:-2000}"
seed="${2:-$(( $(date +%s) % 100000 * 1000 ))}"
smith="$root/build-fuzz/smith/release/weft-smith"
goto_exec="$root/build/tests/fuzz/weft-fuzz-exec"
tail_exec="$root/build-clang/tests/fuzz/weft-fuzz-exec"
for t in "$smith" "$goto_exec" "$tail_exec"; do
  [ -x "$t" ] || { echo "dispatch-diff.sh: $t missing (see the usage above)" >&2; exit 1; }
done
work="$root/build-fuzz/dispatch-diff/$seed"
rm -rf "$work"
mkdir -p "$work/goto" "$work/tail"
"$smith" gen --diff --seed "$seed" --count "$count" --out "$work/modules" >/dev/null
"$goto_exec" --out "$work/goto" "$work/modules" >/dev/null
"$tail_exec" --out "$work/tail" "$work/modules" >/dev/null
if ! diff -rq "$work/goto" "$work/tail"; then
  echo "FAIL dispatch-diff: transcripts differ (seed $seed; $work)"
  exit 1
fi
echo "ok dispatch-diff: $count modules (seed $seed), the same transcripts from both dispatches"
