//go:build !cgo

package weft

// weft's engine is C. Without cgo the engine's package (core/src) is built
// from its nocgo.go alone, whose only line is the error a user should see
// first; importing it here puts that error before any other.
import _ "github.com/weftwasm/weft/core/src"
