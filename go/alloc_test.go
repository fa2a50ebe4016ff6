//go:build !race

// The race detector allocates on its own account: these counts hold
// without it only.

package weft_test

import (
	"context"
	"testing"
)

// The Go boundary allocates nothing per call once warm: a call with a
// caller-owned stack, the host calls a guest makes to reflection-free Go
// host functions (GoFunction, GoModuleFunction), and a view of memory.
// Call's results slice is carved from a chunk shared by 64 calls, so Call
// may average below one allocation; CallWithStack must not allocate at
// all. WithFunc's functions are called through reflect: their argument
// lists are pooled, so what remains is reflect.Value.Call's own results
// (the slice and each result), two allocations for mix's one.
func TestBoundaryDoesNotAllocate(t *testing.T) {
	r := newRuntime(t, nil)
	mod := instantiateGoHost(t, r)
	ctx := context.Background()
	stack := make([]uint64, 4)
	cases := []struct {
		name string
		run  func()
	}{
		{"CallWithStack nop", func() { noErr(t, mod.ExportedFunction("nop").CallWithStack(ctx, stack)) }},
		{"CallWithStack quadruple", func() {
			stack[0] = 3
			noErr(t, mod.ExportedFunction("quadruple").CallWithStack(ctx, stack))
		}},
		// 100 host calls of add (GoFunction) per call of the export
		{"100 host calls", func() {
			stack[0] = 100
			noErr(t, mod.ExportedFunction("call_add_n").CallWithStack(ctx, stack))
		}},
		{"host call of a GoModuleFunction", func() {
			stack[0] = 8
			noErr(t, mod.ExportedFunction("call_peek").CallWithStack(ctx, stack))
			if stack[0] != 0x2a {
				t.Fatalf("peek(8) = %#x, want 0x2a", stack[0])
			}
		}},
		{"Memory().Read", func() {
			if _, ok := mod.Memory().Read(0, 4096); !ok {
				t.Fatal("read failed")
			}
		}},
	}
	for _, c := range cases {
		c.run() // warm: first-call set-up may allocate
		if n := testing.AllocsPerRun(200, c.run); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", c.name, n)
		}
	}
	mixN := func() {
		stack[0] = 10
		noErr(t, mod.ExportedFunction("call_mix_n").CallWithStack(ctx, stack[:1]))
	}
	mixN()
	if n := testing.AllocsPerRun(100, mixN); n > 10*2 {
		t.Errorf("10 host calls of a WithFunc function: %v allocations per run, want at most 20", n)
	}
	f := mod.ExportedFunction("nop")
	if n := testing.AllocsPerRun(640, func() {
		if _, err := f.Call(ctx); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Call nop: %v allocations per run, want 0", n)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
