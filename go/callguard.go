package weft

/*
#include "glue.h"
*/
import "C"

import "sync/atomic"

// callCount counts the calls running on a module, for Close (see
// moduleInstance: the C instance is freed only when none runs).
//
// Making and leaving a call must tell a concurrent Close, and Close must
// tell them, without either missing the other: each side writes its own
// word (the count; closeState) and then reads the other's. That needs a
// full memory barrier between the write and the read on both sides. An
// atomic add gives one, but on this hot path it is dear: it waits for every
// store the call made to drain, which measured as about half the cost of
// a trivial call.
//
// So the barrier is made asymmetric where the kernel can: the calling side
// writes the count with a plain store (only the goroutine making calls on
// the module writes it: calls on a module are made one at a time), and
// Close, which is rare, runs membarrier(2), which makes every running
// thread of the process execute a full barrier. After it, either the
// caller's count is visible to Close, or the caller's read of closeState
// comes after Close's write. Without membarrier, and under the race
// detector (which would see the plain store race with Close's load), both
// sides use atomic adds.
type callCount struct{ n int32 }

// asymmetricFences is set once, at init, if the kernel's membarrier works.
var asymmetricFences = !raceEnabled && C.weftgo_membarrier_init() != 0

func (c *callCount) add(d int32) int32 {
	if !asymmetricFences {
		return atomic.AddInt32(&c.n, d)
	}
	c.n += d
	return c.n
}

// loadAfterClose reads the count from the goroutine that closes the
// module, after closeState is written (see above).
func (c *callCount) loadAfterClose() int32 {
	if asymmetricFences {
		C.weftgo_membarrier()
	}
	return atomic.LoadInt32(&c.n)
}
