package bench

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// guestsDir is bench/guests, seen from this package's directory (where
// `go test` runs). WEFT_BENCH_GUESTS overrides it.
func guestsDir() string {
	if d := os.Getenv("WEFT_BENCH_GUESTS"); d != "" {
		return d
	}
	return filepath.Join("..", "guests")
}

// Files of bench/guests/wasm used besides the compute guests.
const (
	trivialFile = "trivial.wasm"  // call-overhead guest (wat/trivial.wat)
	largeFile   = "large-go.wasm" // compile-time guest (go/large)
	largeName   = "large-go"      // its name in checksums.txt
)

// guest is one compute benchmark: a module whose export `run` returns a
// known checksum.
type guest struct {
	name    string
	file    string // the import-free variant: NAME.run.wasm, go-NAME.reactor.wasm
	command string // the WASI command variant, whose _start prints the checksum
	reactor bool   // call _initialize before run (Go c-shared builds)
	want    string // the expected checksum, as checksums.txt has it
}

// readChecksums parses bench/guests/checksums.txt: "name value" lines,
// '#' comments. The order of the file is kept.
func readChecksums() ([][2]string, error) {
	path := filepath.Join(guestsDir(), "checksums.txt")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want \"name checksum\"", path, line)
		}
		out = append(out, [2]string{fields[0], fields[1]})
	}
	return out, sc.Err()
}

// computeGuests lists the compute guests: every checksums.txt entry but
// the large module's.
func computeGuests() ([]guest, error) {
	sums, err := readChecksums()
	if err != nil {
		return nil, err
	}
	var gs []guest
	for _, s := range sums {
		name, want := s[0], s[1]
		if name == largeName {
			continue
		}
		if _, err := strconv.ParseInt(want, 10, 32); err != nil {
			return nil, fmt.Errorf("checksum of %s: %w", name, err)
		}
		g := guest{name: name, want: want, file: name + ".run.wasm", command: name + ".wasm"}
		if strings.HasPrefix(name, "go-") {
			g.file, g.reactor = name+".reactor.wasm", true
		}
		gs = append(gs, g)
	}
	return gs, nil
}

var wasmCache sync.Map // file name -> []byte

// readWasm reads bench/guests/wasm/NAME once per process.
func readWasm(name string) ([]byte, error) {
	if b, ok := wasmCache.Load(name); ok {
		return b.([]byte), nil
	}
	b, err := os.ReadFile(filepath.Join(guestsDir(), "wasm", name))
	if err != nil {
		return nil, err
	}
	wasmCache.Store(name, b)
	return b, nil
}

// checkResult compares a `run` result (an i32 in a uint64) with the
// expected checksum.
func checkResult(g guest, res []uint64) error {
	if len(res) != 1 {
		return fmt.Errorf("%s: run returned %d values, want 1", g.name, len(res))
	}
	got := strconv.FormatInt(int64(int32(uint32(res[0]))), 10)
	if got != g.want {
		return fmt.Errorf("%s: checksum %s, want %s", g.name, got, g.want)
	}
	return nil
}

// prepare instantiates g in a compiled module and returns its `run`,
// after _initialize for a reactor.
func prepare(mod Module, g guest) (Instance, Func, error) {
	inst, err := mod.Instantiate(false)
	if err != nil {
		return nil, nil, fmt.Errorf("instantiate %s: %w", g.name, err)
	}
	if g.reactor {
		initf, err := inst.Func("_initialize")
		if err == nil {
			_, err = initf.Call()
		}
		if err != nil {
			inst.Close()
			return nil, nil, fmt.Errorf("%s: _initialize: %w", g.name, err)
		}
	}
	run, err := inst.Func("run")
	if err != nil {
		inst.Close()
		return nil, nil, fmt.Errorf("%s: run: %w", g.name, err)
	}
	return inst, run, nil
}
