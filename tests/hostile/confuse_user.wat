;; confuse_user.wat — calls through confuse_lib's table. Its type indices
;; differ from the library's ($ii is type 2 here, 0 there): a call must
;; match by structure, never by index, and a structural mismatch must trap.
(module
  (type $pad (func))
  (type $ff (func (param f32) (result f32)))
  (type $ii (func (param i32) (result i32)))
  (type $il (func (param i32) (result i64)))
  (import "lib" "table" (table 4 funcref))
  (func (export "call_ii") (param $i i32) (result i32)
    (call_indirect (type $ii) (i32.const 5) (local.get $i)))
  (func (export "call_ff") (param $i i32) (result i32)
    (i32.trunc_f32_s (call_indirect (type $ff) (f32.const 1) (local.get $i))))
  (func (export "call_il") (param $i i32) (result i32)
    (i32.wrap_i64 (call_indirect (type $il) (i32.const 7) (local.get $i))))
  (func (export "call_pad") (param $i i32) (result i32)
    (call_indirect (type $pad) (local.get $i))
    (i32.const 0)))
