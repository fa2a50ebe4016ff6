package weft

/*
#include <stdlib.h>
#include "weft.h"
#include "glue.h"
*/
import "C"

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

// moduleInstance is an instantiated guest module: the C instance, and what
// Go keeps beside it (name, WASI state, the context of the running call).
//
// Lifetime: Close may come from any goroutine, even while a call runs (a
// host function closing its caller, a watchdog). The C instance is freed
// only when no call is active: `active` counts running calls, and whoever
// sees the module closed with no call active frees it, once (`freed`).
type moduleInstance struct {
	r        *runtime
	name     string
	compiled *compiledModule
	defs     *moduleDefinitions

	inst      *C.weft_instance
	interrupt *C.weft_interrupt_handle
	id        uintptr    // the instance's host data: finds this from C (registry.go)
	freeKey   uint64     // in r.owned
	wasi      *wasiGuest // nil unless the module imports WASI

	// closeState is 0 while open, else 1 + exitCode<<32.
	closeState atomic.Uint64
	active     callCount // callguard.go
	freed      atomic.Bool

	// Set by the call running on this instance (one goroutine at a time),
	// read by host functions it calls.
	callCtx context.Context
	// The runtime's options give calls work to do around them (fuel,
	// closing on a done context): runtimeConfig.callHooks.
	callHooks bool

	calls    *C.weftgo_call // C memory for the yields of calls on this module
	callsKey uint64         // its free, in r.owned

	mu      sync.Mutex
	funcs   map[string]*function
	globals map[string]api.Global
	// resultsChunk is what is left of the chunk Call's results are carved
	// from (resultSlots).
	resultsChunk []uint64

	// memory is made on the first Memory() (under mu) and read without
	// it after: hosts ask for it on every access, and a lock and unlock
	// cost as much as a 4 KiB copy.
	memory atomic.Pointer[memory]
}

func (m *moduleInstance) String() string { return fmt.Sprintf("Module[%s]", m.name) }
func (m *moduleInstance) Name() string   { return m.name }

func (m *moduleInstance) IsClosed() bool { return m.closeState.Load() != 0 }

// exitCode returns the code the module was closed with.
func (m *moduleInstance) exitCode() uint32 { return uint32(m.closeState.Load() >> 32) }

func (m *moduleInstance) Close(ctx context.Context) error { return m.CloseWithExitCode(ctx, 0) }

func (m *moduleInstance) CloseWithExitCode(ctx context.Context, exitCode uint32) error {
	if !m.markClosed(exitCode) {
		return nil
	}
	m.r.unregister(m.name, m)
	m.release()
	return nil
}

func (m *moduleInstance) closeFromRuntime(ctx context.Context, exitCode uint32) {
	if m.markClosed(exitCode) {
		m.release()
	}
}

// markClosed records the exit code and stops a running call; it returns
// false if the module was closed already.
func (m *moduleInstance) markClosed(exitCode uint32) bool {
	if !m.closeState.CompareAndSwap(0, 1+uint64(exitCode)<<32) {
		return false
	}
	if m.active.loadAfterClose() > 0 {
		C.weft_interrupt(m.interrupt) // the running call ends with ExitError
	}
	return true
}

// release frees the C side if the module is closed and no call runs.
func (m *moduleInstance) release() {
	if !m.IsClosed() || m.active.loadAfterClose() != 0 || !m.freed.CompareAndSwap(false, true) {
		return
	}
	m.r.owned.free(m.freeKey)
	if m.callsKey != 0 {
		m.r.owned.free(m.callsKey)
	}
	if m.compiled.closeWithModule {
		_ = m.compiled.Close(context.Background())
	}
}

// callState returns the module's C scratch for yielding calls, made on
// first use (at instantiation) and freed with the module. Calls on a module are made by one
// goroutine at a time; nested calls copy out what they need before the next.
func (m *moduleInstance) callState() *C.weftgo_call {
	if m.calls == nil {
		withStack := C.int(0) // for fast calls: mapped now, so that calls need not check
		if fastCalls {
			withStack = 1
		}
		entry := C.uintptr_t(0)
		if hostCallsInPlace {
			entry = C.uintptr_t(hostCallEntry)
		}
		m.calls = C.weftgo_call_new(withStack, entry)
		calls := m.calls
		m.callsKey = m.r.owned.add(func() { C.weftgo_call_free(calls) })
	}
	return m.calls
}

// resultSlots returns n zeroed slots for the results of a Call (n is at
// most inlineSlots). They are carved from a chunk of 64, one allocation
// per 64 slots rather than one per call: a caller may keep its results,
// and a chunk lives while any of its results does. Only Call uses it, on
// the goroutine calling the module (one at a time, as api.Module says).
func (m *moduleInstance) resultSlots(n int) []uint64 {
	if n > len(m.resultsChunk) {
		m.resultsChunk = make([]uint64, resultsChunkLen)
	}
	r := m.resultsChunk[:n:n]
	m.resultsChunk = m.resultsChunk[n:]
	return r
}

const resultsChunkLen = 64

// enter marks a call as running; it fails if the module is closed.
func (m *moduleInstance) enter() error {
	m.active.add(1)
	if m.IsClosed() {
		m.leave()
		return m.closedError()
	}
	return nil
}

func (m *moduleInstance) leave() {
	if m.active.add(-1) == 0 && m.IsClosed() {
		m.release()
	}
}

func (m *moduleInstance) closedError() error {
	return sys.NewExitError(m.exitCode())
}

// liveInstances counts C instances not yet freed (for the tests).
var liveInstances atomic.Int64

func (m *moduleInstance) ExportedFunction(name string) api.Function {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.funcs[name]; ok {
		return f
	}
	if m.freed.Load() {
		return nil
	}
	def, ok := m.defs.exportedFuncs[name].(*functionDefinition)
	if !ok {
		return nil
	}
	cname := cString(name)
	defer cname.free()
	cf := C.weft_instance_export_func(m.inst, cname.p)
	if cf == nil {
		return nil
	}
	f := newFunction(m, cf, def)
	if m.funcs == nil {
		m.funcs = map[string]*function{}
	}
	m.funcs[name] = f
	return f
}

func (m *moduleInstance) ExportedFunctionDefinitions() map[string]api.FunctionDefinition {
	return m.defs.exportedFuncs
}

func (m *moduleInstance) Memory() api.Memory {
	if mem := m.memory.Load(); mem != nil {
		return mem
	}
	return m.makeMemory()
}

// makeMemory is Memory's first call: it makes the api.Memory, once.
func (m *moduleInstance) makeMemory() api.Memory {
	m.mu.Lock()
	defer m.mu.Unlock()
	if mem := m.memory.Load(); mem != nil {
		return mem
	}
	if m.freed.Load() {
		return nil
	}
	cm := C.weft_instance_memory(m.inst)
	if cm == nil {
		return nil
	}
	var def api.MemoryDefinition
	for _, d := range m.defs.exportedMems {
		def = d
	}
	if def == nil && len(m.defs.importedMems) > 0 {
		def = m.defs.importedMems[0]
	}
	mem := newMemory(m, cm, def)
	m.memory.Store(mem)
	return mem
}

func (m *moduleInstance) ExportedMemory(name string) api.Memory {
	if _, ok := m.defs.exportedMems[name]; !ok {
		return nil
	}
	return m.Memory() // WebAssembly 2.0 has one memory
}

func (m *moduleInstance) ExportedMemoryDefinitions() map[string]api.MemoryDefinition {
	return m.defs.exportedMems
}

func (m *moduleInstance) ExportedGlobal(name string) api.Global {
	m.mu.Lock()
	defer m.mu.Unlock()
	if g, ok := m.globals[name]; ok {
		return g
	}
	if m.freed.Load() {
		return nil
	}
	cname := cString(name)
	defer cname.free()
	cg := C.weft_instance_export_global(m.inst, cname.p)
	if cg == nil {
		return nil
	}
	g := newGlobal(m, cg)
	if m.globals == nil {
		m.globals = map[string]api.Global{}
	}
	m.globals[name] = g
	return g
}

// link offers this instance's exports to another module under its name.
func (m *moduleInstance) link(im *C.weft_imports, _ *moduleInstance, _ *moduleConfig) error {
	cname := cString(m.name)
	defer cname.free()
	C.weft_imports_add_instance(im, cname.p, m.inst)
	return nil
}
