package bench

import (
	"encoding/binary"
	"strings"
	"testing"
)

// These tests keep the harness honest: the adapters behave alike, and the
// committed guests do what checksums.txt says. The compute benchmarks
// check every result themselves; the WASI command variants are checked
// here. bench/run-go-bench.sh passes -run '^$' so they do not slow it.

// checkingRuntimes are the runtimes fast enough to run every guest in a
// test (the interpreters take minutes for all of them).
func checkingRuntimes() []string {
	var out []string
	for _, n := range runtimeNames() {
		if n != "wazero-interp" {
			out = append(out, n)
		}
	}
	return out
}

func newTestRuntime(t *testing.T, name string) Runtime {
	t.Helper()
	rt, err := runtimes[name]()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() { rt.Close() })
	return rt
}

func compileTest(t *testing.T, rt Runtime, file string) Module {
	t.Helper()
	wasm, err := readWasm(file)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(wasm)
	if err != nil {
		t.Fatalf("compile %s: %v", file, err)
	}
	t.Cleanup(func() { mod.Close() })
	return mod
}

func TestTrivial(t *testing.T) {
	for _, name := range runtimeNames() {
		t.Run(name, func(t *testing.T) {
			rt := newTestRuntime(t, name)
			inst, err := compileTest(t, rt, trivialFile).Instantiate(false)
			if err != nil {
				t.Fatal(err)
			}
			defer inst.Close()

			call := func(fn string, args ...uint64) []uint64 {
				t.Helper()
				f, err := inst.Func(fn)
				if err != nil {
					t.Fatalf("%s: %v", fn, err)
				}
				res, err := f.Call(args...)
				if err != nil {
					t.Fatalf("%s: %v", fn, err)
				}
				return res
			}
			if res := call("nop"); len(res) != 0 {
				t.Errorf("nop returned %v", res)
			}
			if res := call("add", 0xffffffff, 3); len(res) != 1 || uint32(res[0]) != 2 {
				t.Errorf("add(-1, 3) = %v, want [2]", res)
			}
			before := hostCalls
			call("callhost", 1000)
			if got := hostCalls - before; got != 1000 {
				t.Errorf("callhost(1000) made %d host calls", got)
			}
			if _, err := inst.Func("missing"); err != ErrNoExport {
				t.Errorf("Func(missing) error = %v, want ErrNoExport", err)
			}

			buf := make([]byte, memReadSize)
			if err := inst.ReadMemory(0, buf); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(buf), trivialPattern) {
				t.Errorf("memory starts %q", buf[:32])
			}
			var sum uint32
			for i := 0; i < memReadSize; i += 4 {
				sum += binary.LittleEndian.Uint32(buf[i:])
			}
			if res := call("checksum"); uint32(res[0]) != sum {
				t.Errorf("guest sums memory to %d, Go read sums to %d", uint32(res[0]), sum)
			}
			if err := inst.ReadMemory(65536-16, buf); err == nil {
				t.Error("read past the end of memory succeeded")
			}
		})
	}
}

// TestCommands runs `_start` of each guest's WASI command variant and
// compares what it prints with checksums.txt.
func TestCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every guest; skipped with -short")
	}
	guests, err := computeGuests()
	if err != nil {
		t.Fatal(err)
	}
	sums, err := readChecksums()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		if s[0] == largeName {
			guests = append(guests, guest{name: largeName, command: largeFile, want: s[1]})
		}
	}
	for _, name := range checkingRuntimes() {
		t.Run(name, func(t *testing.T) {
			rt := newTestRuntime(t, name)
			for _, g := range guests {
				inst, err := compileTest(t, rt, g.command).Instantiate(true)
				if err != nil {
					t.Fatalf("%s: %v", g.command, err)
				}
				out, err := inst.RunStart()
				inst.Close()
				if err != nil {
					t.Errorf("%s: _start: %v", g.command, err)
				} else if got := strings.TrimSpace(string(out)); got != g.want {
					t.Errorf("%s printed %q, want %q", g.command, got, g.want)
				}
			}
		})
	}
}

// TestRunTwice checks that each guest's `run` can be called again on the
// same instance with the same result (no state left from the first call),
// so a harness may call it repeatedly.
func TestRunTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every guest; skipped with -short")
	}
	guests, err := computeGuests()
	if err != nil {
		t.Fatal(err)
	}
	name := checkingRuntimes()[0]
	rt := newTestRuntime(t, name)
	for _, g := range guests {
		inst, run, err := prepare(compileTest(t, rt, g.file), g)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 2; i++ {
			res, err := run.Call()
			if err == nil {
				err = checkResult(g, res)
			}
			if err != nil {
				t.Errorf("%s, call %d: %v", name, i, err)
			}
		}
		inst.Close()
	}
}
