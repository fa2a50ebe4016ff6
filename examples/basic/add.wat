;; add.wat — the smallest useful guest: one exported function that adds two
;; 32-bit integers. Rebuild add.wasm with ./build.sh.
(module $add
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))))
