package weft

import (
	"sync"
	"sync/atomic"
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

// hostFuncTable finds a Go host function by the id C keeps as its env. It
// is read on every host call and written only when host modules come and
// go, so readers load an immutable snapshot without locking.
var hostFuncTable struct {
	sync.Mutex // serializes writers
	funcs      atomic.Pointer[[]*hostFunc]
	free       []uintptr // ids to reuse
}

func registerHostFunc(hf *hostFunc) uintptr {
	hostFuncTable.Lock()
	defer hostFuncTable.Unlock()
	var old []*hostFunc
	if p := hostFuncTable.funcs.Load(); p != nil {
		old = *p
	}
	next := append([]*hostFunc(nil), old...)
	var id uintptr
	if n := len(hostFuncTable.free); n > 0 {
		id = hostFuncTable.free[n-1]
		hostFuncTable.free = hostFuncTable.free[:n-1]
		next[id-1] = hf
	} else {
		next = append(next, hf)
		id = uintptr(len(next))
	}
	hostFuncTable.funcs.Store(&next)
	return id
}

func unregisterHostFunc(id uintptr) {
	hostFuncTable.Lock()
	defer hostFuncTable.Unlock()
	next := append([]*hostFunc(nil), *hostFuncTable.funcs.Load()...)
	next[id-1] = nil
	hostFuncTable.funcs.Store(&next)
	hostFuncTable.free = append(hostFuncTable.free, id)
}

func hostFuncByID(id uintptr) *hostFunc { return (*hostFuncTable.funcs.Load())[id-1] }
