package weft

/*
#include <stdlib.h>
#include "weft.h"
*/
import "C"

import (
	"context"
	"fmt"
	"sync"
	"unsafe"

	"github.com/weftwasm/weft/go/api"
)

// CompiledModule is a module decoded, validated and compiled, ready to be
// instantiated any number of times, from any goroutine.
type CompiledModule interface {
	// Name is the module's name from its name section, or "".
	Name() string

	// ImportedFunctions describes the function imports, in order.
	ImportedFunctions() []api.FunctionDefinition

	// ExportedFunctions describes the function exports by export name.
	ExportedFunctions() map[string]api.FunctionDefinition

	// ImportedMemories describes the memory imports.
	ImportedMemories() []api.MemoryDefinition

	// ExportedMemories describes the memory exports by export name.
	ExportedMemories() map[string]api.MemoryDefinition

	// CustomSections returns the custom sections, when the runtime was
	// configured WithCustomSections(true); else nil.
	CustomSections() []api.CustomSection

	// Close frees the compiled code once no instance uses it. Safe to call
	// more than once.
	Close(context.Context) error
}

type compiledModule struct {
	r      *runtime
	mod    *C.weft_module // nil for a host module
	host   *hostModuleSpec
	cached bool // mod belongs to a compilation cache

	closeWithModule bool   // made by InstantiateWithConfig: freed with its instance
	freeKey         uint64 // in r.owned, unless cached

	mu     sync.Mutex
	closed bool
	defs   *moduleDefinitions // computed on first use
}

func (r *runtime) CompileModule(ctx context.Context, binary []byte) (CompiledModule, error) {
	if r.isClosed() {
		return nil, errRuntimeClosed
	}
	var mod *C.weft_module
	cached := false
	if cache := r.config.cache; cache != nil {
		m, err := cache.compile(r.engine, r.config.engineKey(), binary)
		if err != nil {
			return nil, err
		}
		mod, cached = m, true
	} else {
		m, err := compileBytes(r.engine, binary)
		if err != nil {
			return nil, err
		}
		mod = m
	}
	cm := &compiledModule{r: r, mod: mod, cached: cached}
	if !cached {
		cm.freeKey = r.owned.add(func() { C.weft_module_delete(mod) }) // instances keep their own reference
	}
	r.mu.Lock()
	r.compiled = append(r.compiled, cm)
	r.mu.Unlock()
	return cm, nil
}

// compileBytes runs the C compiler. The caller owns the module.
func compileBytes(engine *C.weft_engine, binary []byte) (*C.weft_module, error) {
	var mod *C.weft_module
	var p *C.uint8_t
	if len(binary) > 0 {
		p = (*C.uint8_t)(unsafe.Pointer(&binary[0]))
	}
	if e := C.weft_module_new(engine, p, C.size_t(len(binary)), &mod); e != nil {
		return nil, errorFromC("invalid module", e)
	}
	return mod, nil
}

// errorFromC turns a weft_error into a Go error and frees it.
func errorFromC(what string, e *C.weft_error) error {
	defer C.weft_error_delete(e)
	return fmt.Errorf("%s: %s", what, C.GoString(C.weft_error_message(e)))
}

func (c *compiledModule) Name() string {
	if c.host != nil {
		return c.host.name
	}
	if n := C.weft_module_name(c.mod); n != nil {
		return C.GoString(n)
	}
	return ""
}

func (c *compiledModule) definitions() *moduleDefinitions {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.defs == nil {
		if c.host != nil {
			c.defs = c.host.definitions()
		} else {
			c.defs = readDefinitions(c.mod, c.Name())
		}
	}
	return c.defs
}

func (c *compiledModule) ImportedFunctions() []api.FunctionDefinition {
	return c.definitions().importedFuncs
}

func (c *compiledModule) ExportedFunctions() map[string]api.FunctionDefinition {
	return c.definitions().exportedFuncs
}

func (c *compiledModule) ImportedMemories() []api.MemoryDefinition {
	return c.definitions().importedMems
}

func (c *compiledModule) ExportedMemories() map[string]api.MemoryDefinition {
	return c.definitions().exportedMems
}

func (c *compiledModule) CustomSections() []api.CustomSection {
	if c.mod == nil || !c.r.config.customSections {
		return nil
	}
	n := int(C.weft_module_custom_section_count(c.mod))
	sections := make([]api.CustomSection, 0, n)
	for i := 0; i < n; i++ {
		var nameLen, dataLen C.size_t
		name := C.weft_module_custom_section_name(c.mod, C.size_t(i), &nameLen)
		data := C.weft_module_custom_section_data(c.mod, C.size_t(i), &dataLen)
		sections = append(sections, &customSection{
			name: C.GoStringN(name, C.int(nameLen)),
			data: C.GoBytes(unsafe.Pointer(data), C.int(dataLen)),
		})
	}
	return sections
}

func (c *compiledModule) Close(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.freeKey != 0 {
		c.r.owned.free(c.freeKey)
	}
	return nil
}

func (c *compiledModule) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

type customSection struct {
	name string
	data []byte
}

func (s *customSection) Name() string { return s.name }
func (s *customSection) Data() []byte { return s.data }
