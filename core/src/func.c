/* func.c — functions: host functions, calls from the host (checked and raw),
 * and host calls made by the interpreter, with the caller view they get. */
#include <stdlib.h>
#include <string.h>

#include "host_call.h"
#include "interp_support.h"
#include "live_objects.h"
#include "runtime.h"

enum { SMALL_VALS = 16 }; /* host calls up to this many values avoid malloc */

static weft_func *host_func_new(weft_engine *e, const weft_functype *type, void *env,
                                void (*finalizer)(void *))
{
    (void)e;
    weft_func *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    size_t n = (size_t)type->nparams + type->nresults;
    f->owned_type.types = malloc(n ? n : 1);
    if (!f->owned_type.types) {
        free(f);
        return NULL;
    }
    memcpy(f->owned_type.types, type->types, n);
    f->owned_type.nparams = type->nparams;
    f->owned_type.nresults = type->nresults;
    functype_finish(&f->owned_type);
    f->type = &f->owned_type;
    f->env = env;
    f->finalizer = finalizer;
    atomic_init(&f->hdr.refs, 1);
    live_inc(LIVE_FUNC);
    return f;
}

weft_func *weft_func_new(weft_engine *e, const weft_functype *type, weft_host_fn fn, void *env,
                         void (*finalizer)(void *))
{
    weft_func *f = host_func_new(e, type, env, finalizer);
    if (f) {
        f->kind = FUNC_HOST;
        f->host.generic = fn;
    }
    return f;
}

weft_func *weft_func_new_unchecked(weft_engine *e, const weft_functype *type,
                                   weft_host_fn_unchecked fn, void *env, void (*finalizer)(void *))
{
    weft_func *f = host_func_new(e, type, env, finalizer);
    if (f) {
        f->kind = FUNC_HOST_UNCHECKED;
        f->host.unchecked = fn;
    }
    return f;
}

weft_func *weft_func_new_yielding(weft_engine *e, const weft_functype *type,
                                  weft_host_fn_unchecked fn, void *env, void (*finalizer)(void *))
{
    weft_func *f = weft_func_new_unchecked(e, type, fn, env, finalizer);
    if (f)
        f->yields = true;
    return f;
}

void *weft_func_host_env(const weft_func *f) { return f->kind == FUNC_WASM ? NULL : f->env; }

void func_release_resources(weft_func *f)
{
    func_attachment *native = atomic_load(&f->native_export);
    if (native)
        native->destroy(native);
    if (f->finalizer)
        f->finalizer(f->env);
}

void func_destroy(weft_func *f)
{
    func_release_resources(f);
    live_dec(LIVE_FUNC);
    free(f->owned_type.types);
    free(f);
}

void weft_func_delete(weft_func *f)
{
    if (f && !f->hdr.owner)
        obj_release_func(f);
}

const weft_functype *weft_func_type(const weft_func *f) { return f->type; }

uint32_t weft_func_index(const weft_func *f)
{
    return f->kind == FUNC_WASM ? f->cf->index : UINT32_MAX;
}

size_t weft_func_slot_count(const weft_func *f) { return func_slot_count(f); }

/* ------------------------------------------------------------ values */

void slot_to_val(valtype t, const uint64_t *s, weft_val *v)
{
    memset(v, 0, sizeof *v);
    v->kind = t;
    switch (t) {
    case VT_I32: v->of.i32 = (int32_t)(uint32_t)s[0]; break;
    case VT_I64: v->of.i64 = (int64_t)s[0]; break;
    case VT_F32: {
        uint32_t u = (uint32_t)s[0];
        memcpy(&v->of.f32, &u, 4);
        break;
    }
    case VT_F64: memcpy(&v->of.f64, s, 8); break;
    case VT_V128: memcpy(v->of.v128, s, 16); break;
    case VT_FUNCREF: v->of.funcref = (weft_func *)(uintptr_t)s[0]; break;
    default: v->of.externref = (void *)(uintptr_t)s[0]; break;
    }
}

void val_to_slot(valtype t, const weft_val *v, uint64_t *s)
{
    switch (t) {
    case VT_I32: s[0] = (uint32_t)v->of.i32; break;
    case VT_I64: s[0] = (uint64_t)v->of.i64; break;
    case VT_F32: {
        uint32_t u;
        memcpy(&u, &v->of.f32, 4);
        s[0] = u;
        break;
    }
    case VT_F64: memcpy(s, &v->of.f64, 8); break;
    case VT_V128: memcpy(s, v->of.v128, 16); break;
    case VT_FUNCREF: s[0] = (uint64_t)(uintptr_t)v->of.funcref; break;
    default: s[0] = (uint64_t)(uintptr_t)v->of.externref; break;
    }
}

static void slots_to_vals(uint32_t n, const valtype *types, const uint64_t *s, weft_val *v)
{
    for (uint32_t i = 0; i < n; i++) {
        slot_to_val(types[i], s, &v[i]);
        s += valtype_slots(types[i]);
    }
}

static void vals_to_slots(uint32_t n, const valtype *types, const weft_val *v, uint64_t *s)
{
    for (uint32_t i = 0; i < n; i++) {
        val_to_slot(types[i], &v[i], s);
        s += valtype_slots(types[i]);
    }
}

/* ------------------------------------------------------------ calls */

weft_trap *host_invoke(weft_func *f, weft_instance *caller_inst, uint64_t *slots)
{
    weft_caller caller = {caller_inst};
    if (f->kind == FUNC_HOST_UNCHECKED)
        return f->host.unchecked(f->env, &caller, slots);
    const functype *t = f->type;
    weft_val small[SMALL_VALS];
    size_t n = (size_t)t->nparams + t->nresults;
    weft_val *vals = n <= SMALL_VALS ? small : malloc(n * sizeof *vals);
    if (!vals)
        return trap_new_message(WEFT_TRAP_HOST, "out of memory");
    weft_val *args = vals, *results = vals + t->nparams;
    slots_to_vals(t->nparams, functype_params(t), slots, args);
    memset(results, 0, t->nresults * sizeof *results);
    weft_trap *trap = f->host.generic(f->env, &caller, args, results);
    if (!trap)
        vals_to_slots(t->nresults, functype_results(t), results, slots);
    if (vals != small)
        free(vals);
    return trap;
}

weft_trap *func_call_raw(weft_func *f, weft_instance *caller_inst, uint64_t *slots)
{
    if (f->kind == FUNC_WASM)
        return interp_call(f, slots);
    return host_invoke(f, caller_inst, slots);
}

weft_trap *weft_func_call(weft_func *f, const weft_val *args, size_t nargs, weft_val *results,
                          size_t nresults)
{
    const functype *t = f->type;
    if (nargs != t->nparams || nresults != t->nresults)
        return trap_new_message(WEFT_TRAP_BAD_ARGUMENTS, "wrong number of arguments or results");
    for (size_t i = 0; i < nargs; i++)
        if (args[i].kind != functype_params(t)[i])
            return trap_new_message(WEFT_TRAP_BAD_ARGUMENTS, "argument of the wrong type");
    uint64_t small[2 * SMALL_VALS];
    size_t nslots = weft_func_slot_count(f);
    uint64_t *slots = nslots <= 2 * SMALL_VALS ? small : calloc(nslots, sizeof *slots);
    if (!slots)
        return trap_new_message(WEFT_TRAP_HOST, "out of memory");
    vals_to_slots(t->nparams, functype_params(t), args, slots);
    weft_trap *trap = func_call_raw(f, NULL, slots);
    if (!trap)
        slots_to_vals(t->nresults, functype_results(t), slots, results);
    if (slots != small)
        free(slots);
    return trap;
}

weft_trap *weft_func_call_unchecked(weft_func *f, uint64_t *slots)
{
    return func_call_raw(f, NULL, slots);
}

/* ------------------------------------------------------------ caller */

weft_instance *weft_caller_instance(weft_caller *c) { return c ? c->inst : NULL; }
weft_memory *weft_caller_memory(weft_caller *c) { return c && c->inst ? c->inst->mem0 : NULL; }

weft_func *weft_caller_export_func(weft_caller *c, const char *name)
{
    return c && c->inst ? weft_instance_export_func(c->inst, name) : NULL;
}

/* ------------------------------------------------------------ yielding calls */

int weft_call_start(weft_func *f, uint64_t *slots, void **host_env, uint64_t **host_slots,
                    void **host_caller_data, weft_trap **trap)
{
    *trap = NULL;
    if (f->kind != FUNC_WASM) {
        *trap = func_call_raw(f, NULL, slots);
        return *trap ? WEFT_CALL_TRAP : WEFT_CALL_DONE;
    }
    weft_trap *t = interp_call_yielding(f, slots, false);
    return call_outcome(&f->inst->ex, t, host_env, host_slots, host_caller_data, trap);
}

static int resume(weft_func *f, weft_trap *host_trap, uint64_t *slots, bool bounded,
                  void **host_env, uint64_t **host_slots, void **host_caller_data,
                  weft_trap **trap)
{
    *trap = NULL;
    weft_trap *t = interp_resume(f->inst, host_trap, slots, bounded);
    if (!t && !slots)
        *host_slots = f->inst->ex.yield_args; /* the results, left in place */
    return call_outcome(&f->inst->ex, t, host_env, host_slots, host_caller_data, trap);
}

int weft_call_resume(weft_func *f, weft_trap *host_trap, uint64_t *slots, void **host_env,
                     uint64_t **host_slots, void **host_caller_data, weft_trap **trap)
{
    return resume(f, host_trap, slots, false, host_env, host_slots, host_caller_data, trap);
}

int weft_call_start_bounded(weft_func *f, uint64_t *slots, void **host_env,
                            uint64_t **host_slots, void **host_caller_data, weft_trap **trap)
{
    *trap = NULL;
    if (f->kind != FUNC_WASM) {
        *trap = trap_new_message(WEFT_TRAP_BAD_ARGUMENTS, "a bounded call needs a Wasm function");
        return WEFT_CALL_TRAP;
    }
    weft_trap *t = interp_call_yielding(f, slots, true);
    return call_outcome(&f->inst->ex, t, host_env, host_slots, host_caller_data, trap);
}

int weft_call_resume_bounded(weft_func *f, weft_trap *host_trap, uint64_t *slots,
                             void **host_env, uint64_t **host_slots, void **host_caller_data,
                             weft_trap **trap)
{
    return resume(f, host_trap, slots, true, host_env, host_slots, host_caller_data, trap);
}

void weft_call_block_abandon(weft_call_block *block, weft_trap *trap)
{
    interp_abandon(block->fn->inst, trap);
}

int weft_func_makes_calls(const weft_func *f)
{
    return f->kind != FUNC_WASM || f->cf->makes_calls;
}

int weft_func_may_reach_host(const weft_func *f)
{
    return f->kind != FUNC_WASM || f->cf->reaches_host;
}

int32_t weft_call_block_run(void *block) { return interp_block_run(block); }

int32_t weft_call_block_start(void *block) { return interp_block_start(block); }
