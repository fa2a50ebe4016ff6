package weft_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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

// A cache with a directory keeps compiled code across processes: a new
// cache over the same directory (as a new process would make) loads it
// instead of compiling, and a damaged entry is recompiled, not trusted.
func TestCompilationCacheWithDir(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	run := func() {
		cache, err := weft.NewCompilationCacheWithDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer cache.Close(ctx)
		r := weft.NewRuntimeWithConfig(ctx, weft.NewRuntimeConfig().WithCompilationCache(cache))
		defer r.Close(ctx)
		mod, _ := instantiateCalls(t, r)
		if got := mustCall(t, mod, "add_i32", 40, 2); got[0] != 42 {
			t.Errorf("add_i32 = %d", got[0])
		}
		if _, err := mod.ExportedFunction("div_s").Call(ctx, 1, 0); err == nil ||
			!strings.HasPrefix(err.Error(), "wasm error: integer divide by zero") {
			t.Errorf("trap from cached code: %v", err)
		}
	}
	run()
	entries, _ := filepath.Glob(filepath.Join(dir, "*.weftcode"))
	if len(entries) != 1 {
		t.Fatalf("%d cache entries, want 1", len(entries))
	}
	before, _ := os.Stat(entries[0])
	run() // from the file
	after, _ := os.Stat(entries[0])
	if !os.SameFile(before, after) { // a rewrite renames a new file into place
		t.Error("the entry was rewritten: it was not used")
	}
	// Damage the entry: the next run recompiles and rewrites it.
	if err := os.WriteFile(entries[0], []byte("WEFTCODE garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	run()
	if b, _ := os.ReadFile(entries[0]); len(b) < 100 {
		t.Error("a damaged entry was not replaced")
	}
}
