// Package sys holds the types shared by weft's API and its host modules:
// the exit error a guest ends with, and the clock and sleep hooks a
// ModuleConfig accepts. It mirrors github.com/tetratelabs/wazero/sys.
package sys

import (
	"context"
	"fmt"
)

// Exit codes weft reserves for a guest stopped by its context, when the
// runtime was configured WithCloseOnContextDone. Well-behaved guests do not
// exit with them.
const (
	// ExitCodeContextCanceled is the exit code of a call stopped because its
	// context was canceled.
	ExitCodeContextCanceled uint32 = 0xffffffff
	// ExitCodeDeadlineExceeded is the exit code of a call stopped because its
	// context passed its deadline.
	ExitCodeDeadlineExceeded uint32 = 0xefffffff
)

// ExitError is the error of a call into a module that ended it: the guest
// called WASI proc_exit, a host function closed the module with
// CloseWithExitCode, or the call's context was done (see the reserved exit
// codes). Exit code 0 means success.
type ExitError struct {
	exitCode uint32
	cause    error
}

var exitZero = &ExitError{}

// NewExitError returns the error of a module that exited with exitCode.
// It allocates nothing for exit code 0.
func NewExitError(exitCode uint32) *ExitError {
	if exitCode == 0 {
		return exitZero
	}
	return &ExitError{exitCode: exitCode}
}

// NewExitErrorWithCause is NewExitError whose Unwrap returns cause, e.g. the
// context's error for ExitCodeContextCanceled. A weft addition.
func NewExitErrorWithCause(exitCode uint32, cause error) *ExitError {
	return &ExitError{exitCode: exitCode, cause: cause}
}

// ExitCode returns the code the module exited with: zero for success.
func (e *ExitError) ExitCode() uint32 { return e.exitCode }

// Error implements error.
func (e *ExitError) Error() string {
	switch e.exitCode {
	case ExitCodeContextCanceled:
		return fmt.Sprintf("module closed with %s", context.Canceled)
	case ExitCodeDeadlineExceeded:
		return fmt.Sprintf("module closed with %s", context.DeadlineExceeded)
	default:
		return fmt.Sprintf("module closed with exit_code(%d)", e.exitCode)
	}
}

// Is reports whether target is an *ExitError with the same code, or the
// context error a reserved exit code stands for (errors.Is support).
func (e *ExitError) Is(target error) bool {
	if other, ok := target.(*ExitError); ok {
		return other.exitCode == e.exitCode
	}
	switch e.exitCode {
	case ExitCodeContextCanceled:
		return target == context.Canceled
	case ExitCodeDeadlineExceeded:
		return target == context.DeadlineExceeded
	}
	return false
}

// Unwrap returns the cause recorded with NewExitErrorWithCause, if any.
func (e *ExitError) Unwrap() error { return e.cause }

// ClockResolution is a clock's resolution in nanoseconds.
type ClockResolution uint32

// Walltime returns the current time in seconds and nanoseconds since the
// Unix epoch (WASI's realtime clock).
type Walltime func() (sec int64, nsec int32)

// Nanotime returns nanoseconds from an arbitrary fixed origin, never
// decreasing (WASI's monotonic clock).
type Nanotime func() int64

// Nanosleep pauses the calling goroutine for at least ns nanoseconds.
type Nanosleep func(ns int64)

// Osyield yields the processor (WASI sched_yield).
type Osyield func()
