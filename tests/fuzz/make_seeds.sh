#!/usr/bin/env bash
# make_seeds.sh [DIR] — the seed corpus of fuzz_decode: every .wasm of the
# spec suite (v2 and tail-call; valid, invalid and malformed modules alike),
# deduplicated, plus the committed regressions. Default DIR:
# build-fuzz/seeds/decode. The spec files are read in place, never committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="${1:-$root/build-fuzz/seeds/decode}"
suite="$("$root/scripts/spectest-dir.sh")"
if [ -z "$suite" ]; then
  echo "make_seeds.sh: the spec suite is absent (set WEFT_SPECTEST_ROOT)" >&2
  exit 1
fi
mkdir -p "$out"
n=0
for f in "$suite"/v2/*.wasm "$suite"/tail-call/*.wasm "$root"/tests/fuzz/regress/decode/*; do
  [ -f "$f" ] || continue
  sum="$(sha1sum "$f" | cut -c1-40)"
  [ -e "$out/$sum" ] || { cp "$f" "$out/$sum"; n=$((n + 1)); }
done
echo "make_seeds.sh: $n new seeds, $(ls "$out" | wc -l) in $out"
