;; confuse_lib.wat — exports a table holding functions of three types for
;; confuse_user.wat to call_indirect through: [0] $inc (i32)->i32,
;; [1] $wide (i64)->i64, [2] env.double (i32)->i32, a host function,
;; [3] null. (hostile_test.go, TestCrossModuleTypeConfusion)
(module
  (type $ii (func (param i32) (result i32)))
  (type $ll (func (param i64) (result i64)))
  (import "env" "double" (func $double (type $ii)))
  (table (export "table") 4 funcref)
  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
  (func $wide (type $ll) (local.get 0))
  (elem (i32.const 0) $inc $wide $double))
