;; edge4g.wat — a full 4 GiB memory (65,536 pages): the last bytes of the
;; 32-bit address space are in bounds, one past them is not. The pages are
;; reserved and committed but only the touched ones take memory.
(module
  (memory 65536)
  (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "i64.store") (param i32) (i64.store (local.get 0) (i64.const -1)))
  (func (export "v128.load") (param i32) (result i32)
    (i32x4.extract_lane 0 (v128.load (local.get 0))))
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i32.load/off4") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "fill") (param i32) (memory.fill (local.get 0) (i32.const 1) (i32.const 16))))
