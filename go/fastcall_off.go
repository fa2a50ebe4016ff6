//go:build !amd64 || weft_nofastcall

package weft

/*
#include "glue.h"
*/
import "C"

// Without fast calls (see fastcall.go), every call goes through cgo.
const fastCalls = false

func fastCall(cs *C.weftgo_call) C.int {
	panic("weft: fast calls are off in this build")
}
