//go:build !noweft

// -tags noweft leaves weft out, for when a change in progress in go/ does
// not build and the peers are to be measured alone.

package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/imports/wasip1"
	"github.com/weftwasm/weft/go/sys"
)

func init() {
	register("weft", newWeft)
}

// weftRuntime adapts weft's Go package, whose API has wazero's shape: this
// file is runtime_wazero.go with the imports changed, and should stay so.
type weftRuntime struct {
	ctx context.Context
	r   weft.Runtime
}

func newWeft() (Runtime, error) {
	ctx := context.Background()
	r := weft.NewRuntime(ctx)
	if _, err := wasip1.Instantiate(ctx, r); err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("wasi: %w", err)
	}
	_, err := r.NewHostModuleBuilder("env").
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(context.Context, api.Module, []uint64) { hostnop() }), nil, nil).
		Export("hostnop").
		Instantiate(ctx)
	if err != nil {
		r.Close(ctx)
		return nil, fmt.Errorf("env: %w", err)
	}
	return &weftRuntime{ctx: ctx, r: r}, nil
}

func (w *weftRuntime) Compile(wasm []byte) (Module, error) {
	c, err := w.r.CompileModule(w.ctx, wasm)
	if err != nil {
		return nil, err
	}
	return &weftModule{w: w, c: c}, nil
}

func (w *weftRuntime) Close() error { return w.r.Close(w.ctx) }

type weftModule struct {
	w *weftRuntime
	c weft.CompiledModule
}

func (m *weftModule) Instantiate(captureStdout bool) (Instance, error) {
	cfg := weft.NewModuleConfig().WithName("").WithStartFunctions()
	inst := &weftInstance{ctx: m.w.ctx}
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

func (m *weftModule) Close() error { return m.c.Close(m.w.ctx) }

type weftInstance struct {
	ctx    context.Context
	mod    api.Module
	stdout bytes.Buffer
}

func (i *weftInstance) Func(name string) (Func, error) {
	f := i.mod.ExportedFunction(name)
	if f == nil {
		return nil, ErrNoExport
	}
	return weftFunc{ctx: i.ctx, f: f}, nil
}

func (i *weftInstance) RunStart() ([]byte, error) {
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

func (i *weftInstance) ReadMemory(offset uint32, dst []byte) error {
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

func (i *weftInstance) Close() error { return i.mod.Close(i.ctx) }

type weftFunc struct {
	ctx context.Context
	f   api.Function
}

func (f weftFunc) Call(args ...uint64) ([]uint64, error) { return f.f.Call(f.ctx, args...) }
