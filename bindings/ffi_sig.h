/* ffi_sig.h — a Wasm function type as a natural C signature for libffi.
 *
 * One ffi_sig is prepared per native function or trampoline (never per
 * call): the ffi_cif, its argument types, and a copy of the Wasm types.
 * The C parameter list is: [weft_caller*] params... [result pointers...]
 * (result pointers only when there is more than one result). */
#ifndef WEFT_FFI_SIG_H
#define WEFT_FFI_SIG_H

#include <ffi.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime.h"

typedef struct ffi_sig {
    ffi_cif cif;
    ffi_type **arg_types;  /* cif's argument types */
    uint32_t nargs;        /* C parameters in all */
    uint32_t nparams, nresults;
    valtype *types;        /* params then results (a copy) */
    bool with_caller;
    bool results_by_pointer; /* more than one result */
} ffi_sig;

/* Prepares the signature of `t`. Returns NULL or an error (caller owns). */
weft_error *ffi_sig_init(ffi_sig *s, const functype *t, uint32_t flags);
void ffi_sig_free(ffi_sig *s);

static inline const valtype *ffi_sig_params(const ffi_sig *s) { return s->types; }
static inline const valtype *ffi_sig_results(const ffi_sig *s) { return s->types + s->nparams; }
/* Slots a call needs: one per value (no v128), the larger of the two lists. */
static inline uint32_t ffi_sig_slots(const ffi_sig *s)
{
    return s->nparams > s->nresults ? s->nparams : s->nresults;
}

/* Between C values and slots (i32/f32 zero-extended in their slot). */
void native_to_slot(valtype t, const void *c_value, uint64_t *slot);
void slot_to_native(valtype t, const uint64_t *slot, void *c_value);
/* Stores a slot as the return value libffi expects (`ret` is at least
 * sizeof(ffi_arg) and 8 bytes: integers narrower than ffi_arg widen). */
void slot_to_ffi_return(valtype t, uint64_t slot, void *ret);
/* Reads a libffi return value into a slot. */
uint64_t ffi_return_to_slot(valtype t, const void *ret);

/* What a native function owns besides its signature: a trampoline to
 * delete and a finalizer to call when the function is freed. */
typedef struct native_func_owner {
    weft_trampoline *trampoline;
    void (*finalizer)(void *env);
    void *env;
} native_func_owner;

/* weft_func_new_native with an owner (NULL: none). On failure the owner's
 * resources stay the caller's. */
weft_error *native_func_new(weft_engine *e, const weft_functype *type, weft_native_fn fn,
                            uint32_t flags, const native_func_owner *owner, weft_func **out);

/* The trap channel shared by native functions and closures (native_trap.c). */
weft_trap *native_trap_swap(weft_trap *t);

#endif
