// Package wasi compiles weft's WASI preview1 implementation (the .c files
// of this directory) for the Go package; see core/src/cgo.go.
package wasi

// #cgo CFLAGS: -std=gnu11 -O3 -DNDEBUG -I${SRCDIR}/.. -I${SRCDIR}/../../include
import "C"

import (
	_ "github.com/weftwasm/weft/core/src"
)
