// Package include holds weft.h, the engine's public C header. It has no Go
// code: it is a package only so that `go mod vendor` copies the header
// along with the C sources that include it (see core/src/cgo.go).
package include
