package weft_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	weft "github.com/weftwasm/weft/go"
)

// A runtime dropped without Close is closed by its finalizer, which frees
// its modules' C instances: a safety net, not the contract.
func TestFinalizerFreesForgottenRuntime(t *testing.T) {
	before := weft.LiveInstances()
	func() {
		r := weft.NewRuntime(context.Background())
		for i := 0; i < 3; i++ {
			instantiateCalls(t, r)
		}
	}()
	if got := weft.LiveInstances(); got != before+3 {
		t.Fatalf("%d live instances, want %d", got, before+3)
	}
	deadline := time.Now().Add(5 * time.Second)
	for weft.LiveInstances() != before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := weft.LiveInstances(); got != before {
		t.Errorf("%d live instances after GC, want %d", got, before)
	}
}
