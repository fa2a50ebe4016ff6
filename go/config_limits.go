package weft

/*
#include "weft.h"
*/
import "C"

// engineLimits are the RuntimeConfig limits the C engine enforces (see
// weft.h, weft_config_set_*). Zero means the engine's default, so the zero
// value is the default configuration.
type engineLimits struct {
	maxCallDepth     uint32
	valueStackSlots  uint32
	maxTableElements uint32
	totalMemoryPages uint64 // 0: no total limit
	totalElements    uint64 // 0: no total limit
	fuel             bool
	noPooling        bool // WithPooling(false)
}

// apply sets the non-default limits on a C configuration.
func (l engineLimits) apply(cfg *C.weft_config) {
	if l.maxCallDepth != 0 {
		C.weft_config_set_max_call_depth(cfg, C.uint32_t(l.maxCallDepth))
	}
	if l.valueStackSlots != 0 {
		C.weft_config_set_value_stack_slots(cfg, C.uint32_t(l.valueStackSlots))
	}
	if l.maxTableElements != 0 {
		C.weft_config_set_max_table_elements(cfg, C.uint32_t(l.maxTableElements))
	}
	if l.totalMemoryPages != 0 {
		C.weft_config_set_max_total_memory_pages(cfg, C.uint64_t(l.totalMemoryPages))
	}
	if l.totalElements != 0 {
		C.weft_config_set_max_total_table_elements(cfg, C.uint64_t(l.totalElements))
	}
	if l.fuel {
		C.weft_config_set_fuel(cfg, 1)
	}
	if l.noPooling {
		C.weft_config_set_pooling(cfg, 0)
	}
}

// WithMaxCallDepth sets how deep Wasm calls may nest (the called export
// counts as one) before a call fails with a *TrapError "call stack
// exhausted" (errors.Is ErrCallStackExhausted). Default 100,000; 0 keeps
// the default.
func (c *runtimeConfig) WithMaxCallDepth(depth uint32) RuntimeConfig {
	ret := c.clone()
	ret.limits.maxCallDepth = depth
	return ret
}

// WithValueStackSize sets the size of each module's value stack in 8-byte
// slots (every active call holds its function's params, locals and operand
// temporaries there). A call that does not fit fails like
// WithMaxCallDepth's. Default 4 Mi slots (32 MiB of address space, touched
// only as used); 0 keeps the default.
func (c *runtimeConfig) WithValueStackSize(slots uint32) RuntimeConfig {
	ret := c.clone()
	ret.limits.valueStackSlots = slots
	return ret
}

// WithMaxTableElements caps every table at n elements: a module whose
// table's minimum is larger fails to instantiate, and table.grow past it
// returns -1. Default 10,000,000; 0 keeps the default.
func (c *runtimeConfig) WithMaxTableElements(n uint32) RuntimeConfig {
	ret := c.clone()
	ret.limits.maxTableElements = n
	return ret
}

// WithTotalTableElements caps the elements of all live tables of the
// runtime together (a module may declare 100,000 tables, each up to
// WithMaxTableElements): an instantiation whose tables do not fit fails
// with an error ("exceed the engine's total table limit"), and table.grow
// past it returns -1. Elements come back when a module is closed. Default
// 0: no total limit. Shared like WithTotalMemoryLimitPages's budget.
func (c *runtimeConfig) WithTotalTableElements(n uint64) RuntimeConfig {
	ret := c.clone()
	ret.limits.totalElements = n
	return ret
}

// WithTotalMemoryLimitPages caps the pages of all live memories of the
// runtime together (their current sizes, in 64 KiB pages): an
// instantiation whose memory does not fit fails with an error ("exceeds the
// engine's total memory limit"), and memory.grow past it returns -1. Pages
// come back when a module is closed. Default 0: no total limit (each memory
// is still capped by WithMemoryLimitPages).
//
// The budget belongs to the runtime's C engine. Runtimes that share a
// CompilationCache and have equal configurations share one engine, and so
// one budget.
func (c *runtimeConfig) WithTotalMemoryLimitPages(pages uint64) RuntimeConfig {
	ret := c.clone()
	ret.limits.totalMemoryPages = pages
	return ret
}

// WithFuel turns fuel metering on: every function call and every loop
// iteration a guest runs consumes one unit, and a call that runs out fails
// with a *TrapError "all fuel consumed" (errors.Is ErrOutOfFuel). Each call
// made from Go gets the budget of its context (WithFuelBudget); without
// one, it is not limited. Metering costs some speed, so it is off by
// default.
func (c *runtimeConfig) WithFuel(enabled bool) RuntimeConfig {
	ret := c.clone()
	ret.limits.fuel = enabled
	return ret
}

// WithPooling sets whether the runtime keeps what closed modules freed for
// the modules instantiated after them (on by default): up to 8 memory
// reservations (at most 32 MiB resident together, zeroed) and 8 value
// stacks, so that instantiating and closing a small module maps, unmaps
// and faults in nothing. Off, every closed module's memory and stacks are
// unmapped at once: for a process that must give memory back as soon as
// a burst of modules is closed. (The C stacks fast calls run on are pooled
// process-wide either way, up to 64.)
func (c *runtimeConfig) WithPooling(enabled bool) RuntimeConfig {
	ret := c.clone()
	ret.limits.noPooling = !enabled
	return ret
}
