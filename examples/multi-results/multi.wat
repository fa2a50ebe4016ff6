;; multi.wat — functions with several results (the multi-value feature of
;; WebAssembly 2.0), both exported to Go and imported from Go.
(module $multi
  ;; Go host functions with several results (main.go).
  ;; minmax(a, b) = (the smaller, the larger)
  (import "env" "minmax" (func $minmax (param i32 i32) (result i32 i32)))
  ;; frexp(x) = (frac, exp) with x = frac * 2^exp and 0.5 <= |frac| < 1
  (import "env" "frexp" (func $frexp (param f64) (result f64 i32)))

  ;; divmod(a, b) = (a / b, a % b), truncating toward zero like Go and C.
  (func (export "divmod") (param $a i32) (param $b i32) (result i32 i32)
    (i32.div_s (local.get $a) (local.get $b))
    (i32.rem_s (local.get $a) (local.get $b)))

  ;; widen(x) = (x, x*x as i64, x/3 as f32, sqrt(x) as f64): one result of
  ;; each number type.
  (func (export "widen") (param $x i32) (result i32 i64 f32 f64)
    (local.get $x)
    (i64.mul (i64.extend_i32_s (local.get $x)) (i64.extend_i32_s (local.get $x)))
    (f32.div (f32.convert_i32_s (local.get $x)) (f32.const 3))
    (f64.sqrt (f64.convert_i32_s (local.get $x))))

  ;; sort3(a, b, c) = a, b and c in increasing order, sorted by three calls
  ;; to the host's minmax.
  (func (export "sort3") (param $a i32) (param $b i32) (param $c i32) (result i32 i32 i32)
    (local $lo i32) (local $hi i32)
    (call $minmax (local.get $a) (local.get $b))
    (local.set $hi) (local.set $lo)               ;; lo <= hi among a, b
    (call $minmax (local.get $hi) (local.get $c))
    (local.set $c) (local.set $hi)                ;; c is now the largest
    (call $minmax (local.get $lo) (local.get $hi)) ;; the two smallest, in order
    (local.get $c))

  ;; decompose(x) = (frac, exp, whether x is a power of two), from the
  ;; host's frexp.
  (func (export "decompose") (param $x f64) (result f64 i32 i32)
    (local $frac f64) (local $exp i32)
    (call $frexp (local.get $x))
    (local.set $exp) (local.set $frac)
    (local.get $frac)
    (local.get $exp)
    (f64.eq (f64.abs (local.get $frac)) (f64.const 0.5))))
