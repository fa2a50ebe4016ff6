;; table.wat — table index overflow and call_indirect type confusion.
;; $t holds 4 entries: [0] $add1 (i32)->i32, [1] null, [2] $nop ()->(),
;; [3] $wide (i64)->i64; it may grow to 8. $open has no maximum.
(module
  (type $i32_i32 (func (param i32) (result i32)))
  (type $void (func))
  (type $i64_i64 (func (param i64) (result i64)))
  (type $two (func (param i32 i32) (result i32)))
  (table $t 4 8 funcref)
  (table $open 1 funcref)
  (elem (table $t) (i32.const 0) func $add1)
  (elem (table $t) (i32.const 2) func $nop $wide)
  (elem $passive func $add1 $nop)

  (func $add1 (type $i32_i32) (i32.add (local.get 0) (i32.const 1)))
  (func $nop (type $void))
  (func $wide (type $i64_i64) (local.get 0))

  ;; call_indirect as (i32)->i32 of entry i
  (func (export "call") (param $i i32) (result i32)
    (call_indirect $t (type $i32_i32) (i32.const 41) (local.get $i)))
  ;; the same entry called as another type
  (func (export "call_as_void") (param $i i32)
    (call_indirect $t (type $void) (local.get $i)))
  (func (export "call_as_i64") (param $i i32) (result i64)
    (call_indirect $t (type $i64_i64) (i64.const 7) (local.get $i)))
  (func (export "call_as_two") (param $i i32) (result i32)
    (call_indirect $t (type $two) (i32.const 1) (i32.const 2) (local.get $i)))

  (func (export "get") (param $i i32) (result i32)
    (ref.is_null (table.get $t (local.get $i))))
  (func (export "set") (param $i i32)
    (table.set $t (local.get $i) (ref.null func)))
  ;; fill/copy/init of n entries at i
  (func (export "fill") (param $i i32)
    (table.fill $t (local.get $i) (ref.null func) (i32.const 2)))
  (func (export "copy") (param $i i32)
    (table.copy $t $t (local.get $i) (i32.const 0) (i32.const 2)))
  (func (export "init") (param $i i32)
    (table.init $t $passive (local.get $i) (i32.const 0) (i32.const 2)))
  ;; table.grow by n: the old size or -1
  (func (export "grow") (param $n i32) (result i32)
    (table.grow $t (ref.null func) (local.get $n)))
  (func (export "grow_open") (param $n i32) (result i32)
    (table.grow $open (ref.null func) (local.get $n)))
  (func (export "size") (param i32) (result i32) (table.size $t)))
