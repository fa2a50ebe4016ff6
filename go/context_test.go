package weft_test

import (
	"context"
	"errors"
	"testing"
	"time"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/sys"
)

// With WithCloseOnContextDone, cancelling the context stops (loop (br 0))
// promptly, the call returns an ExitError wrapping context.Canceled, and
// the module is closed.
func TestContextCancelStopsLoop(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithCloseOnContextDone(true))
	mod, _ := instantiateCalls(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	var cancelledAt time.Time
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancelledAt = time.Now()
		cancel()
	}()
	_, err := mod.ExportedFunction("loop_forever").Call(ctx)
	stoppedAt := time.Now()
	latency := stoppedAt.Sub(cancelledAt)
	t.Logf("stopped %v after cancel", latency)
	var exit *sys.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != sys.ExitCodeContextCanceled {
		t.Fatalf("error %v, want ExitCodeContextCanceled", err)
	}
	if !errors.Is(err, context.Canceled) {
		t.Error("error does not match context.Canceled")
	}
	// The latency is logged (tens of microseconds: the guest polls at every
	// back-edge), not asserted tightly: tests carry no timing thresholds and
	// a loaded machine can deschedule either goroutine. The loose bound only
	// tells "stopped by the cancel" from "not stopped".
	if latency > time.Second {
		t.Errorf("took %v to stop", latency)
	}
	if !mod.IsClosed() {
		t.Error("module not closed after cancellation")
	}
}

func TestContextDeadline(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithCloseOnContextDone(true))
	mod, _ := instantiateCalls(t, r)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := mod.ExportedFunction("loop_forever").Call(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want DeadlineExceeded", err)
	}
	var exit *sys.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != sys.ExitCodeDeadlineExceeded {
		t.Errorf("exit code of %v", err)
	}
}

// A context done before the call: the call does not start.
func TestContextDoneBeforeCall(t *testing.T) {
	r := newRuntime(t, weft.NewRuntimeConfig().WithCloseOnContextDone(true))
	mod, _ := instantiateCalls(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := mod.ExportedFunction("add_i32").Call(ctx, 1, 2); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// Without WithCloseOnContextDone (wazero's default), the context does not
// stop a call; a finished call is unaffected by a later cancel.
func TestContextIgnoredByDefault(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got, err := mod.ExportedFunction("add_i32").Call(ctx, 1, 2); err != nil || got[0] != 3 {
		t.Errorf("add_i32 = %v, %v", got, err)
	}
}

// Closing a module from another goroutine stops its running call.
func TestCloseStopsRunningCall(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	go func() {
		time.Sleep(20 * time.Millisecond)
		_ = mod.CloseWithExitCode(context.Background(), 9)
	}()
	_, err := mod.ExportedFunction("loop_forever").Call(context.Background())
	var exit *sys.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 9 {
		t.Fatalf("error %v, want exit code 9", err)
	}
}
