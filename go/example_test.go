package weft_test

import (
	"context"
	"fmt"
	"os"

	wazero "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// The shape of every embedding: a runtime, a host module of Go functions,
// a guest that imports it, a call.
func Example() {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)

	// calls.wasm imports env.log(ptr, len) and has "hello" at offset 100.
	_, err := r.NewHostModuleBuilder("env").
		NewFunctionBuilder().
		WithFunc(func(ctx context.Context, m api.Module, ptr, n uint32) {
			text, _ := m.Memory().Read(ptr, n)
			fmt.Printf("guest says %q\n", text)
		}).
		Export("log").
		Instantiate(ctx)
	if err != nil {
		panic(err)
	}
	wasm, _ := os.ReadFile("testdata/calls.wasm")
	mod, err := r.Instantiate(ctx, wasm)
	if err != nil {
		panic(err)
	}
	if _, err := mod.ExportedFunction("say_hello").Call(ctx); err != nil {
		panic(err)
	}
	sum, _ := mod.ExportedFunction("add_i32").Call(ctx, api.EncodeI32(40), api.EncodeI32(2))
	fmt.Println("add_i32(40, 2) =", api.DecodeI32(sum[0]))
	// Output:
	// guest says "hello"
	// add_i32(40, 2) = 42
}

// CompileModule once, instantiate many times.
func ExampleRuntime_CompileModule() {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	wasm, _ := os.ReadFile("../examples/fib/fib.wasm")
	compiled, err := r.CompileModule(ctx, wasm)
	if err != nil {
		panic(err)
	}
	for _, n := range []uint64{10, 20} {
		mod, _ := r.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName(""))
		res, _ := mod.ExportedFunction("fib").Call(ctx, n)
		fmt.Printf("fib(%d) = %d\n", n, res[0])
		_ = mod.Close(ctx)
	}
	// Output:
	// fib(10) = 55
	// fib(20) = 6765
}

// A trap is an error with the spec's message and a Wasm stack trace.
func ExampleRuntime_InstantiateModule_trap() {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithDebugInfoEnabled(false))
	defer r.Close(ctx)
	wasm, _ := os.ReadFile("../examples/fib/fib.wasm")
	mod, _ := r.Instantiate(ctx, wasm)
	_, err := mod.ExportedFunction("fib").Call(ctx) // a param is missing
	fmt.Println(err)
	// Output:
	// expected 1 params, but passed 0
}

// Memory.Read returns a view of guest memory, without copying.
func ExampleModule_Memory() {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	_, _ = r.NewHostModuleBuilder("env").NewFunctionBuilder().
		WithFunc(func(uint32, uint32) {}).Export("log").Instantiate(ctx)
	wasm, _ := os.ReadFile("testdata/calls.wasm")
	mod, _ := r.Instantiate(ctx, wasm)
	view, _ := mod.Memory().Read(100, 5)
	fmt.Println(string(view))
	view[0] = 'j'
	b, _ := mod.ExportedFunction("load_u8").Call(ctx, 100)
	fmt.Printf("%c\n", b[0])
	// Output:
	// hello
	// j
}
