package weft_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

func TestCompileErrors(t *testing.T) {
	r := newRuntime(t, nil)
	tests := []struct {
		name   string
		binary []byte
		want   string
	}{
		{"empty", nil, "invalid module: unexpected end"},
		{"bad magic", []byte("\x00asn\x01\x00\x00\x00"), "magic header not detected"},
		{"invalid body", []byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\x6a\x0b"),
			"in function 0: type mismatch at offset 0x17"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.CompileModule(context.Background(), tc.binary)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestModuleNames(t *testing.T) {
	r := newRuntime(t, nil)
	ctx := context.Background()
	instantiateCalls(t, r) // anonymous
	calls := readTestdata(t, "calls.wasm")
	named, err := r.InstantiateWithConfig(ctx, calls, weft.NewModuleConfig().WithName("first"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Module("first") != named || named.Name() != "first" || named.String() != "Module[first]" {
		t.Errorf("Module(first) = %v", r.Module("first"))
	}
	_, err = r.InstantiateWithConfig(ctx, calls, weft.NewModuleConfig().WithName("first"))
	if err == nil || err.Error() != "module[first] has already been instantiated" {
		t.Errorf("duplicate name: %v", err)
	}
	// The name section's module name is the default.
	byDefault, err := r.Instantiate(ctx, calls)
	if err != nil || byDefault.Name() != "calls" {
		t.Fatalf("default name %q, %v", byDefault.Name(), err)
	}
	// Closing frees the name.
	_ = named.Close(ctx)
	if r.Module("first") != nil {
		t.Error("a closed module is still in the namespace")
	}
	if _, err := r.InstantiateWithConfig(ctx, calls, weft.NewModuleConfig().WithName("first")); err != nil {
		t.Errorf("reusing a freed name: %v", err)
	}
}

func TestCompiledModuleDefinitions(t *testing.T) {
	r := weft.NewRuntimeWithConfig(context.Background(), weft.NewRuntimeConfig().WithCustomSections(true))
	defer r.Close(context.Background())
	compiled, err := r.CompileModule(context.Background(), readTestdata(t, "calls.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if compiled.Name() != "calls" {
		t.Errorf("Name() = %q", compiled.Name())
	}
	imports := compiled.ImportedFunctions()
	if len(imports) != 1 {
		t.Fatalf("%d imports", len(imports))
	}
	if mod, name, ok := imports[0].Import(); !ok || mod != "env" || name != "log" || imports[0].Index() != 0 {
		t.Errorf("import %s.%s %v", mod, name, ok)
	}
	swap := compiled.ExportedFunctions()["swap"]
	if swap == nil || swap.Index() != 5 || len(swap.ResultTypes()) != 2 || swap.ResultTypes()[0] != api.ValueTypeI64 {
		t.Errorf("swap: %+v", swap)
	}
	if got := swap.ExportNames(); len(got) != 1 || got[0] != "swap" {
		t.Errorf("ExportNames() = %v", got)
	}
	mem := compiled.ExportedMemories()["memory"]
	if max, ok := mem.Max(); mem.Min() != 1 || !ok || max != 4 {
		t.Errorf("memory limits %d..%d", mem.Min(), max)
	}
	sections := compiled.CustomSections()
	if len(sections) != 1 || sections[0].Name() != "name" || len(sections[0].Data()) == 0 {
		t.Errorf("custom sections %v", sections)
	}
	if err := compiled.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := r.InstantiateModule(context.Background(), compiled, weft.NewModuleConfig()); err == nil {
		t.Error("instantiated a closed compiled module")
	}
}

// Runtime.Close closes every module; later calls fail cleanly.
func TestRuntimeClose(t *testing.T) {
	ctx := context.Background()
	r := weft.NewRuntime(ctx)
	mod, _ := instantiateCalls(t, r)
	add := mod.ExportedFunction("add_i32")
	if err := r.CloseWithExitCode(ctx, 2); err != nil {
		t.Fatal(err)
	}
	if !mod.IsClosed() {
		t.Error("module open after runtime close")
	}
	if _, err := add.Call(ctx, 1, 2); err == nil {
		t.Error("call after runtime close succeeded")
	}
	if _, err := r.CompileModule(ctx, readTestdata(t, "calls.wasm")); err == nil {
		t.Error("compile after runtime close succeeded")
	}
	if err := r.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestStartFunctions(t *testing.T) {
	r := newRuntime(t, nil)
	ctx := context.Background()
	instantiateCalls(t, r) // provides env
	// A start function that traps fails the instantiation.
	_, err := r.InstantiateWithConfig(ctx, readTestdata(t, "calls.wasm"),
		weft.NewModuleConfig().WithName("").WithStartFunctions("say_hello", "missing_is_skipped", "trap"))
	var te *weft.TrapError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "function[trap] failed") {
		t.Errorf("error %v", err)
	}
}
