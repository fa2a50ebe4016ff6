package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out, 8, 10000); err != nil {
		t.Fatal(err)
	}
	want := `8 goroutines, one CompiledModule, one instance each, 10 scan calls per instance
worker 1: 1..10000: longest chain from 6171 (261 steps); instance counted 10 calls, reported 26 new bests to Go
worker 2: 10001..20000: longest chain from 17647 (278 steps); instance counted 10 calls, reported 8 new bests to Go
worker 3: 20001..30000: longest chain from 26623 (307 steps); instance counted 10 calls, reported 8 new bests to Go
worker 4: 30001..40000: longest chain from 35655 (323 steps); instance counted 10 calls, reported 7 new bests to Go
worker 5: 40001..50000: longest chain from 45127 (313 steps); instance counted 10 calls, reported 6 new bests to Go
worker 6: 50001..60000: longest chain from 52527 (339 steps); instance counted 10 calls, reported 8 new bests to Go
worker 7: 60001..70000: longest chain from 60975 (334 steps); instance counted 10 calls, reported 8 new bests to Go
worker 8: 70001..80000: longest chain from 77031 (350 steps); instance counted 10 calls, reported 6 new bests to Go
longest Collatz chain from 1..80000: 77031 (350 steps); env.new_best was called 77 times
`
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// Many more goroutines than cores, each with its own instance: the same
// answer as one goroutine scanning everything.
func TestManyWorkers(t *testing.T) {
	var many, one bytes.Buffer
	if err := run(context.Background(), &many, 100, 100); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), &one, 1, 10000); err != nil {
		t.Fatal(err)
	}
	last := func(s string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		l := lines[len(lines)-1]
		return l[:strings.Index(l, ";")] // without the count of host calls, which differs
	}
	if a, b := last(many.String()), last(one.String()); a != b || !strings.Contains(a, "6171 (261 steps)") {
		t.Errorf("100 workers: %q\n1 worker: %q", a, b)
	}
	if n := strings.Count(many.String(), "instance counted 10 calls"); n != 100 {
		t.Errorf("%d of 100 instances counted their own 10 calls", n)
	}
}
