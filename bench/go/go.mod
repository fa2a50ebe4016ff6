module github.com/weftwasm/weft/bench/go

go 1.25.0

require (
	github.com/bytecodealliance/wasmtime-go/v44 v44.0.0
	github.com/tetratelabs/wazero v1.12.0
	github.com/weftwasm/weft v0.0.0-00010101000000-000000000000
)

require golang.org/x/sys v0.44.0 // indirect

replace github.com/weftwasm/weft => ../..
