package weft_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"testing"
	"time"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

// Calls enter C without cgo's syscall transition (fastcall.go), so the
// goroutine cannot be stopped while its run lasts. The engine bounds each
// such run; the rest of a long call goes on through cgo, where it no longer
// holds up the garbage collector. Here a guest spins forever while another
// goroutine runs three full collections, each of which must stop the
// world: the test ends only if the spinning call lets them through, and
// then cancels the call. The same holds when the spin follows a Go host
// call run in place (the watchdog's mark must outlive it).
func TestGCCompletesWhileGuestSpins(t *testing.T) {
	for _, fn := range []string{"loop_forever", "log_then_loop_forever"} {
		t.Run(fn, func(t *testing.T) {
			r := newRuntime(t, weft.NewRuntimeConfig().WithCloseOnContextDone(true))
			mod, _ := instantiateCalls(t, r)
			ctx, cancel := context.WithCancel(context.Background())
			collections := make(chan int)
			go func() {
				for i := 1; i <= 3; i++ {
					runtime.GC()
					collections <- i
				}
				cancel()
			}()
			done := make(chan error)
			go func() {
				_, err := mod.ExportedFunction(fn).Call(ctx)
				done <- err
			}()
			for i := 1; i <= 3; i++ {
				<-collections
			}
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("error %v, want context.Canceled", err)
			}
		})
	}
}

// WASI functions are native C: a fast call stops before each and makes it
// through cgo. The guest's output must come out whole and in order.
func TestFastCallsAroundNativeHostFunctions(t *testing.T) {
	r := newWasiRuntime(t)
	wasm := readTestdata(t, "wasi_hello.wasm")
	for i := 0; i < 50; i++ {
		var stdout, stderr bytes.Buffer
		cfg := weft.NewModuleConfig().WithName("").WithArgs("prog", "x").WithEnv("FOO", "bar").
			WithStdin(strings.NewReader("in")).WithStdout(&stdout).WithStderr(&stderr)
		_, err := r.InstantiateWithConfig(context.Background(), wasm, cfg)
		var exit *sys.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Fatalf("run %d: error %v, want exit code 1", i, err)
		}
		if stdout.String() != "prog\nx\nFOO=bar\n" || stderr.String() != "in" {
			t.Fatalf("run %d: stdout %q, stderr %q", i, stdout.String(), stderr.String())
		}
	}
}

// Close from another goroutine while a goroutine calls in a tight loop:
// every call either completes or reports the module closed, and the C
// instance is freed exactly once, after the last call left (callguard.go's
// barrier, asymmetric outside the race detector).
func TestCloseRacesCalls(t *testing.T) {
	r := newRuntime(t, nil)
	instantiateCalls(t, r) // the env host module calls.wasm imports
	compiled, err := r.CompileModule(context.Background(), readTestdata(t, "calls.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	before := weft.LiveInstances()
	for round := 0; round < 200; round++ {
		mod, err := r.InstantiateModule(context.Background(), compiled, weft.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		f := mod.ExportedFunction("add_i32")
		started := make(chan struct{})
		done := make(chan error)
		go func() {
			close(started)
			for i := uint64(0); ; i++ {
				res, err := f.Call(context.Background(), i, 1)
				if err != nil {
					done <- err
					return
				}
				if res[0] != uint64(uint32(i+1)) {
					done <- fmt.Errorf("add_i32(%d, 1) = %d", i, res[0])
					return
				}
			}
		}()
		<-started
		if round%2 == 1 {
			runtime.Gosched() // let some calls through first
		}
		if err := mod.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		var exit *sys.ExitError
		if err := <-done; !errors.As(err, &exit) {
			t.Fatalf("round %d: error %v, want an ExitError", round, err)
		}
	}
	if got := weft.LiveInstances(); got != before {
		t.Errorf("live instances %d, want %d", got, before)
	}
}

// A call long enough to be sliced (it goes on through cgo from where the
// engine stopped it) computes exactly what an unsliced one does.
func TestSlicedCallsComputeExactly(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	f := mod.ExportedFunction("count")
	for _, n := range []uint64{1, 1000, 20_000_000, 60_000_000} {
		res, err := f.Call(context.Background(), n)
		if err != nil || res[0] != n {
			t.Fatalf("count(%d) = %v, %v", n, res, err)
		}
	}
}

// Fast calls run C on a stack of the module's (go/internal/cstack), with
// the goroutine's g in place: profiling signals land in that C code, and
// in the switches to the Go host functions run in place and back. Under a
// CPU profile, calls, host calls and their traps must come out right and
// the profile must be written.
func TestFastCallsUnderCPUProfile(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	host := instantiateGoHost(t, r)
	var profile bytes.Buffer
	if err := pprof.StartCPUProfile(&profile); err != nil {
		t.Skipf("no CPU profile: %v", err) // one is running already
	}
	ctx := context.Background()
	count, trap := mod.ExportedFunction("count"), mod.ExportedFunction("trap")
	for start := time.Now(); time.Since(start) < 300*time.Millisecond; {
		if res, err := host.ExportedFunction("call_add_n").Call(ctx, 10000); err != nil || res[0] != 10000 {
			pprof.StopCPUProfile()
			t.Fatalf("call_add_n(10000) = %v, %v", res, err)
		}
		res, err := count.Call(ctx, 100000)
		if err != nil || res[0] != 100000 {
			pprof.StopCPUProfile()
			t.Fatalf("count(100000) = %v, %v", res, err)
		}
		var te *weft.TrapError
		if _, err := trap.Call(ctx); !errors.As(err, &te) || !strings.HasPrefix(te.Error(), "wasm error: unreachable") {
			pprof.StopCPUProfile()
			t.Fatalf("trap: error %v, want unreachable", err)
		}
	}
	pprof.StopCPUProfile()
	if profile.Len() == 0 {
		t.Fatal("empty CPU profile")
	}
}

// Each module's fast calls run on a C stack mapped at its first call; a
// closed module's stack waits in a pool for the next module's first call.
// Rounds of modules made, called and closed must reuse the stacks the
// first round mapped.
func TestFastCallStacksAreReused(t *testing.T) {
	if !weft.FastCalls {
		t.Skip("fast calls are off in this build")
	}
	r := newRuntime(t, nil)
	instantiateCalls(t, r)
	compiled, err := r.CompileModule(context.Background(), readTestdata(t, "calls.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	round := func() {
		mods := make([]api.Module, 16)
		for i := range mods {
			mod, err := r.InstantiateModule(context.Background(), compiled, weft.NewModuleConfig().WithName(""))
			if err != nil {
				t.Fatal(err)
			}
			if res, err := mod.ExportedFunction("add_i32").Call(context.Background(), uint64(i), 1); err != nil || res[0] != uint64(i+1) {
				t.Fatalf("add_i32(%d, 1) = %v, %v", i, res, err)
			}
			mods[i] = mod
		}
		for _, mod := range mods {
			mod.Close(context.Background())
		}
	}
	round()
	mapped := weft.FastCallStacks()
	for i := 0; i < 5; i++ {
		round()
	}
	if got := weft.FastCallStacks(); got != mapped {
		t.Errorf("%d fast-call stacks mapped after 5 more rounds, were %d after the first", got, mapped)
	}
}

// Go host functions run in place, on the calling goroutine, while the
// fast call's C run waits on its C stack (fastcall.go, hostCallInPlace).
// Here they do what Go code may do there: grow (and so move) the
// goroutine's stack, collect garbage, yield the thread, read the call's
// context, and call back into the module, nested deeper than the C stack
// has room for (the deepest calls go through cgo). Every result is exact.
func TestHostCallsInPlace(t *testing.T) {
	type ctxKey struct{}
	r := newRuntime(t, nil)
	ctx := context.WithValue(context.Background(), ctxKey{}, "the caller's")
	var adds int
	var badContexts int
	add := api.GoFunc(func(c context.Context, stack []uint64) {
		adds++
		if c.Value(ctxKey{}) != "the caller's" {
			badContexts++
		}
		switch adds % 64 {
		case 1:
			growStack(64) // about 64 KiB: the goroutine's stack moves
		case 2:
			runtime.GC()
		case 3:
			runtime.Gosched()
		case 4:
			time.Sleep(time.Microsecond)
		}
		stack[0] = api.EncodeI32(api.DecodeI32(stack[0]) + api.DecodeI32(stack[1]))
	})
	reenter := api.GoModuleFunc(func(c context.Context, m api.Module, stack []uint64) {
		depth := api.DecodeI32(stack[0])
		if depth%50 == 0 {
			growStack(16)
		}
		if depth == 0 {
			stack[0] = 0
			return
		}
		res, err := m.ExportedFunction("call_reenter").Call(c, uint64(depth-1))
		if err != nil {
			t.Errorf("depth %d: %v", depth, err)
			return
		}
		stack[0] = api.EncodeI32(api.DecodeI32(res[0]) + 1)
	})
	mod := instantiateHostcallsWith(t, r, add, reenter)
	done := make(chan struct{})
	go func() { // a fresh goroutine: a small stack, sure to grow
		defer close(done)
		for round := 0; round < 3; round++ {
			res, err := mod.ExportedFunction("call_add_n").Call(ctx, 1000)
			if err != nil || api.DecodeI32(res[0]) != 1000 {
				t.Errorf("call_add_n(1000) = %v, %v", res, err)
			}
		}
		const depth = 700
		res, err := mod.ExportedFunction("call_reenter").Call(ctx, depth)
		if err != nil || api.DecodeI32(res[0]) != depth {
			t.Errorf("call_reenter(%d) = %v, %v", depth, res, err)
		}
	}()
	<-done
	if adds != 3000 || badContexts != 0 {
		t.Errorf("%d host calls (want 3000), %d without the call's context", adds, badContexts)
	}
	if got := mustCall(t, mod, "call_add", 2, 3); got[0] != 5 {
		t.Errorf("call_add after = %d", got[0])
	}
}

// growStack uses about kib KiB of the goroutine's stack.
//
//go:noinline
func growStack(kib int) byte {
	var pad [1024]byte
	pad[kib%1024] = byte(kib)
	if kib <= 1 {
		return pad[0]
	}
	return growStack(kib-1) + pad[kib%1024]
}

// The execution tracer walks frame pointers from Go code; a host function
// run in place that blocks emits events from under the C run, whose frame
// chain must lead back through the call (cstack's hostTrampoline stands in
// for Call's frame). The trace must be written and the calls exact.
func TestHostCallsInPlaceUnderTrace(t *testing.T) {
	r := newRuntime(t, nil)
	add := api.GoFunc(func(ctx context.Context, stack []uint64) {
		if api.DecodeI32(stack[0])%10 == 0 {
			time.Sleep(10 * time.Microsecond) // blocks: trace events
		}
		stack[0] = api.EncodeI32(api.DecodeI32(stack[0]) + api.DecodeI32(stack[1]))
	})
	mod := instantiateHostcallsWith(t, r, add, nil)
	var out bytes.Buffer
	if err := trace.Start(&out); err != nil {
		t.Skipf("no trace: %v", err) // one is running already
	}
	res, err := mod.ExportedFunction("call_add_n").Call(context.Background(), 500)
	trace.Stop()
	if err != nil || api.DecodeI32(res[0]) != 500 {
		t.Fatalf("call_add_n(500) = %v, %v", res, err)
	}
	if out.Len() == 0 {
		t.Fatal("empty trace")
	}
}
