#!/usr/bin/env bash
# op-profile.sh — which instructions and instruction pairs the compute
# guests execute most: the evidence a new fusion needs (docs/RATIONALE.md,
# "What made the interpreter fast"). Builds a profiling CLI (switch
# dispatch, WEFT_OP_PROFILE: every dispatch counted; slow, never shipped)
# in build-opprofile/, runs each guest once through it (checksum checked),
# and prints the top instructions and pairs, each guest weighted alike: a
# pair's figure is the mean over the guests of its share of that guest's
# dispatches.
#
# usage: bench/op-profile.sh [-n TOP] [-g "GUEST..."]
#   -n TOP   rows per table (default 40)
#   -g LIST  guests (default: all C compute guests of guests/checksums.txt)
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
top=40
guests=""
while getopts "n:g:h" opt; do
  case "$opt" in
    n) top="$OPTARG" ;;
    g) guests="$OPTARG" ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
sums="$bench/guests/checksums.txt"
if [ -z "$guests" ]; then
  guests="$(awk '!/^#/ && $1 !~ /^go-/ && $1 != "large-go" {print $1}' "$sums")"
fi

build="$root/build-opprofile"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="-DWEFT_SWITCH_DISPATCH -DWEFT_OP_PROFILE" >/dev/null
cmake --build "$build" -j "$(nproc)" --target weft_cli -- --no-print-directory >/dev/null

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for g in $guests; do
  want="$(awk -v g="$g" '$1 == g {print $2}' "$sums")"
  WEFT_OP_PROFILE="$scratch/$g.txt" "$bench/tools/expect.sh" "$want" \
    "$build/weft" run --invoke run "$bench/guests/wasm/$g.run.wasm" >/dev/null
  echo "op-profile: $g" >&2
done

# Per guest: shares of its dispatches; then the mean over the guests, with
# the guest where the row weighs most.
python3 - "$top" "$scratch" $guests <<'PY'
import sys, collections
top, scratch, guests = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
tables = {"op": collections.defaultdict(dict), "pair": collections.defaultdict(dict)}
for g in guests:
    rows = [l.split() for l in open(f"{scratch}/{g}.txt")]
    total = sum(int(r[1]) for r in rows if r[0] == "op")
    for r in rows:
        tables[r[0]][" ".join(r[2:])][g] = int(r[1]) / total
for kind, title in (("op", "instructions"), ("pair", "pairs (first, then second)")):
    print(f"\n{title}: mean share of the dispatches over {len(guests)} guests, and the guest where it weighs most")
    ranked = sorted(tables[kind].items(), key=lambda kv: -sum(kv[1].values()))
    for name, shares in ranked[:top]:
        g, most = max(shares.items(), key=lambda kv: kv[1])
        print(f"{100 * sum(shares.values()) / len(guests):6.2f}%  {name:<40} {g} {100 * most:.1f}%")
PY
