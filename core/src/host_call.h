/* host_call.h — how the dispatch loop calls a host function. Inline: out of
 * line, call_host's register saves and its repeat of the loop's checks were
 * 24 of the 218 instructions of a Go host function's call in place. */
#ifndef WEFT_HOST_CALL_H
#define WEFT_HOST_CALL_H

#include "runtime.h"
#include "slice_watchdog.h"

/* Runs host function f with its params in slots, its results left there, in
 * its kind's convention (generic functions get weft_vals). func.c. */
weft_trap *host_invoke(weft_func *f, weft_instance *caller_inst, uint64_t *slots);

/* A yielding host function called where a block run is (b), through its
 * embedder's weft_call_block.host_call. The function may take any time and
 * come back on another thread: slice_run_resume sees to the watchdog's
 * mark. */
static inline weft_trap *host_call_in_place(exec *ex, weft_call_block *b, weft_func *f,
                                            weft_instance *caller, uint64_t *args)
{
    b->host_env = f->env;
    b->host_slots = args;
    b->host_caller_data = caller->host_data;
    weft_trap *t = b->host_call(b->host_call_data);
    ex->slice_mark = slice_run_resume(ex, ex->slice_mark);
    return t;
}

/* Calls a host function from the loop: publishes the frame state so the host
 * may call back into Wasm above `args`. A yielding one in a block run that
 * calls them in place (ex->host_block) goes through the block's host_call.
 * Returns its trap or NULL. */
static inline weft_trap *call_host(exec *ex, frame *fr, weft_func *f, weft_instance *caller,
                                   uint64_t *args)
{
    /* New entries start above the arguments/results area of this call. */
    uint64_t *saved_sp = ex->sp;
    ex->frames_top = fr;
    ex->sp = args + func_slot_count(f);
    weft_call_block *b = ex->host_block;
    weft_trap *t = f->yields && b ? host_call_in_place(ex, b, f, caller, args)
                                  : host_invoke(f, caller, args);
    ex->sp = saved_sp;
    return t;
}

#endif
