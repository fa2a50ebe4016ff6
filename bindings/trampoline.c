/* trampoline.c — libffi closures with a natural C signature:
 *
 *  - weft_trampoline_*: a C entry point per foreign host function that
 *    forwards every call, as slots, to one generic handler with a handle
 *    (the Go package's host functions enter Go this way);
 *  - weft_func_as_native: the same closure with a handler that calls a
 *    weft_func, so a Wasm export becomes a plain C function pointer.
 *
 * Closures are allocated once, at creation, never per call. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "live_objects.h"
#include "ffi_sig.h"

/* Calls with up to this many slots need no allocation. */
enum { SMALL_TRAMPOLINE_SLOTS = 16 };

struct weft_trampoline {
    func_attachment attachment; /* first: lets a weft_func own the trampoline */
    ffi_sig sig;
    ffi_closure *closure;
    weft_native_fn entry;
    weft_trampoline_handler handler;
    void *handle;
};

/* Writes a zero result for a call that trapped. */
static void zero_results(const ffi_sig *s, void *ret)
{
    if (s->nresults == 1)
        slot_to_ffi_return(ffi_sig_results(s)[0], 0, ret);
}

static void closure_handler(ffi_cif *cif, void *ret, void **args, void *user)
{
    (void)cif;
    const weft_trampoline *tp = user;
    const ffi_sig *s = &tp->sig;
    uint32_t nslots = ffi_sig_slots(s);
    uint64_t small[SMALL_TRAMPOLINE_SLOTS];
    uint64_t *slots = nslots <= SMALL_TRAMPOLINE_SLOTS ? small : calloc(nslots, sizeof *slots);
    if (!slots) {
        weft_native_trap(weft_trap_new("out of memory"));
        zero_results(s, ret);
        return;
    }
    uint32_t k = 0;
    weft_caller *caller = NULL;
    if (s->with_caller)
        memcpy(&caller, args[k++], sizeof caller);
    const valtype *pt = ffi_sig_params(s);
    for (uint32_t i = 0; i < s->nparams; i++)
        native_to_slot(pt[i], args[k++], &slots[i]);

    weft_trap *trap = tp->handler(tp->handle, caller, slots);
    if (trap) {
        weft_native_trap(trap);
        zero_results(s, ret);
    } else if (s->nresults == 1) {
        slot_to_ffi_return(ffi_sig_results(s)[0], slots[0], ret);
    } else {
        const valtype *rt = ffi_sig_results(s);
        for (uint32_t i = 0; i < s->nresults; i++) {
            void *dst;
            memcpy(&dst, args[k + i], sizeof dst);
            if (dst)
                slot_to_native(rt[i], &slots[i], dst);
        }
    }
    if (slots != small)
        free(slots);
}

void weft_trampoline_delete(weft_trampoline *tp)
{
    if (!tp)
        return;
    if (tp->closure)
        ffi_closure_free(tp->closure);
    ffi_sig_free(&tp->sig);
    live_dec(LIVE_TRAMPOLINE);
    free(tp);
}

static void trampoline_destroy(func_attachment *a) { weft_trampoline_delete((weft_trampoline *)a); }

weft_error *weft_trampoline_new(const weft_functype *type, uint32_t flags,
                                weft_trampoline_handler handler, void *handle,
                                weft_trampoline **out)
{
    *out = NULL;
    if (!handler)
        return error_new(WEFT_ERROR_ARGUMENT, -1, -1, "trampoline handler is NULL");
    weft_trampoline *tp = calloc(1, sizeof *tp);
    if (!tp)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    live_inc(LIVE_TRAMPOLINE);
    tp->attachment.destroy = trampoline_destroy;
    weft_error *err = ffi_sig_init(&tp->sig, type, flags);
    if (err) {
        live_dec(LIVE_TRAMPOLINE);
        free(tp);
        return err;
    }
    void *code = NULL;
    tp->closure = ffi_closure_alloc(sizeof(ffi_closure), &code);
    if (!tp->closure) {
        weft_trampoline_delete(tp);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1,
                         "libffi cannot allocate an executable closure (a W^X-hardened "
                         "system?); use weft_func_new_unchecked instead");
    }
    if (ffi_prep_closure_loc(tp->closure, &tp->sig.cif, closure_handler, tp, code) != FFI_OK) {
        weft_trampoline_delete(tp);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "libffi cannot prepare the closure");
    }
    tp->handler = handler;
    tp->handle = handle;
    /* The one cast between an object pointer and a function pointer:
     * libffi hands the closure's code address out as void *. */
    memcpy(&tp->entry, &code, sizeof tp->entry);
    *out = tp;
    return NULL;
}

weft_native_fn weft_trampoline_entry(const weft_trampoline *tp) { return tp->entry; }

weft_error *weft_func_new_trampoline(weft_engine *e, const weft_functype *type,
                                     weft_trampoline_handler handler, void *handle,
                                     void (*finalizer)(void *), weft_func **out)
{
    *out = NULL;
    weft_trampoline *tp;
    weft_error *err = weft_trampoline_new(type, WEFT_NATIVE_CALLER, handler, handle, &tp);
    if (err)
        return err;
    native_func_owner owner = {tp, finalizer, handle};
    err = native_func_new(e, type, tp->entry, WEFT_NATIVE_CALLER, &owner, out);
    if (err)
        weft_trampoline_delete(tp);
    return err;
}

/* ---------------------------------------------- Wasm functions as C pointers */

static weft_trap *call_func(void *handle, weft_caller *caller, uint64_t *slots)
{
    (void)caller;
    return weft_func_call_unchecked(handle, slots);
}

weft_error *weft_func_as_native(weft_func *f, weft_native_fn *out)
{
    *out = NULL;
    func_attachment *a = atomic_load(&f->native_export);
    if (!a) {
        weft_trampoline *tp;
        weft_error *err = weft_trampoline_new(f->type, 0, call_func, f, &tp);
        if (err)
            return err;
        a = &tp->attachment;
        func_attachment *expected = NULL;
        /* Two threads may race to make it: the first one's closure stays. */
        if (!atomic_compare_exchange_strong(&f->native_export, &expected, a)) {
            weft_trampoline_delete(tp);
            a = expected;
        }
    }
    *out = ((weft_trampoline *)a)->entry;
    return NULL;
}
