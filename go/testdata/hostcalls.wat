;; hostcalls.wat — a guest that calls Go host functions of each kind; for
;; host_test.go.
(module
  (import "go" "add" (func $add (param i32 i32) (result i32)))
  (import "go" "mix" (func $mix (param i32 i64 f32 f64) (result f64)))
  (import "go" "panic" (func $panic (param i32)))
  (import "go" "peek" (func $peek (param i32) (result i32)))
  (import "go" "reenter" (func $reenter (param i32) (result i32)))
  (import "go" "exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "\2a")
  (func (export "call_add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "call_mix") (param i32 i64 f32 f64) (result f64)
    (call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "call_panic") (param i32) (call $panic (local.get 0)))
  ;; call_panic, two direct calls down: the export still reaches the host
  (func (export "call_panic_deep") (param i32) (call $hop (local.get 0)))
  (func $hop (param i32) (call $relay_panic (local.get 0)))
  (func $relay_panic (param i32) (call $panic (local.get 0)))
  (func (export "call_peek") (param i32) (result i32) (call $peek (local.get 0)))
  ;; reenter(n) asks Go to call back "double" on this module
  (func (export "call_reenter") (param i32) (result i32) (call $reenter (local.get 0)))
  (func $double (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  ;; calls, but only of this module's own code
  (func (export "quadruple") (param i32) (result i32) (call $double (call $double (local.get 0))))
  (func (export "call_exit") (param i32) (call $exit (local.get 0)) unreachable)
  ;; many host calls, for the benchmark
  (func (export "call_add_n") (param $n i32) (result i32)
    (local $acc i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (call $add (local.get $acc) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  ;; many host calls of mix (a WithFunc function), for the benchmark
  (func (export "call_mix_n") (param $n i32) (result f64)
    (local $acc f64)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (f64.add (local.get $acc)
        (call $mix (local.get $n) (i64.const 2) (f32.const 3) (f64.const 4))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $acc))
  (func (export "nop")))
