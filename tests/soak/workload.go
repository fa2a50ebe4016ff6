package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
	wasip1 "github.com/weftwasm/weft/go/imports/wasip1"
	"github.com/weftwasm/weft/go/sys"
)

// The guests (guests/*.wat, built by build.sh).
var (
	//go:embed guests/compute.wasm
	computeWasm []byte
	//go:embed guests/traps.wasm
	trapsWasm []byte
	//go:embed guests/exit.wasm
	exitWasm []byte
	//go:embed guests/host.wasm
	hostWasm []byte
	//go:embed guests/bigmem.wasm
	bigmemWasm []byte
)

const (
	// computeMaxWords is the most words compute.wat's run may fill: its
	// second page.
	computeMaxWords = 65536 / 4
	// stopAfter is how long an infinite loop runs before its context stops
	// it: long enough to be inside the loop, short enough to keep calls/s up.
	stopAfter = time.Millisecond
	// limitPages is the memory limit of the runtime that refuses bigmem.wasm
	// (which asks for 17 pages).
	limitPages = 16
	// fuelSpare is fuel beyond a guest's loop iterations: its calls and
	// anything the engine counts besides.
	fuelSpare = 1000
)

// plugins is what the workers share: one runtime, as a service would hold
// it, with the guests compiled once, the "env" host module and WASI; one
// that meters fuel; and one without host modules, whose instantiations fail.
type plugins struct {
	r                          weft.Runtime
	compute, traps, exit, host weft.CompiledModule
	fuel                       weft.Runtime
	fuelCompute, fuelTraps     weft.CompiledModule
	bare                       weft.Runtime
	bareHost, bareBig          weft.CompiledModule

	hostAdds atomic.Int64 // env.add calls seen by Go
}

// newPlugins sets up the shared runtimes.
func newPlugins(ctx context.Context) (*plugins, error) {
	p := &plugins{}
	var err error
	p.r, err = newServiceRuntime(ctx, &p.hostAdds)
	if err != nil {
		return nil, err
	}
	for _, c := range []struct {
		dst  *weft.CompiledModule
		wasm []byte
	}{{&p.compute, computeWasm}, {&p.traps, trapsWasm}, {&p.exit, exitWasm}, {&p.host, hostWasm}} {
		if *c.dst, err = p.r.CompileModule(ctx, c.wasm); err != nil {
			p.close(ctx)
			return nil, fmt.Errorf("compile: %w", err)
		}
	}
	p.fuel = weft.NewRuntimeWithConfig(ctx, weft.NewRuntimeConfig().WithFuel(true))
	p.bare = weft.NewRuntimeWithConfig(ctx, weft.NewRuntimeConfig().WithMemoryLimitPages(limitPages))
	for _, c := range []struct {
		r    weft.Runtime
		dst  *weft.CompiledModule
		wasm []byte
	}{{p.fuel, &p.fuelCompute, computeWasm}, {p.fuel, &p.fuelTraps, trapsWasm},
		{p.bare, &p.bareHost, hostWasm}, {p.bare, &p.bareBig, bigmemWasm}} {
		if *c.dst, err = c.r.CompileModule(ctx, c.wasm); err != nil {
			p.close(ctx)
			return nil, fmt.Errorf("compile: %w", err)
		}
	}
	return p, nil
}

// newServiceRuntime is a runtime whose calls stop at their context's
// deadline, with WASI and the "env" host functions of host.wat.
func newServiceRuntime(ctx context.Context, adds *atomic.Int64) (weft.Runtime, error) {
	r := weft.NewRuntimeWithConfig(ctx, weft.NewRuntimeConfig().WithCloseOnContextDone(true))
	if _, err := wasip1.Instantiate(ctx, r); err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("wasip1: %w", err)
	}
	env := r.NewHostModuleBuilder("env")
	i32 := api.ValueTypeI32
	env.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(hostAdd(adds)),
		[]api.ValueType{i32, i32}, []api.ValueType{i32}).Export("add")
	env.NewFunctionBuilder().WithFunc(hostBoom).Export("boom")
	env.NewFunctionBuilder().WithFunc(hostSum).Export("sum")
	env.NewFunctionBuilder().WithFunc(hostReenter).Export("reenter")
	_, err := env.Instantiate(ctx)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("env: %w", err)
	}
	return r, nil
}

// hostAdd is env.add: a + b, counted in adds.
func hostAdd(adds *atomic.Int64) func(context.Context, api.Module, []uint64) {
	return func(_ context.Context, _ api.Module, stack []uint64) {
		adds.Add(1)
		stack[0] = uint64(uint32(stack[0]) + uint32(stack[1]))
	}
}

// hostBoom is env.boom: it panics with an error.
func hostBoom(_ context.Context, x uint32) { panic(boomError{x}) }

// hostSum is env.sum: the sum of n bytes of the caller's memory at ptr.
func hostSum(_ context.Context, m api.Module, ptr, n uint32) uint32 {
	b, ok := m.Memory().Read(ptr, n)
	if !ok {
		panic("sum: out of range")
	}
	var s uint32
	for _, c := range b {
		s += uint32(c)
	}
	return s
}

// hostReenter is env.reenter: it calls the caller's twice_plus_one(x).
func hostReenter(ctx context.Context, m api.Module, x uint32) uint32 {
	res, err := m.ExportedFunction("twice_plus_one").Call(ctx, uint64(x))
	if err != nil {
		panic(err)
	}
	return uint32(res[0])
}

// close closes the runtimes and with them every module and compiled module.
func (p *plugins) close(ctx context.Context) {
	for _, r := range []weft.Runtime{p.r, p.fuel, p.bare} {
		if r != nil {
			r.Close(ctx)
		}
	}
}

// boomError is what env.boom panics with; the trap error must carry it.
type boomError struct{ x uint32 }

func (e boomError) Error() string { return fmt.Sprintf("boom %d", e.x) }

// An outcome is one kind of call: run instantiates a guest, calls it and
// returns nil when the call ended as it must (a checked result, or the
// expected error), or an error saying what happened instead.
type outcome struct {
	name   string
	weight int
	run    func(ctx context.Context, p *plugins, rng *rand.Rand) error
}

// anonymous lets many instances of one guest live in a runtime at once.
var anonymous = weft.NewModuleConfig().WithName("").WithStartFunctions()

// withInstance instantiates cm, passes the module to use, and closes it.
func withInstance(ctx context.Context, r weft.Runtime, cm weft.CompiledModule,
	use func(api.Module) error) error {
	m, err := r.InstantiateModule(ctx, cm, anonymous)
	if err != nil {
		return fmt.Errorf("instantiate: %w", err)
	}
	defer m.Close(ctx)
	return use(m)
}

// call calls export fn of m with params.
func call(ctx context.Context, m api.Module, fn string, params ...uint64) ([]uint64, error) {
	f := m.ExportedFunction(fn)
	if f == nil {
		return nil, fmt.Errorf("no export %q", fn)
	}
	return f.Call(ctx, params...)
}

// expectResult checks a call that must return want.
func expectResult(res []uint64, err error, want uint32) error {
	if err != nil {
		return fmt.Errorf("want %d, got error: %w", want, err)
	}
	if len(res) != 1 || uint32(res[0]) != want {
		return fmt.Errorf("want %d, got %v", want, res)
	}
	return nil
}

// expectTrap checks a call that must trap with message.
func expectTrap(err error, message string) error {
	var te *weft.TrapError
	if !errors.As(err, &te) {
		return fmt.Errorf("want trap %q, got %v", message, err)
	}
	if te.Message != message {
		return fmt.Errorf("want trap %q, got trap %q", message, te.Message)
	}
	return nil
}

// expectExit checks a call that must end with exit code.
func expectExit(err error, code uint32) error {
	var exit *sys.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != code {
		return fmt.Errorf("want exit code %#x, got %v", code, err)
	}
	return nil
}

// computeChecksum is compute.wat's run(n, seed), in Go.
func computeChecksum(n, seed uint32) uint32 {
	x, sum := seed, uint32(0)
	words := make([]uint32, n)
	for i := range words {
		x = x*1103515245 + 12345
		words[i] = x
	}
	for _, w := range words {
		sum = sum*31 + w>>7
	}
	return sum
}

// outcomes is the mix of calls, each chosen with probability weight/total.
var outcomes = []outcome{
	{"ok-compute", 8, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.compute, func(m api.Module) error {
			n, seed := 1+rng.Uint32N(computeMaxWords), rng.Uint32()
			res, err := call(ctx, m, "run", uint64(n), uint64(seed))
			return expectResult(res, err, computeChecksum(n, seed))
		})
	}},
	{"ok-host-add", 3, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.host, func(m api.Module) error {
			n := 1 + rng.Uint32N(200)
			before := p.hostAdds.Load()
			res, err := call(ctx, m, "add_n", uint64(n))
			if err := expectResult(res, err, n); err != nil {
				return err
			}
			// Other workers add too: at least n calls happened meanwhile.
			if seen := p.hostAdds.Load() - before; seen < int64(n) {
				return fmt.Errorf("add_n(%d): Go saw %d host calls", n, seen)
			}
			return nil
		})
	}},
	{"ok-host-memory", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.host, func(m api.Module) error {
			n := 1 + rng.Uint32N(65536)
			var want uint32
			for i := uint32(0); i < n; i++ {
				want += i & 0xff
			}
			res, err := call(ctx, m, "fill_sum", uint64(n))
			return expectResult(res, err, want)
		})
	}},
	{"ok-host-reenter", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.host, func(m api.Module) error {
			x := rng.Uint32N(1 << 30)
			res, err := call(ctx, m, "reenter", uint64(x))
			return expectResult(res, err, 2*x+1)
		})
	}},
	{"host-panic", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.host, func(m api.Module) error {
			x := rng.Uint32()
			_, err := call(ctx, m, "boom", uint64(x))
			var boom boomError
			if !errors.As(err, &boom) || boom.x != x {
				return fmt.Errorf("want a trap caused by boom %d, got %v", x, err)
			}
			return expectTrap(err, boom.Error())
		})
	}},
	{"trap-unreachable", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.traps, func(m api.Module) error {
			_, err := call(ctx, m, "unreachable")
			return expectTrap(err, "unreachable")
		})
	}},
	{"trap-oob", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.traps, func(m api.Module) error {
			addr := 65533 + rng.Uint32N(8) // the last 3 in-bounds bytes and beyond
			if rng.IntN(4) == 0 {
				addr = 0xffffffff - rng.Uint32N(4)
			}
			_, err := call(ctx, m, "oob", uint64(addr))
			return expectTrap(err, "out of bounds memory access")
		})
	}},
	{"trap-divzero", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.traps, func(m api.Module) error {
			_, err := call(ctx, m, "divzero", uint64(rng.Uint32()), 0)
			return expectTrap(err, "integer divide by zero")
		})
	}},
	{"trap-stack", 1, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.traps, func(m api.Module) error {
			_, err := call(ctx, m, "recurse", 0)
			if !errors.Is(err, weft.ErrCallStackExhausted) {
				return fmt.Errorf("want an error that is ErrCallStackExhausted, got %v", err)
			}
			return expectTrap(err, "call stack exhausted")
		})
	}},
	{"exit", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.exit, func(m api.Module) error {
			code := rng.Uint32N(256)
			_, err := call(ctx, m, "run", uint64(code))
			if err := expectExit(err, code); err != nil {
				return err
			}
			if !m.IsClosed() {
				return errors.New("module still open after proc_exit")
			}
			return nil
		})
	}},
	{"deadline", 1, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.traps, func(m api.Module) error {
			cctx, cancel := context.WithTimeout(ctx, stopAfter)
			defer cancel()
			_, err := call(cctx, m, "spin", 0)
			if err := expectExit(err, sys.ExitCodeDeadlineExceeded); err != nil {
				return err
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				return fmt.Errorf("want an error that is context.DeadlineExceeded, got %v", err)
			}
			return nil
		})
	}},
	{"cancel", 1, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.r, p.traps, func(m api.Module) error {
			cctx, cancel := context.WithCancel(ctx)
			t := time.AfterFunc(stopAfter, cancel)
			defer t.Stop()
			_, err := call(cctx, m, "spin", 0)
			if err := expectExit(err, sys.ExitCodeContextCanceled); err != nil {
				return err
			}
			if !errors.Is(err, context.Canceled) {
				return fmt.Errorf("want an error that is context.Canceled, got %v", err)
			}
			return nil
		})
	}},
	{"ok-fuel", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.fuel, p.fuelCompute, func(m api.Module) error {
			// Enough fuel: one unit per call and per loop iteration.
			n, seed := 1+rng.Uint32N(computeMaxWords), rng.Uint32()
			res, err := call(weft.WithFuelBudget(ctx, 2*uint64(n)+fuelSpare), m, "run", uint64(n), uint64(seed))
			return expectResult(res, err, computeChecksum(n, seed))
		})
	}},
	{"fuel-exhausted", 2, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		return withInstance(ctx, p.fuel, p.fuelTraps, func(m api.Module) error {
			budget := 1 + rng.Uint64N(100000)
			_, err := call(weft.WithFuelBudget(ctx, budget), m, "spin", 0)
			if !errors.Is(err, weft.ErrOutOfFuel) {
				return fmt.Errorf("want an error that is ErrOutOfFuel, got %v", err)
			}
			if err := expectTrap(err, "all fuel consumed"); err != nil {
				return err
			}
			// The module stays usable.
			res, err := call(weft.WithFuelBudget(ctx, fuelSpare), m, "divzero", 84, 2)
			return expectResult(res, err, 42)
		})
	}},
	{"link-error", 1, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		m, err := p.bare.InstantiateModule(ctx, p.bareHost, anonymous)
		if err == nil {
			m.Close(ctx)
			return errors.New("instantiated a guest whose imports are missing")
		}
		if !strings.Contains(err.Error(), "env") {
			return fmt.Errorf("want an error naming the missing module env, got %v", err)
		}
		return nil
	}},
	{"limit-error", 1, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		m, err := p.bare.InstantiateModule(ctx, p.bareBig, anonymous)
		if err == nil {
			m.Close(ctx)
			return errors.New("instantiated a guest over the memory limit")
		}
		if !strings.Contains(err.Error(), "limit") {
			return fmt.Errorf("want an error about the memory limit, got %v", err)
		}
		return nil
	}},
	{"fresh-runtime", 1, func(ctx context.Context, p *plugins, rng *rand.Rand) error {
		// A runtime of its own: compile, instantiate, call, close it all.
		var adds atomic.Int64
		r, err := newServiceRuntime(ctx, &adds)
		if err != nil {
			return err
		}
		defer r.Close(ctx)
		cm, err := r.CompileModule(ctx, hostWasm)
		if err != nil {
			return fmt.Errorf("compile: %w", err)
		}
		defer cm.Close(ctx)
		return withInstance(ctx, r, cm, func(m api.Module) error {
			n := 1 + rng.Uint32N(50)
			res, err := call(ctx, m, "add_n", uint64(n))
			if err := expectResult(res, err, n); err != nil {
				return err
			}
			if adds.Load() != int64(n) {
				return fmt.Errorf("add_n(%d): Go saw %d host calls", n, adds.Load())
			}
			return nil
		})
	}},
}
