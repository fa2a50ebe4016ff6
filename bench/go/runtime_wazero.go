package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

func init() {
	register("wazero-interp", func() (Runtime, error) {
		return newWazero(wazero.NewRuntimeConfigInterpreter())
	})
	register("wazero-compiler", func() (Runtime, error) {
		return newWazero(wazero.NewRuntimeConfigCompiler())
	})
}

// wazeroRuntime adapts a wazero.Runtime with WASI and env.hostnop
// instantiated in it. It is also the model for runtime_weft.go, whose Go
// API has the same shape.
type wazeroRuntime struct {
	ctx context.Context
	r   wazero.Runtime
}

func newWazero(cfg wazero.RuntimeConfig) (Runtime, error) {
	ctx := context.Background()
	r := wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, r); err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("wasi: %w", err)
	}
	// WithGoModuleFunction is wazero's reflection-free host function API:
	// what a performance-minded embedder uses.
	_, err := r.NewHostModuleBuilder("env").
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(context.Context, api.Module, []uint64) { hostnop() }), nil, nil).
		Export("hostnop").
		Instantiate(ctx)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("env: %w", err)
	}
	return &wazeroRuntime{ctx: ctx, r: r}, nil
}

func (w *wazeroRuntime) Compile(wasm []byte) (Module, error) {
	c, err := w.r.CompileModule(w.ctx, wasm)
	if err != nil {
		return nil, err
	}
	return &wazeroModule{w: w, c: c}, nil
}

func (w *wazeroRuntime) Close() error { return w.r.Close(w.ctx) }

type wazeroModule struct {
	w *wazeroRuntime
	c wazero.CompiledModule
}

func (m *wazeroModule) Instantiate(captureStdout bool) (Instance, error) {
	// Anonymous, so one compiled module can be instantiated many times;
	// no start functions, so instantiation is measured alone.
	cfg := wazero.NewModuleConfig().WithName("").WithStartFunctions()
	inst := &wazeroInstance{ctx: m.w.ctx}
	if captureStdout {
		cfg = cfg.WithStdout(&inst.stdout)
	}
	mod, err := m.w.r.InstantiateModule(m.w.ctx, m.c, cfg)
	if err != nil {
		return nil, err
	}
	inst.mod = mod
	return inst, nil
}

func (m *wazeroModule) Close() error { return m.c.Close(m.w.ctx) }

type wazeroInstance struct {
	ctx    context.Context
	mod    api.Module
	stdout bytes.Buffer
}

func (i *wazeroInstance) Func(name string) (Func, error) {
	f := i.mod.ExportedFunction(name)
	if f == nil {
		return nil, ErrNoExport
	}
	return wazeroFunc{ctx: i.ctx, f: f}, nil
}

func (i *wazeroInstance) RunStart() ([]byte, error) {
	f := i.mod.ExportedFunction("_start")
	if f == nil {
		return nil, ErrNoExport
	}
	_, err := f.Call(i.ctx)
	var exit *sys.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 0 {
		err = nil
	}
	return i.stdout.Bytes(), err
}

func (i *wazeroInstance) ReadMemory(offset uint32, dst []byte) error {
	mem := i.mod.Memory()
	if mem == nil {
		return errors.New("no memory")
	}
	view, ok := mem.Read(offset, uint32(len(dst)))
	if !ok {
		return errors.New("read out of range")
	}
	copy(dst, view)
	return nil
}

func (i *wazeroInstance) Close() error { return i.mod.Close(i.ctx) }

type wazeroFunc struct {
	ctx context.Context
	f   api.Function
}

func (f wazeroFunc) Call(args ...uint64) ([]uint64, error) { return f.f.Call(f.ctx, args...) }
