// Command basic is the smallest embedding of weft: it compiles a guest
// that adds two numbers, instantiates it and calls its export.
//
//	go run ./examples/basic 40 2
package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"

	wazero "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// addWasm is add.wat compiled by build.sh.
//
//go:embed add.wasm
var addWasm []byte

func main() {
	if err := run(context.Background(), os.Stdout, os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

// run adds the two numbers in args (default 1 and 2) in the guest and
// prints the sum to w.
func run(ctx context.Context, w io.Writer, args []string) error {
	x, y, err := parseArgs(args)
	if err != nil {
		return err
	}

	// A runtime owns everything it creates: closing it frees the module.
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)

	mod, err := r.Instantiate(ctx, addWasm)
	if err != nil {
		return fmt.Errorf("instantiate add.wasm: %w", err)
	}

	// Wasm values travel as uint64: the api package encodes and decodes them.
	results, err := mod.ExportedFunction("add").Call(ctx, api.EncodeI32(x), api.EncodeI32(y))
	if err != nil {
		return fmt.Errorf("call add: %w", err)
	}
	fmt.Fprintf(w, "%d + %d = %d\n", x, y, api.DecodeI32(results[0]))
	return nil
}

func parseArgs(args []string) (x, y int32, err error) {
	switch len(args) {
	case 0:
		return 1, 2, nil
	case 2:
		a, err := strconv.ParseInt(args[0], 10, 32)
		if err != nil {
			return 0, 0, fmt.Errorf("first number: %w", err)
		}
		b, err := strconv.ParseInt(args[1], 10, 32)
		if err != nil {
			return 0, 0, fmt.Errorf("second number: %w", err)
		}
		return int32(a), int32(b), nil
	default:
		return 0, 0, fmt.Errorf("usage: basic [x y] (got %d arguments)", len(args))
	}
}
