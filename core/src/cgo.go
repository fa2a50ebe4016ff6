// Package csrc compiles weft's C engine (the .c files of this directory)
// into Go programs that import github.com/weftwasm/weft/go. It has no Go
// API: the Go package calls the engine through core/include/weft.h.
//
// This file exists because a directory holding C sources must be a cgo
// package for `go build` to compile them and for `go mod vendor` to copy
// them; see DESIGN.md, "The Go package". The optimization level is CMake's
// Release one (-O3), so Go programs run the engine as fast as the CLI does:
// keep the two in step.
package csrc

// #cgo CFLAGS: -std=gnu11 -O3 -DNDEBUG -I${SRCDIR}/../include
// #cgo LDFLAGS: -lm -lpthread
import "C"

import (
	// The header that these sources include, vendored with them.
	_ "github.com/weftwasm/weft/core/include"
)
