package bench

import (
	"testing"
)

// Benchmark names use key=value parts (guest=, module=, fn=, rt=) so that
// benchstat can pivot on them, e.g. `benchstat -col /rt results.txt`.
// bench/run-go-bench.sh runs them all and bench/report.py summarises.

// newRuntime makes a fresh runtime or fails the benchmark.
func newRuntime(b *testing.B, name string) Runtime {
	b.Helper()
	rt, err := runtimes[name]()
	if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	return rt
}

func compile(b *testing.B, rt Runtime, file string) Module {
	b.Helper()
	wasm, err := readWasm(file)
	if err != nil {
		b.Fatal(err)
	}
	mod, err := rt.Compile(wasm)
	if err != nil {
		b.Fatalf("compile %s: %v", file, err)
	}
	return mod
}

// BenchmarkCompute times one call of a guest's `run` (the whole fixed
// workload, ~0.5-2 s under a good interpreter) and checks its checksum.
// Each iteration gets a fresh instance, made with the timer stopped.
func BenchmarkCompute(b *testing.B) {
	guests, err := computeGuests()
	if err != nil {
		b.Fatal(err)
	}
	for _, g := range guests {
		for _, name := range runtimeNames() {
			b.Run("guest="+g.name+"/rt="+name, func(b *testing.B) {
				rt := newRuntime(b, name)
				defer rt.Close()
				mod := compile(b, rt, g.file)
				defer mod.Close()
				b.StopTimer()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					inst, run, err := prepare(mod, g)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					res, err := run.Call()
					b.StopTimer()
					if err == nil {
						err = checkResult(g, res)
					}
					inst.Close()
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// smallAndLarge are the modules of the compile and instantiate benchmarks:
// the tiny WAT guest and a stripped Go program of realistic size.
var smallAndLarge = []struct{ key, file string }{
	{"small", trivialFile},
	{"large", largeFile},
}

// BenchmarkCompile times decoding, validating and compiling a module, and
// closing it again. Closing matters: wazero caches compiled code per
// runtime until the compiled module is closed, so a loop of compiles
// without closes would time cache hits. Close is cheap next to compile.
func BenchmarkCompile(b *testing.B) {
	for _, m := range smallAndLarge {
		for _, name := range runtimeNames() {
			b.Run("module="+m.key+"/rt="+name, func(b *testing.B) {
				wasm, err := readWasm(m.file)
				if err != nil {
					b.Fatal(err)
				}
				rt := newRuntime(b, name)
				defer rt.Close()
				b.SetBytes(int64(len(wasm)))
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					mod, err := rt.Compile(wasm)
					if err != nil {
						b.Fatal(err)
					}
					mod.Close()
				}
			})
		}
	}
}

// BenchmarkInstantiate times instantiating a compiled module (imports
// resolved against WASI and env, memory and tables made, data segments
// copied; no _start) and closing the instance, as a host that runs each
// request in a fresh instance does.
func BenchmarkInstantiate(b *testing.B) {
	for _, m := range smallAndLarge {
		for _, name := range runtimeNames() {
			b.Run("module="+m.key+"/rt="+name, func(b *testing.B) {
				rt := newRuntime(b, name)
				defer rt.Close()
				mod := compile(b, rt, m.file)
				defer mod.Close()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					inst, err := mod.Instantiate(false)
					if err != nil {
						b.Fatal(err)
					}
					inst.Close()
				}
			})
		}
	}
}

// trivialInstance instantiates the call-overhead guest.
func trivialInstance(b *testing.B, name string) (Runtime, Module, Instance) {
	b.Helper()
	rt := newRuntime(b, name)
	mod := compile(b, rt, trivialFile)
	inst, err := mod.Instantiate(false)
	if err != nil {
		b.Fatal(err)
	}
	return rt, mod, inst
}

func closeAll(inst Instance, mod Module, rt Runtime) {
	inst.Close()
	mod.Close()
	rt.Close()
}

// BenchmarkCall times a Go -> Wasm call of a trivial export: nop(),
// add(i32, i32) -> i32, addcall, add through a call in the guest, and
// callhost(1), one call of a Go host function (BenchmarkHostCall's) from
// the guest: the whole round trip, Go -> Wasm -> Go.
func BenchmarkCall(b *testing.B) {
	calls := []struct {
		fn   string
		args []uint64
		want []uint64
	}{
		{"nop", nil, nil},
		{"add", []uint64{40, 2}, []uint64{42}},
		{"addcall", []uint64{40, 2}, []uint64{42}},
		{"callhost", []uint64{1}, nil},
	}
	for _, c := range calls {
		for _, name := range runtimeNames() {
			b.Run("fn="+c.fn+"/rt="+name, func(b *testing.B) {
				rt, mod, inst := trivialInstance(b, name)
				defer closeAll(inst, mod, rt)
				f, err := inst.Func(c.fn)
				if err != nil {
					b.Fatal(err)
				}
				res, err := f.Call(c.args...)
				if err != nil || len(res) != len(c.want) || (len(res) == 1 && uint32(res[0]) != uint32(c.want[0])) {
					b.Fatalf("%s%v = %v, %v; want %v", c.fn, c.args, res, err, c.want)
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := f.Call(c.args...); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkHostCall times a Wasm -> Go call: the guest loops b.N times
// calling the import env.hostnop, a Go function that only counts.
func BenchmarkHostCall(b *testing.B) {
	for _, name := range runtimeNames() {
		b.Run("rt="+name, func(b *testing.B) {
			rt, mod, inst := trivialInstance(b, name)
			defer closeAll(inst, mod, rt)
			f, err := inst.Func("callhost")
			if err != nil {
				b.Fatal(err)
			}
			before := hostCalls
			b.ResetTimer()
			if _, err := f.Call(uint64(b.N)); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if got := hostCalls - before; got != uint64(b.N) {
				b.Fatalf("host function called %d times, want %d", got, b.N)
			}
		})
	}
}

// memReadSize is what BenchmarkMemoryRead copies out of guest memory.
const memReadSize = 4096

// BenchmarkMemoryRead times reading 4 KiB of guest memory into a Go
// buffer, the way a host picks up a guest's output.
func BenchmarkMemoryRead(b *testing.B) {
	for _, name := range runtimeNames() {
		b.Run("size=4KiB/rt="+name, func(b *testing.B) {
			rt, mod, inst := trivialInstance(b, name)
			defer closeAll(inst, mod, rt)
			dst := make([]byte, memReadSize)
			if err := inst.ReadMemory(0, dst); err != nil {
				b.Fatal(err)
			}
			if string(dst[:len(trivialPattern)]) != trivialPattern {
				b.Fatalf("memory starts %q, want %q", dst[:len(trivialPattern)], trivialPattern)
			}
			b.SetBytes(memReadSize)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := inst.ReadMemory(0, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// trivialPattern is the data segment at offset 0 of trivial.wat.
const trivialPattern = "weft-bench-4KiB-pattern"
