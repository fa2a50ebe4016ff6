;; compute.wat — a guest that runs to completion: run(n, seed) grows its
;; memory by one page, fills n words (n <= 16384) from a linear congruential
;; generator and returns a checksum of them, which the soak program checks
;; against the same computation in Go.
(module $compute
  (memory (export "memory") 1 4)
  (func (export "run") (param $n i32) (param $seed i32) (result i32)
    (local $i i32) (local $x i32) (local $sum i32)
    (if (i32.lt_s (memory.grow (i32.const 1)) (i32.const 0))
      (then (return (i32.const -1))))
    (local.set $x (local.get $seed))
    ;; fill: mem[65536 + 4i] = x_i, x_{i+1} = x_i * 1103515245 + 12345
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (i32.store offset=65536 (i32.shl (local.get $i) (i32.const 2)) (local.get $x))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    ;; checksum: sum = sum * 31 + (mem word >> 7), read back from memory
    (local.set $i (i32.const 0))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $sum
        (i32.add (i32.mul (local.get $sum) (i32.const 31))
                 (i32.shr_u (i32.load offset=65536 (i32.shl (local.get $i) (i32.const 2)))
                            (i32.const 7))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sum)))
    (local.get $sum)))
