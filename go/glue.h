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
    uint64_t slots[WEFTGO_INLINE_SLOTS];
    void *host_env;         /* the yielding host function's handle */
    uint64_t *host_slots;   /* its arguments and results */
    void *host_caller_data; /* the calling instance's module id */
    weft_trap *trap;
} weftgo_call;

static inline int weftgo_call_start(weft_func *f, uint64_t *slots, weftgo_call *c)
{
    return weft_call_start(f, slots, &c->host_env, &c->host_slots, &c->host_caller_data, &c->trap);
}

/* Resumes without a Go pointer (cheaper for cgo to check): on
 * WEFT_CALL_DONE the results are at c->host_slots, for Go to copy. */
static inline int weftgo_call_resume(weft_func *f, weft_trap *host_trap, weftgo_call *c)
{
    return weft_call_resume(f, host_trap, NULL, &c->host_env, &c->host_slots,
                            &c->host_caller_data, &c->trap);
}

/* A cgo.Handle as the void * the engine carries for it. Done in C: Go's
 * checkptr rejects turning an integer into an unsafe.Pointer. */
static inline void *weftgo_handle_ptr(uintptr_t handle) { return (void *)handle; }

#endif
