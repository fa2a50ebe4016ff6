package weft_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

func TestCallValueTypes(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	tests := []struct {
		name   string
		fn     string
		params []uint64
		want   []uint64
	}{
		{"i32 wraps", "add_i32", []uint64{api.EncodeI32(math.MaxInt32), 1}, []uint64{api.EncodeI32(math.MinInt32)}},
		{"i32 negative", "add_i32", []uint64{api.EncodeI32(-5), api.EncodeI32(2)}, []uint64{api.EncodeI32(-3)}},
		{"i64", "add_i64", []uint64{api.EncodeI64(1 << 40), api.EncodeI64(-1)}, []uint64{api.EncodeI64(1<<40 - 1)}},
		{"f32", "mul_f32", []uint64{api.EncodeF32(1.5), api.EncodeF32(-2)}, []uint64{api.EncodeF32(-3)}},
		{"f64", "mul_f64", []uint64{api.EncodeF64(0.25), api.EncodeF64(8)}, []uint64{api.EncodeF64(2)}},
		{"multi-value", "swap", []uint64{api.EncodeI32(-1), api.EncodeI64(5)}, []uint64{5, api.EncodeI32(-1)}},
		{"v128 as two entries", "v128_id", []uint64{0x0123456789abcdef, 0xfedcba9876543210}, []uint64{0x0123456789abcdef, 0xfedcba9876543210}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustCall(t, mod, tc.fn, tc.params...)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d results, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("result %d = %#x, want %#x", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestCallWithStack(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	swap := mod.ExportedFunction("swap")
	stack := []uint64{3, 4}
	if err := swap.CallWithStack(context.Background(), stack); err != nil {
		t.Fatal(err)
	}
	if stack[0] != 4 || stack[1] != 3 {
		t.Errorf("stack = %v, want [4 3]", stack)
	}
	if err := swap.CallWithStack(context.Background(), stack[:1]); err == nil {
		t.Error("a short stack was accepted")
	}
	if _, err := swap.Call(context.Background(), 1); err == nil {
		t.Error("a wrong param count was accepted")
	}
}

func TestTrapErrors(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	tests := []struct {
		name   string
		fn     string
		params []uint64
		want   string
	}{
		{"divide by zero", "div_s", []uint64{1, 0}, "wasm error: integer divide by zero\nwasm stack trace:\n\tcalls.$6"},
		{"overflow", "div_s", []uint64{api.EncodeI32(math.MinInt32), api.EncodeI32(-1)}, "wasm error: integer overflow"},
		{"unreachable, deep", "deep", []uint64{3}, "wasm error: unreachable\nwasm stack trace:\n\tcalls.deep\n\tcalls.deep\n\tcalls.deep\n\tcalls.deep\n\tcalls.$8"},
		{"out of bounds", "load_u8", []uint64{1 << 20}, "wasm error: out of bounds memory access"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mod.ExportedFunction(tc.fn).Call(context.Background(), tc.params...)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want prefix %q", err, tc.want)
			}
			var te *weft.TrapError
			if !errors.As(err, &te) {
				t.Errorf("%T is not a *weft.TrapError", err)
			}
		})
	}
	// The instance is fine after a trap.
	if got := mustCall(t, mod, "div_s", 9, 3); got[0] != 3 {
		t.Errorf("div_s(9, 3) = %d after traps", got[0])
	}
}

func TestTrapWithoutDebugInfo(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithDebugInfoEnabled(false))
	mod, _ := instantiateCalls(t, r)
	_, err := mod.ExportedFunction("div_s").Call(context.Background(), 1, 0)
	if err == nil || err.Error() != "wasm error: integer divide by zero" {
		t.Errorf("error %q, want no stack trace", err)
	}
}

func TestClosedModule(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	add := mod.ExportedFunction("add_i32")
	mem := mod.Memory()
	if err := mod.CloseWithExitCode(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	if !mod.IsClosed() {
		t.Error("IsClosed() = false")
	}
	_, err := add.Call(context.Background(), 1, 2)
	var exit *sys.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("call after close: %v, want exit code 3", err)
	}
	if _, ok := mem.ReadByte(0); ok {
		t.Error("memory of a closed module is readable")
	}
	if mod.ExportedFunction("mul_f64") != nil {
		t.Error("a closed module gives new functions")
	}
	if err := mod.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// Call's results are carved from a chunk the module shares among calls
// (resultSlots): each call's results stay its caller's, whatever later
// calls return, and appending to them does not write into the next.
func TestCallResultsStayTheCallers(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	add, swap := mod.ExportedFunction("add_i32"), mod.ExportedFunction("swap")
	ctx := context.Background()
	var kept [][]uint64
	for i := uint64(0); i < 200; i++ { // several chunks
		res, err := add.Call(ctx, i, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || cap(res) != 1 {
			t.Fatalf("add_i32 results %v: len %d cap %d, want 1 and 1", res, len(res), cap(res))
		}
		_ = append(res, 99) // must copy, not write into the chunk
		kept = append(kept, res)
		if res, err := swap.Call(ctx, i, i+7); err != nil || len(res) != 2 || res[0] != i+7 || res[1] != i {
			t.Fatalf("swap(%d, %d) = %v, %v", i, i+7, res, err)
		}
	}
	for i, res := range kept {
		if res[0] != uint64(i+1) {
			t.Fatalf("results of call %d became %v, want [%d]", i, res, i+1)
		}
	}
}
