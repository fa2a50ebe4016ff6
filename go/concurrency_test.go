package weft_test

import (
	"context"
	"sync"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// One compiled module, many goroutines each instantiating and calling their
// own instance, with a Go host function in the loop (run with -race).
func TestManyGoroutinesShareACompiledModule(t *testing.T) {
	r := newRuntime(t, nil)
	ctx := context.Background()
	instantiateGoHost(t, r) // registers the "go" host module
	compiled, err := r.CompileModule(ctx, readTestdata(t, "hostcalls.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, rounds = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				mod, err := r.InstantiateModule(ctx, compiled, weft.NewModuleConfig().WithName(""))
				if err != nil {
					errs <- err
					return
				}
				res, err := mod.ExportedFunction("call_add").Call(ctx, uint64(g), uint64(i))
				if err != nil || res[0] != uint64(g+i) {
					errs <- err
					return
				}
				res, err = mod.ExportedFunction("call_add_n").Call(ctx, 100)
				if err != nil || api.DecodeI32(res[0]) != 100 {
					errs <- err
					return
				}
				_ = mod.Close(ctx)
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
