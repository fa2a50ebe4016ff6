// Package bench compares weft with its peers (wazero's interpreter and
// compiler, wasmtime-go) on the guests of bench/guests. Everything here is
// benchmarks and the tests that keep them honest; there is no library.
//
// Each runtime is one file (runtime_NAME.go) implementing the small
// interfaces below and registering itself in init. The benchmarks in
// bench_test.go are written once against those interfaces.
package bench

import (
	"errors"
	"fmt"
	"sort"
)

// Runtime is one engine under test. Every module compiled by it may import
// env.hostnop (a Go host function that does nothing but count its calls)
// and wasi_snapshot_preview1; WASI output is discarded unless an instance
// is made with captured stdout.
type Runtime interface {
	// Compile decodes, validates and compiles a module.
	Compile(wasm []byte) (Module, error)
	// Close frees the runtime and everything made by it.
	Close() error
}

// Module is a compiled module.
type Module interface {
	// Instantiate links and instantiates the module without calling any
	// start function but the Wasm start section's. With captureStdout,
	// Instance.RunStart returns what the guest wrote to WASI stdout.
	Instantiate(captureStdout bool) (Instance, error)
	Close() error
}

// Instance is one instantiation of a Module.
type Instance interface {
	// Func returns the exported function name, or ErrNoExport.
	Func(name string) (Func, error)
	// RunStart calls the WASI command entry `_start` and returns the
	// guest's stdout (when captured). proc_exit(0) is success.
	RunStart() (stdout []byte, err error)
	// ReadMemory copies len(dst) bytes of the exported memory "memory" at
	// offset into dst: the way a host reads a guest's buffer.
	ReadMemory(offset uint32, dst []byte) error
	Close() error
}

// Func is an exported function, looked up once and called many times.
// Arguments and results are encoded as in wazero's api.Function: i32 in
// the low 32 bits of a uint64.
type Func interface {
	Call(args ...uint64) ([]uint64, error)
}

// ErrNoExport is returned by Instance.Func for a missing export.
var ErrNoExport = errors.New("no such exported function")

// hostCalls counts calls of the host function env.hostnop, in every
// runtime, so the host-call benchmark can check that the calls happened.
// Benchmarks run one at a time, so a plain counter suffices.
var hostCalls uint64

func hostnop() { hostCalls++ }

// factory makes a fresh Runtime.
type factory func() (Runtime, error)

var runtimes = map[string]factory{}

// register adds a runtime under a name used in benchmark names (rt=NAME).
func register(name string, f factory) {
	if _, dup := runtimes[name]; dup {
		panic(fmt.Sprintf("runtime %q registered twice", name))
	}
	runtimes[name] = f
}

// runtimeNames lists the registered runtimes in a fixed order: weft first
// when built in, then the peers by name.
func runtimeNames() []string {
	names := make([]string, 0, len(runtimes))
	for n := range runtimes {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "weft") != (names[j] == "weft") {
			return names[i] == "weft"
		}
		return names[i] < names[j]
	})
	return names
}
