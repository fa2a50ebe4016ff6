//go:build !amd64 || weft_nofastcall

package weft

/*
#include "glue.h"
*/
import "C"

import "context"

// Without fast calls (see fastcall.go), every call goes through cgo.
const fastCalls = false

// hostCallEntry: no host calls in place either.
const hostCallEntry = 0

var hostCallsInPlace = false

type fastCallFrame struct {
	m   *moduleInstance
	ctx context.Context
}

const noRoom = -1

func callBlockThroughCgo(cs *C.weftgo_call) C.int {
	panic("weft: fast calls are off in this build")
}

func fastCall(fc *fastCallFrame, cs *C.weftgo_call) C.int {
	panic("weft: fast calls are off in this build")
}

func abandonFastCall(cs *C.weftgo_call, v any) *C.weft_trap {
	panic("weft: fast calls are off in this build")
}

// parkedHostCall: no host call is ever parked.
func parkedHostCall(cs *C.weftgo_call) uintptr { return 0 }

func fastStart(fc *fastCallFrame, cs *C.weftgo_call) C.int {
	panic("weft: fast calls are off in this build")
}

func fastLeafCall(cs *C.weftgo_call) C.int {
	panic("weft: fast calls are off in this build")
}
