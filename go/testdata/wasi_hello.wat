;; wasi_hello.wat — a WASI command: prints its args and one env variable to
;; stdout, echoes stdin to stderr, and exits with the code given as its first
;; argument's length.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; layout: 0..8 argc/bufsize, 16.. argv pointers, 1024.. arg strings,
  ;;         8192.. iovec, 8200 nwritten, 9000.. stdin buffer
  (func $write (param $fd i32) (param $ptr i32) (param $len i32)
    (i32.store (i32.const 8192) (local.get $ptr))
    (i32.store (i32.const 8196) (local.get $len))
    (drop (call $fd_write (local.get $fd) (i32.const 8192) (i32.const 1) (i32.const 8200))))
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))
  ;; writes each NUL-terminated string of a pointer vector, one per line
  (func $write_vector (param $ptrs i32) (param $count i32)
    (local $i i32) (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
      (local.set $s (i32.load (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2)))))
      (call $write (i32.const 1) (local.get $s) (call $strlen (local.get $s)))
      (i32.store8 (i32.const 8300) (i32.const 10))
      (call $write (i32.const 1) (i32.const 8300) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "_start")
    (local $n i32) (local $argc i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $argc (i32.load (i32.const 0)))
    (drop (call $args_get (i32.const 16) (i32.const 1024)))
    (call $write_vector (i32.const 16) (local.get $argc))
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $environ_get (i32.const 16) (i32.const 4096)))
    (call $write_vector (i32.const 16) (i32.load (i32.const 0)))
    ;; stdin -> stderr
    (i32.store (i32.const 8192) (i32.const 9000))
    (i32.store (i32.const 8196) (i32.const 1000))
    (drop (call $fd_read (i32.const 0) (i32.const 8192) (i32.const 1) (i32.const 8200)))
    (call $write (i32.const 2) (i32.const 9000) (i32.load (i32.const 8200)))
    (if (i32.gt_u (local.get $argc) (i32.const 1))
      (then (call $proc_exit (call $strlen (i32.load (i32.const 20))))))))
