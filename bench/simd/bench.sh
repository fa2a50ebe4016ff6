#!/usr/bin/env bash
# bench.sh — times the scalar and SIMD builds of kernels.c under build/weft
# with hyperfine (median of 15 runs after 3 warm-ups) and prints the ratio.
# Build weft first (scripts/build.sh).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
weft="$(cd "$here/../.." && pwd)/build/weft"
json="$(mktemp)"
trap 'rm -f "$json"' EXIT

hyperfine -N --warmup 3 --runs 15 --export-json "$json" \
  -n scalar "$weft run --invoke run $here/kernels.scalar.wasm" \
  -n simd "$weft run --invoke run $here/kernels.simd.wasm"
python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"median scalar {r['scalar']:.3f} s, simd {r['simd']:.3f} s: "
      f"SIMD is {r['scalar'] / r['simd']:.2f}x faster")
PY
