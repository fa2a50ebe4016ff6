package cstack

import "unsafe"

// Call runs fn(arg), a C function `int32_t fn(void *arg)`, on the stack
// whose highest address is stackTop, and returns what fn returns. ctx is
// the address of the Context of that stack (C memory); owner is passed to
// the host call handler if fn's run calls HostCallEntry (and kept alive
// while it runs). A Call from inside such a handler, on the same stack,
// runs below the part in use, or returns NoRoom without running fn if
// that part reaches below the Context's nested minimum.
//
//go:noescape
func Call(fn, arg, stackTop, ctx uintptr, owner unsafe.Pointer) int32

// CallLeaf is Call for a fn whose run never calls HostCallEntry: a little
// cheaper. A leaf run needs little stack (the engine keeps a guest's own
// calls on a stack of its own, not this one): nested in host calls, it
// runs below them whatever room is left.
//
//go:noescape
func CallLeaf(fn, arg, stackTop, ctx uintptr) int32

// hostTrampoline is where a host call runs Go code (call_amd64.s): never
// called from Go, it is declared with Call's parameters because it stands
// in for Call's frame while it runs.
func hostTrampoline(fn, arg, stackTop, ctx uintptr, owner unsafe.Pointer) int32

// hostEntryPC returns the address of hostEntry (call_amd64.s).
func hostEntryPC() uintptr

// NoRoom is what Call returns when it did not run fn: too little of the
// stack is left below the host calls waiting on it.
const NoRoom = -1
