;; relay.wat — a guest that calls the Go host functions of another guest
;; (hostcalls.wat, instantiated as "hostcalls") through that guest's exports; for
;; host_test.go: the host functions' caller is "hostcalls", their context the
;; relay call's.
(module
  (import "hostcalls" "call_add" (func $add (param i32 i32) (result i32)))
  (import "hostcalls" "call_reenter" (func $reenter (param i32) (result i32)))
  (func (export "relay_add") (param i32 i32) (result i32)
    (call $add (local.get 0) (local.get 1)))
  (func (export "relay_reenter") (param i32) (result i32)
    (call $reenter (local.get 0))))
