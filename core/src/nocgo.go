//go:build !cgo

package csrc

// weft's engine is C: without cgo it cannot be built, and this line makes
// the reason the first error a user sees.
const _ int = "weft needs cgo: build with CGO_ENABLED=1, a C compiler (gcc or clang) and libffi-dev"
