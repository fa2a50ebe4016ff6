package bench

import (
	"errors"
	"fmt"
	"os"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

func init() {
	register("wasmtime", newWasmtime)
}

// wasmtimeRuntime adapts wasmtime-go with its default configuration
// (Cranelift; compilation is parallel across the machine's cores). One
// Store per instance, as wasmtime intends; the Linker holding WASI and
// env.hostnop is shared.
type wasmtimeRuntime struct {
	engine *wasmtime.Engine
	linker *wasmtime.Linker
}

func newWasmtime() (Runtime, error) {
	engine := wasmtime.NewEngine()
	linker := wasmtime.NewLinker(engine)
	if err := linker.DefineWasi(); err != nil {
		return nil, fmt.Errorf("wasi: %w", err)
	}
	// FuncNew is wasmtime-go's reflection-free host function API (FuncWrap
	// calls through reflect).
	ty := wasmtime.NewFuncType(nil, nil)
	err := linker.FuncNew("env", "hostnop", ty, func(*wasmtime.Caller, []wasmtime.Val) ([]wasmtime.Val, *wasmtime.Trap) {
		hostnop()
		return nil, nil
	})
	if err != nil {
		return nil, fmt.Errorf("env: %w", err)
	}
	return &wasmtimeRuntime{engine: engine, linker: linker}, nil
}

func (w *wasmtimeRuntime) Compile(wasm []byte) (Module, error) {
	m, err := wasmtime.NewModule(w.engine, wasm)
	if err != nil {
		return nil, err
	}
	return &wasmtimeModule{w: w, m: m}, nil
}

func (w *wasmtimeRuntime) Close() error {
	w.linker.Close()
	w.engine.Close()
	return nil
}

type wasmtimeModule struct {
	w *wasmtimeRuntime
	m *wasmtime.Module
}

func (m *wasmtimeModule) Instantiate(captureStdout bool) (Instance, error) {
	store := wasmtime.NewStore(m.w.engine)
	wasi := wasmtime.NewWasiConfig()
	inst := &wasmtimeInstance{store: store}
	if captureStdout {
		// wasmtime's WASI writes stdout to a file or the process's own.
		f, err := os.CreateTemp("", "wasmtime-stdout-*")
		if err != nil {
			store.Close()
			return nil, err
		}
		f.Close()
		inst.stdoutPath = f.Name()
		if err := wasi.SetStdoutFile(inst.stdoutPath); err != nil {
			inst.Close()
			return nil, err
		}
	}
	store.SetWasi(wasi)
	i, err := m.w.linker.Instantiate(store, m.m)
	if err != nil {
		inst.Close()
		return nil, err
	}
	inst.inst = i
	if ext := i.GetExport(store, "memory"); ext != nil {
		inst.mem = ext.Memory()
	}
	return inst, nil
}

func (m *wasmtimeModule) Close() error {
	m.m.Close()
	return nil
}

type wasmtimeInstance struct {
	store      *wasmtime.Store
	inst       *wasmtime.Instance
	mem        *wasmtime.Memory
	stdoutPath string
}

func (i *wasmtimeInstance) Func(name string) (Func, error) {
	f := i.inst.GetFunc(i.store, name)
	if f == nil {
		return nil, ErrNoExport
	}
	ty := f.Type(i.store)
	params := ty.Params()
	kinds := make([]wasmtime.ValKind, len(params))
	for n, p := range params {
		kinds[n] = p.Kind()
	}
	return &wasmtimeFunc{store: i.store, f: f, kinds: kinds, args: make([]interface{}, len(kinds))}, nil
}

func (i *wasmtimeInstance) RunStart() ([]byte, error) {
	f, err := i.Func("_start")
	if err != nil {
		return nil, err
	}
	_, err = f.Call()
	var werr *wasmtime.Error
	if errors.As(err, &werr) {
		if code, ok := werr.ExitStatus(); ok && code == 0 {
			err = nil
		}
	}
	if i.stdoutPath == "" || err != nil {
		return nil, err
	}
	return os.ReadFile(i.stdoutPath)
}

func (i *wasmtimeInstance) ReadMemory(offset uint32, dst []byte) error {
	if i.mem == nil {
		return errors.New("no memory")
	}
	data := i.mem.UnsafeData(i.store)
	if uint64(offset)+uint64(len(dst)) > uint64(len(data)) {
		return errors.New("read out of range")
	}
	copy(dst, data[offset:])
	return nil
}

func (i *wasmtimeInstance) Close() error {
	i.store.Close()
	if i.stdoutPath != "" {
		os.Remove(i.stdoutPath)
	}
	return nil
}

// wasmtimeFunc converts the uint64 encoding to the typed values
// wasmtime-go's Call takes, reusing one argument slice.
type wasmtimeFunc struct {
	store *wasmtime.Store
	f     *wasmtime.Func
	kinds []wasmtime.ValKind
	args  []interface{}
}

func (f *wasmtimeFunc) Call(args ...uint64) ([]uint64, error) {
	if len(args) != len(f.kinds) {
		return nil, fmt.Errorf("want %d arguments, got %d", len(f.kinds), len(args))
	}
	for n, a := range args {
		switch f.kinds[n] {
		case wasmtime.KindI32:
			f.args[n] = int32(a)
		case wasmtime.KindI64:
			f.args[n] = int64(a)
		default:
			return nil, fmt.Errorf("argument %d: unsupported kind %v", n, f.kinds[n])
		}
	}
	res, err := f.f.Call(f.store, f.args...)
	if err != nil {
		return nil, err
	}
	switch v := res.(type) {
	case nil:
		return nil, nil
	case int32:
		return []uint64{uint64(uint32(v))}, nil
	case int64:
		return []uint64{uint64(v)}, nil
	default:
		return nil, fmt.Errorf("unsupported result %T", res)
	}
}
