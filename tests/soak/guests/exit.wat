;; exit.wat — a guest that calls WASI proc_exit: run(code) never returns;
;; the call ends in a *sys.ExitError carrying code.
(module $exit
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 1)
  (func (export "run") (param $code i32)
    (call $proc_exit (local.get $code))
    unreachable))
