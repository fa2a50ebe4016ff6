;; data_oob.wat — an active data segment ending one byte past the memory:
;; instantiation traps (out of bounds memory access), nothing is written.
(module
  (memory 1)
  (data (i32.const 65535) "ab"))
