;; trivial — the call-overhead guest of the Go harness (bench/go).
;;
;;   nop            Go -> Wasm call of an export that does nothing
;;   add(a, b)      Go -> Wasm call with arguments and a result
;;   addcall(a, b)  add, through a call inside the guest: an export with a
;;                  call that reaches no host function
;;   callhost(n)    Wasm -> Go: calls the import env.hostnop n times (with
;;                  n = 1, a Go -> Wasm -> Go round trip: weft's guarded
;;                  path, which a host function's panic needs)
;;   memory         one page; the harness reads 4 KiB of it from Go,
;;                  starting at offset 0, which holds a known pattern
;;   checksum       sums the first 4 KiB as i32 words, to check the read
(module
  (import "env" "hostnop" (func $hostnop))
  (memory (export "memory") 1)
  (data (i32.const 0) "weft-bench-4KiB-pattern\00")

  (func (export "nop"))

  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)

  (func (export "addcall") (param i32 i32) (result i32)
    (call $add (local.get 0) (local.get 1)))

  (func (export "callhost") (param $n i32)
    block $done
      loop $again
        local.get $n
        i32.eqz
        br_if $done
        call $hostnop
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $again
      end
    end)

  (func (export "checksum") (result i32)
    (local $i i32) (local $sum i32)
    block $done
      loop $again
        local.get $i
        i32.const 4096
        i32.ge_u
        br_if $done
        local.get $sum
        local.get $i
        i32.load
        i32.add
        local.set $sum
        local.get $i
        i32.const 4
        i32.add
        local.set $i
        br $again
      end
    end
    local.get $sum))
