package weft

/*
#include "glue.h"
*/
import "C"

import "unsafe"

// The module's weft_call_block (cs.call) is C memory: what Go stores there
// goes in as integers, so that no write barrier runs for a pointer store
// the collector never needs to see (the block is not in the Go heap).

// setBlock describes a fast call's start (resume 0, with its params in
// slots) or resumption (resume 1, after a host function that returned
// hostTrap) for weft_call_block_run.
func setBlock(cs *C.weftgo_call, f *C.weft_func, slots *C.uint64_t, hostTrap *C.weft_trap, resume C.int32_t) {
	b := &cs.call
	*(*uintptr)(unsafe.Pointer(&b.fn)) = uintptr(unsafe.Pointer(f))
	*(*uintptr)(unsafe.Pointer(&b.slots)) = uintptr(unsafe.Pointer(slots))
	*(*uintptr)(unsafe.Pointer(&b.host_trap)) = uintptr(unsafe.Pointer(hostTrap))
	b.resume = resume
}

// blockID reads an id the engine reports as a void * (a host function's
// env, an instance's host data) without a Go variable of pointer type
// ever holding it.
func blockID(p *unsafe.Pointer) uintptr { return *(*uintptr)(unsafe.Pointer(p)) }

// fastCallStacks reports how many C stacks for fast calls are mapped, in
// use by modules or pooled (glue.c).
func fastCallStacks() int { return int(C.weftgo_stacks_mapped()) }
