/* native_trap.c — the per-thread trap channel of natural-signature calls.
 *
 * A natural C signature has no room for a trap, so one travels beside the
 * call in a thread-local slot: a native host function leaves it with
 * weft_native_trap() and the dispatcher picks it up when the function
 * returns; a closure over a Wasm function leaves the guest's trap there for
 * its C caller to take with weft_native_take_trap(). */
#include "ffi_sig.h"

static _Thread_local weft_trap *pending_trap;

weft_trap *native_trap_swap(weft_trap *t)
{
    weft_trap *old = pending_trap;
    pending_trap = t;
    return old;
}

void weft_native_trap(weft_trap *t) { weft_trap_delete(native_trap_swap(t)); }

weft_trap *weft_native_take_trap(void) { return native_trap_swap(NULL); }
