package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	wazero "github.com/weftwasm/weft/go"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, []string{"Hello, WebAssembly", "Grüße, 世界"}); err != nil {
		t.Fatal(err)
	}
	want := `input:   "Hello, WebAssembly"
upper:   "HELLO, WEBASSEMBLY"
reverse: "ylbmessAbeW ,olleH"
input:   "Grüße, 世界"
upper:   "GRüßE, 世界"
reverse: "界世 ,eßürG"
`
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestGuestFunctions(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	g, err := instantiate(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in, upper, reverse string
	}{
		{"empty", "", "", ""},
		{"one byte", "a", "A", "a"},
		{"ascii", "abc XYZ 123", "ABC XYZ 123", "321 ZYX cba"},
		{"four-byte runes", "a😀b", "A😀B", "b😀a"},
		{"invalid utf-8", "a\xffb\xe4", "A\xffB\xe4", "\xe4b\xffa"},
		{"truncated rune", "ab\xe4\xb8", "AB\xe4\xb8", "\xb8\xe4ba"},
		{"large", strings.Repeat("xy", 50000), strings.Repeat("XY", 50000), strings.Repeat("yx", 50000)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			up, err := g.upperString(ctx, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if up != tc.upper {
				t.Errorf("upper(%q) = %q, want %q", tc.in, up, tc.upper)
			}
			rev, err := g.reverseString(ctx, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if rev != tc.reverse {
				t.Errorf("reverse(%q) = %q, want %q", tc.in, rev, tc.reverse)
			}
		})
	}
}

// Every string Go allocates or receives is freed: many round trips do not
// grow the guest's memory.
func TestNoLeak(t *testing.T) {
	ctx := context.Background()
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	g, err := instantiate(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Repeat("leak? ", 2000) // 12 KB: three copies live per round trip
	if _, err := g.reverseString(ctx, s); err != nil {
		t.Fatal(err)
	}
	size := g.mod.Memory().Size()
	for i := 0; i < 200; i++ {
		if _, err := g.upperString(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, err := g.reverseString(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if got := g.mod.Memory().Size(); got != size {
		t.Errorf("memory grew from %d to %d bytes", size, got)
	}
}
