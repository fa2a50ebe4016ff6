#!/usr/bin/env bash
# run-all.sh — every peer comparison in one run: the command-line harness
# (cli-bench.sh: weft vs wasm-interp vs wasm3), then the Go harness
# (run-go-bench.sh: weft vs wazero's interpreter and compiler vs
# wasmtime-go), both timing the same weft revision, one after the other on
# the same machine; then report.py writes RESULTS.md, whose "Targets"
# section checks the figures against the performance goals. Both harnesses
# record this run's id, so the report can tell one run from results put
# together from several.
#
# usage: bench/run-all.sh [-r CLI_RUNS] [-c GO_COUNT]
#   -r CLI_RUNS  hyperfine runs per command (default 5)
#   -c GO_COUNT  go test -count (default 5)
# Takes about 30 minutes on 2 cores. The tree should be committed: the
# report names the revision, and says so when core/, cli/, go/ or bindings/
# had uncommitted changes.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
cli_runs=5
go_count=5
while getopts "r:c:h" opt; do
  case "$opt" in
    r) cli_runs="$OPTARG" ;;
    c) go_count="$OPTARG" ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

# The CLI timed must be the revision the Go harness builds: rebuild it.
"$root/scripts/build.sh" release >/dev/null

WEFT_BENCH_RUN="$(date -u +%Y%m%dT%H%M%SZ)-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
export WEFT_BENCH_RUN
echo "run-all: run $WEFT_BENCH_RUN" >&2
"$bench/cli-bench.sh" -r "$cli_runs"
"$bench/run-go-bench.sh" -c "$go_count"
python3 "$bench/report.py"
