#include "textflag.h"

// func Call(fn, arg, stackTop uintptr) int32
//
// The System V ABI keeps RBX, RBP, R12-R15 across fn: the Go stack pointer
// and frame pointer wait in R12 and R13, and R14 (g) survives. The ABI
// wrapper Go puts around this ABI0 function restores what Go's internal ABI
// expects of X15 and R14 after it returns.
TEXT ·Call(SB), NOSPLIT, $0-28
	MOVQ	fn+0(FP), AX
	MOVQ	arg+8(FP), DI
	MOVQ	stackTop+16(FP), CX
	MOVQ	SP, R12
	MOVQ	BP, R13
	ANDQ	$~15, CX // 16-byte aligned at the call, as the ABI requires
	MOVQ	CX, SP
	CALL	AX
	MOVQ	R12, SP
	MOVQ	R13, BP
	MOVL	AX, ret+24(FP)
	RET
