#!/usr/bin/env bash
# time-steps.sh — what each change to the engine paid in wall time: builds
# the weft CLI of every revision given (tools/build-rev.sh), then times
# `weft run --invoke run GUEST.run.wasm` for each guest, RUNS rounds, each
# round running every revision once in turn, so a change in the machine's
# load during the run hits all revisions alike. Every run's output is
# checked against the guest's checksum. The companion of instr-steps.sh
# (instructions, load-independent but blind to code placement).
#
# usage: bench/time-steps.sh [-r RUNS] [-o FILE] [-g "GUEST..."] REV...
#   -r RUNS  rounds (default 5); the report takes the median per cell
#   -o FILE  output TSV (default bench/results/time-steps.tsv)
#   -g LIST  guests (default: all C compute guests of guests/checksums.txt)
#   REV      a git revision, or REV+VARIANT: a build of it with one design
#            choice taken away (tools/variant.sh -l lists them)
# Output: rev, subject, then one column per guest: the median seconds.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
out="$bench/results/time-steps.tsv"
runs=5
guests=""
while getopts "r:o:g:h" opt; do
  case "$opt" in
    r) runs="$OPTARG" ;;
    o) out="$(realpath -m "$OPTARG")" ;;
    g) guests="$OPTARG" ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "time-steps: give at least one revision" >&2; exit 2; }

sums="$bench/guests/checksums.txt"
if [ -z "$guests" ]; then
  guests="$(awk '!/^#/ && $1 !~ /^go-/ && $1 != "large-go" {print $1}' "$sums")"
fi
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

source "$bench/tools/revs.sh"
revs=()
declare -A subjects
for spec in "$@"; do
  short="$(spec_label "$spec")"
  echo "== $short: building" >&2
  "$bench/tools/build-rev.sh" "$spec" "$scratch/weft-$short"
  revs+=("$short")
  subjects[$short]="$(spec_subject "$spec")"
done

# One run, checked by tools/expect.sh (as cli-bench.sh's are, its start-up
# included); prints its wall time in seconds.
time_run() {
  local weft="$1" g="$2" want="$3" t0 t1
  t0="$(date +%s%N)"
  "$bench/tools/expect.sh" "$want" "$weft" run --invoke run "$bench/guests/wasm/$g.run.wasm"
  t1="$(date +%s%N)"
  echo "$(((t1 - t0) / 1000))e-6"
}

for g in $guests; do
  want="$(awk -v g="$g" '$1 == g {print $2}' "$sums")"
  echo "== $g" >&2
  for ((i = 0; i < runs; i++)); do
    for r in "${revs[@]}"; do
      time_run "$scratch/weft-$r" "$g" "$want" >>"$scratch/$r.$g"
    done
  done
done

median() { sort -g "$1" | awk '{v[NR] = $1 + 0} END {printf "%.4f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mkdir -p "$(dirname "$out")"
{
  printf 'rev\tsubject'
  for g in $guests; do printf '\t%s' "$g"; done
  printf '\n'
  for r in "${revs[@]}"; do
    printf '%s\t%s' "$r" "${subjects[$r]}"
    for g in $guests; do printf '\t%s' "$(median "$scratch/$r.$g")"; done
    printf '\n'
  done
} >"$out"
echo "time-steps: results in $out (load after: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
