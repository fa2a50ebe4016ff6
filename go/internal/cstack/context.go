//go:build amd64

package cstack

import "unsafe"

// Context is what Call and the host calls of its run keep for one C stack:
// it must be in memory that never moves (C memory), and each C stack has
// its own. Calls on one stack are made by one goroutine at a time.
type Context struct {
	goSP, goBP uintptr // the goroutine's, where Call left it
	// parked is the lowest address of the C stack in use while a host call
	// (HostCallEntry) runs Go code, 0 if none: a Call made from inside it
	// runs below.
	parked uintptr
	// NestedMin is the lowest parked address below which a Call may still
	// run (the owner of the stack sets it, to leave room enough for a run).
	NestedMin uintptr
}

// HostCallEntry is the address of a C function `uintptr_t f(void *ctx)`
// that a C function running under Call may call, with the Context of the
// Call's stack, to run the handler set by SetHostCall on the goroutine
// that made the Call, as if Call had called it. Only a C function that
// Call runs may call it, and that C function must expect the handler to
// take any time and to come back on another thread: the goroutine may be
// rescheduled while the handler runs.
var HostCallEntry = hostEntryPC()

// hostHandler is what hostTrampoline calls (call_amd64.s).
var hostHandler func(ctx uintptr, owner unsafe.Pointer) uintptr

// SetHostCall sets what HostCallEntry runs: h(ctx, owner) with the Context
// address it was given and the owner its Call was given, returning what h
// returns. Set it once, before any Call whose C code uses HostCallEntry.
func SetHostCall(h func(ctx uintptr, owner unsafe.Pointer) uintptr) { hostHandler = h }

// parkedOuter is where hostEntry (call_amd64.s) keeps the parked address
// of an outer host call, in the area it parks at.
const parkedOuter = 48

// Parked reports the innermost host call waiting on the stack of ctx (a
// *Context), as an opaque value, 0 if none. One that differs from what it
// was when a Call began says a host call of that Call's run never returned.
func Parked(ctx uintptr) uintptr { return contextAt(ctx).parked }

// Unpark forgets the innermost host call waiting on the stack of ctx (a
// *Context): for a caller that a panic or runtime.Goexit unwound past it
// to, the C run it belongs to being abandoned.
func Unpark(ctx uintptr) {
	c := contextAt(ctx)
	if c.parked != 0 {
		area := *(*unsafe.Pointer)(unsafe.Pointer(&c.parked))
		c.parked = *(*uintptr)(unsafe.Add(area, parkedOuter))
	}
}

// contextAt is the Context at address ctx (C memory: an integer to Go,
// converted without go vet's objection to uintptr -> unsafe.Pointer).
func contextAt(ctx uintptr) *Context { return *(**Context)(unsafe.Pointer(&ctx)) }
