package weft

/*
#include <stdlib.h>
#include "weft.h"
#include "glue.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

// hostCallPath chooses how the engine enters a Go host function:
//
//	hostCallYield       the call returns to Go (weft_call_start/resume),
//	                    which runs the function and resumes: no C -> Go
//	                    callback. Calls that cannot yield (start functions)
//	                    fall back to hostCallDirect.
//	hostCallTrampoline  Wasm -> ffi_call -> libffi closure (natural C
//	                    signature) -> weftgo_host_handler -> Go
//	hostCallDirect      Wasm -> weftgo_host_handler -> Go (raw slots)
//
// See docs/RATIONALE.md for the measurements behind the default.
type hostCallPath int

const (
	hostCallYield hostCallPath = iota
	hostCallTrampoline
	hostCallDirect
)

// defaultHostCallPath is what new host functions use.
var defaultHostCallPath = hostCallYield

// hostFunc is a Go host function made callable by the engine.
type hostFunc struct {
	spec     *hostFuncSpec
	stackLen int
	cfunc    *C.weft_func
	// goFunc is spec.goFn when it is an api.GoFunc, called directly; else
	// fn runs the function whichever way it was given (spec's goModuleFn,
	// goFn or reflectFn), with no interface call where the kind allows.
	goFunc api.GoFunc
	fn     func(ctx context.Context, mod api.Module, stack []uint64)
	// resultsMask: narrowMask of the results, if resultsFit.
	resultsMask uint64
	resultsFit  bool
	narrows     bool // has i32 or f32 results, which it may leave junk above
}

// hostFuncBody is what a host function runs, as hostFunc.fn.
func hostFuncBody(s *hostFuncSpec) func(context.Context, api.Module, []uint64) {
	switch {
	case s.goModuleFn != nil:
		if f, ok := s.goModuleFn.(api.GoModuleFunc); ok {
			return f // no interface call on the way
		}
		return s.goModuleFn.Call
	case s.goFn != nil:
		g := s.goFn
		return func(ctx context.Context, _ api.Module, stack []uint64) { g.Call(ctx, stack) }
	default:
		return s.reflectFn.call
	}
}

// newHostFunc creates the C function for spec. The function owns a
// cgo.Handle to the hostFunc, released by its finalizer when the engine
// frees the function (after the last instance importing it is gone).
func newHostFunc(engine *C.weft_engine, spec *hostFuncSpec, path hostCallPath) (*hostFunc, error) {
	hf := &hostFunc{spec: spec, fn: hostFuncBody(spec)}
	hf.goFunc, _ = spec.goFn.(api.GoFunc)
	hf.resultsMask, hf.resultsFit = narrowMask(spec.results)
	hf.narrows = !hf.resultsFit || hf.resultsMask != 0
	def := &functionDefinition{params: spec.params, results: spec.results}
	hf.stackLen = def.stackLen()

	ft := newCFunctype(spec.params, spec.results)
	defer C.weft_functype_delete(ft)
	id := registerHostFunc(hf)
	cid := C.uintptr_t(id)
	var f *C.weft_func
	switch path {
	case hostCallYield:
		f = C.weftgo_func_new_yielding(engine, ft, cid)
		if f == nil {
			unregisterHostFunc(id)
			return nil, errors.New("out of memory")
		}
	case hostCallDirect:
		f = C.weftgo_func_new_direct(engine, ft, cid)
		if f == nil {
			unregisterHostFunc(id)
			return nil, errors.New("out of memory")
		}
	default:
		if e := C.weftgo_func_new_trampoline(engine, ft, cid, &f); e != nil {
			unregisterHostFunc(id)
			return nil, errorFromC("host function "+spec.exportName, e)
		}
	}
	hf.cfunc = f
	return hf, nil
}

func newCFunctype(params, results []api.ValueType) *C.weft_functype {
	var pp, rp *C.weft_valkind
	if len(params) > 0 {
		pp = (*C.weft_valkind)(unsafe.Pointer(&params[0]))
	}
	if len(results) > 0 {
		rp = (*C.weft_valkind)(unsafe.Pointer(&results[0]))
	}
	return C.weft_functype_new(C.size_t(len(params)), pp, C.size_t(len(results)), rp)
}

//export weftgoReleaseHandle
func weftgoReleaseHandle(id C.uintptr_t) { unregisterHostFunc(uintptr(id)) }

// weftgoHostCall is the one entry from C into Go host functions. A panic
// never crosses back into C: it becomes a trap, whose Go value is kept in
// goTraps for the Go caller.
//
//export weftgoHostCall
func weftgoHostCall(id, caller C.uintptr_t, slots *C.uint64_t) *C.weft_trap {
	return hostFuncByID(uintptr(id)).invoke(moduleFromID(uintptr(caller)), slots)
}

// invoke runs the host function on the engine's slots for the calling
// module mod (nil: called from Go), in mod's call context.
func (hf *hostFunc) invoke(mod *moduleInstance, slots *C.uint64_t) *C.weft_trap {
	var ctx context.Context
	if mod != nil {
		ctx = mod.callCtx
	}
	return hf.invokeIn(ctx, mod, slots)
}

// invokeIn is invoke in the context given (nil: Background). A panic
// becomes a trap. The deferred function recovers only if the host function
// did not return: on the path of every host call, a test is cheaper than
// calling recover.
func (hf *hostFunc) invokeIn(ctx context.Context, mod *moduleInstance, slots *C.uint64_t) (trap *C.weft_trap) {
	returned := false
	defer func() {
		if !returned {
			if v := recover(); v != nil {
				trap = trapFromGo(v)
			}
		}
	}()
	ctx = orBackground(ctx)
	stack := hostStack(slots, hf.stackLen)
	if hf.goFunc != nil {
		hf.goFunc(ctx, stack)
	} else if mod != nil {
		hf.fn(ctx, mod, stack)
	} else {
		hf.fn(ctx, nil, stack) // an untyped nil module
	}
	returned = true
	return hf.afterCall(mod, stack)
}

// afterCall finishes a call of the host function on stack, for the
// calling module mod (nil: called from Go): it narrows the results and
// returns the trap that ends the guest, if any.
func (hf *hostFunc) afterCall(mod *moduleInstance, stack []uint64) *C.weft_trap {
	hf.narrowResults(stack)
	if mod != nil && mod.IsClosed() {
		return exitTrap(mod)
	}
	return nil
}

// narrowResults clears the high halves of the i32 and f32 results on
// stack: a Go function may leave junk above an i32. Inline: it is on the
// path of every Go host call that returns one.
func (hf *hostFunc) narrowResults(stack []uint64) {
	if hf.resultsFit {
		narrowByMask(stack, hf.resultsMask)
	} else {
		narrow32(stack, hf.spec.results)
	}
}

// exitTrap ends the guest whose host function closed its calling module mod
// (e.g. an abort handler) with mod's exit code.
func exitTrap(mod *moduleInstance) *C.weft_trap {
	return C.weft_trap_new_exit(C.int32_t(mod.exitCode()))
}

// trapFromGo makes the trap for a panicking host function and records the
// panic value for the Go caller.
func trapFromGo(v interface{}) *C.weft_trap {
	var t *C.weft_trap
	if exit, ok := v.(*sys.ExitError); ok {
		t = C.weft_trap_new_exit(C.int32_t(exit.ExitCode()))
	} else {
		t = trapWithMessage(fmt.Sprint(v))
	}
	goTraps.Store(t, v)
	return t
}

// trapWithMessage makes a host trap (WEFT_TRAP_HOST) that says message.
func trapWithMessage(message string) *C.weft_trap {
	msg := cString(message)
	defer msg.free()
	return C.weft_trap_new(msg.p)
}

// hostModule is an instantiated host module: a namespace entry whose
// exports are Go functions.
type hostModule struct {
	r       *runtime
	name    string
	spec    *hostModuleSpec
	defs    *moduleDefinitions
	funcs   map[string]*hostFunc
	freeKey uint64 // its C functions, in r.owned
	closed  atomic.Bool

	mu       sync.Mutex
	exported map[string]*function
}

func (r *runtime) instantiateHost(ctx context.Context, cm *compiledModule, name string) (api.Module, error) {
	hm := &hostModule{r: r, name: name, spec: cm.host, defs: cm.definitions(), funcs: map[string]*hostFunc{}}
	var cfuncs []*C.weft_func
	for _, spec := range cm.host.funcs {
		hf, err := newHostFunc(r.engine, spec, defaultHostCallPath)
		if err != nil {
			for _, f := range cfuncs {
				C.weft_func_delete(f)
			}
			return nil, err
		}
		hm.funcs[spec.exportName] = hf
		cfuncs = append(cfuncs, hf.cfunc)
	}
	hm.freeKey = r.owned.add(func() {
		for _, f := range cfuncs {
			C.weft_func_delete(f)
		}
	})
	if err := r.register(name, hm); err != nil {
		hm.release()
		return nil, err
	}
	return hm, nil
}

// release drops the module's references to its C functions; instances that
// imported them keep theirs.
func (h *hostModule) release() {
	if h.freeKey != 0 {
		h.r.owned.free(h.freeKey)
	}
}

func (h *hostModule) link(im *C.weft_imports, _ *moduleInstance, _ *moduleConfig) error {
	mname := cString(h.name)
	defer mname.free()
	for name, hf := range h.funcs {
		fname := cString(name)
		C.weft_imports_add_func(im, mname.p, fname.p, hf.cfunc)
		fname.free()
	}
	return nil
}

func (h *hostModule) String() string     { return fmt.Sprintf("Module[%s]", h.name) }
func (h *hostModule) Name() string       { return h.name }
func (h *hostModule) Memory() api.Memory { return nil }
func (h *hostModule) IsClosed() bool     { return h.closed.Load() }

func (h *hostModule) ExportedFunctionDefinitions() map[string]api.FunctionDefinition {
	return h.defs.exportedFuncs
}

func (h *hostModule) ExportedMemory(string) api.Memory { return nil }

func (h *hostModule) ExportedMemoryDefinitions() map[string]api.MemoryDefinition {
	return h.defs.exportedMems
}

func (h *hostModule) ExportedGlobal(string) api.Global { return nil }

// ExportedFunction returns a host function callable from Go (with no
// calling module), as wazero allows for tests.
func (h *hostModule) ExportedFunction(name string) api.Function {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed.Load() {
		return nil
	}
	if f, ok := h.exported[name]; ok {
		return f
	}
	hf, ok := h.funcs[name]
	if !ok {
		return nil
	}
	def := h.defs.exportedFuncs[name].(*functionDefinition)
	f := newFunction(h.pseudoInstance(), hf.cfunc, def)
	if h.exported == nil {
		h.exported = map[string]*function{}
	}
	h.exported[name] = f
	return f
}

// pseudoInstance is what calls of a host module's exports from Go run
// against: a module with no C instance that is closed with the host module.
func (h *hostModule) pseudoInstance() *moduleInstance {
	m := &moduleInstance{r: h.r, name: h.name, defs: h.defs, callHooks: h.r.config.callHooks()}
	m.freed.Store(true) // nothing to free
	return m
}

func (h *hostModule) Close(ctx context.Context) error { return h.CloseWithExitCode(ctx, 0) }

func (h *hostModule) CloseWithExitCode(ctx context.Context, exitCode uint32) error {
	if !h.closed.CompareAndSwap(false, true) {
		return nil
	}
	h.r.unregister(h.name, h)
	h.release()
	return nil
}

func (h *hostModule) closeFromRuntime(ctx context.Context, exitCode uint32) {
	if h.closed.CompareAndSwap(false, true) {
		h.release()
	}
}

// hostStack is a host function's stack: n slots at p, C memory. Built as a
// slice header, without the checks of unsafe.Slice or of slicing an array
// pointer: the engine's slots are never nil and n is the function's own.
func hostStack(p *C.uint64_t, n int) (stack []uint64) {
	*(*sliceHeader)(unsafe.Pointer(&stack)) = sliceHeader{unsafe.Pointer(p), n, n}
	return stack
}

// sliceHeader is a slice's layout, for hostStack.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}
