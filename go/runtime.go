// Package weft is a WebAssembly runtime whose engine is C: a threaded-code
// interpreter behind a Go API shaped like wazero's, so that code written
// for wazero runs on weft after its imports are rewritten:
//
//	wazero "github.com/weftwasm/weft/go"
//	"github.com/weftwasm/weft/go/api"
//	wasi_snapshot_preview1 "github.com/weftwasm/weft/go/imports/wasip1"
//
// A Runtime compiles modules (CompileModule), instantiates them with their
// imports resolved by module name (InstantiateModule), and hosts Go
// functions that guests import (NewHostModuleBuilder). Everything a runtime
// made is freed by Runtime.Close; Close on each object frees it earlier.
// Building needs cgo, a C compiler and libffi (Debian: libffi-dev).
package weft

/*
#include "weft.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"sync"

	"github.com/weftwasm/weft/go/api"
)

// Runtime compiles and instantiates modules and keeps the namespace in
// which instantiated modules (guests and host modules) import each other's
// exports by module name. Its methods are safe for concurrent use.
type Runtime interface {
	// Instantiate compiles source and instantiates it with the default
	// ModuleConfig. See InstantiateWithConfig.
	Instantiate(ctx context.Context, source []byte) (api.Module, error)

	// InstantiateWithConfig compiles source and instantiates it with config;
	// the compiled module is freed with the instance.
	InstantiateWithConfig(ctx context.Context, source []byte, config ModuleConfig) (api.Module, error)

	// NewHostModuleBuilder starts a module of Go functions named moduleName.
	NewHostModuleBuilder(moduleName string) HostModuleBuilder

	// CompileModule decodes, validates and compiles a binary module. The
	// result may be instantiated many times, from several goroutines. Errors
	// say what is wrong and where (byte offset, function index).
	CompileModule(ctx context.Context, binary []byte) (CompiledModule, error)

	// InstantiateModule instantiates a compiled module: resolves its
	// imports against the modules instantiated in this runtime (and WASI,
	// if instantiated), runs its start section, then config's start
	// functions ("_start" by default). A start function that exits with
	// code 0 returns the (closed) module and no error; another exit code is
	// a *sys.ExitError.
	InstantiateModule(ctx context.Context, compiled CompiledModule, config ModuleConfig) (api.Module, error)

	// CloseWithExitCode closes every module instantiated in the runtime
	// (their calls fail with a *sys.ExitError of exitCode) and frees the
	// runtime's compiled modules and engine.
	CloseWithExitCode(ctx context.Context, exitCode uint32) error

	// Module returns the module instantiated under moduleName, or nil.
	Module(moduleName string) api.Module

	// Closer closes the runtime with exit code 0.
	api.Closer
}

// NewRuntime returns a runtime with the default RuntimeConfig.
func NewRuntime(ctx context.Context) Runtime {
	return NewRuntimeWithConfig(ctx, NewRuntimeConfig())
}

// NewRuntimeWithConfig returns a runtime with config.
func NewRuntimeWithConfig(ctx context.Context, config RuntimeConfig) Runtime {
	cfg, ok := config.(*runtimeConfig)
	if !ok {
		cfg = defaultRuntimeConfig
	}
	cfg = cfg.clone()
	r := &runtime{config: cfg, modules: map[string]namespaceEntry{}, owned: newOwnedC()}
	if cfg.cache != nil {
		r.engine = cfg.cache.engine(cfg.engineKey())
	} else {
		engine := newEngine(cfg.engineKey())
		r.engine = engine
		r.owned.last = func() { C.weft_engine_delete(engine) }
	}
	// A safety net, not the contract: Close frees deterministically. When
	// the runtime and everything it made are unreachable, the C side they
	// held is freed.
	goruntime.AddCleanup(r, (*ownedC).freeAll, r.owned)
	return r
}

// namespaceEntry is a module in a runtime's namespace: it can offer its
// exports to a module being instantiated.
type namespaceEntry interface {
	api.Module
	// link adds the entry's exports, under its name, to im for the guest g.
	link(im *C.weft_imports, g *moduleInstance, cfg *moduleConfig) error
	// closeFromRuntime closes the entry as part of Runtime.Close.
	closeFromRuntime(ctx context.Context, exitCode uint32)
}

type runtime struct {
	config *runtimeConfig
	engine *C.weft_engine // owned unless it belongs to config.cache
	owned  *ownedC        // the C objects to free

	mu       sync.Mutex
	closed   bool
	modules  map[string]namespaceEntry // by name; anonymous modules are in others
	others   []namespaceEntry
	compiled []*compiledModule // compiled by this runtime, freed with it
	exitCode uint32
}

var errRuntimeClosed = errors.New("runtime closed")

func (r *runtime) Module(name string) api.Module {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m, ok := r.modules[name]; ok && !m.IsClosed() {
		return m
	}
	return nil
}

func (r *runtime) Instantiate(ctx context.Context, source []byte) (api.Module, error) {
	return r.InstantiateWithConfig(ctx, source, NewModuleConfig())
}

func (r *runtime) InstantiateWithConfig(ctx context.Context, source []byte, config ModuleConfig) (api.Module, error) {
	compiled, err := r.CompileModule(ctx, source)
	if err != nil {
		return nil, err
	}
	cm := compiled.(*compiledModule)
	cm.closeWithModule = true
	mod, err := r.InstantiateModule(ctx, cm, config)
	if err != nil && mod == nil {
		_ = cm.Close(ctx)
	}
	return mod, err
}

// register adds an entry to the namespace under name ("" is anonymous).
func (r *runtime) register(name string, e namespaceEntry) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errRuntimeClosed
	}
	if name == "" {
		r.others = append(r.others, e)
		return nil
	}
	if old, ok := r.modules[name]; ok && !old.IsClosed() {
		return fmt.Errorf("module[%s] has already been instantiated", name)
	}
	r.modules[name] = e
	return nil
}

// unregister removes a closed entry.
func (r *runtime) unregister(name string, e namespaceEntry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name != "" {
		if r.modules[name] == e {
			delete(r.modules, name)
		}
		return
	}
	for i, o := range r.others {
		if o == e {
			r.others = append(r.others[:i], r.others[i+1:]...)
			return
		}
	}
}

// lookup returns the live entry named name.
func (r *runtime) lookup(name string) namespaceEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.modules[name]; ok && !e.IsClosed() {
		return e
	}
	return nil
}

func (r *runtime) Close(ctx context.Context) error { return r.CloseWithExitCode(ctx, 0) }

func (r *runtime) CloseWithExitCode(ctx context.Context, exitCode uint32) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	r.exitCode = exitCode
	entries := append([]namespaceEntry(nil), r.others...)
	for _, e := range r.modules {
		entries = append(entries, e)
	}
	compiled := r.compiled
	r.modules, r.others, r.compiled = map[string]namespaceEntry{}, nil, nil
	r.mu.Unlock()

	for _, e := range entries {
		e.closeFromRuntime(ctx, exitCode)
	}
	for _, cm := range compiled {
		_ = cm.Close(ctx)
	}
	r.owned.freeAll() // and the engine; modules still alive keep their own reference
	return nil
}

func (r *runtime) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}
