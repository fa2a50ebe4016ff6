// Package cstack runs a C function on a C stack of the caller's, without
// leaving the goroutine: the cheapest way from Go into the engine. And it
// lets that C function call back into Go, on the same goroutine, as if the
// Call had called the Go code directly: the cheapest way from the engine to
// a Go host function.
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
//   - the C run calls into Go only through HostCallEntry, which parks the
//     C side's registers on the C stack and jumps to hostTrampoline on the
//     goroutine's stack exactly where Call left it: to the runtime (stack
//     scans, stack growth, panics, tracebacks) hostTrampoline is simply
//     what Call called, with Call's arguments. The Go code it runs is
//     ordinary: it may grow and move the stack (hostTrampoline then records
//     where Call's frame went), block, be rescheduled onto another thread,
//     collect garbage, call back into the engine (Call runs below the
//     parked part of the stack), panic or call runtime.Goexit (either
//     unwinds past the C frames, which the code it reaches must abandon:
//     Parked tells, Unpark and weft_call_block_abandon do it).
//
// Every switch is a jump, and every call returns where it was called: the
// CPU's return prediction stays paired. (Switching by returning into the
// other stack, a coroutine switch, doubled the cost of a host call.)
//
// The stack is the caller's to provide (the Go package keeps one per module
// instance, mapped with a guard page: glue.c, weftgo_call_new).
package cstack
