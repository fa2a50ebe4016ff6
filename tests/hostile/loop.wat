;; loop.wat — guests that never return: stopped by fuel, or by an
;; interruption (a Go context's deadline, weft_interrupt from a watchdog).
(module
  (memory 1)
  (func (export "spin") (param i32) (loop $l (br $l)))
  ;; a loop of calls, each one short
  (func $step (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "spin_calls") (param $i i32)
    (loop $l
      (local.set $i (call $step (local.get $i)))
      (br $l)))
  ;; a loop that keeps the memory busy
  (func (export "spin_memory") (param $i i32)
    (loop $l
      (i32.store (i32.and (local.get $i) (i32.const 0xFFFC)) (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $l (i32.const 1))))
  ;; a loop closed by br_table (which polls only through its stub)
  (func (export "spin_table") (param $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_table $l $l (i32.and (local.get $i) (i32.const 1)))))
  ;; nested loops, the inner one ends, the outer one does not
  (func (export "spin_nested") (param $i i32)
    (loop $outer
      (local.set $i (i32.const 0))
      (loop $inner
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $i) (i32.const 1000))))
      (br $outer))))
