#!/usr/bin/env bash
# run-go-bench.sh — runs the Go benchmark module (bench/go) and keeps its
# output in bench/results/go-bench.txt (benchstat's input format) for
# bench/report.py.
#
# usage: bench/run-go-bench.sh [-c COUNT] [-t TAGS] [BENCH_REGEXP]
#   -c COUNT  samples per benchmark (default 5; the report takes medians)
#   -t TAGS   go build tags, e.g. -t weft once weft's Go package exists
#   BENCH_REGEXP  limits the benchmarks (default: all)
#
# The compute benchmarks run with -benchtime 1x: one sample is one call of
# `run` (~0.5-2 s), so -count samples take about COUNT calls per runtime.
# The others (compile, instantiate, calls, memory read) use Go's default
# 1 s benchtime. Both halves are one `go test -bench` invocation each, in
# the same session, and go to the same file.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
count=5
tags=""
while getopts "c:t:h" opt; do
  case "$opt" in
    c) count="$OPTARG" ;;
    t) tags="$OPTARG" ;;
    *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
filter="${1:-.}"

out="$bench/results"
mkdir -p "$out"
file="$out/go-bench.txt"
cd "$bench/go"

{
  echo "# bench/run-go-bench.sh -c $count${tags:+ -t $tags} $filter"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cores: $(nproc)"
  echo "load-before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "go: $(go env GOVERSION)"
  go list -m all | awk '$1 ~ /wazero|wasmtime-go|weftwasm\/weft$/ {print "module: " $0}'
} >"$file"

run() {
  go test -tags "$tags" -run '^$' -count "$count" "$@" . | tee -a "$file"
}
# Compute: one call per sample.
run -bench "^BenchmarkCompute\$/$filter" -benchtime 1x -timeout 0
# Everything else.
run -bench "^Benchmark(Compile|Instantiate|Call|HostCall|MemoryRead)\$/$filter" -timeout 0

echo "load-after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$file"
echo "run-go-bench: results in $file; now run bench/report.py" >&2
