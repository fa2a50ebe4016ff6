package weft_test

import (
	"context"
	"runtime"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// goexitArg makes the test's host functions call runtime.Goexit.
const goexitArg = 666

// A host function that ends its goroutine with runtime.Goexit (as
// t.FailNow does) ends the call from Go with it, on the paths Go host
// functions take (in place; yield and resume), also from a call it made
// back into the module from another host function. The module is left as
// it was: as deep a call stack as before, no host call parked, no call
// counted as running (it is freed when closed), and it goes on working.
func TestHostGoexit(t *testing.T) {
	for i, path := range weft.HostCallPaths[:2] {
		t.Run(path.Name, func(t *testing.T) {
			defer weft.UseHostCallPath(i)()
			live := weft.LiveInstances()
			r := newRuntime(t, weft.NewRuntimeConfig().WithMaxCallDepth(40))
			add := api.GoFunc(func(_ context.Context, stack []uint64) {
				if api.DecodeI32(stack[0]) == goexitArg {
					runtime.Goexit()
				}
				stack[0] = api.EncodeI32(api.DecodeI32(stack[0]) + api.DecodeI32(stack[1]))
			})
			// reenter(n) nests n host calls, calling back into the module
			// from each; reenter(goexitArg) calls add(goexitArg) from one.
			reenter := api.GoModuleFunc(func(c context.Context, m api.Module, stack []uint64) {
				n := api.DecodeI32(stack[0])
				switch n {
				case 0:
					return
				case goexitArg:
					_, _ = m.ExportedFunction("call_add").Call(c, goexitArg, 0)
					t.Error("call_add returned past runtime.Goexit")
				}
				res, err := m.ExportedFunction("call_reenter").Call(c, uint64(n-1))
				if err != nil {
					stack[0] = api.EncodeI32(-1)
					return
				}
				stack[0] = res[0]
			})
			mod := instantiateHostcallsWith(t, r, add, reenter)
			deepest := deepestReenter(mod)
			if deepest < 3 {
				t.Fatalf("call_reenter nests only %d deep", deepest)
			}
			for k := 0; k < 100; k++ { // more than the call depth allows
				if k%2 == 0 {
					callUntilGoexit(t, mod, "call_add", goexitArg, 0)
				} else {
					callUntilGoexit(t, mod, "call_reenter", goexitArg)
				}
				if weft.HostCallParked(mod) {
					t.Fatalf("after %d Goexits: a host call is left parked", k+1)
				}
			}
			if got := deepestReenter(mod); got != deepest {
				t.Errorf("call_reenter nests %d deep after the Goexits, %d before", got, deepest)
			}
			if got := mustCall(t, mod, "call_add", 2, 3); got[0] != 5 {
				t.Errorf("call_add(2, 3) after = %d", got[0])
			}
			if err := r.Close(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := weft.LiveInstances(); got != live {
				t.Errorf("%d C instances live after close, %d before", got, live)
			}
		})
	}
}

// callUntilGoexit calls fn on a goroutine of its own, which must end in
// runtime.Goexit rather than return.
func callUntilGoexit(t *testing.T, mod api.Module, fn string, params ...uint64) {
	t.Helper()
	returned := make(chan bool)
	go func() {
		done := false
		defer func() { returned <- done }()
		_, _ = mod.ExportedFunction(fn).Call(context.Background(), params...)
		done = true
	}()
	if <-returned {
		t.Fatalf("%s returned past runtime.Goexit", fn)
	}
}

// deepestReenter is the largest n for which call_reenter(n) succeeds.
func deepestReenter(mod api.Module) int {
	n := 0
	for {
		res, err := mod.ExportedFunction("call_reenter").Call(context.Background(), uint64(n+1))
		if err != nil || api.DecodeI32(res[0]) != 0 {
			return n
		}
		n++
	}
}
