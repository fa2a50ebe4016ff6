#!/usr/bin/env bash
# test.sh — the one command that runs every test of weft (README, .ci/run):
#   1. set-up (scripts/setup.sh) and the Release build
#   2. cmocka unit tests (ctest)
#   3. the spec suite (../shared/spectest: v2 and tail-call), and random
#      Go-shaped dispatch loops against wabt's wasm-interp
#   4. the same unit tests and spec suite under ASan+UBSan
#   5. go vet and go test -race ./... (the Go package and the examples)
#   6. the examples' own checks (examples/*/check.sh)
#   7. the clang 19 build (tail-calling handlers): unit tests, spec suite,
#      and the Go package's tests with cgo built by clang 19
# Each step's own summary line is repeated at the end; the exit status is
# non-zero if any step failed. WEFT_TEST_QUICK=1 skips the sanitizer step.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

failed=0
summary=()
logdir="$(mktemp -d)"
trap 'rm -rf "$logdir"' EXIT

# step NAME SUMMARY_PATTERN COMMAND...: runs COMMAND, shows its output, and
# records its last line matching SUMMARY_PATTERN (its own summary).
step() {
  local name="$1" pattern="$2"; shift 2
  local log="$logdir/$name.log"
  echo "==> $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line="$(grep -E "$pattern" "$log" | tail -n 1)"
  [ -n "$line" ] || line="(no summary line)"
  if [ "$rc" -ne 0 ]; then
    failed=1
    summary+=("FAIL  $name: $line (exit $rc)")
  else
    summary+=("ok    $name: $line")
  fi
}

scripts/setup.sh || { echo "test: set-up failed"; exit 1; }
step build 'Built target|Error' scripts/build.sh release

suite="$(scripts/spectest-dir.sh)"
spec() { # spec BUILD_DIR SUBDIR [OPTIONS...]
  if [ -z "$suite" ]; then
    echo "spectest: the spec suite is absent (set WEFT_SPECTEST_ROOT); skipped"
    return 0
  fi
  local build="$1" dir="$2"
  shift 2
  "$build/weft-spectest" -q "$@" "$suite/$dir"
}

step ctest 'tests passed|tests failed' ctest --test-dir build --output-on-failure
step spectest-v2 '^spectest:' spec build v2
step spectest-tail-call '^spectest:' spec build tail-call
# Every spec module again, run from serialized code (the compilation cache's path).
step spectest-v2-serialized '^spectest:' spec build v2 -s
# Go-shaped dispatch loops, whose jumps the compiler resolves, against
# wabt's interpreter (100 fixed random modules, ~10 s).
step dispatch-loops '^(ok|FAIL) dispatch-loops' tests/fuzz/dispatch-loops.sh 100 1

if [ "${WEFT_TEST_QUICK:-0}" != 1 ]; then
  step build-asan 'Built target|Error' scripts/build.sh asan
  step ctest-asan 'tests passed|tests failed' ctest --test-dir build-asan --output-on-failure
  step spectest-v2-asan '^spectest:' spec build-asan v2
  step spectest-tail-call-asan '^spectest:' spec build-asan tail-call
fi
step wasi '^wasi:' bash tests/wasi/run.sh # build/weft, and build-asan/weft unless quick

# The clang 19 build runs the engine's other dispatch (tail-calling
# handlers, core/src/interp.c): the C tests, the spec suites and the Go
# package's tests (cgo built by clang 19) against it too.
step build-clang 'Built target|Error' scripts/build.sh clang
step ctest-clang 'tests passed|tests failed' ctest --test-dir build-clang --output-on-failure
step spectest-v2-clang '^spectest:' spec build-clang v2
step spectest-tail-call-clang '^spectest:' spec build-clang tail-call

if [ -f go.mod ] && [ -n "$(find go examples -name '*.go' 2>/dev/null | head -n 1)" ]; then
  step go '^go test:' scripts/go-test.sh
  step go-clang '^go test' bash -c 'CC=clang-19 go test -count=1 ./go/... ./tests/hostile/ &&
    echo "go test (cgo by clang 19): passed" || { echo "go test (cgo by clang 19): FAILED"; exit 1; }'
  step go-packaging '^(ok|FAIL) go-packaging' bash tests/go-packaging/check.sh
  step wazero-compat '^(ok|FAIL) wazero-compat' bash tests/wazero-compat/check.sh
  # A short load and soak (tests/soak): nothing lost, no C object or RSS leaked.
  step soak '^(ok|FAIL) soak' bash tests/soak/check.sh
fi

for check in examples/*/check.sh; do
  [ -e "$check" ] || continue
  name="example-$(basename "$(dirname "$check")")"
  step "$name" '^(ok|FAIL)' bash "$check"
done

echo
echo "==> summary"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "test: FAILED"
  exit 1
fi
echo "test: all passed"
