#!/usr/bin/env bash
# instr-steps.sh — what each change to the engine paid, measured in retired
# instructions (valgrind's cachegrind, I refs) rather than time, so the
# figures do not depend on what else the machine is doing (this VM has no
# hardware counters for perf). For every revision given it builds the weft
# CLI of that revision (tools/build-rev.sh) and runs each compute guest of
# the current tree once through it, checking the checksum.
#
# usage: bench/instr-steps.sh [-o FILE] [-g "GUEST..."] REV...
#   -o FILE  where the table goes (default bench/results/instr-steps.tsv)
#   -g LIST  guests (default: all C compute guests of guests/checksums.txt)
#   REV      git revisions, oldest first; each row is one revision. A REV
#            may be REV+VARIANT: a build of it with one design choice taken
#            away (tools/variant.sh -l lists them)
# Output: a TSV with a header line: rev, subject, then one column per guest
# (instructions); bench/report.py turns it into a table of ratios, each
# revision against the one before.
#
# Instructions are a proxy for time: a change that only moves code (handler
# alignment) or changes branch prediction shows up in wall time but not
# here: time-steps.sh measures the same steps in wall time.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
out="$bench/results/instr-steps.tsv"
guests=""
while getopts "o:g:h" opt; do
  case "$opt" in
    o) out="$(realpath -m "$OPTARG")" ;;
    g) guests="$OPTARG" ;;
    *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "instr-steps: give at least one revision" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "instr-steps: valgrind not found (scripts/setup.sh installs it)" >&2; exit 1; }

sums="$bench/guests/checksums.txt"
if [ -z "$guests" ]; then
  guests="$(awk '!/^#/ && $1 !~ /^go-/ && $1 != "large-go" {print $1}' "$sums")"
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# instructions GUEST WEFT: instructions executed by one checked run.
instructions() {
  local g="$1" weft="$2" want
  want="$(awk -v g="$g" '$1 == g {print $2}' "$sums")"
  "$bench/tools/expect.sh" "$want" valgrind --tool=cachegrind --cache-sim=no \
    --cachegrind-out-file=/dev/null --log-file="$scratch/cg.txt" \
    "$weft" run --invoke run "$bench/guests/wasm/$g.run.wasm"
  awk '/I *refs:/ {gsub(",", "", $NF); print $NF}' "$scratch/cg.txt"
}

mkdir -p "$(dirname "$out")"
{
  printf 'rev\tsubject'
  for g in $guests; do printf '\t%s' "$g"; done
  printf '\n'
} >"$out"

source "$bench/tools/revs.sh"
for spec in "$@"; do
  short="$(spec_label "$spec")"
  echo "== $short: building" >&2
  "$bench/tools/build-rev.sh" "$spec" "$scratch/weft-$short"
  row="$short\t$(spec_subject "$spec")"
  for g in $guests; do
    n="$(instructions "$g" "$scratch/weft-$short")"
    echo "   $g $n" >&2
    row="$row\t$n"
  done
  printf '%b\n' "$row" >>"$out"
done
echo "instr-steps: results in $out" >&2
