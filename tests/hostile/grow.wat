;; grow.wat — memory.grow past every limit: the memory's declared maximum
;; ($m has 2 pages, at most 4), the engine's per-memory limit, the 4 GiB
;; of a 32-bit address space; and a memory.fill / copy / init at the edge.
(module
  (memory $m 2 4)
  (data $d "0123456789abcdef")
  (func (export "grow") (param $n i32) (result i32) (memory.grow (local.get $n)))
  (func (export "size") (param i32) (result i32) (memory.size))
  ;; grows by n, then writes the last byte of the memory: 1 if written
  (func (export "grow_and_touch") (param $n i32) (result i32)
    (if (result i32) (i32.eq (memory.grow (local.get $n)) (i32.const -1))
      (then (i32.const 0))
      (else
        (i32.store8 (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1))
                    (i32.const 1))
        (i32.load8_u (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1))))))
  ;; 16 bytes at address a
  (func (export "fill") (param $a i32) (memory.fill (local.get $a) (i32.const 7) (i32.const 16)))
  (func (export "copy") (param $a i32) (memory.copy (local.get $a) (i32.const 0) (i32.const 16)))
  (func (export "copy_from") (param $a i32) (memory.copy (i32.const 0) (local.get $a) (i32.const 16)))
  (func (export "init") (param $a i32) (memory.init $d (local.get $a) (i32.const 0) (i32.const 16)))
  ;; a fill of 2^32-1 bytes: must trap, not run over the memory
  (func (export "fill_huge") (param $a i32) (memory.fill (local.get $a) (i32.const 0) (i32.const -1))))
