;; bigmem.wat — a guest that asks for more memory (17 pages) than the
;; soak's bare runtime allows (16): instantiating it must fail cleanly.
(module $bigmem
  (memory (export "memory") 17))
