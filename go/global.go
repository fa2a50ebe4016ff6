package weft

/*
#include <string.h>
#include "weft.h"

// Reads a global's value as the raw bits of its slot (v128: the low half).
static uint64_t weftgo_global_bits(const weft_global *g)
{
    weft_val v;
    weft_global_get(g, &v);
    uint64_t bits = 0;
    switch (v.kind) {
    case WEFT_I32: bits = (uint32_t)v.of.i32; break;
    case WEFT_F32: memcpy(&bits, &v.of.f32, 4); break;
    case WEFT_FUNCREF: bits = (uint64_t)(uintptr_t)v.of.funcref; break;
    case WEFT_EXTERNREF: bits = (uint64_t)(uintptr_t)v.of.externref; break;
    default: memcpy(&bits, &v.of, 8); break;
    }
    return bits;
}

// Sets a global from raw bits; returns 0 if immutable.
static int weftgo_global_set_bits(weft_global *g, uint64_t bits)
{
    weft_val v;
    memset(&v, 0, sizeof v);
    v.kind = weft_global_kind(g);
    switch (v.kind) {
    case WEFT_I32: v.of.i32 = (int32_t)(uint32_t)bits; break;
    case WEFT_F32: { uint32_t u = (uint32_t)bits; memcpy(&v.of.f32, &u, 4); break; }
    case WEFT_FUNCREF: v.of.funcref = (weft_func *)(uintptr_t)bits; break;
    case WEFT_EXTERNREF: v.of.externref = (void *)(uintptr_t)bits; break;
    default: memcpy(&v.of, &bits, 8); break;
    }
    return weft_global_set(g, &v);
}
*/
import "C"

import (
	"fmt"
	"math"

	"github.com/weftwasm/weft/go/api"
)

type global struct {
	owner *moduleInstance
	g     *C.weft_global
	typ   api.ValueType
}

type mutableGlobal struct{ *global }

func newGlobal(owner *moduleInstance, g *C.weft_global) api.Global {
	gl := &global{owner: owner, g: g, typ: api.ValueType(C.weft_global_kind(g))}
	if C.weft_global_mutability(g) == C.WEFT_VAR {
		return mutableGlobal{gl}
	}
	return gl
}

func (g *global) Type() api.ValueType { return g.typ }

func (g *global) Get() uint64 {
	if g.owner.freed.Load() {
		return 0
	}
	return uint64(C.weftgo_global_bits(g.g))
}

func (g mutableGlobal) Set(v uint64) {
	if !g.owner.freed.Load() {
		C.weftgo_global_set_bits(g.g, C.uint64_t(v))
	}
}

func (g *global) String() string {
	v := g.Get()
	switch g.typ {
	case api.ValueTypeI32:
		return fmt.Sprintf("global(%d)", int32(v))
	case api.ValueTypeI64:
		return fmt.Sprintf("global(%d)", int64(v))
	case api.ValueTypeF32:
		return fmt.Sprintf("global(%f)", math.Float32frombits(uint32(v)))
	case api.ValueTypeF64:
		return fmt.Sprintf("global(%f)", math.Float64frombits(v))
	}
	return fmt.Sprintf("global(%#x)", v)
}
