package weft

/*
#include "weft.h"
#include "glue.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"

	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

func (r *runtime) InstantiateModule(ctx context.Context, compiled CompiledModule, config ModuleConfig) (api.Module, error) {
	if r.isClosed() {
		return nil, errRuntimeClosed
	}
	cm, ok := compiled.(*compiledModule)
	if !ok || cm.isClosed() {
		return nil, errors.New("compiled module closed or not made by weft")
	}
	cfg, ok := config.(*moduleConfig)
	if !ok || cfg == nil {
		cfg = NewModuleConfig().(*moduleConfig)
	}
	name := cfg.name
	if !cfg.nameSet {
		name = cm.Name()
	}
	if cm.host != nil {
		return r.instantiateHost(ctx, cm, name)
	}

	m := &moduleInstance{r: r, name: name, compiled: cm, defs: cm.definitions(), callHooks: r.config.callHooks()}
	if err := r.register(name, m); err != nil {
		return nil, err
	}
	if err := m.instantiate(ctx, cfg); err != nil {
		m.closeState.Store(1)
		r.unregister(name, m)
		m.freed.Store(true) // nothing was made that release() frees
		if m.wasi != nil {
			m.wasi.close()
		}
		return nil, err
	}
	m.callState() // made now, so that calls need not check (callQuick)
	for _, fn := range cfg.startFunctions {
		start := m.ExportedFunction(fn)
		if start == nil {
			continue
		}
		if _, err := start.Call(ctx); err != nil {
			_ = m.Close(ctx)
			var exit *sys.ExitError
			if errors.As(err, &exit) {
				if exit.ExitCode() == 0 {
					return m, nil // a command that succeeded
				}
				return m, err
			}
			return nil, fmt.Errorf("module[%s] function[%s] failed: %w", name, fn, err)
		}
	}
	return m, nil
}

// instantiate resolves imports and creates the C instance.
func (m *moduleInstance) instantiate(ctx context.Context, cfg *moduleConfig) error {
	im := C.weft_imports_new()
	defer C.weft_imports_delete(im)
	if err := m.r.linkImports(im, m, cfg); err != nil {
		return err
	}
	var inst *C.weft_instance
	var trap *C.weft_trap
	// The start section runs here, on the context's fuel budget (fuel.go).
	fuel := C.uint64_t(0)
	if m.r.config.limits.fuel {
		fuel = C.uint64_t(fuelBudget(ctx))
	}
	if e := C.weft_instance_new_with_fuel(m.compiled.mod, im, fuel, &inst, &trap); e != nil {
		return errorFromC(fmt.Sprintf("module[%s] instantiation failed", m.name), e)
	}
	if trap != nil {
		return fmt.Errorf("module[%s] instantiation failed: %w", m.name, m.trapError(context.Background(), trap))
	}
	m.inst = inst
	m.interrupt = C.weft_instance_interrupt_handle(inst)
	id := registerModule(m)
	m.id = id
	C.weftgo_instance_set_id(inst, C.uintptr_t(id))
	liveInstances.Add(1)
	wasi := m.wasi
	m.freeKey = m.r.owned.add(func() {
		C.weft_instance_delete(inst) // instances that import from it keep it alive
		liveInstances.Add(-1)
		unregisterModule(id)
		if wasi != nil {
			wasi.close()
		}
	})
	return nil
}

// linkImports offers, for each module the guest imports from, that
// module's exports (or WASI's functions).
func (r *runtime) linkImports(im *C.weft_imports, g *moduleInstance, cfg *moduleConfig) error {
	seen := map[string]bool{}
	for i := C.size_t(0); i < C.weft_module_import_count(g.compiled.mod); i++ {
		var n C.size_t
		from := C.GoStringN(C.weft_module_import_module(g.compiled.mod, i, &n), C.int(n))
		if seen[from] {
			continue
		}
		seen[from] = true
		e := r.lookup(from)
		if e == nil {
			return fmt.Errorf("module[%s] not instantiated", from)
		}
		if err := e.link(im, g, cfg); err != nil {
			return fmt.Errorf("module[%s]: %w", g.name, err)
		}
	}
	return nil
}
