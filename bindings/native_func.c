/* native_func.c — weft_func_new_native: host functions that are plain C
 * functions with their natural signature, called through an ffi_cif
 * prepared once when the function is created.
 *
 * The core sees an ordinary raw-slot host function (weft_func_new_unchecked)
 * whose env is the native_host below; native_dispatch turns the slots into
 * libffi argument pointers. Slots are little-endian 64-bit cells, so a
 * pointer to a slot is also a pointer to its int32_t or float. */
#include <stdlib.h>

#include "error.h"
#include "ffi_sig.h"

/* Calls with up to this many C arguments need no allocation. */
enum { SMALL_NATIVE_ARGS = 16 };

typedef struct native_host {
    ffi_sig sig;
    weft_native_fn fn;
    weft_trampoline *owned;        /* freed with the function (may be NULL) */
    void (*finalizer)(void *env);  /* called with finalizer_env when freed */
    void *finalizer_env;
} native_host;

static void native_host_free(void *env)
{
    native_host *h = env;
    ffi_sig_free(&h->sig);
    weft_trampoline_delete(h->owned);
    if (h->finalizer)
        h->finalizer(h->finalizer_env);
    free(h);
}

static weft_trap *native_dispatch(void *env, weft_caller *caller, uint64_t *slots)
{
    const native_host *h = env;
    const ffi_sig *s = &h->sig;
    void *small_values[SMALL_NATIVE_ARGS], *small_result_ptrs[SMALL_NATIVE_ARGS];
    void **values = small_values, **result_ptrs = small_result_ptrs;
    if (s->nargs > SMALL_NATIVE_ARGS) {
        values = malloc(s->nargs * sizeof *values);
        result_ptrs = malloc((s->nresults ? s->nresults : 1) * sizeof *result_ptrs);
        if (!values || !result_ptrs) {
            free(values);
            free(result_ptrs);
            return weft_trap_new("out of memory");
        }
    }
    uint32_t k = 0;
    if (s->with_caller)
        values[k++] = &caller;
    for (uint32_t i = 0; i < s->nparams; i++)
        values[k++] = &slots[i];
    if (s->results_by_pointer)
        for (uint32_t i = 0; i < s->nresults; i++) {
            result_ptrs[i] = &slots[i];
            values[k++] = &result_ptrs[i];
        }

    uint64_t ret[2] = {0, 0}; /* holds any ffi return value of our types */
    weft_trap *outer = native_trap_swap(NULL);
    ffi_call((ffi_cif *)&s->cif, h->fn, ret, values);
    weft_trap *trap = native_trap_swap(outer);

    if (!trap) {
        const valtype *rt = ffi_sig_results(s);
        if (s->nresults == 1)
            slots[0] = ffi_return_to_slot(rt[0], ret);
        /* Results stored through pointers wrote only their own width over
         * whatever the slot held: restore the zero-extension. */
        for (uint32_t i = 0; s->results_by_pointer && i < s->nresults; i++)
            if (rt[i] == VT_I32 || rt[i] == VT_F32)
                slots[i] = (uint32_t)slots[i];
    }
    if (values != small_values) {
        free(values);
        free(result_ptrs);
    }
    return trap;
}

weft_error *native_func_new(weft_engine *e, const weft_functype *type, weft_native_fn fn,
                            uint32_t flags, const native_func_owner *owner, weft_func **out)
{
    *out = NULL;
    if (!fn)
        return error_new(WEFT_ERROR_ARGUMENT, -1, -1, "native function pointer is NULL");
    native_host *h = calloc(1, sizeof *h);
    if (!h)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    weft_error *err = ffi_sig_init(&h->sig, type, flags);
    if (err) {
        free(h);
        return err;
    }
    h->fn = fn;
    if (owner) {
        h->owned = owner->trampoline;
        h->finalizer = owner->finalizer;
        h->finalizer_env = owner->env;
    }
    weft_func *f = weft_func_new_unchecked(e, type, native_dispatch, h, native_host_free);
    if (!f) {
        native_host_free(h);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    }
    *out = f;
    return NULL;
}

weft_error *weft_func_new_native(weft_engine *e, const weft_functype *type, weft_native_fn fn,
                                 uint32_t flags, weft_func **out)
{
    return native_func_new(e, type, fn, flags, NULL, out);
}
