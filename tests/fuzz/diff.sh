#!/usr/bin/env bash
# diff.sh [COUNT] [SEED] — differential fuzzing: COUNT modules from
# wasm-smith (seeds SEED, SEED+1, ...; default 300 from a random seed), each
# with wasm-smith's own fuel counter, canonical NaNs, no imports and
# everything exported, run in weft (weft-fuzz-exec) and in wazero's
# interpreter (diff/, its own Go module), transcripts compared (see
# exec_harness.h for the format, diff/main.go for what may differ).
# Work files stay in build-fuzz/diff/SEED. Needs build.sh first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/build-fuzz"
count="${1:-300}"
seed="${2:-$(( $(date +%s) % 100000 * 1000 ))}"
smith="$dir/smith/release/weft-smith"
exec_tool="$dir/tests/fuzz/weft-fuzz-exec"
for t in "$smith" "$exec_tool"; do
  [ -x "$t" ] || { echo "diff.sh: $t missing: run tests/fuzz/build.sh" >&2; exit 1; }
done
work="$dir/diff/$seed"
rm -rf "$work"
mkdir -p "$work/out"
(cd "$root/tests/fuzz/diff" && go build -o "$dir/wazero-diff" .)
"$smith" gen --diff --seed "$seed" --count "$count" --out "$work/modules"
"$exec_tool" --out "$work/out" "$work/modules"
# A bound on the second engine's memory, so that a module asking it for
# too much ends it, not the machine.
(ulimit -v $((8 * 1024 * 1024)) && "$dir/wazero-diff" -weft "$work/out" "$work/modules")
