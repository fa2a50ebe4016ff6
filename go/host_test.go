package weft_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

var errHost = errors.New("host says no")

// instantiateGoHost builds the "go" module that testdata/hostcalls.wasm
// imports, one function of each builder kind, and instantiates the guest.
func instantiateGoHost(t testing.TB, r weft.Runtime) api.Module {
	t.Helper()
	ctx := context.Background()
	i32 := api.ValueTypeI32
	_, err := r.NewHostModuleBuilder("go").
		NewFunctionBuilder().
		WithGoFunction(api.GoFunc(func(ctx context.Context, stack []uint64) {
			stack[0] = api.EncodeI32(api.DecodeI32(stack[0]) + api.DecodeI32(stack[1]))
		}), []api.ValueType{i32, i32}, []api.ValueType{i32}).
		WithParameterNames("a", "b").
		Export("add").
		NewFunctionBuilder().
		WithFunc(func(a int32, b int64, c float32, d float64) float64 {
			return float64(a)*1000 + float64(b)*100 + float64(c)*10 + d
		}).
		Export("mix").
		NewFunctionBuilder().
		WithFunc(func(ctx context.Context, kind int32) {
			switch kind {
			case 1:
				panic(errHost)
			case 2:
				panic("a plain string")
			}
		}).
		Export("panic").
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
			b, ok := m.Memory().ReadByte(api.DecodeU32(stack[0]))
			if !ok {
				panic("peek out of range")
			}
			stack[0] = uint64(b)
		}), []api.ValueType{i32}, []api.ValueType{i32}).
		Export("peek").
		NewFunctionBuilder().
		WithFunc(func(ctx context.Context, m api.Module, n uint32) uint32 {
			res, err := m.ExportedFunction("double").Call(ctx, uint64(n))
			if err != nil {
				panic(err)
			}
			return uint32(res[0]) + 1
		}).
		Export("reenter").
		NewFunctionBuilder().
		WithFunc(func(ctx context.Context, m api.Module, code uint32) {
			_ = m.CloseWithExitCode(ctx, code)
		}).
		Export("exit").
		Instantiate(ctx)
	return instantiateHostcalls(t, r, err)
}

// instantiateHostcallsWith builds the "go" module that
// testdata/hostcalls.wasm imports from add and reenter (nil: one that does
// nothing), the other imports doing nothing, and instantiates the guest.
func instantiateHostcallsWith(t testing.TB, r weft.Runtime, add api.GoFunc, reenter api.GoModuleFunc) api.Module {
	t.Helper()
	i32, i64, f32, f64 := api.ValueTypeI32, api.ValueTypeI64, api.ValueTypeF32, api.ValueTypeF64
	noop := api.GoFunc(func(context.Context, []uint64) {})
	if reenter == nil {
		reenter = func(context.Context, api.Module, []uint64) {}
	}
	_, err := r.NewHostModuleBuilder("go").
		NewFunctionBuilder().WithGoFunction(add, []api.ValueType{i32, i32}, []api.ValueType{i32}).Export("add").
		NewFunctionBuilder().WithGoFunction(noop, []api.ValueType{i32, i64, f32, f64}, []api.ValueType{f64}).Export("mix").
		NewFunctionBuilder().WithGoFunction(noop, []api.ValueType{i32}, nil).Export("panic").
		NewFunctionBuilder().WithGoFunction(noop, []api.ValueType{i32}, []api.ValueType{i32}).Export("peek").
		NewFunctionBuilder().WithGoModuleFunction(reenter, []api.ValueType{i32}, []api.ValueType{i32}).Export("reenter").
		NewFunctionBuilder().WithGoFunction(noop, []api.ValueType{i32}, nil).Export("exit").
		Instantiate(context.Background())
	return instantiateHostcalls(t, r, err)
}

// instantiateHostcalls instantiates testdata/hostcalls.wasm, as
// "hostcalls", once its "go" module is built (hostErr: how that went).
func instantiateHostcalls(t testing.TB, r weft.Runtime, hostErr error) api.Module {
	if hostErr != nil {
		t.Fatal(hostErr)
	}
	mod, err := r.InstantiateWithConfig(context.Background(), readTestdata(t, "hostcalls.wasm"),
		weft.NewModuleConfig().WithName("hostcalls"))
	if err != nil {
		t.Fatal(err)
	}
	return mod
}

func TestHostFunctions(t *testing.T) {
	r := newRuntime(t, nil)
	mod := instantiateGoHost(t, r)
	tests := []struct {
		name   string
		fn     string
		params []uint64
		want   uint64
	}{
		{"GoFunction", "call_add", []uint64{api.EncodeI32(-7), 3}, api.EncodeI32(-4)},
		{"WithFunc of four types", "call_mix", []uint64{1, 2, api.EncodeF32(3), api.EncodeF64(4)}, api.EncodeF64(1234)},
		{"GoModuleFunction reads guest memory", "call_peek", []uint64{8}, 0x2a},
		{"host calls back into the guest", "call_reenter", []uint64{20}, 41},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustCall(t, mod, tc.fn, tc.params...); got[0] != tc.want {
				t.Errorf("%s = %#x, want %#x", tc.fn, got[0], tc.want)
			}
		})
	}
}

// A panicking host function is an error of the call, never a crash; the
// next call, on this or a fresh instance, works.
func TestHostPanic(t *testing.T) {
	r := newRuntime(t, nil)
	mod := instantiateGoHost(t, r)
	ctx := context.Background()

	_, err := mod.ExportedFunction("call_panic").Call(ctx, 1)
	if !errors.Is(err, errHost) {
		t.Fatalf("error %v does not wrap the panic's error", err)
	}
	if !strings.HasPrefix(err.Error(), "host says no\nwasm stack trace:") {
		t.Errorf("error text %q", err)
	}
	_, err = mod.ExportedFunction("call_panic").Call(ctx, 2)
	if err == nil || !strings.HasPrefix(err.Error(), "a plain string") {
		t.Errorf("error %v, want the panic's text", err)
	}
	// The same, from a host function the export reaches through its own
	// functions: it is guarded all the same.
	if _, err = mod.ExportedFunction("call_panic_deep").Call(ctx, 1); !errors.Is(err, errHost) {
		t.Errorf("call_panic_deep: error %v does not wrap the panic's error", err)
	}
	if weft.FastCalls && !weft.CallIsGuarded(mod.ExportedFunction("call_panic_deep")) {
		t.Error("call_panic_deep is not guarded")
	}
	// An export that calls only its module's own functions is not.
	quadruple := mod.ExportedFunction("quadruple")
	if weft.CallIsGuarded(quadruple) {
		t.Error("quadruple, which reaches no host function, is guarded")
	}
	if got := mustCall(t, mod, "quadruple", 5); got[0] != 20 {
		t.Errorf("quadruple(5) = %d", got[0])
	}
	if got := mustCall(t, mod, "call_add", 1, 2); got[0] != 3 {
		t.Errorf("call after panics = %d", got[0])
	}
	fresh, err := r.InstantiateWithConfig(ctx, readTestdata(t, "hostcalls.wasm"), weft.NewModuleConfig().WithName("fresh"))
	if err != nil {
		t.Fatal(err)
	}
	if got := mustCall(t, fresh, "call_add", 2, 2); got[0] != 4 {
		t.Errorf("fresh instance = %d", got[0])
	}
}

// A host function that a guest calls on another's behalf (relay.wat calls
// hostcalls.wat's exports, which call Go) gets the guest that called it as
// its module, and, on the paths Go host functions take (in place; yield and
// resume), the context of the call from Go. The libffi and direct paths,
// kept for comparison, give a module its own context, here none.
func TestHostCalledThroughAnotherModule(t *testing.T) {
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "relay's")
	for i, path := range weft.HostCallPaths {
		t.Run(path.Name, func(t *testing.T) {
			defer weft.UseHostCallPath(i)()
			carriesContext := i < 2
			r := newRuntime(t, nil)
			var contexts, callers []any
			add := api.GoFunc(func(c context.Context, stack []uint64) {
				contexts = append(contexts, c.Value(ctxKey{}))
				stack[0] = api.EncodeI32(api.DecodeI32(stack[0]) + api.DecodeI32(stack[1]))
			})
			reenter := api.GoModuleFunc(func(c context.Context, m api.Module, stack []uint64) {
				contexts = append(contexts, c.Value(ctxKey{}))
				callers = append(callers, m.Name())
				res, err := m.ExportedFunction("double").Call(c, stack[0])
				if err != nil {
					t.Error(err)
				}
				stack[0] = res[0]
			})
			instantiateHostcallsWith(t, r, add, reenter)
			relay, err := r.Instantiate(ctx, readTestdata(t, "relay.wasm"))
			if err != nil {
				t.Fatal(err)
			}
			if res, err := relay.ExportedFunction("relay_add").Call(ctx, 40, 2); err != nil || res[0] != 42 {
				t.Errorf("relay_add(40, 2) = %v, %v", res, err)
			}
			if res, err := relay.ExportedFunction("relay_reenter").Call(ctx, 21); err != nil || res[0] != 42 {
				t.Errorf("relay_reenter(21) = %v, %v", res, err)
			}
			want := []any{"relay's", "relay's"}
			if !carriesContext {
				want = []any{nil, nil}
			}
			if fmt.Sprint(contexts) != fmt.Sprint(want) || fmt.Sprint(callers) != "[hostcalls]" {
				t.Errorf("host functions saw contexts %v (want %v), callers %v", contexts, want, callers)
			}
		})
	}
}

// A panic after many host calls of one call from Go, and one in a call
// that a host function makes back into the guest: each ends its own call
// with the panic's error, and the module goes on working.
func TestHostPanicMidCall(t *testing.T) {
	r := newRuntime(t, nil)
	ctx := context.Background()
	var adds int
	add := api.GoFunc(func(ctx context.Context, stack []uint64) {
		adds++
		if api.DecodeI32(stack[0]) == 50 { // call_add_n's running total
			panic(errHost)
		}
		stack[0] = api.EncodeI32(api.DecodeI32(stack[0]) + api.DecodeI32(stack[1]))
	})
	reenter := api.GoModuleFunc(func(ctx context.Context, m api.Module, stack []uint64) {
		_, err := m.ExportedFunction("call_add_n").Call(ctx, 100)
		if !errors.Is(err, errHost) {
			t.Errorf("inner call: %v, want the panic's error", err)
		}
		stack[0] = 7
	})
	mod := instantiateHostcallsWith(t, r, add, reenter)
	if _, err := mod.ExportedFunction("call_add_n").Call(ctx, 100); !errors.Is(err, errHost) {
		t.Fatalf("call_add_n(100): %v, want the panic's error", err)
	}
	if adds != 51 {
		t.Errorf("%d host calls before the panic ended the call, want 51", adds)
	}
	if got := mustCall(t, mod, "call_reenter", 1); got[0] != 7 {
		t.Errorf("call_reenter = %d, want 7 (the inner call's panic stays inside)", got[0])
	}
	if got := mustCall(t, mod, "call_add_n", 40); got[0] != 40 {
		t.Errorf("call_add_n(40) after the panics = %d", got[0])
	}
}

// A host function closing its caller ends the call with an ExitError.
func TestHostClosesCaller(t *testing.T) {
	r := newRuntime(t, nil)
	mod := instantiateGoHost(t, r)
	_, err := mod.ExportedFunction("call_exit").Call(context.Background(), 5)
	var exit *sys.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 5 {
		t.Fatalf("error %v, want exit code 5", err)
	}
	if !mod.IsClosed() {
		t.Error("module still open")
	}
}

func TestHostDefinitions(t *testing.T) {
	r := newRuntime(t, nil)
	instantiateGoHost(t, r)
	host := r.Module("go")
	if host == nil {
		t.Fatal("host module not in the namespace")
	}
	defs := host.ExportedFunctionDefinitions()
	add := defs["add"]
	if add == nil || add.Name() != "add" || add.DebugName() != "go.add" || add.GoFunction() == nil {
		t.Fatalf("add definition: %+v", add)
	}
	if got := add.ParamNames(); len(got) != 2 || got[0] != "a" {
		t.Errorf("ParamNames() = %v", got)
	}
	mix := defs["mix"]
	if got := mix.ParamTypes(); len(got) != 4 || got[1] != api.ValueTypeI64 || got[2] != api.ValueTypeF32 {
		t.Errorf("mix ParamTypes() = %v", got)
	}
}

func TestHostBuilderErrors(t *testing.T) {
	r := newRuntime(t, nil)
	ctx := context.Background()
	tests := []struct {
		name  string
		build func(weft.HostModuleBuilder) weft.HostModuleBuilder
		want  string
	}{
		{"unsupported param", func(b weft.HostModuleBuilder) weft.HostModuleBuilder {
			return b.NewFunctionBuilder().WithFunc(func(s string) {}).Export("f")
		}, "param[0] is unsupported: string"},
		{"not a func", func(b weft.HostModuleBuilder) weft.HostModuleBuilder {
			return b.NewFunctionBuilder().WithFunc(42).Export("f")
		}, "kind != func: int"},
		{"no function", func(b weft.HostModuleBuilder) weft.HostModuleBuilder {
			return b.NewFunctionBuilder().Export("f")
		}, "no Go function"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.build(r.NewHostModuleBuilder("bad")).Instantiate(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestImportErrors(t *testing.T) {
	r := newRuntime(t, nil)
	ctx := context.Background()
	_, err := r.Instantiate(ctx, readTestdata(t, "hostcalls.wasm"))
	if err == nil || err.Error() != "module[go] not instantiated" {
		t.Errorf("error %v, want module[go] not instantiated", err)
	}
	_, err = r.NewHostModuleBuilder("go").
		NewFunctionBuilder().WithFunc(func(a, b int64) int64 { return a + b }).Export("add").
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Instantiate(ctx, readTestdata(t, "hostcalls.wasm"))
	want := `incompatible import type: "go" "add": expected func [i32 i32] -> [i32], got func [i64 i64] -> [i64]`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
