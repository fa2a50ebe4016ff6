// Package cstack runs a C function on a C stack of the caller's, without
// leaving the goroutine: the cheapest way from Go into the engine.
//
// runtime.asmcgocall, which fast calls used before, also switches the
// thread's g to g0 and saves the goroutine's scheduling state, and measured
// as about 10 ns for a call of an empty C function; Call, about 3.5 ns.
// Running C with the goroutine's g in place is sound where the engine's
// fast calls use it, for the reasons wazero's compiled code relies on:
//
//   - while C runs, the goroutine is at no safe point: the garbage
//     collector and the scheduler wait for it (the engine bounds the run,
//     weft_call_block_run), as they do for asmcgocall;
//   - a signal runs Go's handler on the thread's signal stack, which finds
//     the interrupted PC outside Go code: a preemption request is refused
//     (not an async safe point) and a profiling sample is filed under
//     external code, since the SP is outside the goroutine's stack;
//   - the C run never calls back into Go (a bounded run stops before any
//     host function that is not Go's, and Go's are run after it returns).
//
// The stack is the caller's to provide (the Go package keeps one per module
// instance, mapped with a guard page: glue.c, weftgo_call_new).
package cstack
