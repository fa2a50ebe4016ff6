//go:build amd64 && !weft_nofastcall

package weft

/*
#include "glue.h"
*/
import "C"

import (
	"unsafe"

	"github.com/weftwasm/weft/go/internal/cstack"
)

// Fast calls: Go -> Wasm calls and their resumptions after Go host
// functions enter C on a C stack of the module's (go/internal/cstack), not
// through cgo. cgo's call switches to the thread's system stack and tells
// the scheduler the goroutine is in a system call and back (entersyscall /
// exitsyscall): 45-55 ns for an empty C function here. runtime.asmcgocall,
// which fast calls used first, does the switch alone: about 10 ns.
// cstack.Call only moves the stack pointer: about 3.5 ns.
//
// The price: while such a run lasts, the goroutine cannot be stopped, so a
// garbage collection waits for it (as it does for wazero's compiled code).
// The engine therefore runs them bounded (weft_call_block_run): a run
// never blocks and stops within about 1-2 ms (WEFT_CALL_SLICE), and the
// rest of the call goes on through ordinary cgo calls. See
// docs/RATIONALE.md, "The Go boundary".
//
// Build with -tags weft_nofastcall to use cgo for every call instead.

const fastCalls = true

// fastCallFn is weft_call_block_run's address: cstack.Call calls it with
// the block as its one argument, and no glue between.
var fastCallFn = uintptr(unsafe.Pointer(C.weft_call_block_run))

// fastCall runs the bounded start or resume that cs.call describes
// (setBlock) on the module's C stack. Only for modules that have one
// (cs.stack_top, mapped at instantiation).
func fastCall(cs *C.weftgo_call) C.int {
	return C.int(cstack.Call(fastCallFn, uintptr(unsafe.Pointer(&cs.call)), uintptr(cs.stack_top)))
}
