#!/usr/bin/env bash
# run-go-bench.sh — runs the Go benchmark module (bench/go) and keeps its
# output in bench/results/go-bench.txt (benchstat's input format) for
# bench/report.py.
#
# usage: bench/run-go-bench.sh [-c COUNT] [-t TAGS] [-s PART] [-o FILE] [SUB_REGEXP]
#   -c COUNT  samples per benchmark (default 5; the report takes medians)
#   -t TAGS   go build tags, e.g. -t noweft to leave weft out
#   -s PART   compute, other or all (default)
#   -o FILE   output (default bench/results/go-bench.txt, overwritten)
#   SUB_REGEXP  limits the sub-benchmarks, e.g. 'guest=fib' (default: all)
#
# The compute benchmarks run with -benchtime 1x: one sample is one call of
# `run` (~0.5-2 s), so -count samples take about COUNT calls per runtime.
# Compile and instantiate use Go's default 1 s benchtime. The boundary
# benchmarks (Call, HostCall, MemoryRead: tens of ns) take twice COUNT
# samples of 500 ms, pinned to one CPU (taskset -c $WEFT_BENCH_CPU, default
# 0; GOMAXPROCS is then 1) where the machine has several: on a shared VM a
# thread moving between vCPUs, or a vCPU whose host core is busy, swings
# such figures by 50% (see bench/README.md). Every runtime runs under the
# same pinning, its samples taking turns with theirs (-count repeats the
# whole benchmark, every runtime in it). Each part is one `go test -bench`
# invocation, in the same session, and goes to the same file.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
count=5
tags=""
part=all
file="$bench/results/go-bench.txt"
while getopts "c:t:s:o:h" opt; do
  case "$opt" in
    c) count="$OPTARG" ;;
    t) tags="$OPTARG" ;;
    s) part="$OPTARG" ;;
    o) file="$(realpath -m "$OPTARG")" ;;
    *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
filter="${1:-.}"
case "$part" in compute | other | all) ;; *) echo "run-go-bench: -s compute|other|all" >&2; exit 2 ;; esac

mkdir -p "$(dirname "$file")"
cd "$bench/go"

{
  echo "# bench/run-go-bench.sh -c $count${tags:+ -t $tags} -s $part $filter"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cores: $(nproc)"
  echo "load-before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "go: $(go env GOVERSION)"
  go list -m all | awk '$1 ~ /wazero|wasmtime-go|weftwasm\/weft$/ {print "module: " $0}'
  root="$(dirname "$bench")"
  echo "weft-tree: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- core go bindings 2>/dev/null || echo ', with uncommitted core/go/bindings changes')"
  [ -z "${WEFT_BENCH_RUN:-}" ] || echo "run: $WEFT_BENCH_RUN"
} >"$file"

# run [PREFIX...] -- GO_TEST_ARGS...: one go test -bench, its output kept.
run() {
  local prefix=()
  while [ "$1" != -- ]; do prefix+=("$1"); shift; done
  shift
  "${prefix[@]}" go test -tags "$tags" -run '^$' "$@" . | tee -a "$file"
}
pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then
  pin=(taskset -c "${WEFT_BENCH_CPU:-0}")
  echo "boundary-pinned: cpu ${WEFT_BENCH_CPU:-0}, $((2 * count)) samples of 500ms" >>"$file"
fi
# Compute: one call per sample.
if [ "$part" != other ]; then
  run -- -count "$count" -bench "^BenchmarkCompute\$/$filter" -benchtime 1x -timeout 0
fi
if [ "$part" != compute ]; then
  run -- -count "$count" -bench "^Benchmark(Compile|Instantiate)\$/$filter" -timeout 0
  # Compiling the test binary first keeps the build off the pinned CPU's
  # clock; go test reuses it from the cache.
  go test -tags "$tags" -run '^$' -count 1 -bench XXX . >/dev/null
  run "${pin[@]}" -- -count "$((2 * count))" -benchtime 500ms \
    -bench "^Benchmark(Call|HostCall|MemoryRead)\$/$filter" -timeout 0
fi

echo "load-after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$file"
echo "run-go-bench: results in $file; now run bench/report.py" >&2
