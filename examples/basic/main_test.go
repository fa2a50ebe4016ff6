package main

import (
	"bytes"
	"context"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"default", nil, "1 + 2 = 3\n"},
		{"given", []string{"40", "2"}, "40 + 2 = 42\n"},
		{"negative", []string{"-7", "3"}, "-7 + 3 = -4\n"},
		{"wraps", []string{"2147483647", "1"}, "2147483647 + 1 = -2147483648\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(context.Background(), &out, tc.args); err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRunBadArgs(t *testing.T) {
	for _, args := range [][]string{{"1"}, {"x", "2"}, {"1", "99999999999"}} {
		if err := run(context.Background(), &bytes.Buffer{}, args); err == nil {
			t.Errorf("run(%q): no error", args)
		}
	}
}
