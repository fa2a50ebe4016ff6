package weft_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// minusOne is an i32 -1 as Function.Call returns it.
const minusOne = uint64(0xFFFFFFFF)

// instantiateLimits instantiates testdata/limits.wasm (anonymous, so that
// a test may make several).
func instantiateLimits(t *testing.T, r weft.Runtime) api.Module {
	t.Helper()
	mod, err := r.InstantiateWithConfig(context.Background(), readTestdata(t, "limits.wasm"),
		weft.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	return mod
}

// callFirst calls name with ctx and returns its first result.
func callFirst(ctx context.Context, mod api.Module, name string, params ...uint64) (uint64, error) {
	res, err := mod.ExportedFunction(name).Call(ctx, params...)
	if err != nil || len(res) == 0 {
		return 0, err
	}
	return res[0], nil
}

func TestFuelBudget(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithFuel(true))
	mod := instantiateLimits(t, r)
	bg := context.Background()

	// What count(100) costs...
	const plenty = 1_000_000
	if got, err := callFirst(weft.WithFuelBudget(bg, plenty), mod, "count", 100); err != nil || got != 100 {
		t.Fatalf("count(100) = %d, %v", got, err)
	}
	left, ok := weft.RemainingFuel(mod)
	if !ok || left >= plenty {
		t.Fatalf("RemainingFuel = %d, %v", left, ok)
	}
	cost := plenty - left
	// ...is enough exactly,
	if _, err := callFirst(weft.WithFuelBudget(bg, cost), mod, "count", 100); err != nil {
		t.Fatalf("count(100) with its cost %d: %v", cost, err)
	}
	if left, _ := weft.RemainingFuel(mod); left != 0 {
		t.Errorf("%d fuel left, want 0", left)
	}
	// and one unit less runs out.
	_, err := callFirst(weft.WithFuelBudget(bg, cost-1), mod, "count", 100)
	var te *weft.TrapError
	if !errors.Is(err, weft.ErrOutOfFuel) || !errors.As(err, &te) || te.Message != "all fuel consumed" {
		t.Fatalf("count(100) with %d fuel: %v, want ErrOutOfFuel", cost-1, err)
	}
	// An endless loop ends; the module stays usable.
	if _, err := callFirst(weft.WithFuelBudget(bg, plenty), mod, "spin"); !errors.Is(err, weft.ErrOutOfFuel) {
		t.Fatalf("spin: %v, want ErrOutOfFuel", err)
	}
	if mod.IsClosed() {
		t.Fatal("module closed by running out of fuel")
	}
	// Without a budget, calls are not limited.
	if got, err := callFirst(bg, mod, "count", 1000); err != nil || got != 1000 {
		t.Errorf("count(1000) without a budget = %d, %v", got, err)
	}
}

func TestFuelOffByDefault(t *testing.T) {
	r := newRuntime(t, nil)
	mod := instantiateLimits(t, r)
	// A budget is ignored without WithFuel(true).
	if got, err := callFirst(weft.WithFuelBudget(context.Background(), 1), mod, "count", 100); err != nil || got != 100 {
		t.Errorf("count(100) = %d, %v", got, err)
	}
	if _, ok := weft.RemainingFuel(mod); ok {
		t.Error("RemainingFuel reports fuel without WithFuel")
	}
}

// The start section runs on the budget of InstantiateModule's context.
func TestFuelStartFunction(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithFuel(true))
	bin := readTestdata(t, "limits_start.wasm")
	cfg := weft.NewModuleConfig().WithName("")
	bg := context.Background()
	if _, err := r.InstantiateWithConfig(weft.WithFuelBudget(bg, 5), bin, cfg); !errors.Is(err, weft.ErrOutOfFuel) {
		t.Fatalf("instantiate with 5 fuel: %v, want ErrOutOfFuel", err)
	}
	for _, ctx := range []context.Context{weft.WithFuelBudget(bg, 1000), bg} {
		mod, err := r.InstantiateWithConfig(ctx, bin, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if g := mod.ExportedGlobal("g").Get(); g != 10 {
			t.Errorf("start ran to %d, want 10", g)
		}
	}
}

func TestMaxCallDepth(t *testing.T) {
	const depth = 50
	r := newRuntime(t, weft.NewRuntimeConfig().WithMaxCallDepth(depth))
	mod := instantiateLimits(t, r)
	bg := context.Background()
	// depth(n) is n + 1 frames.
	if got, err := callFirst(bg, mod, "depth", depth-1); err != nil || got != depth-1 {
		t.Fatalf("depth(%d) = %d, %v", depth-1, got, err)
	}
	_, err := callFirst(bg, mod, "depth", depth)
	var te *weft.TrapError
	if !errors.Is(err, weft.ErrCallStackExhausted) || !errors.As(err, &te) ||
		!strings.HasPrefix(err.Error(), "wasm error: call stack exhausted") {
		t.Fatalf("depth(%d): %v, want call stack exhausted", depth, err)
	}
	if got, err := callFirst(bg, mod, "depth", 3); err != nil || got != 3 {
		t.Errorf("after the trap, depth(3) = %d, %v", got, err)
	}
}

func TestValueStackSize(t *testing.T) {
	small := newRuntime(t, weft.NewRuntimeConfig().WithValueStackSize(1024).WithMaxCallDepth(1<<20))
	large := newRuntime(t, weft.NewRuntimeConfig().WithValueStackSize(1<<20).WithMaxCallDepth(1<<20))
	bg := context.Background()
	const n = 10_000 // frames of depth() take at least one slot each
	if _, err := callFirst(bg, instantiateLimits(t, small), "depth", n); !errors.Is(err, weft.ErrCallStackExhausted) {
		t.Errorf("depth(%d) on 1024 slots: %v, want ErrCallStackExhausted", n, err)
	}
	if got, err := callFirst(bg, instantiateLimits(t, large), "depth", n); err != nil || got != n {
		t.Errorf("depth(%d) on 1 Mi slots = %d, %v", n, got, err)
	}
}

func TestMaxTableElements(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithMaxTableElements(10))
	mod := instantiateLimits(t, r) // a table of 1
	bg := context.Background()
	if got, err := callFirst(bg, mod, "table_grow", 9); err != nil || got != 1 {
		t.Fatalf("table_grow(9) = %d, %v", got, err)
	}
	if got, err := callFirst(bg, mod, "table_grow", 1); err != nil || got != minusOne {
		t.Errorf("table_grow(1) at the limit = %d, %v, want -1", got, err)
	}
	if got, _ := callFirst(bg, mod, "table_size"); got != 10 {
		t.Errorf("table_size = %d", got)
	}
	// A table whose minimum is over the limit: (module (table 11 funcref)).
	bin := []byte{0, 'a', 's', 'm', 1, 0, 0, 0, 4, 4, 1, 0x70, 0, 11}
	if _, err := r.Instantiate(bg, bin); err == nil || !strings.Contains(err.Error(), "11 elements exceed the limit of 10") {
		t.Errorf("table of 11: %v", err)
	}
}

func TestTotalTableElements(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithTotalTableElements(3))
	bg := context.Background()
	a, b := instantiateLimits(t, r), instantiateLimits(t, r) // a table of 1 each
	if got, err := callFirst(bg, a, "table_grow", 1); err != nil || got != 1 {
		t.Fatalf("table_grow(1) to the total = %d, %v", got, err)
	}
	if got, err := callFirst(bg, b, "table_grow", 1); err != nil || got != minusOne {
		t.Errorf("table_grow(1) past the total = %d, %v, want -1", got, err)
	}
	_, err := r.InstantiateWithConfig(bg, readTestdata(t, "limits.wasm"), weft.NewModuleConfig().WithName(""))
	if err == nil || !strings.Contains(err.Error(), "exceed the engine's total table limit: 3 of 3 elements in use") {
		t.Fatalf("third module: %v", err)
	}
	if err := a.Close(bg); err != nil {
		t.Fatal(err)
	}
	if got, err := callFirst(bg, b, "table_grow", 1); err != nil || got != 1 {
		t.Errorf("table_grow(1) after a close = %d, %v, want 1", got, err)
	}
}

func TestMemoryLimitPagesEdge(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithMemoryLimitPages(4))
	mod := instantiateLimits(t, r) // a memory of 1 page, no maximum
	bg := context.Background()
	if got, err := callFirst(bg, mod, "grow", 3); err != nil || got != 1 {
		t.Fatalf("grow(3) = %d, %v", got, err)
	}
	if got, err := callFirst(bg, mod, "grow", 1); err != nil || got != minusOne {
		t.Errorf("grow(1) at the limit = %d, %v, want -1", got, err)
	}
	if _, ok := mod.Memory().Grow(1); ok {
		t.Error("Memory.Grow past the limit succeeded")
	}
}

func TestTotalMemoryLimitPages(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithTotalMemoryLimitPages(3))
	bg := context.Background()
	a, b, c := instantiateLimits(t, r), instantiateLimits(t, r), instantiateLimits(t, r)
	// A fourth page does not fit: not for a new module, not for a grow.
	_, err := r.InstantiateWithConfig(bg, readTestdata(t, "limits.wasm"), weft.NewModuleConfig().WithName(""))
	if err == nil || !strings.Contains(err.Error(), "exceeds the engine's total memory limit: 3 of 3 pages in use") {
		t.Fatalf("fourth module: %v", err)
	}
	if got, err := callFirst(bg, a, "grow", 1); err != nil || got != minusOne {
		t.Errorf("grow(1) at the total = %d, %v, want -1", got, err)
	}
	if _, ok := b.Memory().Grow(1); ok {
		t.Error("Memory.Grow past the total succeeded")
	}
	// Closing a module gives its page back.
	if err := c.Close(bg); err != nil {
		t.Fatal(err)
	}
	if got, err := callFirst(bg, a, "grow", 1); err != nil || got != 1 {
		t.Errorf("grow(1) after a close = %d, %v, want 1", got, err)
	}
}

// Runtimes sharing a compilation cache but not their limits get engines of
// their own.
func TestLimitsWithCompilationCache(t *testing.T) {
	cache := weft.NewCompilationCache()
	defer cache.Close(context.Background())
	limited := newRuntime(t, weft.NewRuntimeConfig().WithCompilationCache(cache).WithMaxCallDepth(10))
	open := newRuntime(t, weft.NewRuntimeConfig().WithCompilationCache(cache))
	bg := context.Background()
	if _, err := callFirst(bg, instantiateLimits(t, limited), "depth", 20); !errors.Is(err, weft.ErrCallStackExhausted) {
		t.Errorf("limited runtime: %v, want ErrCallStackExhausted", err)
	}
	if got, err := callFirst(bg, instantiateLimits(t, open), "depth", 20); err != nil || got != 20 {
		t.Errorf("unlimited runtime: %d, %v", got, err)
	}
}

// With pooling on (the default), a closed module's memory goes to the next
// module of the same memory size: the same base, zeroed, not the closed
// module's bytes. Off, modules instantiate, run and close as well (their
// mappings are unmapped on close: not observable from here, see the C
// engine's test_pool).
func TestPooling(t *testing.T) {
	ctx := context.Background()
	for _, pooling := range []bool{true, false} {
		r := newRuntime(t, weft.NewRuntimeConfig().WithPooling(pooling))
		instantiateCalls(t, r) // the env module calls.wasm imports
		compiled, err := r.CompileModule(ctx, readTestdata(t, "calls.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		var lastBase *byte
		for i := 0; i < 3; i++ {
			mod, err := r.InstantiateModule(ctx, compiled, weft.NewModuleConfig().WithName(""))
			if err != nil {
				t.Fatalf("pooling %v: %v", pooling, err)
			}
			view, ok := mod.Memory().Read(0, 16)
			if !ok || view[8] != 0 {
				t.Fatalf("pooling %v: memory starts %v, %v; want zero at 8", pooling, view, ok)
			}
			if pooling && lastBase != nil && &view[0] != lastBase {
				t.Errorf("pooling on: module %d's memory is new, not the closed module's", i)
			}
			lastBase = &view[0]
			mod.Memory().WriteByte(8, 0xff) // the next module must not see it
			mod.Close(ctx)
		}
	}
}
