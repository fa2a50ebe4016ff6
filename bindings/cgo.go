// Package bindings compiles weft's libffi glue (the .c files of this
// directory) for the Go package; see core/src/cgo.go. libffi comes from the
// system through pkg-config (Debian: libffi-dev).
package bindings

// #cgo CFLAGS: -std=gnu11 -O3 -DNDEBUG -I${SRCDIR}/../core/src -I${SRCDIR}/../core/include
// #cgo pkg-config: libffi
import "C"

import (
	_ "github.com/weftwasm/weft/core/src"
)
