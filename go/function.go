package weft

/*
#include "weft.h"
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
	if trap := C.weft_func_call_unchecked(f.f, p); trap != nil {
		return m.trapError(ctx, trap)
	}
	if m.IsClosed() { // a host function closed the module and returned
		return m.closedError()
	}
	return nil
}
