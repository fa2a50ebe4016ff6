;; limits_start.wat — a start function that loops 10 times: with fuel on,
;; instantiation runs it on the context's fuel budget.
(module
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $start
    (loop $l
      (global.set $g (i32.add (global.get $g) (i32.const 1)))
      (br_if $l (i32.lt_u (global.get $g) (i32.const 10)))))
  (start $start))
