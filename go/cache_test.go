package weft_test

import (
	"context"
	"testing"

	weft "github.com/weftwasm/weft/go"
)

// Two runtimes with one cache share compiled modules and still run
// independently; closing one leaves the other working.
func TestCompilationCacheShared(t *testing.T) {
	ctx := context.Background()
	cache := weft.NewCompilationCache()
	defer cache.Close(ctx)
	cfg := weft.NewRuntimeConfig().WithCompilationCache(cache)
	r1 := weft.NewRuntimeWithConfig(ctx, cfg)
	r2 := weft.NewRuntimeWithConfig(ctx, cfg)
	defer r2.Close(ctx)

	m1, _ := instantiateCalls(t, r1)
	m2, _ := instantiateCalls(t, r2)
	if got := mustCall(t, m1, "add_i32", 1, 2); got[0] != 3 {
		t.Errorf("r1: %d", got[0])
	}
	_ = r1.Close(ctx)
	if got := mustCall(t, m2, "add_i32", 2, 2); got[0] != 4 {
		t.Errorf("r2 after r1 closed: %d", got[0])
	}
	// A third runtime compiles from the cache.
	r3 := weft.NewRuntimeWithConfig(ctx, cfg)
	defer r3.Close(ctx)
	m3, _ := instantiateCalls(t, r3)
	if got := mustCall(t, m3, "mul_f64", 0x4000000000000000, 0x4000000000000000); got[0] != 0x4010000000000000 {
		t.Errorf("r3: %#x", got[0])
	}
}
