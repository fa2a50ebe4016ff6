//go:build wasip1

package main

// run is the benchmark entry: the checksum, without any output.
//
//go:wasmexport run
func run() int32 { return checksum() }
