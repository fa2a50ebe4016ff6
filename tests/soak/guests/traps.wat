;; traps.wat — a guest whose every export ends in a trap (or never ends):
;; the soak program checks each trap's message and that the host keeps
;; serving.
(module $traps
  (memory (export "memory") 1 1)
  (func $inner (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (i32.const 1))
  ;; unreachable, two frames deep
  (func (export "unreachable") (result i32) (call $inner (i32.const 0)))
  ;; a load of 4 bytes at addr (the soak passes addresses at or past 65533)
  (func (export "oob") (param $addr i32) (result i32) (i32.load (local.get $addr)))
  (func (export "divzero") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  ;; unbounded recursion: the call-depth limit traps
  (func $recurse (export "recurse") (param $n i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  ;; an infinite loop: only a context deadline (or fuel) stops it
  (func (export "spin") (param $n i32) (result i32)
    (loop $forever
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $forever))
    (local.get $n)))
