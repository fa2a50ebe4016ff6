#!/usr/bin/env bash
# run-all.sh — every peer comparison in one run: the command-line harness
# (cli-bench.sh: weft vs wasm-interp vs wasm3), then the Go harness
# (run-go-bench.sh: weft vs wazero's interpreter and compiler vs
# wasmtime-go), one after the other on the same machine, both timing one
# committed revision; then report.py writes RESULTS.md, whose "Targets"
# section checks the figures against the performance goals. Both harnesses
# record this run's id, so the report can tell one run from results put
# together from several.
#
# usage: bench/run-all.sh [-r CLI_RUNS] [-c GO_COUNT] [REV]
#   -r CLI_RUNS  hyperfine runs per command (default 5)
#   -c GO_COUNT  go test -count (default 5)
#   REV          the revision to time (default HEAD)
# The revision is checked out into a throwaway worktree and built there, so
# edits to this tree during the run (about 35 minutes on 2 cores) change
# nothing measured; its results go to this tree's bench/results/. Keep the
# machine otherwise idle: the report records the load average.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
cli_runs=5
go_count=5
while getopts "r:c:h" opt; do
  case "$opt" in
    r) cli_runs="$OPTARG" ;;
    c) go_count="$OPTARG" ;;
    *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
rev="$(git -C "$root" rev-parse --short "${1:-HEAD}")"

source "$bench/tools/revs.sh"
checkout_worktree "$rev"
echo "run-all: building $rev in $wt" >&2
"$wt/scripts/build.sh" release >/dev/null

WEFT_BENCH_RUN="$(date -u +%Y%m%dT%H%M%SZ)-$rev"
export WEFT_BENCH_RUN
echo "run-all: run $WEFT_BENCH_RUN" >&2
WEFT="$wt/build/weft" WEFT_BENCH_VENV="$bench/.venv" \
  "$wt/bench/cli-bench.sh" -r "$cli_runs" -o "$bench/results/cli"
"$wt/bench/run-go-bench.sh" -c "$go_count" -o "$bench/results/go-bench.txt"
python3 "$bench/report.py"
