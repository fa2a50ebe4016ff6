// Package wasip1 makes WASI preview1 ("wasi_snapshot_preview1") available
// to the guests of a weft Runtime, like wazero's
// imports/wasi_snapshot_preview1:
//
//	wasi_snapshot_preview1.MustInstantiate(ctx, r)
//
// All 46 functions are implemented in weft's C core. Each guest that
// imports them gets its own WASI state, made from its ModuleConfig (args,
// env, stdio, directory mounts, clocks, randomness) and freed with it.
// Paths resolve beneath their mount: the guest sees nothing else.
package wasip1

import (
	"context"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/internal/wasihook"
)

// ModuleName is the module name WASI preview1 functions are imported from.
const ModuleName = "wasi_snapshot_preview1"

// MustInstantiate calls Instantiate and panics on error.
func MustInstantiate(ctx context.Context, r weft.Runtime) {
	if _, err := Instantiate(ctx, r); err != nil {
		panic(err)
	}
}

// Instantiate makes WASI available in r under ModuleName. Closing the
// result removes it (guests already instantiated keep theirs).
func Instantiate(ctx context.Context, r weft.Runtime) (api.Closer, error) {
	return NewBuilder(r).Instantiate(ctx)
}

// Builder instantiates WASI under a module name of one's choice.
type Builder interface {
	// Instantiate makes WASI available in the runtime.
	Instantiate(context.Context) (api.Closer, error)
}

type builder struct{ r weft.Runtime }

// NewBuilder returns a Builder for r.
func NewBuilder(r weft.Runtime) Builder { return builder{r} }

func (b builder) Instantiate(ctx context.Context) (api.Closer, error) {
	return wasihook.Instantiate(ctx, b.r, ModuleName)
}
