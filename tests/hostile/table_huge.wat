;; table_huge.wat — a table of 2^32-1 elements minimum: over the engine's
;; table limit, instantiation fails with a resource error.
(module (table 0xFFFFFFFF funcref))
