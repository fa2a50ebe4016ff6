;; good.wat — the well-behaved guest the host keeps serving while the
;; hostile ones run: sums of squares over its memory, with known answers.
(module
  (memory (export "memory") 1)
  ;; writes i*i for i < n at 4*i, then returns their sum (mod 2^32)
  (func (export "sum_squares") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.shl (local.get $i) (i32.const 2))
                   (i32.mul (local.get $i) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $done2
      (loop $sum
        (br_if $done2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s)
                               (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (local.get $s)))
