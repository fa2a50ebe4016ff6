// Command multi-results calls Wasm functions that return several values,
// of every number type, and gives the guest Go host functions that return
// several values too.
//
//	go run ./examples/multi-results
package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"log"
	"math"
	"os"

	wazero "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// multiWasm is multi.wat compiled by build.sh.
//
//go:embed multi.wasm
var multiWasm []byte

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run calls each export of multi.wasm and prints its results.
func run(ctx context.Context, w io.Writer) error {
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)

	minmaxCalls := 0
	mod, err := instantiate(ctx, r, &minmaxCalls)
	if err != nil {
		return err
	}

	// Call returns one uint64 per result, in order; api decodes each type.
	divmod := mod.ExportedFunction("divmod")
	for _, args := range [][2]int32{{17, 5}, {-17, 5}} {
		res, err := divmod.Call(ctx, api.EncodeI32(args[0]), api.EncodeI32(args[1]))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "divmod(%d, %d) = (%d, %d)\n", args[0], args[1], api.DecodeI32(res[0]), api.DecodeI32(res[1]))
	}

	res, err := mod.ExportedFunction("widen").Call(ctx, api.EncodeI32(100000))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "widen(100000) = (i32 %d, i64 %d, f32 %v, f64 %v)\n",
		api.DecodeI32(res[0]), int64(res[1]), api.DecodeF32(res[2]), api.DecodeF64(res[3]))

	res, err = mod.ExportedFunction("sort3").Call(ctx, api.EncodeI32(9), api.EncodeI32(-1), api.EncodeI32(4))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "sort3(9, -1, 4) = (%d, %d, %d), with %d calls to the Go function env.minmax\n",
		api.DecodeI32(res[0]), api.DecodeI32(res[1]), api.DecodeI32(res[2]), minmaxCalls)

	decompose := mod.ExportedFunction("decompose")
	for _, x := range []float64{48, 64, 0.1} {
		res, err := decompose.Call(ctx, api.EncodeF64(x))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "decompose(%v) = (%v, %d, power of two: %t), through the Go function env.frexp\n",
			x, api.DecodeF64(res[0]), api.DecodeI32(res[1]), api.DecodeI32(res[2]) != 0)
	}
	return nil
}

// instantiate defines the host module env (whose minmax counts its calls in
// *minmaxCalls) and instantiates multi.wasm, which imports it.
func instantiate(ctx context.Context, r wazero.Runtime, minmaxCalls *int) (api.Module, error) {
	_, err := r.NewHostModuleBuilder("env").
		// The stack form: params arrive in stack[0:2], and the results are
		// written over them. No reflection: the fast path.
		NewFunctionBuilder().
		WithGoFunction(api.GoFunc(func(ctx context.Context, stack []uint64) {
			(*minmaxCalls)++
			a, b := api.DecodeI32(stack[0]), api.DecodeI32(stack[1])
			stack[0], stack[1] = api.EncodeI32(min(a, b)), api.EncodeI32(max(a, b))
		}), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}).
		WithParameterNames("a", "b").
		WithResultNames("min", "max").
		Export("minmax").
		// The plain Go form: the func's results are the Wasm results.
		NewFunctionBuilder().
		WithFunc(func(x float64) (float64, int32) {
			frac, exp := math.Frexp(x)
			return frac, int32(exp)
		}).
		Export("frexp").
		Instantiate(ctx)
	if err != nil {
		return nil, fmt.Errorf("host module env: %w", err)
	}

	mod, err := r.Instantiate(ctx, multiWasm)
	if err != nil {
		return nil, fmt.Errorf("instantiate multi.wasm: %w", err)
	}
	return mod, nil

}
