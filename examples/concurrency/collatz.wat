;; collatz.wat — a guest with per-instance state, for running many
;; instances at once. scan(lo, hi) walks the Collatz chains of lo..hi and
;; keeps the longest seen so far in mutable globals: each instance has its
;; own. Each time the record improves it tells the host (env.new_best).
(module $collatz
  (import "env" "new_best" (func $new_best (param $start i32) (param $steps i32)))

  (global $best_start (export "best_start") (mut i32) (i32.const 0))
  (global $best_steps (export "best_steps") (mut i32) (i32.const -1))
  (global $calls (export "calls") (mut i32) (i32.const 0)) ;; scan calls on this instance

  ;; steps(n) = how many steps n -> n/2 (even) or 3n+1 (odd) take to reach 1.
  (func $steps (param $n i64) (result i32)
    (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i64.le_u (local.get $n) (i64.const 1)))
        (if (i64.eqz (i64.and (local.get $n) (i64.const 1)))
          (then (local.set $n (i64.shr_u (local.get $n) (i64.const 1))))
          (else (local.set $n (i64.add (i64.mul (local.get $n) (i64.const 3)) (i64.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $k))

  (func (export "scan") (param $lo i32) (param $hi i32)
    (local $n i32) (local $s i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (local.set $n (local.get $lo))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (local.get $n) (local.get $hi)))
        (local.set $s (call $steps (i64.extend_i32_u (local.get $n))))
        (if (i32.gt_s (local.get $s) (global.get $best_steps))
          (then
            (global.set $best_steps (local.get $s))
            (global.set $best_start (local.get $n))
            (call $new_best (local.get $n) (local.get $s))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))))
