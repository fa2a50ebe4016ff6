// Command strings passes strings between Go and a C guest: Go writes each
// string into the guest's memory (allocated with the guest's malloc), the
// guest returns a new string as a pointer and a length, and Go reads it
// back with Memory().Read and frees it with the guest's free.
//
//	go run ./examples/strings 'Hello, World' 'Grüße, 世界'
package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"log"
	"os"

	wazero "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// stringsWasm is guest/strings.c compiled by build.sh.
//
//go:embed strings.wasm
var stringsWasm []byte

func main() {
	inputs := os.Args[1:]
	if len(inputs) == 0 {
		inputs = []string{"Hello, WebAssembly", "Grüße, 世界"}
	}
	if err := run(context.Background(), os.Stdout, inputs); err != nil {
		log.Fatal(err)
	}
}

// run prints each input, upper-cased and reversed by the guest.
func run(ctx context.Context, w io.Writer, inputs []string) error {
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)

	g, err := instantiate(ctx, r)
	if err != nil {
		return err
	}
	for _, in := range inputs {
		up, err := g.upperString(ctx, in)
		if err != nil {
			return err
		}
		rev, err := g.reverseString(ctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "input:   %q\nupper:   %q\nreverse: %q\n", in, up, rev)
	}
	return nil
}

// instantiate instantiates strings.wasm in r.
func instantiate(ctx context.Context, r wazero.Runtime) (guest, error) {
	// The guest is a reactor (no main): _initialize sets up its C library.
	mod, err := r.InstantiateWithConfig(ctx, stringsWasm,
		wazero.NewModuleConfig().WithStartFunctions("_initialize"))
	if err != nil {
		return guest{}, fmt.Errorf("instantiate strings.wasm: %w", err)
	}
	return guest{
		mod:     mod,
		malloc:  mod.ExportedFunction("malloc"),
		free:    mod.ExportedFunction("free"),
		upper:   mod.ExportedFunction("upper"),
		reverse: mod.ExportedFunction("reverse"),
	}, nil
}

// guest is the instantiated module and the exports run uses.
type guest struct {
	mod                          api.Module
	malloc, free, upper, reverse api.Function
}

// upperString calls upper, which returns its result packed in one i64:
// ptr<<32 | len.
func (g guest) upperString(ctx context.Context, s string) (string, error) {
	res, err := g.callWithString(ctx, g.upper, s)
	if err != nil {
		return "", err
	}
	return g.takeString(ctx, uint32(res[0]>>32), uint32(res[0]))
}

// reverseString calls reverse, which returns two i32 results: ptr, len.
func (g guest) reverseString(ctx context.Context, s string) (string, error) {
	res, err := g.callWithString(ctx, g.reverse, s)
	if err != nil {
		return "", err
	}
	return g.takeString(ctx, api.DecodeU32(res[0]), api.DecodeU32(res[1]))
}

// callWithString copies s into guest memory, calls fn(ptr, len) and frees
// the copy.
func (g guest) callWithString(ctx context.Context, fn api.Function, s string) ([]uint64, error) {
	// malloc(0) may return NULL; ask for at least a byte.
	res, err := g.malloc.Call(ctx, uint64(max(len(s), 1)))
	if err != nil {
		return nil, fmt.Errorf("malloc: %w", err)
	}
	ptr := api.DecodeU32(res[0])
	if ptr == 0 || !g.mod.Memory().WriteString(ptr, s) {
		return nil, fmt.Errorf("malloc(%d) failed in the guest", len(s))
	}
	defer g.free.Call(ctx, uint64(ptr))

	results, err := fn.Call(ctx, uint64(ptr), uint64(len(s)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn.Definition().Name(), err)
	}
	return results, nil
}

// takeString reads the string the guest returned at ptr and frees it.
func (g guest) takeString(ctx context.Context, ptr, n uint32) (string, error) {
	if ptr == 0 {
		return "", fmt.Errorf("the guest ran out of memory")
	}
	view, ok := g.mod.Memory().Read(ptr, n)
	if !ok {
		return "", fmt.Errorf("result [%d, +%d) is outside the guest's memory", ptr, n)
	}
	s := string(view) // copies: view is guest memory, which free reuses
	if _, err := g.free.Call(ctx, uint64(ptr)); err != nil {
		return "", fmt.Errorf("free: %w", err)
	}
	return s, nil
}
