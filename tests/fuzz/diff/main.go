// Command wazero-diff is the second engine of weft's differential fuzzing
// (tests/fuzz/diff.sh): it runs each module in wazero's interpreter, writes
// the same transcript weft-fuzz-exec writes (format: ../exec_harness.h), and
// compares it with weft's.
//
//	wazero-diff [-compiler] -weft DIR FILE.wasm|DIR...
//
// For each NAME.wasm it reads weft's transcript DIR/NAME.txt, writes its own
// next to it (DIR/NAME.wazero.txt) and prints one line per mismatch. The
// last line is "diff: N same, M mismatched, K skipped"; the exit status is
// 1 when anything mismatched.
//
// Skipped, not mismatched, are the differences the engines may legitimately
// have: a call that exhausted either engine's call stack (depth limits
// differ) and what follows it, a timeout, modules whose element segments
// do not fit their table (wazero ignores them at instantiation where the
// spec, and weft, trap), and a memory trap in weft where wazero goes on, in
// a module that may memory.init an active data segment (dropped at
// instantiation by the spec, and weft; wazero copies its bytes).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// callTimeout bounds one call: modules carry wasm-smith's fuel counter and
// end quickly, so a call this slow is reported, not waited for.
const callTimeout = 20 * time.Second

func main() {
	weftDir := flag.String("weft", "", "directory of weft's transcripts (NAME.txt)")
	compiler := flag.Bool("compiler", false, "use wazero's compiler instead of its interpreter")
	flag.Parse()
	if *weftDir == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: wazero-diff [-compiler] -weft DIR FILE.wasm|DIR...")
		os.Exit(2)
	}
	files, err := wasmFiles(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx := context.Background()
	cfg := wazero.NewRuntimeConfigInterpreter()
	if *compiler {
		cfg = wazero.NewRuntimeConfigCompiler()
	}
	cfg = cfg.WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesTailCall).
		WithCloseOnContextDone(true)

	var same, mismatched, skipped int
	for _, file := range files {
		wasm, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		stem := strings.TrimSuffix(filepath.Base(file), ".wasm")
		weftText, err := os.ReadFile(filepath.Join(*weftDir, stem+".txt"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ours := run(ctx, cfg, wasm)
		if err := os.WriteFile(filepath.Join(*weftDir, stem+".wazero.txt"), []byte(ours), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		switch verdict, line := compare(string(weftText), ours, initsActiveData(wasm)); verdict {
		case "same":
			same++
		case "skip":
			skipped++
		default:
			mismatched++
			fmt.Printf("MISMATCH %s: %s\n", file, line)
		}
	}
	fmt.Printf("diff: %d same, %d mismatched, %d skipped\n", same, mismatched, skipped)
	if mismatched > 0 {
		os.Exit(1)
	}
}

// compare judges weft's transcript against wazero's: "same", "skip" or
// "mismatch" with the first differing lines. activeInit: the module may
// memory.init an active data segment (initsActiveData).
func compare(weft, wz string, activeInit bool) (string, string) {
	if weft == wz {
		return "same", ""
	}
	a, b := strings.Split(weft, "\n"), strings.Split(wz, "\n")
	memoryTrap := false // the latest call, in both, trapped out of bounds
	for i := 0; i < len(a) || i < len(b); i++ {
		var la, lb string
		if i < len(a) {
			la = a[i]
		}
		if i < len(b) {
			lb = b[i]
		}
		if la == lb {
			if strings.HasPrefix(la, "call ") {
				memoryTrap = strings.HasSuffix(la, "trap memory")
			}
			if strings.HasSuffix(la, "trap stack") || strings.HasSuffix(la, "timeout") {
				return "skip", ""
			}
			continue
		}
		switch {
		case strings.HasSuffix(la, "trap stack") || strings.HasSuffix(lb, "trap stack"):
			return "skip", "" // call depth limits differ between engines
		case strings.HasSuffix(lb, "timeout"):
			return "skip", ""
		case la == "instantiate: trap table":
			return "skip", "" // wazero ignores element segments out of bounds
		case activeInit && (memoryTrap || strings.HasSuffix(la, "trap memory")):
			// wazero keeps active data segments' bytes: its memory.init
			// went on, or trapped later, after more writes
			return "skip", ""
		}
		return "mismatch", fmt.Sprintf("line %d: weft %q, wazero %q", i+1, la, lb)
	}
	return "same", ""
}

// run writes the transcript of one module (see ../exec_harness.h).
func run(ctx context.Context, cfg wazero.RuntimeConfig, wasm []byte) string {
	var out strings.Builder
	r := wazero.NewRuntimeWithConfig(ctx, cfg)
	defer r.Close(ctx)
	cm, err := r.CompileModule(ctx, wasm)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wazero: compile: %v\n", err)
		out.WriteString("compile: error\n")
		return out.String()
	}
	out.WriteString("compile: ok\n")
	exports, err := exportSection(wasm)
	if err != nil {
		out.WriteString("exports: " + err.Error() + "\n")
		return out.String()
	}
	modCfg := wazero.NewModuleConfig().WithName("")
	mod, err := r.InstantiateModule(ctx, cm, modCfg)
	if err != nil {
		if cat := category(err); cat != "" {
			out.WriteString("instantiate: trap " + cat + "\n")
		} else {
			out.WriteString("instantiate: error\n")
		}
		return out.String()
	}
	out.WriteString("instantiate: ok\n")
	putState(&out, mod, exports)
	calls := 0
	for i, e := range exports {
		if e.kind != kindFunc {
			continue
		}
		calls++
		if calls > 1 { // a fresh instance for each call, as weft-fuzz-exec does
			mod.Close(ctx)
			if mod, err = r.InstantiateModule(ctx, cm, modCfg); err != nil {
				out.WriteString("instantiate again: failed\n")
				return out.String()
			}
		}
		callExport(ctx, &out, mod, i, e.name)
		putState(&out, mod, exports)
	}
	mod.Close(ctx)
	return out.String()
}

func callExport(ctx context.Context, out *strings.Builder, mod api.Module, i int, name string) {
	f := mod.ExportedFunction(name)
	def := f.Definition()
	nparams := 0
	for _, t := range def.ParamTypes() {
		nparams += slots(t)
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	res, err := f.Call(cctx, make([]uint64, nparams)...)
	fmt.Fprintf(out, "call export[%d]:", i)
	if err != nil {
		if cctx.Err() != nil {
			out.WriteString(" timeout\n")
			return
		}
		if cat := category(err); cat != "" {
			out.WriteString(" trap " + cat + "\n")
		} else {
			out.WriteString(" error " + strings.SplitN(err.Error(), "\n", 2)[0] + "\n")
		}
		return
	}
	out.WriteString(" ok")
	k := 0
	for _, t := range def.ResultTypes() {
		if t == valueTypeV128 {
			fmt.Fprintf(out, " v128:%016x%016x", res[k+1], res[k])
		} else {
			out.WriteString(" " + value(t, res[k]))
		}
		k += slots(t)
	}
	out.WriteString("\n")
}

// putState writes every exported global and memory, in export order.
func putState(out *strings.Builder, mod api.Module, exports []export) {
	for i, e := range exports {
		switch e.kind {
		case kindGlobal:
			g := mod.ExportedGlobal(e.name)
			v := g.Get()
			if g.Type() == valueTypeV128 { // wazero's API shows the low half only
				fmt.Fprintf(out, "global export[%d] = v128lo:%016x\n", i, v)
			} else {
				fmt.Fprintf(out, "global export[%d] = %s\n", i, value(g.Type(), v))
			}
		case kindMemory:
			m := mod.ExportedMemory(e.name)
			b, _ := m.Read(0, m.Size())
			fmt.Fprintf(out, "memory export[%d] pages=%d hash=%016x\n", i, m.Size()/65536, hash(b))
		}
	}
}

const (
	valueTypeV128    api.ValueType = 0x7b
	valueTypeFuncref api.ValueType = 0x70
)

func slots(t api.ValueType) int {
	if t == valueTypeV128 {
		return 2
	}
	return 1
}

func value(t api.ValueType, v uint64) string {
	switch t {
	case api.ValueTypeI32:
		return fmt.Sprintf("i32:%08x", uint32(v))
	case api.ValueTypeI64:
		return fmt.Sprintf("i64:%016x", v)
	case api.ValueTypeF32:
		return fmt.Sprintf("f32:%08x", uint32(v))
	case api.ValueTypeF64:
		return fmt.Sprintf("f64:%016x", v)
	case api.ValueTypeExternref, valueTypeFuncref:
		name := "externref"
		if t == valueTypeFuncref {
			name = "funcref"
		}
		if v == 0 {
			return name + ":null"
		}
		return name + ":ref"
	}
	return fmt.Sprintf("kind-%02x", byte(t))
}

// hash is fx_hash of ../exec_harness.c.
func hash(b []byte) uint64 {
	h := uint64(0xcbf29ce484222325)
	for i := 0; i < len(b); i += 8 {
		var w uint64
		for k := 0; k < 8 && i+k < len(b); k++ {
			w |= uint64(b[i+k]) << (8 * k)
		}
		h = (h ^ w) * 0x100000001b3
		h = h<<5 | h>>59
	}
	return h
}

// category maps wazero's trap messages to the transcript's categories; ""
// when the error is no trap.
func category(err error) string {
	msg := err.Error()
	for _, c := range []struct{ text, cat string }{
		{"out of bounds memory access", "memory"},
		{"invalid table access", "table"},
		{"indirect call type mismatch", "indirect-type"},
		{"integer divide by zero", "div-zero"},
		{"integer overflow", "int-overflow"},
		{"invalid conversion to integer", "conversion"},
		{"stack overflow", "stack"},
		{"null reference", "null"},
		{"unreachable", "unreachable"},
	} {
		if strings.Contains(msg, c.text) {
			return c.cat
		}
	}
	return ""
}

// ---------------------------------------------------------------- exports

const (
	kindFunc   = 0
	kindGlobal = 3
	kindMemory = 2
)

type export struct {
	name string
	kind byte
}

// uleb reads an unsigned LEB128 at *p (a malformed one panics: the
// callers recover).
func uleb(b []byte, p *int) int {
	v, shift := 0, 0
	for {
		c := b[*p]
		*p++
		v |= int(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
		shift += 7
	}
}

// section returns the contents of the module's section `id`, nil when it
// has none (or it is malformed).
func section(wasm []byte, id byte) (body []byte) {
	defer func() {
		if recover() != nil {
			body = nil
		}
	}()
	for p := 8; p < len(wasm); {
		sid := wasm[p]
		p++
		size := uleb(wasm, &p)
		if sid == id {
			return wasm[p : p+size]
		}
		p += size
	}
	return nil
}

// exportSection lists the module's exports in order (wazero's API gives
// them as maps).
func exportSection(wasm []byte) (exports []export, err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("malformed export section")
		}
	}()
	b := section(wasm, 7)
	if b == nil {
		return nil, nil
	}
	q := 0
	n := uleb(b, &q)
	for i := 0; i < n; i++ {
		l := uleb(b, &q)
		name := string(b[q : q+l])
		q += l
		kind := b[q]
		q++
		uleb(b, &q)
		exports = append(exports, export{name, kind})
	}
	return exports, nil
}

// initsActiveData tells whether the module has an active data segment and
// its code may hold a memory.init (bytes 0xFC 0x08 anywhere in the code
// section: a crude scan, which may also match inside an immediate). The
// spec drops an active segment at instantiation, so memory.init of it
// traps unless its length is 0; wazero v1.12 keeps the bytes and copies
// them.
func initsActiveData(wasm []byte) (found bool) {
	defer func() {
		if recover() != nil {
			found = false
		}
	}()
	data, code := section(wasm, 11), section(wasm, 10)
	if data == nil || code == nil || !bytes.Contains(code, []byte{0xfc, 0x08}) {
		return false
	}
	q := 0
	n := uleb(data, &q)
	for i := 0; i < n; i++ {
		flags := uleb(data, &q)
		if flags != 1 {
			return true // 0: active in memory 0; 2: active, memory index given
		}
		q += uleb(data, &q) // passive: the bytes
	}
	return false
}

// wasmFiles expands directories into their *.wasm files, sorted.
func wasmFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "*.wasm"))
		if err != nil {
			return nil, err
		}
		sort.Strings(m)
		files = append(files, m...)
	}
	return files, nil
}
