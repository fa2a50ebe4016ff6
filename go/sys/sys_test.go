package sys

import (
	"context"
	"errors"
	"testing"
)

func TestExitError(t *testing.T) {
	tests := []struct {
		name    string
		err     *ExitError
		message string
		is      error
	}{
		{"zero", NewExitError(0), "module closed with exit_code(0)", NewExitError(0)},
		{"code", NewExitError(3), "module closed with exit_code(3)", NewExitError(3)},
		{"canceled", NewExitError(ExitCodeContextCanceled), "module closed with context canceled", context.Canceled},
		{"deadline", NewExitError(ExitCodeDeadlineExceeded), "module closed with context deadline exceeded", context.DeadlineExceeded},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.message {
				t.Errorf("Error() = %q, want %q", got, tc.message)
			}
			if !errors.Is(tc.err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", tc.err, tc.is)
			}
			if errors.Is(tc.err, NewExitError(42)) {
				t.Errorf("errors.Is(%v, exit 42) = true", tc.err)
			}
		})
	}
	cause := errors.New("deadline of the request")
	wrapped := NewExitErrorWithCause(ExitCodeDeadlineExceeded, cause)
	if !errors.Is(wrapped, cause) || !errors.Is(wrapped, context.DeadlineExceeded) {
		t.Errorf("NewExitErrorWithCause: errors.Is lost the cause or the code")
	}
}
