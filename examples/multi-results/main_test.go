package main

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	wazero "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	want := `divmod(17, 5) = (3, 2)
divmod(-17, 5) = (-3, -2)
widen(100000) = (i32 100000, i64 10000000000, f32 33333.332, f64 316.22776601683796)
sort3(9, -1, 4) = (-1, 4, 9), with 3 calls to the Go function env.minmax
decompose(48) = (0.75, 6, power of two: false), through the Go function env.frexp
decompose(64) = (0.5, 7, power of two: true), through the Go function env.frexp
decompose(0.1) = (0.8, -3, power of two: false), through the Go function env.frexp
`
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestSort3(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	calls := 0
	mod, err := instantiate(ctx, r, &calls)
	if err != nil {
		t.Fatal(err)
	}
	sort3 := mod.ExportedFunction("sort3")
	perms := [][3]int32{{1, 2, 3}, {1, 3, 2}, {2, 1, 3}, {2, 3, 1}, {3, 1, 2}, {3, 2, 1}, {-5, -5, 7}}
	for _, p := range perms {
		res, err := sort3.Call(ctx, api.EncodeI32(p[0]), api.EncodeI32(p[1]), api.EncodeI32(p[2]))
		if err != nil {
			t.Fatal(err)
		}
		got := [3]int32{api.DecodeI32(res[0]), api.DecodeI32(res[1]), api.DecodeI32(res[2])}
		want := p
		for i := 0; i < 3; i++ { // a tiny sort, to compare with
			for j := i + 1; j < 3; j++ {
				if want[j] < want[i] {
					want[i], want[j] = want[j], want[i]
				}
			}
		}
		if got != want {
			t.Errorf("sort3%v = %v, want %v", p, got, want)
		}
	}
	if want := 3 * len(perms); calls != want {
		t.Errorf("minmax was called %d times, want %d", calls, want)
	}
}

// The result types a caller sees are the guest's and the host functions'.
func TestDefinitions(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	calls := 0
	mod, err := instantiate(ctx, r, &calls)
	if err != nil {
		t.Fatal(err)
	}
	i32, i64, f32, f64 := api.ValueTypeI32, api.ValueTypeI64, api.ValueTypeF32, api.ValueTypeF64
	tests := []struct {
		module api.Module
		name   string
		want   []api.ValueType
	}{
		{mod, "divmod", []api.ValueType{i32, i32}},
		{mod, "widen", []api.ValueType{i32, i64, f32, f64}},
		{mod, "sort3", []api.ValueType{i32, i32, i32}},
		{mod, "decompose", []api.ValueType{f64, i32, i32}},
		{r.Module("env"), "minmax", []api.ValueType{i32, i32}},
		{r.Module("env"), "frexp", []api.ValueType{f64, i32}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fn := tc.module.ExportedFunction(tc.name)
			if fn == nil {
				t.Fatalf("%s is not exported", tc.name)
			}
			if got := fn.Definition().ResultTypes(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("result types %v, want %v", got, tc.want)
			}
		})
	}
	if got := r.Module("env").ExportedFunction("minmax").Definition().ResultNames(); !reflect.DeepEqual(got, []string{"min", "max"}) {
		t.Errorf("minmax result names %v", got)
	}
}

func TestDivmodByZeroTraps(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	calls := 0
	mod, err := instantiate(ctx, r, &calls)
	if err != nil {
		t.Fatal(err)
	}
	_, err = mod.ExportedFunction("divmod").Call(ctx, api.EncodeI32(1), 0)
	if err == nil || !strings.Contains(err.Error(), "integer divide by zero") {
		t.Fatalf("divmod(1, 0): got error %v, want integer divide by zero", err)
	}
	// The instance is still usable after a trap.
	res, err := mod.ExportedFunction("divmod").Call(ctx, api.EncodeI32(7), api.EncodeI32(2))
	if err != nil || api.DecodeI32(res[0]) != 3 || api.DecodeI32(res[1]) != 1 {
		t.Fatalf("divmod(7, 2) after a trap = %v, %v", res, err)
	}
}
