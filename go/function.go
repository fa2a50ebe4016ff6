package weft

/*
#include "weft.h"
#include "glue.h"
*/
import "C"

import (
	"context"
	"fmt"
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
}

func (f *function) Definition() api.FunctionDefinition { return f.def }

func (f *function) Call(ctx context.Context, params ...uint64) ([]uint64, error) {
	if len(params) != f.nparams {
		return nil, fmt.Errorf("expected %d params, but passed %d", f.nparams, len(params))
	}
	stack := make([]uint64, f.stackLen)
	copy(stack, params)
	if err := f.call(ctx, stack); err != nil {
		return nil, err
	}
	return stack[:f.nresults], nil
}

func (f *function) CallWithStack(ctx context.Context, stack []uint64) error {
	if len(stack) < f.stackLen {
		return fmt.Errorf("need %d stack entries, but got %d", f.stackLen, len(stack))
	}
	return f.call(ctx, stack)
}

// call runs the function on stack (params in, results out).
func (f *function) call(ctx context.Context, stack []uint64) error {
	m := f.mod
	if err := m.enter(); err != nil {
		return err
	}
	defer m.leave()
	if ctx == nil {
		ctx = context.Background()
	}
	outer := m.callCtx
	m.callCtx = ctx
	defer func() { m.callCtx = outer }()

	if m.r.config.closeOnContextDone && ctx.Done() != nil && m.interrupt != nil {
		if err := ctx.Err(); err != nil {
			return m.closeForContext(ctx)
		}
		interrupt := m.interrupt
		stop := context.AfterFunc(ctx, func() { C.weft_interrupt(interrupt) })
		defer stop()
	}

	var p *C.uint64_t
	if len(stack) > 0 {
		p = (*C.uint64_t)(unsafe.Pointer(&stack[0]))
	}
	// Host functions the guest calls come back here to run (see
	// weft_call_start): Go calls C once per host call, never C calls Go.
	cs := m.callState()
	r := C.weftgo_call_start(f.f, p, cs)
	if r == C.WEFT_CALL_HOST {
		for r == C.WEFT_CALL_HOST {
			hf := hostFuncByID(uintptr(cs.host_env))
			caller := m
			if id := uintptr(cs.host_caller_data); id != m.id {
				caller = moduleFromID(id) // a module this one calls into
			}
			hostTrap := hf.invoke(caller, cs.host_slots)
			r = C.weftgo_call_resume(f.f, hostTrap, cs)
		}
		if r == C.WEFT_CALL_DONE {
			copy(stack[:f.nresults], unsafe.Slice((*uint64)(unsafe.Pointer(cs.host_slots)), f.nresults))
		}
	}
	if r == C.WEFT_CALL_TRAP {
		return m.trapError(ctx, cs.trap)
	}
	if m.IsClosed() { // a host function closed the module and returned
		return m.closedError()
	}
	return nil
}
