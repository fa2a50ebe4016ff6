#!/usr/bin/env bash
# run.sh TARGET SECONDS [LIBFUZZER_FLAGS...] — runs one fuzz target
# (fuzz_decode or fuzz_exec, built by build.sh) for SECONDS of wall clock.
# The working corpus grows in build-fuzz/corpus/TARGET (fuzz_decode starts
# from the spec seeds of make_seeds.sh); crash inputs land in
# build-fuzz/artifacts/TARGET/; the log in build-fuzz/logs/. Prints
# libFuzzer's closing figures (runs, exec/s, cov, ft) at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/build-fuzz"
target="${1:-}"
secs="${2:-}"
if [ -z "$target" ] || [ -z "$secs" ]; then
  echo "usage: tests/fuzz/run.sh fuzz_decode|fuzz_exec SECONDS [LIBFUZZER_FLAGS...]" >&2
  exit 2
fi
shift 2
bin="$dir/tests/fuzz/$target"
[ -x "$bin" ] || { echo "run.sh: $bin missing: run tests/fuzz/build.sh" >&2; exit 1; }

corpus="$dir/corpus/$target"
mkdir -p "$corpus" "$dir/artifacts/$target" "$dir/logs"
inputs=("$corpus")
case "$target" in
  fuzz_decode)
    [ -d "$dir/seeds/decode" ] || bash "$root/tests/fuzz/make_seeds.sh" "$dir/seeds/decode"
    inputs+=("$dir/seeds/decode")
    flags=(-max_len=65536)
    ;;
  fuzz_exec)
    # wasm-smith's entropy: more bytes, bigger modules, from the start
    # (libFuzzer's slow growth of the length kept modules tiny).
    flags=(-max_len=16384 -len_control=0)
    ;;
  *) echo "run.sh: unknown target $target" >&2; exit 2 ;;
esac

log="$dir/logs/$target-$(date -u +%Y%m%dT%H%M%S).log"
echo "run.sh: $target for ${secs}s, log $log"
set +e
# -timeout: a single input slower than this is a hang (a bug: fuel bounds
# every call). -rss_limit_mb: the targets cap guest memory at 16 MiB.
"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$dir/artifacts/$target/" "${flags[@]}" "$@" "${inputs[@]}" >"$log" 2>&1
rc=$?
set -e
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | tail -n 2
grep -E '^stat::' "$log" || true
if [ "$rc" -ne 0 ]; then
  echo "run.sh: $target failed (exit $rc); see $log and $dir/artifacts/$target/"
  grep -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | head -n 5
  exit "$rc"
fi
echo "run.sh: $target ran ${secs}s without a crash"
