package cstack

// Call runs fn(arg), a C function `int32_t fn(void *arg)`, on the stack
// whose highest address is stackTop, and returns what fn returns.
//
//go:noescape
func Call(fn, arg, stackTop uintptr) int32
