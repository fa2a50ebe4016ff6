//go:build !cgo

package bindings

// See core/src/nocgo.go.
const _ int = "weft needs cgo: build with CGO_ENABLED=1, a C compiler (gcc or clang) and libffi-dev"
