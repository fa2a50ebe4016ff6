#include "textflag.h"
#include "funcdata.h"

// The Context a Call is given (C memory, see context.go).
#define CTX_GO_SP 0
#define CTX_GO_BP 8
#define CTX_PARKED 16
#define CTX_NESTED_MIN 24

// func Call(fn, arg, stackTop, ctx uintptr, owner unsafe.Pointer) int32
//
// The goroutine's stack and frame pointers wait in the Context: a host
// call (hostEntry) goes back to them, and the C run returns to them. The
// System V ABI keeps RBX, RBP, R12-R15 across fn: the Context waits in
// R12, the stack and frame pointers in R13 and R15 too.
// The ABI wrapper Go puts around this ABI0 function restores what Go's
// internal ABI expects of X15 and R14 (g) after it returns. A Call made
// while a host call waits on the stack (CTX_PARKED) runs below it, if
// CTX_NESTED_MIN allows, else returns NoRoom.
TEXT ·Call(SB), NOSPLIT|NOFRAME, $0-44
	MOVQ	fn+0(FP), AX
	MOVQ	arg+8(FP), DI
	MOVQ	stackTop+16(FP), CX
	MOVQ	ctx+24(FP), R12
	MOVQ	CTX_PARKED(R12), DX
	TESTQ	DX, DX
	JNE	nested
run:
	MOVQ	SP, CTX_GO_SP(R12)
	MOVQ	BP, CTX_GO_BP(R12)
	MOVQ	SP, R13
	MOVQ	BP, R15
	ANDQ	$~15, CX // 16-byte aligned at the call, as the ABI requires
	MOVQ	CX, SP
	CALL	AX
	// Back on the goroutine's stack: from the registers, unless a host
	// call moved it (a compare and a predicted branch, rather than the
	// stack pointer waiting on a load).
	CMPQ	R13, CTX_GO_SP(R12)
	JNE	moved
	MOVQ	R13, SP
	MOVQ	R15, BP
	MOVL	AX, ret+40(FP)
	RET
moved:
	MOVQ	CTX_GO_SP(R12), SP
	MOVQ	CTX_GO_BP(R12), BP
	MOVL	AX, ret+40(FP)
	RET
nested:
	MOVQ	DX, CX
	CMPQ	DX, CTX_NESTED_MIN(R12)
	JCC	run
	MOVL	$-1, ret+40(FP)
	RET

// func CallLeaf(fn, arg, stackTop, ctx uintptr) int32
//
// Call for a run that makes no host call: nothing is kept in the Context,
// which is only read for how far down the stack is in use (CTX_PARKED).
TEXT ·CallLeaf(SB), NOSPLIT|NOFRAME, $0-36
	MOVQ	fn+0(FP), AX
	MOVQ	arg+8(FP), DI
	MOVQ	stackTop+16(FP), CX
	MOVQ	ctx+24(FP), DX
	MOVQ	CTX_PARKED(DX), DX
	TESTQ	DX, DX
	JNE	nestedLeaf
runLeaf:
	MOVQ	SP, R12
	MOVQ	BP, R13
	ANDQ	$~15, CX // 16-byte aligned at the call, as the ABI requires
	MOVQ	CX, SP
	CALL	AX
	MOVQ	R12, SP
	MOVQ	R13, BP
	MOVL	AX, ret+32(FP)
	RET
nestedLeaf:
	MOVQ	DX, CX // below the host calls waiting on the stack
	JMP	runLeaf

// hostEntry is the C function `uintptr_t hostEntry(void *ctx)` that a run
// on the C stack calls to run Go code: it parks the C side's callee-saved
// registers on the C stack, records how far the C stack is in use
// (CTX_PARKED, for Calls nested inside), and goes on to hostTrampoline on
// the goroutine's stack, where Call left it. Jumps, not calls: every
// call and return stays paired, which the CPU's return prediction needs.
TEXT hostEntry<>(SB), NOSPLIT|NOFRAME, $0-0
	LEAQ	-56(SP), AX // room for 7 words, below C's return address
	MOVQ	BX, 0(AX)
	MOVQ	BP, 8(AX)
	MOVQ	R12, 16(AX)
	MOVQ	R13, 24(AX)
	MOVQ	R14, 32(AX)
	MOVQ	R15, 40(AX)
	MOVQ	CTX_PARKED(DI), DX // an outer host call's, if this run is nested in one
	MOVQ	DX, 48(AX)
	MOVQ	AX, CTX_PARKED(DI)
	MOVQ	AX, R12
	MOVQ	CTX_GO_SP(DI), SP
	MOVQ	CTX_GO_BP(DI), BP
	JMP	·hostTrampoline(SB)

// hostTrampoline runs as if it were the Call that switched to C: entered
// with the stack pointer Call had (its return address on top), it has
// Call's arguments (its Go declaration is Call's, for the garbage
// collector's sake). It calls hostHandler(ctx, owner), then records where the
// goroutine's stack is now (a host function may have grown it, moving it)
// and returns the handler's result to C through hostExit, with the C stack
// pointer in CX.
TEXT ·hostTrampoline(SB), NOSPLIT, $32-44
	NO_LOCAL_POINTERS
	MOVQ	R12, 24(SP) // the C stack pointer, an integer to Go
	// hostHandler(ctx, owner) under Go's internal register ABI: arguments
	// in AX and BX (0 and 8(SP) are their spill slots), the closure in DX,
	// g in R14, X15 zero.
	MOVQ	ctx+24(FP), AX
	MOVQ	owner+32(FP), BX
	MOVQ	·hostHandler(SB), DX
	MOVQ	(TLS), R14
	XORPS	X15, X15
	MOVQ	0(DX), CX
	CALL	CX
	MOVQ	ctx+24(FP), DI
	MOVQ	24(SP), CX
	LEAQ	fn+0(FP), DX // the SP Call was entered with, past its return address
	SUBQ	$8, DX
	MOVQ	DX, CTX_GO_SP(DI)
	MOVQ	0(BP), DX // and the frame pointer it saved
	MOVQ	DX, CTX_GO_BP(DI)
	MOVQ	8(CX), BP // C's again (here: hostExit has no frame to restore it in)
	JMP	hostExit<>(SB)

// hostExit restores the rest of what hostEntry parked at CX (DI: the
// Context) and returns to the C caller.
TEXT hostExit<>(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ	48(CX), DX
	MOVQ	DX, CTX_PARKED(DI)
	MOVQ	0(CX), BX
	MOVQ	16(CX), R12
	MOVQ	24(CX), R13
	MOVQ	32(CX), R14
	MOVQ	40(CX), R15
	LEAQ	56(CX), SP // at C's return address
	RET

// func hostEntryPC() uintptr
TEXT ·hostEntryPC(SB), NOSPLIT, $0-8
	MOVQ	$hostEntry<>(SB), AX
	MOVQ	AX, ret+0(FP)
	RET
