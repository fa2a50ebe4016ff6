;; startup — the smallest useful module: `run` returns 0 at once. Timing a
;; CLI on it gives that tool's fixed cost (process start, load, compile,
;; instantiate), to read the compute timings of bench/cli-bench.sh against.
(module
  (func (export "run") (result i32)
    i32.const 0))
