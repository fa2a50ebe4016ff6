package weft

/*
#include "weft.h"
*/
import "C"

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/weftwasm/weft/go/sys"
)

// TrapError is the error of a call that trapped: a Wasm trap ("wasm error:
// integer divide by zero") or a Go host function that panicked, with the
// Wasm stack trace when the runtime has debug info on (the default). Its
// Error text has wazero's shape.
type TrapError struct {
	// Message is the trap's message: the spec's text for Wasm traps, the
	// panic's for host functions.
	Message string
	// Frames are the Wasm frames, innermost first, as "module.function".
	Frames []string
	// Cause is the value a host function panicked with, when it was an
	// error, or for a trap of a resource limit ErrOutOfFuel or
	// ErrCallStackExhausted; errors.Is and errors.As see it.
	Cause  error
	fromGo bool
}

func (e *TrapError) Error() string {
	var b strings.Builder
	if !e.fromGo {
		b.WriteString("wasm error: ")
	}
	b.WriteString(e.Message)
	if len(e.Frames) > 0 {
		b.WriteString("\nwasm stack trace:")
		for _, f := range e.Frames {
			b.WriteString("\n\t")
			b.WriteString(f)
		}
	}
	return b.String()
}

func (e *TrapError) Unwrap() error { return e.Cause }

// Go errors raised by host functions travel through C as traps; the Go
// value waits here, keyed by its trap, until the Go caller takes it back.
var goTraps sync.Map // *C.weft_trap -> error or panic value

// trapError turns a trap into the Go error of the call and frees it.
func (m *moduleInstance) trapError(ctx context.Context, t *C.weft_trap) error {
	defer C.weft_trap_delete(t)
	var goValue interface{}
	if v, ok := goTraps.LoadAndDelete(t); ok {
		goValue = v
	}
	switch C.weft_trap_code_of(t) {
	case C.WEFT_TRAP_EXIT:
		code := uint32(C.weft_trap_exit_code(t))
		if exit, ok := goValue.(*sys.ExitError); ok {
			code = exit.ExitCode()
		}
		// Closed by its exit: leave the namespace now, since a later Close
		// finds the module closed and does nothing.
		if m.markClosed(code) {
			m.r.unregister(m.name, m)
		}
		return sys.NewExitError(code)
	case C.WEFT_TRAP_INTERRUPTED:
		if ctx.Err() != nil {
			return m.closeForContext(ctx)
		}
		if m.IsClosed() {
			return m.closedError()
		}
	}
	te := &TrapError{Message: C.GoString(C.weft_trap_message(t)), Cause: trapCause(C.weft_trap_code_of(t))}
	if goValue != nil {
		te.fromGo = true
		if err, ok := goValue.(error); ok {
			te.Cause = err
			te.Message = err.Error()
		} else {
			te.Message = fmt.Sprint(goValue)
		}
	}
	if m.r.config.debugInfo {
		te.Frames = m.frames(t)
	}
	return te
}

// frames names the trap's backtrace frames.
func (m *moduleInstance) frames(t *C.weft_trap) []string {
	n := int(C.weft_trap_frame_count(t))
	frames := make([]string, 0, n+1)
	for i := 0; i < n; i++ {
		module := m.name
		if mn := C.weft_trap_frame_module_name(t, C.size_t(i)); mn != nil {
			module = C.GoString(mn)
		}
		if fn := C.weft_trap_frame_func_name(t, C.size_t(i)); fn != nil {
			frames = append(frames, module+"."+C.GoString(fn))
		} else {
			frames = append(frames, fmt.Sprintf("%s.$%d", module, uint32(C.weft_trap_frame_func_index(t, C.size_t(i)))))
		}
	}
	if omitted := C.weft_trap_frames_omitted(t); omitted > 0 {
		frames = append(frames, fmt.Sprintf("... %d more frames", uint64(omitted)))
	}
	return frames
}

// closeForContext closes the module because ctx is done, and returns the
// call's error.
func (m *moduleInstance) closeForContext(ctx context.Context) error {
	code := sys.ExitCodeContextCanceled
	if ctx.Err() == context.DeadlineExceeded {
		code = sys.ExitCodeDeadlineExceeded
	}
	if m.markClosed(code) {
		m.r.unregister(m.name, m)
	}
	return sys.NewExitErrorWithCause(code, context.Cause(ctx))
}
