/* ffi_sig.c — Wasm function types as libffi call interfaces, and the value
 * conversions between C values and interpreter slots (see ffi_sig.h). */
#include "ffi_sig.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

static ffi_type *ffi_type_of(valtype t)
{
    switch (t) {
    case VT_I32: return &ffi_type_sint32;
    case VT_I64: return &ffi_type_sint64;
    case VT_F32: return &ffi_type_float;
    case VT_F64: return &ffi_type_double;
    case VT_FUNCREF:
    case VT_EXTERNREF: return &ffi_type_pointer;
    default: return NULL; /* v128: no natural C form */
    }
}

weft_error *ffi_sig_init(ffi_sig *s, const functype *t, uint32_t flags)
{
    memset(s, 0, sizeof *s);
    if (flags & ~WEFT_NATIVE_CALLER)
        return error_new(WEFT_ERROR_ARGUMENT, -1, -1, "unknown native function flags 0x%x",
                         (unsigned)(flags & ~WEFT_NATIVE_CALLER));
    uint32_t ntypes = t->nparams + t->nresults;
    for (uint32_t i = 0; i < ntypes; i++)
        if (!ffi_type_of(t->types[i]))
            return error_new(WEFT_ERROR_ARGUMENT, -1, -1,
                             "a native function cannot take or return v128");
    s->with_caller = (flags & WEFT_NATIVE_CALLER) != 0;
    s->results_by_pointer = t->nresults > 1;
    s->nparams = t->nparams;
    s->nresults = t->nresults;
    s->nargs = (s->with_caller ? 1u : 0u) + t->nparams + (s->results_by_pointer ? t->nresults : 0u);
    s->types = malloc(ntypes ? ntypes : 1);
    s->arg_types = malloc((s->nargs ? s->nargs : 1) * sizeof *s->arg_types);
    if (!s->types || !s->arg_types) {
        ffi_sig_free(s);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    }
    memcpy(s->types, t->types, ntypes);
    uint32_t k = 0;
    if (s->with_caller)
        s->arg_types[k++] = &ffi_type_pointer;
    for (uint32_t i = 0; i < t->nparams; i++)
        s->arg_types[k++] = ffi_type_of(t->types[i]);
    if (s->results_by_pointer)
        for (uint32_t i = 0; i < t->nresults; i++)
            s->arg_types[k++] = &ffi_type_pointer;
    ffi_type *ret = t->nresults == 1 ? ffi_type_of(functype_results(t)[0]) : &ffi_type_void;
    if (ffi_prep_cif(&s->cif, FFI_DEFAULT_ABI, s->nargs, ret, s->arg_types) != FFI_OK) {
        ffi_sig_free(s);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "libffi cannot prepare the call interface");
    }
    return NULL;
}

void ffi_sig_free(ffi_sig *s)
{
    free(s->types);
    free(s->arg_types);
    s->types = NULL;
    s->arg_types = NULL;
}

void native_to_slot(valtype t, const void *c, uint64_t *slot)
{
    switch (t) {
    case VT_I32:
    case VT_F32: {
        uint32_t u;
        memcpy(&u, c, 4);
        *slot = u;
        break;
    }
    case VT_I64:
    case VT_F64: memcpy(slot, c, 8); break;
    default: {
        void *p;
        memcpy(&p, c, sizeof p);
        *slot = (uint64_t)(uintptr_t)p;
        break;
    }
    }
}

void slot_to_native(valtype t, const uint64_t *slot, void *c)
{
    switch (t) {
    case VT_I32:
    case VT_F32: {
        uint32_t u = (uint32_t)*slot;
        memcpy(c, &u, 4);
        break;
    }
    case VT_I64:
    case VT_F64: memcpy(c, slot, 8); break;
    default: {
        void *p = (void *)(uintptr_t)*slot;
        memcpy(c, &p, sizeof p);
        break;
    }
    }
}

void slot_to_ffi_return(valtype t, uint64_t slot, void *ret)
{
    if (t == VT_I32) {
        /* libffi returns integral types narrower than ffi_arg widened. */
        ffi_sarg v = (int32_t)(uint32_t)slot;
        memcpy(ret, &v, sizeof v);
        return;
    }
    slot_to_native(t, &slot, ret);
}

uint64_t ffi_return_to_slot(valtype t, const void *ret)
{
    if (t == VT_I32) {
        ffi_sarg v;
        memcpy(&v, ret, sizeof v);
        return (uint32_t)(int32_t)v;
    }
    uint64_t slot;
    native_to_slot(t, ret, &slot);
    return slot;
}
