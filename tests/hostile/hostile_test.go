// Package hostile runs the hostile-guest suite (README.md) through the Go
// package: every case of *.cases concurrently, in one runtime, while the
// same runtime keeps serving a well-behaved guest whose every answer is
// checked.
package hostile

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

// The suite's limits (README.md); the cases' expectations depend on them.
const (
	suiteCallDepth     = 10_000
	suiteTableElements = 100_000
	suiteTotalElements = 10_000_000
	suiteFuel          = 10_000_000 // per call
	workers            = 8
	goodN, goodSum     = 1000, 332833500 // sum_squares(1000)
	// When an "interrupted" case's deadline passes: a trigger, not a bound.
	interruptAfter = 20 * time.Millisecond
)

// trapMessages are the trap kinds of the cases and their messages.
var trapMessages = map[string]string{
	"oob_memory":            "out of bounds memory access",
	"oob_table":             "out of bounds table access",
	"undefined_element":     "undefined element",
	"uninitialized_element": "uninitialized element",
	"indirect_type":         "indirect call type mismatch",
	"stack_exhausted":       "call stack exhausted",
	"out_of_fuel":           "all fuel consumed",
}

type hcase struct {
	where    string // file:line
	guest    string
	export   string
	arg      uint32
	kind     string // ok, i32, i64, trap, interrupted, instantiate-trap, ...
	value    int64
	trapKind string
}

func (c hcase) String() string {
	return fmt.Sprintf("%s: %s %s 0x%X", c.where, c.guest, c.export, c.arg)
}

func loadCases(t *testing.T) []hcase {
	files, err := filepath.Glob("*.cases")
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.cases: %v", err)
	}
	var cases []hcase
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			fields := strings.Fields(sc.Text())
			if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
				continue
			}
			c, err := parseCase(fields)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, line, err)
			}
			c.where = fmt.Sprintf("%s:%d", file, line)
			cases = append(cases, c)
		}
		f.Close()
	}
	return cases
}

func parseCase(f []string) (hcase, error) {
	if len(f) < 4 {
		return hcase{}, errors.New("want: guest export argument expectation")
	}
	c := hcase{guest: f[0], export: f[1], kind: f[3]}
	if f[2] != "-" {
		a, err := strconv.ParseUint(f[2], 0, 32)
		if err != nil {
			return c, err
		}
		c.arg = uint32(a)
	}
	switch c.kind {
	case "ok", "interrupted", "compile-error":
	case "i32", "i64":
		if len(f) < 5 {
			return c, errors.New("no value")
		}
		v, err := strconv.ParseInt(f[4], 0, 64)
		c.value = v
		return c, err
	case "trap", "instantiate-trap":
		if len(f) < 5 || trapMessages[f[4]] == "" {
			return c, errors.New("unknown trap kind")
		}
		c.trapKind = f[4]
	case "instantiate-error":
	default:
		return c, fmt.Errorf("unknown expectation %q", c.kind)
	}
	return c, nil
}

// suite holds the runtime and the guests compiled once.
type suite struct {
	r        weft.Runtime
	mu       sync.Mutex
	compiled map[string]weft.CompiledModule
	errs     map[string]error
}

func (s *suite) compile(ctx context.Context, guest string) (weft.CompiledModule, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cm, ok := s.compiled[guest]; ok {
		return cm, s.errs[guest]
	}
	bin, err := os.ReadFile(guest)
	var cm weft.CompiledModule
	if err == nil {
		cm, err = s.r.CompileModule(ctx, bin)
	}
	s.compiled[guest], s.errs[guest] = cm, err
	return cm, err
}

// isTrap says whether err is a trap of kind.
func isTrap(err error, kind string) bool {
	var te *weft.TrapError
	return errors.As(err, &te) && te.Message == trapMessages[kind]
}

// run runs one case and returns what went wrong, or nil.
func (s *suite) run(c hcase) error {
	bg := context.Background()
	fueled := weft.WithFuelBudget(bg, suiteFuel)
	cm, err := s.compile(bg, c.guest)
	if c.kind == "compile-error" {
		if err == nil {
			return errors.New("compiled, want a compile error")
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("compile: %w", err)
	}
	mod, err := s.r.InstantiateModule(fueled, cm, weft.NewModuleConfig().WithName(""))
	switch c.kind {
	case "instantiate-trap":
		if !isTrap(err, c.trapKind) {
			return fmt.Errorf("instantiation: %v, want trap %s", err, c.trapKind)
		}
		return nil
	case "instantiate-error":
		var te *weft.TrapError
		if err == nil || errors.As(err, &te) || !strings.Contains(err.Error(), "limit") {
			return fmt.Errorf("instantiation: %v, want a resource limit error", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("instantiation: %w", err)
	}
	defer mod.Close(bg)
	fn := mod.ExportedFunction(c.export)
	if fn == nil {
		return errors.New("no such export")
	}
	ctx := fueled
	if c.kind == "interrupted" { // no fuel limit: only the deadline stops it
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(bg, interruptAfter)
		defer cancel()
	}
	res, err := fn.Call(ctx, uint64(c.arg))
	switch c.kind {
	case "trap":
		if !isTrap(err, c.trapKind) {
			return fmt.Errorf("%v, want trap %s", err, c.trapKind)
		}
		if c.trapKind == "out_of_fuel" && !errors.Is(err, weft.ErrOutOfFuel) ||
			c.trapKind == "stack_exhausted" && !errors.Is(err, weft.ErrCallStackExhausted) {
			return fmt.Errorf("%v does not match its sentinel error", err)
		}
	case "interrupted":
		var exit *sys.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != sys.ExitCodeDeadlineExceeded ||
			!errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%v, want the deadline's ExitError", err)
		}
	default:
		if err != nil {
			return err
		}
		switch {
		case c.kind == "i32" && uint32(res[0]) != uint32(int32(c.value)):
			return fmt.Errorf("returned %d, want %d", int32(res[0]), c.value)
		case c.kind == "i64" && int64(res[0]) != c.value:
			return fmt.Errorf("returned %d, want %d", int64(res[0]), c.value)
		}
	}
	return nil
}

func TestHostileGuests(t *testing.T) {
	cases := loadCases(t)
	ctx := context.Background()
	cfg := weft.NewRuntimeConfig().
		WithFuel(true).
		WithMaxCallDepth(suiteCallDepth).
		WithMaxTableElements(suiteTableElements).
		WithTotalTableElements(suiteTotalElements).
		WithCloseOnContextDone(true)
	r := weft.NewRuntimeWithConfig(ctx, cfg)
	defer r.Close(ctx)
	s := &suite{r: r, compiled: map[string]weft.CompiledModule{}, errs: map[string]error{}}

	// The well-behaved guest, served all along.
	good, err := r.InstantiateWithConfig(ctx, mustRead(t, "good.wasm"), weft.NewModuleConfig().WithName("good"))
	if err != nil {
		t.Fatal(err)
	}
	var done atomic.Bool
	var goodCalls, goodWrong atomic.Int64
	goodDone := make(chan struct{})
	go func() {
		defer close(goodDone)
		sum := good.ExportedFunction("sum_squares")
		for {
			last := done.Load() // one more call once the hostile ones are over
			res, err := sum.Call(weft.WithFuelBudget(ctx, suiteFuel), goodN)
			if err != nil || uint32(res[0]) != goodSum {
				goodWrong.Add(1)
				t.Errorf("good guest: %v, %v", res, err)
			} else {
				goodCalls.Add(1)
			}
			if last {
				return
			}
		}
	}()

	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(cases) {
					return
				}
				if err := s.run(cases[i]); err != nil {
					failed.Add(1)
					t.Errorf("%v: %v", cases[i], err)
				}
			}
		}()
	}
	wg.Wait()
	done.Store(true)
	<-goodDone
	t.Logf("hostile: %d cases, %d failed; good guest answered %d calls correctly",
		len(cases), failed.Load(), goodCalls.Load())
	if goodCalls.Load() == 0 || goodWrong.Load() != 0 {
		t.Errorf("good guest: %d right, %d wrong", goodCalls.Load(), goodWrong.Load())
	}
	if good.IsClosed() {
		t.Error("the good guest was closed")
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCrossModuleTypeConfusion calls functions of another module and a Go
// host function through an imported table: call_indirect must compare
// signatures by structure (the modules number their types differently),
// trap on a mismatch, and never run a function with the wrong signature.
func TestCrossModuleTypeConfusion(t *testing.T) {
	ctx := context.Background()
	r := weft.NewRuntimeWithConfig(ctx, weft.NewRuntimeConfig().WithFuel(true))
	defer r.Close(ctx)
	var doubled atomic.Int64
	_, err := r.NewHostModuleBuilder("env").NewFunctionBuilder().
		WithFunc(func(_ context.Context, x int32) int32 { doubled.Add(1); return 2 * x }).
		Export("double").Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.InstantiateWithConfig(ctx, mustRead(t, "confuse_lib.wasm"), weft.NewModuleConfig().WithName("lib")); err != nil {
		t.Fatal(err)
	}
	user, err := r.InstantiateWithConfig(ctx, mustRead(t, "confuse_user.wasm"), weft.NewModuleConfig().WithName("user"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		export string
		index  uint64
		want   uint64 // when trap is ""
		trap   string
	}{
		{"call_ii", 0, 6, ""},  // lib's $inc: same signature, other type index
		{"call_ii", 2, 10, ""}, // the Go host function
		{"call_ii", 1, 0, "indirect_type"},
		{"call_ii", 3, 0, "uninitialized_element"},
		{"call_ii", 4, 0, "undefined_element"},
		{"call_ff", 0, 0, "indirect_type"},
		{"call_ff", 2, 0, "indirect_type"},
		{"call_il", 0, 0, "indirect_type"}, // same params, other result
		{"call_il", 1, 0, "indirect_type"}, // same result, other params
		{"call_pad", 0, 0, "indirect_type"},
		{"call_pad", 2, 0, "indirect_type"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s(%d)", tc.export, tc.index), func(t *testing.T) {
			before := doubled.Load()
			res, err := user.ExportedFunction(tc.export).Call(weft.WithFuelBudget(ctx, suiteFuel), tc.index)
			if tc.trap == "" {
				if err != nil || uint32(res[0]) != uint32(tc.want) {
					t.Fatalf("= %v, %v, want %d", res, err, tc.want)
				}
				return
			}
			if !isTrap(err, tc.trap) {
				t.Fatalf("%v, want trap %s", err, tc.trap)
			}
			if doubled.Load() != before {
				t.Error("the host function ran despite the mismatch")
			}
		})
	}
}

// TestMemoryHogsShareTheTotal: guests growing their memories one page at a
// time, concurrently, until refused, in a runtime with a total memory
// limit. Together they get exactly what the total leaves, never more; the
// well-behaved guest keeps answering meanwhile, and once the hogs are
// closed their pages can be had again.
func TestMemoryHogsShareTheTotal(t *testing.T) {
	const hogs, total = 8, 1000 // pages
	ctx := context.Background()
	r := weft.NewRuntimeWithConfig(ctx, weft.NewRuntimeConfig().WithTotalMemoryLimitPages(total))
	defer r.Close(ctx)
	good, err := r.InstantiateWithConfig(ctx, mustRead(t, "good.wasm"), weft.NewModuleConfig().WithName("good"))
	if err != nil {
		t.Fatal(err)
	}
	hog, err := r.CompileModule(ctx, mustRead(t, "grow_open.wasm")) // 1 page, no maximum
	if err != nil {
		t.Fatal(err)
	}
	var grown atomic.Int64
	var wg sync.WaitGroup
	// All hogs exist before any grows: a hog started early could otherwise
	// take the pages a later hog's instantiation needs.
	mods := make([]api.Module, hogs)
	for i := range mods {
		mod, err := r.InstantiateModule(ctx, hog, weft.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		mods[i] = mod
	}
	for _, mod := range mods {
		wg.Add(1)
		go func() {
			defer wg.Done()
			grow := mod.ExportedFunction("grow")
			for {
				res, err := grow.Call(ctx, 1)
				if err != nil {
					t.Error(err)
					return
				}
				if int32(res[0]) == -1 {
					return
				}
				grown.Add(1)
			}
		}()
	}
	hogsDone := make(chan struct{})
	go func() { wg.Wait(); close(hogsDone) }()
	sum := good.ExportedFunction("sum_squares")
	for running := true; running; {
		select {
		case <-hogsDone:
			running = false // one more call after the end
		default:
		}
		if res, err := sum.Call(ctx, goodN); err != nil || uint32(res[0]) != goodSum {
			t.Fatalf("good guest: %v, %v", res, err)
		}
	}
	// The good guest's page and the hogs' first pages, then the grows.
	if want := int64(total - 1 - hogs); grown.Load() != want {
		t.Errorf("the hogs grew %d pages in all, want exactly %d", grown.Load(), want)
	}
	if _, ok := good.Memory().Grow(1); ok {
		t.Error("a grow past the total succeeded")
	}
	for _, m := range mods {
		_ = m.Close(ctx)
	}
	if _, ok := good.Memory().Grow(total - 1); !ok {
		t.Error("the hogs' pages did not come back when they were closed")
	}
}
