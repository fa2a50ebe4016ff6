;; data_wrap.wat — a data segment at offset 0xFFFFFFFF: the offset plus its
;; length passes 2^32 and must not wrap to the start of memory.
(module
  (memory 1)
  (data (i32.const -1) "ab"))
