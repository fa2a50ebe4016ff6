/* glue.h — C entry points of the Go package: the functions the engine calls
 * (host-function handler, WASI stdio/clock/random callbacks), each a thin
 * forwarder to an exported Go function (glue.c). */
#ifndef WEFT_GO_GLUE_H
#define WEFT_GO_GLUE_H

#include <stdint.h>

#include "weft.h"

/* The handler of every Go host function, as a weft_trampoline_handler (the
 * libffi path) or a weft_host_fn_unchecked (the direct path): the handle
 * is the Go host function's cgo.Handle. */
weft_trap *weftgo_host_handler(void *handle, weft_caller *caller, uint64_t *slots);
/* Finalizer of a Go host function: releases its handle. */
void weftgo_release_handle(void *handle);

/* WASI callbacks; env is the guest's cgo.Handle (see wasi.go). The stream
 * of a write/read is chosen by which function is registered. */
int weftgo_stdout_write(void *env, const uint8_t *p, size_t n);
int weftgo_stderr_write(void *env, const uint8_t *p, size_t n);
int weftgo_stdin_read(void *env, uint8_t *p, size_t n, size_t *nread);
int64_t weftgo_walltime(void *env);
int64_t weftgo_nanotime(void *env);
void weftgo_nanosleep(void *env, int64_t ns);
int weftgo_random(void *env, uint8_t *p, size_t n);

/* Where weft_call_start / weft_call_resume put what a yield needs: kept in
 * C memory, one per Go module instance, so a call passes one pointer. */
/* Calls whose params and results fit pass them through here, in C memory:
 * no Go pointer crosses into C, which cgo would have to check. */
#define WEFTGO_INLINE_SLOTS 16

typedef struct weftgo_call {
    /* go/internal/cstack's Context for the C stack below: first, so that a
     * host call in place (weft_call_block.host_call_data, the Context)
     * finds the call state at the same address. Its last word is the
     * lowest parked address a nested fast call may run below: 64 KiB
     * above the stack's base (else it goes through cgo,
     * weftgo_call_block_run_cgo). */
    uintptr_t cstack_context[4];
    uint64_t slots[WEFTGO_INLINE_SLOTS];
    /* The call's in and out fields (host_env and host_caller_data hold ids,
     * not pointers: Go reads them as integers, blockID). Fast calls pass
     * it to weft_call_block_run as they are. */
    weft_call_block call;
    /* The top of the C stack its fast calls run on (go/internal/cstack),
     * 0 if it has none (its calls then go through cgo). */
    uintptr_t stack_top;
} weftgo_call;

/* A module's call scratch, zeroed, with a stack for fast calls if
 * with_stack and one can be had; and its release (with its stack). With a
 * stack, its fast calls run Go host functions in place, through host_call
 * (go/internal/cstack's HostCallEntry). */
weftgo_call *weftgo_call_new(int with_stack, uintptr_t host_call);
void weftgo_call_free(weftgo_call *c);
/* How many such stacks are mapped (in use or pooled), for tests. */
long weftgo_stacks_mapped(void);

/* The fast call cs->call describes run through cgo, its Go host functions
 * yielding (not called in place: cgo's stack is not the goroutine's). */
static inline int weftgo_call_block_run_cgo(uintptr_t cs)
{
    weft_call_block *b = &((weftgo_call *)cs)->call;
    weft_trap *(*host_call)(void *) = b->host_call;
    b->host_call = NULL;
    int r = weft_call_block_run(b);
    b->host_call = host_call;
    return r;
}

/* The heavy side of an asymmetric barrier (callguard.go): membarrier(2)'s
 * private expedited command. Init registers the process for it and returns
 * nonzero if it works; weftgo_membarrier then makes every running thread
 * of the process execute a full memory barrier. */
int weftgo_membarrier_init(void);
void weftgo_membarrier(void);

static inline int weftgo_call_start(weft_func *f, uint64_t *slots, weftgo_call *c)
{
    weft_call_block *b = &c->call;
    return weft_call_start(f, slots, &b->host_env, &b->host_slots, &b->host_caller_data, &b->trap);
}

/* Resumes without a Go pointer (cheaper for cgo to check): on
 * WEFT_CALL_DONE the results are at c->call.host_slots, for Go to copy. */
static inline int weftgo_call_resume(weft_func *f, weft_trap *host_trap, weftgo_call *c)
{
    weft_call_block *b = &c->call;
    return weft_call_resume(f, host_trap, NULL, &b->host_env, &b->host_slots,
                            &b->host_caller_data, &b->trap);
}

/* The same two calls with every pointer passed as an integer, for when all
 * of them point to C memory (the function, the module's scratch, a trap):
 * cgo then has no pointer argument to check (runtime.cgoCheckPointer cost a
 * quarter of a trivial Go -> Wasm call). Never pass Go memory this way. */
static inline int weftgo_call_start_c(uintptr_t f, uintptr_t slots, uintptr_t c)
{
    return weftgo_call_start((weft_func *)f, (uint64_t *)slots, (weftgo_call *)c);
}

static inline int weftgo_call_resume_c(uintptr_t f, uintptr_t host_trap, uintptr_t c)
{
    return weftgo_call_resume((weft_func *)f, (weft_trap *)host_trap, (weftgo_call *)c);
}

/* Go identifies its objects to the engine by small integers (ids, cgo
 * handles) that the engine keeps as void *. The conversion happens here, in
 * C: a Go variable of pointer type must never hold such an integer (the
 * garbage collector would find an invalid pointer on the stack). */
#define WEFTGO_PTR(id) ((void *)(uintptr_t)(id))

static inline weft_func *weftgo_func_new_yielding(weft_engine *e, const weft_functype *t,
                                                  uintptr_t id)
{
    return weft_func_new_yielding(e, t, weftgo_host_handler, WEFTGO_PTR(id),
                                  weftgo_release_handle);
}

static inline weft_func *weftgo_func_new_direct(weft_engine *e, const weft_functype *t,
                                                uintptr_t id)
{
    return weft_func_new_unchecked(e, t, weftgo_host_handler, WEFTGO_PTR(id),
                                   weftgo_release_handle);
}

static inline weft_error *weftgo_func_new_trampoline(weft_engine *e, const weft_functype *t,
                                                     uintptr_t id, weft_func **out)
{
    return weft_func_new_trampoline(e, t, weftgo_host_handler, WEFTGO_PTR(id),
                                    weftgo_release_handle, out);
}

static inline void weftgo_instance_set_id(weft_instance *inst, uintptr_t id)
{
    weft_instance_set_host_data(inst, WEFTGO_PTR(id));
}

/* WASI callbacks of one guest, whose cgo handle is env. */
static inline void weftgo_wasi_stdin(weft_wasi_config *c, uintptr_t env)
{
    weft_wasi_config_set_stdin_reader(c, weftgo_stdin_read, WEFTGO_PTR(env));
}
static inline void weftgo_wasi_stdout(weft_wasi_config *c, uintptr_t env)
{
    weft_wasi_config_set_stdout_writer(c, weftgo_stdout_write, WEFTGO_PTR(env));
}
static inline void weftgo_wasi_stderr(weft_wasi_config *c, uintptr_t env)
{
    weft_wasi_config_set_stderr_writer(c, weftgo_stderr_write, WEFTGO_PTR(env));
}
static inline void weftgo_wasi_walltime(weft_wasi_config *c, uintptr_t env, uint64_t res)
{
    weft_wasi_config_set_walltime(c, weftgo_walltime, WEFTGO_PTR(env), res);
}
static inline void weftgo_wasi_nanotime(weft_wasi_config *c, uintptr_t env, uint64_t res)
{
    weft_wasi_config_set_nanotime(c, weftgo_nanotime, WEFTGO_PTR(env), res);
}
static inline void weftgo_wasi_nanosleep(weft_wasi_config *c, uintptr_t env)
{
    weft_wasi_config_set_nanosleep(c, weftgo_nanosleep, WEFTGO_PTR(env));
}
static inline void weftgo_wasi_random(weft_wasi_config *c, uintptr_t env)
{
    weft_wasi_config_set_random(c, weftgo_random, WEFTGO_PTR(env));
}

#endif
