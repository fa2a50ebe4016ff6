;; host.wat — a guest that calls Go host functions of the "env" module:
;;   add(a, b) -> a + b         a plain host call, made n times in a loop
;;   boom(x)                     panics in Go: the call ends in a trap
;;   sum(ptr, len) -> sum        Go reads guest memory through api.Memory
;;   reenter(x) -> 2x + 1        Go calls this module's "twice_plus_one" back
(module $host
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "boom" (func $boom (param i32)))
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (memory (export "memory") 1 1)
  ;; add_n(n) = 1 + 1 + ... (n host calls)
  (func (export "add_n") (param $n i32) (result i32)
    (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (call $add (local.get $acc) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "boom") (param $x i32) (call $boom (local.get $x)) unreachable)
  ;; fill_sum(n): bytes 0..n-1 get i & 0xff, then Go sums them
  (func (export "fill_sum") (param $n i32) (result i32)
    (local $i i32)
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (local.get $i) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    (call $sum (i32.const 0) (local.get $n)))
  (func (export "reenter") (param $x i32) (result i32) (call $reenter (local.get $x)))
  (func (export "twice_plus_one") (param $x i32) (result i32)
    (i32.add (i32.shl (local.get $x) (i32.const 1)) (i32.const 1))))
