;; grow_open.wat — a memory with no declared maximum: only the engine's
;; limit (65,536 pages = 4 GiB, or what the embedder configured) stops it.
(module
  (memory 1)
  (func (export "grow") (param $n i32) (result i32) (memory.grow (local.get $n)))
  (func (export "size") (param i32) (result i32) (memory.size)))
