//go:build amd64 && !weft_nofastcall

package weft

/*
#include "glue.h"
*/
import "C"

import (
	"context"
	"unsafe"

	"github.com/weftwasm/weft/go/internal/cstack"
)

// Fast calls: Go -> Wasm calls (and their resumptions after Go host
// functions, when they yielded) enter C on a C stack of the module's
// (go/internal/cstack), not through cgo; the Go host functions they call
// run in place, called from C on the goroutine's stack. cgo's call
// switches to the thread's system stack and tells the scheduler the
// goroutine is in a system call and back (entersyscall / exitsyscall):
// 45-55 ns for an empty C function here. runtime.asmcgocall,
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

// fastStartFn is weft_call_block_start's: a start's, a little cheaper
// (fastStart, fastLeafCall).
var fastStartFn = uintptr(unsafe.Pointer(C.weft_call_block_start))

// fastCallFrame is what the Go host functions a fast call runs in place
// need of its caller: the module called and the call's context (never
// nil: see orBackground). It lives in the caller's frame: fastCall passes
// its address through cstack.Call, which keeps it for hostCallInPlace.
type fastCallFrame struct {
	m   *moduleInstance
	ctx context.Context
}

// fastCall runs the bounded start or resume that cs.call describes
// (setBlock) on the module's C stack, for fc.m (the owner of cs). Only for
// modules that have one (cs.stack_top, mapped at instantiation).
//
// Go host functions the run calls run in place (hostCallInPlace), on this
// goroutine, with the run waiting on the C stack. A call that such a host
// function makes back into the module runs below the waiting part of the
// stack, or through cgo if less than 64 KiB of the stack is left below it:
// it returns noRoom for that last case, having run nothing: the caller
// then makes the call with callBlockThroughCgo. (Inline: fastCall, or
// fastStart and fastLeafCall below, is on the path of every Go -> Wasm
// call.)
func fastCall(fc *fastCallFrame, cs *C.weftgo_call) C.int {
	return C.int(cstack.Call(fastCallFn, uintptr(unsafe.Pointer(&cs.call)), uintptr(cs.stack_top), uintptr(unsafe.Pointer(cs)), unsafe.Pointer(fc)))
}

// fastStart is fastCall for a start (setBlock's resume 0), through C's
// entry for starts.
func fastStart(fc *fastCallFrame, cs *C.weftgo_call) C.int {
	return C.int(cstack.Call(fastStartFn, uintptr(unsafe.Pointer(&cs.call)), uintptr(cs.stack_top), uintptr(unsafe.Pointer(cs)), unsafe.Pointer(fc)))
}

// fastLeafCall is fastStart for a function whose run never reaches a host
// function (not function.guarded): a little cheaper.
// The block is a full start all the same, for callBlockThroughCgo after
// noRoom.
func fastLeafCall(cs *C.weftgo_call) C.int {
	return C.int(cstack.CallLeaf(fastStartFn, uintptr(unsafe.Pointer(&cs.call)), uintptr(cs.stack_top), uintptr(unsafe.Pointer(cs))))
}

// noRoom: see fastCall.
const noRoom = cstack.NoRoom

// callBlockThroughCgo is fastCall through cgo, its host calls yielding.
func callBlockThroughCgo(cs *C.weftgo_call) C.int {
	return C.weftgo_call_block_run_cgo(C.uintptr_t(uintptr(unsafe.Pointer(cs))))
}

// hostCallEntry is what a module's fast calls call Go host functions
// through (weftgo_call_new), if hostCallsInPlace (false only in tests that
// compare with yielding).
var hostCallEntry = cstack.HostCallEntry

var hostCallsInPlace = true

func init() { cstack.SetHostCall(hostCallInPlace) }

// hostCallInPlace runs the Go host function that a fast call calls, as
// weft_call_block.host_call: ctx is the module's call state, whose block
// says which function, for which calling module, on which slots; owner is
// the call's fastCallFrame. It returns the function's trap or 0.
//
// It is hostFunc.invokeIn without the deferred recover (about 3 ns of a
// 20 ns host call): a panic (or runtime.Goexit) unwinds past the C run, to
// the guarded fast call (function.callQuickGuarded, serveHostCalls), which
// abandons the run (abandonFastCall). Nor does it call invokeIn: one call
// layer less.
func hostCallInPlace(ctx uintptr, owner unsafe.Pointer) uintptr {
	cs := *(**C.weftgo_call)(unsafe.Pointer(&ctx))
	fc := (*fastCallFrame)(owner)
	hf := hostFuncByID(blockID(&cs.call.host_env))
	caller := fc.m
	if blockID(&cs.call.host_caller_data) != caller.id {
		return hostCallInPlaceFor(cs, fc, hf)
	}
	stack := hostStack(cs.call.host_slots, hf.stackLen)
	if hf.goFunc != nil {
		hf.goFunc(fc.ctx, stack)
	} else {
		hf.fn(fc.ctx, caller, stack)
	}
	if hf.narrows { // afterCall's work, inline
		hf.narrowResults(stack)
	}
	if caller.IsClosed() {
		return uintptr(unsafe.Pointer(exitTrap(caller)))
	}
	return 0
}

// hostCallInPlaceFor is hostCallInPlace for a host function called by a
// module that the fast call's module calls into: that module is the host
// function's caller (nil if it is gone), in the fast call's context, as
// every host function the call runs is. Rare: invokeIn's way, recover and
// all.
//
//go:noinline
func hostCallInPlaceFor(cs *C.weftgo_call, fc *fastCallFrame, hf *hostFunc) uintptr {
	caller := moduleFromID(blockID(&cs.call.host_caller_data))
	return uintptr(unsafe.Pointer(hf.invokeIn(fc.ctx, caller, cs.call.host_slots)))
}

// parkedHostCall is the host call parked on cs's C stack, if any (0): a
// guarded call notes it as it starts, and one that differs on its way out
// says a Go host function called in place never returned (it panicked or
// called runtime.Goexit): the run is then to be abandoned.
func parkedHostCall(cs *C.weftgo_call) uintptr { return cstack.Parked(uintptr(unsafe.Pointer(cs))) }

// abandonFastCall ends the fast call on cs whose Go host function, run in
// place, never returned: it panicked with v, or called runtime.Goexit (v
// nil). Its panic or Goexit unwound past the call's C run, which C is told
// to forget (weft_call_block_abandon), and the host call parked on the
// module's stack with it. It returns the trap the call ends with, nil for
// a Goexit, which leaves no one to tell.
func abandonFastCall(cs *C.weftgo_call, v any) *C.weft_trap {
	cstack.Unpark(uintptr(unsafe.Pointer(cs)))
	var t *C.weft_trap
	if v != nil {
		t = trapFromGo(v)
	}
	C.weft_call_block_abandon(&cs.call, t)
	return t
}
