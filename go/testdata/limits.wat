;; limits.wat — guests for limits_test.go: each export pushes one of the
;; runtime's limits (memory, table, call depth, value stack, fuel).
(module
  (memory (export "memory") 1)
  (table $t 1 funcref)

  ;; memory.grow by delta pages: the old size, or -1
  (func (export "grow") (param $delta i32) (result i32)
    (memory.grow (local.get $delta)))
  (func (export "pages") (result i32) (memory.size))

  ;; table.grow by n null elements: the old size, or -1
  (func (export "table_grow") (param $n i32) (result i32)
    (table.grow $t (ref.null func) (local.get $n)))
  (func (export "table_size") (result i32) (table.size $t))

  ;; n nested calls below this one: n + 1 frames in all
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get $n) (i32.const 1)))
                     (i32.const 1)))))

  ;; a loop of n iterations (n >= 1): n back-edges' worth of fuel
  (func (export "count") (param $n i32) (result i32)
    (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))

  (func (export "spin") (loop $l (br $l))))
