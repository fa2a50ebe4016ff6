package weft

import (
	"sync"
	"weak"
)

// moduleRegistry gives each module instance the number C keeps as the
// instance's host data, so host functions find their calling module. It
// holds modules weakly (unlike a cgo.Handle): a forgotten runtime and its
// modules can still be collected, and the runtime's finalizer then frees
// their C side.
var moduleRegistry struct {
	sync.RWMutex
	next    uintptr
	modules map[uintptr]weak.Pointer[moduleInstance]
}

func registerModule(m *moduleInstance) uintptr {
	moduleRegistry.Lock()
	defer moduleRegistry.Unlock()
	if moduleRegistry.modules == nil {
		moduleRegistry.modules = map[uintptr]weak.Pointer[moduleInstance]{}
	}
	moduleRegistry.next++
	id := moduleRegistry.next
	moduleRegistry.modules[id] = weak.Make(m)
	return id
}

func unregisterModule(id uintptr) {
	moduleRegistry.Lock()
	defer moduleRegistry.Unlock()
	delete(moduleRegistry.modules, id)
}

// moduleFromID returns the live module with this id, or nil.
func moduleFromID(id uintptr) *moduleInstance {
	if id == 0 {
		return nil
	}
	moduleRegistry.RLock()
	wp, ok := moduleRegistry.modules[id]
	moduleRegistry.RUnlock()
	if !ok {
		return nil
	}
	return wp.Value()
}
