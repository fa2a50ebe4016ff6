;; start_spin.wat — a start function that never ends: instantiation runs
;; out of fuel (or is interrupted) instead of hanging.
(module
  (func $start (loop $l (br $l)))
  (start $start))
