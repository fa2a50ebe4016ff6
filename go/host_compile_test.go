package weft_test

import (
	"context"
	"testing"

	weft "github.com/weftwasm/weft/go"
)

// A host module compiled once and instantiated under another name.
func TestHostModuleCompileAndInstantiateModule(t *testing.T) {
	r := newRuntime(t, nil)
	ctx := context.Background()
	compiled, err := r.NewHostModuleBuilder("ignored").NewFunctionBuilder().
		WithFunc(func(ptr, n uint32) {}).Export("log").Compile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := compiled.ExportedFunctions()["log"]; got == nil || len(got.ParamTypes()) != 2 {
		t.Fatalf("host compiled module exports %v", compiled.ExportedFunctions())
	}
	if _, err := r.InstantiateModule(ctx, compiled, weft.NewModuleConfig().WithName("env")); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Instantiate(ctx, readTestdata(t, "calls.wasm")); err != nil {
		t.Errorf("a guest importing env.log: %v", err)
	}
}
