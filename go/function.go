package weft

/*
#include "weft.h"
#include "glue.h"
*/
import "C"

import (
	"context"
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/weftwasm/weft/go/api"
)

// function is an exported function of a module instance.
type function struct {
	mod               *moduleInstance
	f                 *C.weft_func
	def               *functionDefinition
	stackLen          int
	nparams, nresults int // in uint64 stack entries
	// fastCall: calls run as fast calls (fastcall.go; Wasm functions
	// only) with params and results in the inline slots: callQuick.
	fastCall bool
	// quick: a fastCall with no per-call hooks (fuel, closing on a done
	// context): the whole call is callQuick, with no call() around it.
	quick bool
	// guarded: a fastCall of a function whose run may reach a Go host
	// function, run in place (it or a function it calls, at any depth,
	// calls an import or through a table: weft_func_may_reach_host):
	// callQuickGuarded, whose deferred recover a host function's panic
	// needs. (A function that runs only its module's own code is spared
	// the defer's few ns.)
	guarded bool
	// leaf: quick and not guarded, as most exports that compute are: its
	// calls take C's leaf entry (fastLeafCall).
	leaf bool
	// paramsMask: narrowMask of the params (they fit in the inline slots
	// whenever it is used: fast calls).
	paramsMask uint64
}

// newFunction describes export cf of m, of type def.
func newFunction(m *moduleInstance, cf *C.weft_func, def *functionDefinition) *function {
	f := &function{mod: m, f: cf, def: def, stackLen: def.stackLen(),
		nparams: slotCount(def.params), nresults: slotCount(def.results)}
	wasm := m.inst != nil && C.weft_func_index(cf) != C.UINT32_MAX
	// m.calls is made at instantiation, before any export is looked up.
	f.fastCall = fastCalls && wasm && f.stackLen <= inlineSlots && m.calls != nil && m.calls.stack_top != 0
	f.quick = f.fastCall && !m.callHooks
	f.guarded = f.fastCall && C.weft_func_may_reach_host(cf) != 0
	f.leaf = f.quick && !f.guarded
	f.paramsMask, _ = narrowMask(def.params)
	return f
}

func (f *function) Definition() api.FunctionDefinition { return f.def }

// Call is small, its frame too: a quick call's way goes through nothing
// more.
func (f *function) Call(ctx context.Context, params ...uint64) ([]uint64, error) {
	if f.leaf {
		return f.callInline(ctx, params)
	}
	if f.quick {
		return f.callInlineGuarded(ctx, params)
	}
	return f.callNotQuick(ctx, params)
}

// callNotQuick is Call for the rest (Call takes quick ones to callInline):
// with hooks, or with params and results that do not fit the inline slots,
// or without fast calls.
func (f *function) callNotQuick(ctx context.Context, params []uint64) ([]uint64, error) {
	if len(params) != f.nparams {
		return nil, fmt.Errorf("expected %d params, but passed %d", f.nparams, len(params))
	}
	if f.stackLen <= inlineSlots {
		// The params go straight to C memory; the results are carved from
		// the module's chunk (resultSlots).
		var results []uint64
		if f.nresults > 0 {
			results = f.mod.resultSlots(f.nresults)
		}
		if err := f.call(ctx, params, results); err != nil {
			return nil, err
		}
		return results, nil
	}
	stack := make([]uint64, f.stackLen)
	copy(stack, params)
	if err := f.call(ctx, stack, stack); err != nil {
		return nil, err
	}
	return stack[:f.nresults], nil
}

func (f *function) CallWithStack(ctx context.Context, stack []uint64) error {
	if len(stack) < f.stackLen {
		return fmt.Errorf("need %d stack entries, but got %d", f.stackLen, len(stack))
	}
	if f.quick {
		if f.guarded {
			return f.callQuickGuarded(ctx, stack, stack)
		}
		return f.callQuick(ctx, stack, stack)
	}
	return f.call(ctx, stack, stack)
}

// inlineSlots is how many params or results travel in C memory.
const inlineSlots = C.WEFTGO_INLINE_SLOTS

// call runs the function: params in, results out (the same slice for
// CallWithStack).
//
// The path of every call that is not quick. A host function's panic is
// recovered in hostFunc.invokeIn, or, for one run in place, where its fast
// call began (callQuickGuarded, serveHostCalls); the deferred function here
// is for runtime.Goexit (as t.FailNow calls), which ends the goroutine
// whatever is deferred, and must leave the module as it found it.
func (f *function) call(ctx context.Context, params, results []uint64) error {
	m := f.mod
	if err := m.enter(); err != nil {
		return err
	}
	ctx = orBackground(ctx)
	outer := m.callCtx
	m.callCtx = ctx
	returned := false
	defer func() {
		if !returned { // a Goexit: its C run is ended already (serveHostCalls)
			m.callCtx = outer
			m.leave()
		}
	}()
	var err error
	if m.callHooks {
		err = f.runWithHooks(ctx, outer == nil, params, results)
	} else { // not a fastCall: those without hooks are quick
		err = f.run(ctx, params, results)
	}
	returned = true
	m.callCtx = outer
	m.leave()
	return err
}

// runWithHooks is run with what a runtime's options ask of each call: a
// fuel budget, closing the module when the context is done.
func (f *function) runWithHooks(ctx context.Context, fromGo bool, params, results []uint64) error {
	m := f.mod
	if fromGo && m.r.config.limits.fuel {
		// A call from Go starts with its context's budget; calls back into
		// the module from its host functions share what is left.
		C.weft_instance_set_fuel(m.inst, C.uint64_t(fuelBudget(ctx)))
	}
	if m.r.config.closeOnContextDone && ctx.Done() != nil && m.interrupt != nil {
		if err := ctx.Err(); err != nil {
			return m.closeForContext(ctx)
		}
		interrupt := m.interrupt
		stop := context.AfterFunc(ctx, func() { C.weft_interrupt(interrupt) })
		defer stop()
	}
	if f.guarded {
		return f.callQuickGuarded(ctx, params, results)
	}
	if f.fastCall {
		return f.callQuick(ctx, params, results)
	}
	return f.run(ctx, params, results)
}

// orBackground is ctx, or context.Background() for a nil one: what host
// functions get as the call's context.
func orBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// callQuick makes a fast call (fastcall.go) with params and results in the
// module's C scratch. For the calls most programs make most (f.quick) it is
// the whole call, enter and leave included: the fewer layers, the cheaper a
// trivial call. runWithHooks, inside call(), uses it too: entering and
// setting the context again there changes nothing.
func (f *function) callQuick(ctx context.Context, params, results []uint64) error {
	m := f.mod
	m.active.add(1) // enter, inline
	if m.IsClosed() {
		m.leave()
		return m.closedError()
	}
	cs := m.calls
	for i := 0; i < f.nparams; i++ { // usually 0-2: no memmove call
		cs.slots[i] = C.uint64_t(params[i])
	}
	narrowByMask((*[inlineSlots]uint64)(unsafe.Pointer(&cs.slots[0]))[:], f.paramsMask)
	setBlock(cs, f.f, &cs.slots[0], nil, 0)
	var r C.int
	if f.guarded {
		r = fastStart(&fastCallFrame{m, orBackground(ctx)}, cs)
	} else {
		r = fastLeafCall(cs)
	}
	var err error
	if r == C.WEFT_CALL_DONE {
		for i := 0; i < f.nresults; i++ {
			results[i] = uint64(cs.slots[i])
		}
		if m.IsClosed() { // closed from another goroutine as the call ended
			err = m.closedError()
		}
	} else {
		err = f.finishQuick(ctx, r, results)
	}
	if m.active.add(-1) == 0 && m.IsClosed() { // leave, inline
		m.release()
	}
	return err
}

// finishQuick is finish for a quick call that C did not simply end (a host
// call to serve, a slice, a trap): in the call's context, as call() would
// have set it.
func (f *function) finishQuick(ctx context.Context, r C.int, results []uint64) error {
	m := f.mod
	ctx = orBackground(ctx)
	outer := m.callCtx
	m.callCtx = ctx
	err := f.finish(ctx, r, results)
	m.callCtx = outer
	return err
}

// callInline is Call for a quick function: callQuick's work, and Call's,
// in one frame. For a leaf (see function.leaf), the cheapest Go -> Wasm
// call there is, it is the whole call; a guarded function's goes through
// callInlineGuarded. Its body repeats callQuick's on purpose: one body for
// both (callQuick carving the results when given none) measured 0.4 ns
// more per nop call, 0.6 per add, 2.2 per guarded call (pinned, 10 turns).
func (f *function) callInline(ctx context.Context, params []uint64) ([]uint64, error) {
	if len(params) != f.nparams {
		return nil, fmt.Errorf("expected %d params, but passed %d", f.nparams, len(params))
	}
	m := f.mod
	m.active.add(1) // enter, inline
	if m.IsClosed() {
		m.leave()
		return nil, m.closedError()
	}
	cs := m.calls
	for i, p := range params {
		cs.slots[i] = C.uint64_t(p)
	}
	if f.paramsMask != 0 {
		narrowByMask((*[inlineSlots]uint64)(unsafe.Pointer(&cs.slots[0]))[:], f.paramsMask)
	}
	setBlock(cs, f.f, &cs.slots[0], nil, 0)
	var r C.int
	if f.guarded {
		r = fastStart(&fastCallFrame{m, orBackground(ctx)}, cs)
	} else {
		r = fastLeafCall(cs)
	}
	var results []uint64
	if f.nresults > 0 {
		results = m.resultSlots(f.nresults)
	}
	var err error
	if r == C.WEFT_CALL_DONE {
		for i := range results {
			results[i] = uint64(cs.slots[i])
		}
		if m.IsClosed() { // closed from another goroutine as the call ended
			err = m.closedError()
		}
	} else {
		err = f.finishQuick(ctx, r, results)
	}
	if m.active.add(-1) == 0 && m.IsClosed() { // leave, inline
		m.release()
	}
	if err != nil {
		return nil, err
	}
	return results, nil
}

// callInlineGuarded is callInline with callQuickGuarded's guard, for a
// quick function that may run a Go host function in place.
func (f *function) callInlineGuarded(ctx context.Context, params []uint64) (results []uint64, err error) {
	m := f.mod
	parked, outerCtx := parkedHostCall(m.calls), m.callCtx
	returned := false
	defer func() {
		if !returned {
			results, err = nil, f.endUnreturned(ctx, parked, outerCtx, recover())
		}
	}()
	results, err = f.callInline(ctx, params)
	returned = true
	return results, err
}

// callQuickGuarded is callQuick for a function whose run may call a Go
// host function in place: one that never returns, its panic or
// runtime.Goexit unwinding past the run, ends here (endUnreturned). A
// panic while the call is resumed after a yield is recovered in
// serveHostCalls.
func (f *function) callQuickGuarded(ctx context.Context, params, results []uint64) (err error) {
	m := f.mod
	parked, outerCtx := parkedHostCall(m.calls), m.callCtx
	returned := false
	defer func() {
		if !returned {
			err = f.endUnreturned(ctx, parked, outerCtx, recover())
		}
	}()
	err = f.callQuick(ctx, params, results)
	returned = true
	return err
}

// endUnreturned ends a guarded call that a host function's panic (v) or
// runtime.Goexit (v nil) unwound: if the call's run is still parked on the
// stack (parked is what was parked when the call began), it is abandoned;
// the module gets back the call context it had (outerCtx), and the call
// leaves it, as callQuick did not get to. A panic becomes the call's
// error; a Goexit goes on ending the goroutine, and no one gets the error.
func (f *function) endUnreturned(ctx context.Context, parked uintptr, outerCtx context.Context, v any) error {
	m := f.mod
	var t *C.weft_trap
	if parkedHostCall(m.calls) != parked {
		t = abandonFastCall(m.calls, v)
	}
	m.callCtx = outerCtx
	m.leave()
	if v == nil {
		return nil
	}
	if t == nil { // not from the run: a bug of this package's, not the guest's
		panic(v)
	}
	return m.trapError(orBackground(ctx), t)
}

// run makes the calls callQuick does not: through cgo, with params in the
// inline slots or, beyond them, in the Go slice.
func (f *function) run(ctx context.Context, params, results []uint64) error {
	m := f.mod
	// Params and results travel in the module's C scratch when they fit,
	// else through the Go slice.
	// f.f, cs and host traps are C memory: they go to C as integers, which
	// spares cgo's pointer checks (the _c variants). Go memory (params
	// beyond the inline slots) goes as a pointer, checked.
	cs := m.callState()
	csAddr := uintptr(unsafe.Pointer(cs))
	fAddr := uintptr(unsafe.Pointer(f.f))
	var r C.int
	inline := f.stackLen <= inlineSlots
	if inline {
		slots := unsafe.Slice((*uint64)(unsafe.Pointer(&cs.slots[0])), inlineSlots)
		copy(slots, params[:f.nparams])
		narrow32(slots, f.def.params)
		r = C.weftgo_call_start_c(C.uintptr_t(fAddr), C.uintptr_t(uintptr(unsafe.Pointer(&cs.slots[0]))), C.uintptr_t(csAddr))
	} else {
		var p *C.uint64_t
		if len(params) > 0 {
			narrow32(params, f.def.params)
			p = (*C.uint64_t)(unsafe.Pointer(&params[0]))
		}
		r = C.weftgo_call_start(f.f, p, cs)
	}
	if r == C.WEFT_CALL_DONE && inline {
		copy(results[:f.nresults], unsafe.Slice((*uint64)(unsafe.Pointer(&cs.slots[0])), f.nresults))
	}
	return f.finish(ctx, r, results)
}

// finish ends a call that C returned r for: it runs the host functions the
// call yields for, copying the results from cs.call.host_slots when the last
// resume is done, and turns a trap into an error. A call done at once has
// its results copied by the caller.
func (f *function) finish(ctx context.Context, r C.int, results []uint64) error {
	m := f.mod
	cs := m.callState()
	if r == noRoom { // a fast call nested too deep in host calls
		r = callBlockThroughCgo(cs)
	}
	// Host functions the guest calls come back here to run (see
	// weft_call_start): Go calls C once per host call, never C calls Go.
	if r == C.WEFT_CALL_HOST || r == C.WEFT_CALL_SLICE {
		for r == C.WEFT_CALL_HOST || r == C.WEFT_CALL_SLICE {
			r = f.serveHostCalls(cs, r)
		}
		if r == C.WEFT_CALL_DONE {
			copy(results[:f.nresults], unsafe.Slice((*uint64)(unsafe.Pointer(cs.call.host_slots)), f.nresults))
		}
	}
	if r == C.WEFT_CALL_TRAP {
		return m.trapError(ctx, cs.call.trap)
	}
	if m.IsClosed() { // a host function closed the module and returned
		return m.closedError()
	}
	return nil
}

// serveHostCalls runs the host functions the call yields for and resumes
// it after each, until it ends (a host function's panic is a trap the call
// resumes with). A fast call that stopped (WEFT_CALL_SLICE: it ran long,
// or meets a native host function) goes on through cgo. A resumption runs
// the Go host functions it meets in place: their panics come here, and
// end the call (abandonFastCall). A host function that calls
// runtime.Goexit ends the call too, on its way out (endOnGoexit).
func (f *function) serveHostCalls(cs *C.weftgo_call, r C.int) (out C.int) {
	m := f.mod
	csAddr := uintptr(unsafe.Pointer(cs))
	fAddr := uintptr(unsafe.Pointer(f.f))
	parked := parkedHostCall(cs)
	yielded := false // a host function runs that the call yielded for
	defer func() {
		v := recover()
		switch {
		case parkedHostCall(cs) != parked: // a resumption's, in place
			*(*uintptr)(unsafe.Pointer(&cs.call.trap)) = uintptr(unsafe.Pointer(abandonFastCall(cs, v)))
			out = C.WEFT_CALL_TRAP
		case v != nil: // not from a host function: a bug of this package's
			panic(v)
		case yielded: // a Goexit (invokeIn recovers panics)
			f.endOnGoexit(cs)
		}
	}()
	for {
		switch r {
		case C.WEFT_CALL_SLICE:
			r = C.weftgo_call_resume_c(C.uintptr_t(fAddr), 0, C.uintptr_t(csAddr))
		case C.WEFT_CALL_HOST:
			hf := hostFuncByID(blockID(&cs.call.host_env))
			caller := m
			if id := blockID(&cs.call.host_caller_data); id != m.id {
				caller = moduleFromID(id) // a module this one calls into
			}
			// In this call's context, whichever module called.
			yielded = true
			t := hf.invokeIn(m.callCtx, caller, cs.call.host_slots)
			yielded = false
			r = f.resume(cs, t)
		default:
			return r
		}
	}
}

// endOnGoexit ends the call on cs, which waits for a host function that
// called runtime.Goexit: it resumes the call with a trap, which unwinds
// it, and drops the trap, which no one will read.
func (f *function) endOnGoexit(cs *C.weftgo_call) {
	if f.resume(cs, trapWithMessage("host function called runtime.Goexit")) == C.WEFT_CALL_TRAP {
		C.weft_trap_delete(cs.call.trap)
	}
}

// resume continues the call after a host function, with the host
// function's trap or nil.
func (f *function) resume(cs *C.weftgo_call, hostTrap *C.weft_trap) C.int {
	fAddr := uintptr(unsafe.Pointer(f.f))
	if fastCalls && cs.stack_top != 0 {
		setBlock(cs, f.f, nil, hostTrap, 1)
		if r := fastCall(&fastCallFrame{f.mod, orBackground(f.mod.callCtx)}, cs); r != noRoom {
			return r
		}
		return callBlockThroughCgo(cs)
	}
	return C.weftgo_call_resume_c(C.uintptr_t(fAddr), C.uintptr_t(uintptr(unsafe.Pointer(hostTrap))), C.uintptr_t(uintptr(unsafe.Pointer(cs))))
}

// narrowMask is narrow32's work for types as a mask of slots (bit k: slot
// k holds an i32 or f32); ok is false if the types take more than 64 slots.
func narrowMask(types []api.ValueType) (mask uint64, ok bool) {
	k := 0
	for _, t := range types {
		if k >= 64 {
			return 0, false
		}
		switch t {
		case api.ValueTypeI32, api.ValueTypeF32:
			mask |= 1 << k
		case api.ValueTypeV128:
			k++
		}
		k++
	}
	return mask, true
}

// narrowByMask is narrow32 with the types' narrowMask: a step per narrowed
// slot, not per value.
func narrowByMask(slots []uint64, mask uint64) {
	for ; mask != 0; mask &= mask - 1 {
		k := bits.TrailingZeros64(mask)
		slots[k] = uint64(uint32(slots[k]))
	}
}

// narrow32 clears the high halves of the i32 and f32 values in slots, typed
// by types. Callers may pass uint64(x) of a negative int for an i32, as
// wazero allows; the engine's code relies on zero high halves (its
// i64.extend_i32_u is a plain copy).
func narrow32(slots []uint64, types []api.ValueType) {
	k := 0
	for _, t := range types {
		switch t {
		case api.ValueTypeI32, api.ValueTypeF32:
			slots[k] = uint64(uint32(slots[k]))
		case api.ValueTypeV128:
			k++
		}
		k++
	}
}
