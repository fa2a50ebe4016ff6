#!/usr/bin/env bash
# dispatch-loops.sh [COUNT] [SEED] — Go-shaped dispatch loops, whose jumps
# the compiler sends straight to their case (core/src/compile_dispatch.c),
# against wabt's wasm-interp: COUNT random state machines
# (dispatch_loops.py; default 500 from a random seed), each run from three
# seeds by `weft run --invoke` (build/) and `wasm-interp --run-all-exports`;
# the results must be equal. Needs scripts/build.sh and wabt (setup.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
count="${1:-500}"
seed="${2:-$(( $(date +%s) % 100000 * 1000 ))}"
weft="$root/build/weft"
[ -x "$weft" ] || { echo "dispatch-loops.sh: $weft missing: run scripts/build.sh" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
bad=0
for s in $(seq "$seed" $((seed + count - 1))); do
  python3 "$root/tests/fuzz/dispatch_loops.py" "$s" >"$work/m.wat"
  wat2wasm "$work/m.wat" -o "$work/m.wasm"
  # wasm-interp prints "runN() => i32:U" (unsigned); weft the signed value
  want="$(wasm-interp "$work/m.wasm" --run-all-exports | sed -n 's/^\(run[0-9]*\)() => i32:\([0-9]*\)$/\1 \2/p')"
  got=""
  for f in run0 run7 run123456; do
    v="$("$weft" run --invoke "$f" "$work/m.wasm")"
    got+="$f $(( v & 0xffffffff ))"$'\n'
  done
  if [ "$want" != "${got%$'\n'}" ]; then
    echo "MISMATCH seed $s: wasm-interp: $(echo $want), weft: $(echo $got)"
    cp "$work/m.wat" "$root/build/dispatch-loop-$s.wat"
    bad=$((bad + 1))
  fi
done
if [ "$bad" -gt 0 ]; then
  echo "FAIL dispatch-loops: $bad of $count modules differ (seed $seed; modules in build/)"
  exit 1
fi
echo "ok dispatch-loops: $count modules (seed $seed), weft and wasm-interp agree"
