package weft_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// readTestdata reads testdata/name (built from its .wat by testdata/build.sh).
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newRuntime returns a runtime closed when the test ends.
func newRuntime(t testing.TB, cfg weft.RuntimeConfig) weft.Runtime {
	t.Helper()
	ctx := context.Background()
	if cfg == nil {
		cfg = weft.NewRuntimeConfig()
	}
	r := weft.NewRuntimeWithConfig(ctx, cfg)
	t.Cleanup(func() { _ = r.Close(ctx) })
	return r
}

// logSink collects what calls.wasm's env.log prints.
type logSink struct{ lines []string }

// instantiateCalls instantiates testdata/calls.wasm with its env.log import.
func instantiateCalls(t testing.TB, r weft.Runtime) (api.Module, *logSink) {
	t.Helper()
	ctx := context.Background()
	sink := &logSink{}
	if r.Module("env") == nil {
		_, err := r.NewHostModuleBuilder("env").
			NewFunctionBuilder().
			WithFunc(func(ctx context.Context, m api.Module, ptr, n uint32) {
				b, ok := m.Memory().Read(ptr, n)
				if !ok {
					panic("log: out of range")
				}
				sink.lines = append(sink.lines, string(b))
			}).
			Export("log").
			Instantiate(ctx)
		if err != nil {
			t.Fatal(err)
		}
	}
	mod, err := r.InstantiateWithConfig(ctx, readTestdata(t, "calls.wasm"), weft.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	return mod, sink
}

func mustCall(t testing.TB, mod api.Module, name string, params ...uint64) []uint64 {
	t.Helper()
	f := mod.ExportedFunction(name)
	if f == nil {
		t.Fatalf("no export %q", name)
	}
	res, err := f.Call(context.Background(), params...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}
