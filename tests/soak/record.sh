#!/usr/bin/env bash
# record.sh [SOAK FLAGS...] — a real soak, recorded: builds the soak program,
# runs it (default -duration 5m) and writes its output, after a header
# describing the machine and tree, to bench/results/soak.txt, from which
# bench/report.py makes the "Load and soak" section of bench/RESULTS.md.
# Run it on an otherwise idle machine; the exit status is the soak's.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/bench/results/soak.txt"
bin="$(mktemp -d)/soak"
trap 'rm -rf "$(dirname "$bin")"' EXIT
(cd "$root" && go build -o "$bin" ./tests/soak) || exit 1
[ $# -gt 0 ] || set -- -duration 5m

mkdir -p "$(dirname "$out")"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "cores: $(nproc)"
  echo "kernel: $(uname -sr)"
  echo "go: $(go version | cut -d' ' -f3-)"
  echo "weft-tree: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- core go bindings tests/soak 2>/dev/null || echo ', with uncommitted core/go/bindings/soak changes')"
  echo "command: tests/soak $*"
  echo "load-before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
} > "$out"
"$bin" "$@" 2>&1 | tee -a "$out"
rc=${PIPESTATUS[0]}
{ echo; echo "load-after: $(cut -d' ' -f1-3 /proc/loadavg)"; echo "exit: $rc"; } >> "$out"
echo "record: wrote $out (exit $rc)"
exit "$rc"
