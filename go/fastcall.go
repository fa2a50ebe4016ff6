//go:build amd64 && !weft_nofastcall

package weft

/*
#include "glue.h"
*/
import "C"

import "unsafe"

// Fast calls: Go -> Wasm calls and their resumptions after Go host
// functions enter C through runtime.asmcgocall, as Go's runtime does for
// its own C calls, not through cgo. asmcgocall only switches to the
// thread's system stack; cgo's call also tells the scheduler the goroutine
// is in a system call and back (entersyscall / exitsyscall), which is most
// of the 45-55 ns an empty cgo call costs here.
//
// The price: while such a run lasts, the goroutine cannot be stopped, so a
// garbage collection waits for it (as it does for wazero's compiled code).
// The engine therefore runs them bounded (weft_call_start_bounded): a run
// never blocks and stops within about 1-2 ms (WEFT_CALL_SLICE), and the
// rest of the call goes on through ordinary cgo calls. See
// docs/RATIONALE.md, "The Go boundary".
//
// Build with -tags weft_nofastcall to use cgo for every call instead.

const fastCalls = true

//go:linkname asmcgocall runtime.asmcgocall
//go:noescape
func asmcgocall(fn, arg unsafe.Pointer) int32

// fastCallFn is weftgo_fast_call's address.
var fastCallFn = unsafe.Pointer(C.weftgo_fast_call)

// fastCall runs the bounded start or resume that cs describes. cs is C
// memory: it must not point into Go memory (asmcgocall's argument is not
// kept alive or pinned).
func fastCall(cs *C.weftgo_call) C.int {
	return C.int(asmcgocall(fastCallFn, unsafe.Pointer(cs)))
}
