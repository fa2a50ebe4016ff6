// Package wasihook connects go/imports/wasip1 to the weft package without
// an import cycle or exported API: weft registers Instantiate at init.
package wasihook

import (
	"context"

	"github.com/weftwasm/weft/go/api"
)

// Instantiate makes WASI preview1 available under moduleName in the runtime
// r (a weft.Runtime). Set by package weft.
var Instantiate func(ctx context.Context, r interface{}, moduleName string) (api.Closer, error)
