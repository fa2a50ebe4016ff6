package weft_test

import (
	"context"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// The Go boundary's costs, per operation: a call of a trivial export, one
// Wasm -> Go host call, a 4 KiB read of guest memory. bench/go compares
// them with wazero and wasmtime-go in one run.

func BenchmarkCallNop(b *testing.B) {
	r := newRuntime(b, nil)
	mod := instantiateGoHost(b, r)
	f := mod.ExportedFunction("nop")
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.Call(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallAdd is Call with params and a result: the results slice,
// carved from a chunk of 64 slots, is the one allocation, made once per 64
// calls (the params are passed as a slice: written out, Go would allocate
// them for the interface call too).
func BenchmarkCallAdd(b *testing.B) {
	r := newRuntime(b, nil)
	mod, _ := instantiateCalls(b, r)
	f := mod.ExportedFunction("add_i32")
	ctx := context.Background()
	params := []uint64{40, 2}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.Call(ctx, params...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCallWithStack(b *testing.B) {
	r := newRuntime(b, nil)
	mod, _ := instantiateCalls(b, r)
	f := mod.ExportedFunction("add_i32")
	ctx := context.Background()
	stack := make([]uint64, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		stack[0], stack[1] = 40, 2
		if err := f.CallWithStack(ctx, stack); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHostCall times b.N calls of a Go host function from a guest
// loop: add, a GoFunction, and mix(i32, i64, f32, f64) f64, a WithFunc
// function (called through reflect).
func BenchmarkHostCall(b *testing.B) {
	b.Run("GoFunction", func(b *testing.B) {
		res := benchHostLoop(b, "call_add_n")
		if api.DecodeI32(res[0]) != int32(b.N) {
			b.Fatal(res)
		}
	})
	b.Run("WithFunc", func(b *testing.B) { benchHostLoop(b, "call_mix_n") })
}

// benchHostLoop calls export(b.N), timed, and returns its results.
func benchHostLoop(b *testing.B, export string) []uint64 {
	r := newRuntime(b, nil)
	mod := instantiateGoHost(b, r)
	f := mod.ExportedFunction(export)
	b.ReportAllocs()
	b.ResetTimer()
	res, err := f.Call(context.Background(), uint64(b.N))
	if err != nil {
		b.Fatal(err)
	}
	return res
}

// The ways C can enter a Go host function, in one run (see
// docs/RATIONALE.md): called in place from the fast call's run (in-place),
// returning to Go and resuming (yield), a libffi closure (trampoline), a
// raw C -> Go callback (direct).
func BenchmarkHostCallPaths(b *testing.B) {
	for i, p := range weft.HostCallPaths {
		b.Run("path="+p.Name, func(b *testing.B) {
			restore := weft.UseHostCallPath(i)
			defer restore()
			r := newRuntime(b, nil)
			mod := instantiateGoHost(b, r)
			f := mod.ExportedFunction("call_add_n")
			b.ResetTimer()
			res, err := f.Call(context.Background(), uint64(b.N))
			if err != nil || api.DecodeI32(res[0]) != int32(b.N) {
				b.Fatal(res, err)
			}
		})
	}
}

func BenchmarkMemoryRead4KiB(b *testing.B) {
	r := newRuntime(b, nil)
	mod, _ := instantiateCalls(b, r)
	dst := make([]byte, 4096)
	b.SetBytes(4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Memory() each time, as host functions do (mod.Memory().Read).
		view, ok := mod.Memory().Read(0, 4096)
		if !ok {
			b.Fatal("read failed")
		}
		copy(dst, view)
	}
}
