package weft

/*
#include "weft.h"
*/
import "C"

import (
	"context"
	"errors"
	"math"

	"github.com/weftwasm/weft/go/api"
)

// ErrOutOfFuel is what a *TrapError of a call that ran out of fuel
// (RuntimeConfig.WithFuel, WithFuelBudget) matches with errors.Is.
var ErrOutOfFuel = errors.New("all fuel consumed")

// ErrCallStackExhausted is what a *TrapError of a call that nested too
// deep (RuntimeConfig.WithMaxCallDepth, WithValueStackSize) matches with
// errors.Is.
var ErrCallStackExhausted = errors.New("call stack exhausted")

// trapCause is the sentinel error of a resource-limit trap code, or nil.
func trapCause(code C.weft_trap_code) error {
	switch code {
	case C.WEFT_TRAP_OUT_OF_FUEL:
		return ErrOutOfFuel
	case C.WEFT_TRAP_CALL_STACK_EXHAUSTED:
		return ErrCallStackExhausted
	}
	return nil
}

type fuelBudgetKey struct{}

// WithFuelBudget returns a context whose calls may consume at most fuel
// units (with RuntimeConfig.WithFuel; ignored otherwise). Function.Call,
// CallWithStack and InstantiateModule (the start function and the start
// functions of ModuleConfig) read it: each call from Go on a module starts
// with the whole budget, and calls a host function makes back into the same
// module share what is left of it. A call that runs out fails with a
// *TrapError matching ErrOutOfFuel; the module stays usable. Costs nothing
// per call beyond setting one counter.
func WithFuelBudget(ctx context.Context, fuel uint64) context.Context {
	return context.WithValue(ctx, fuelBudgetKey{}, fuel)
}

// fuelBudget is the budget of ctx: WithFuelBudget's, else unlimited.
func fuelBudget(ctx context.Context) uint64 {
	if ctx != nil {
		if n, ok := ctx.Value(fuelBudgetKey{}).(uint64); ok {
			return n
		}
	}
	return math.MaxInt64 // the engine's "unlimited"
}

// RemainingFuel returns the fuel left by the last call on mod from Go (its
// budget minus what it consumed), and false when mod is not a guest of a
// runtime configured WithFuel(true) or is closed. Not while a call runs on
// mod.
func RemainingFuel(mod api.Module) (uint64, bool) {
	m, ok := mod.(*moduleInstance)
	if !ok || !m.r.config.limits.fuel {
		return 0, false
	}
	if err := m.enter(); err != nil {
		return 0, false
	}
	defer m.leave()
	return uint64(C.weft_instance_fuel(m.inst)), true
}
