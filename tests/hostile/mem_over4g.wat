;; mem_over4g.wat — a memory of 65,537 pages, one more than a 32-bit address
;; space holds: refused at compile time (validation), whatever the limits.
;; Built with wat2wasm --no-check (build.sh), which would refuse it too.
(module (memory 65537))
