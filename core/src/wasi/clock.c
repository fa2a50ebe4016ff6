/* clock.c — clock_res_get and clock_time_get (realtime, monotonic, process
 * and thread CPU time), and the sleeping that poll_oneoff does: in short
 * slices, so that weft_interrupt stops a sleeping guest promptly. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <time.h>

#include "../runtime.h"
#include "wasi_impl.h"

#define NS_PER_SEC 1000000000ull
#define SLEEP_SLICE_NS 10000000ull /* 10 ms: how late an interrupt may be seen */

static bool host_clock_id(uint32_t id, clockid_t *out)
{
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS_CPUTIME: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD_CPUTIME: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

/* The configured clock replacing a WASI clock, or NULL. */
static const clock_cfg *custom_clock(weft_wasi *w, uint32_t id)
{
    if (id == WASI_CLOCK_REALTIME && w->hooks.walltime.fn)
        return &w->hooks.walltime;
    if (id == WASI_CLOCK_MONOTONIC && w->hooks.nanotime.fn)
        return &w->hooks.nanotime;
    return NULL;
}

static uint64_t ts_ns(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * NS_PER_SEC + (uint64_t)ts->tv_nsec;
}

int clock_now(weft_wasi *w, uint32_t id, uint64_t *ns)
{
    const clock_cfg *cc = custom_clock(w, id);
    if (cc) {
        int64_t t = cc->fn(cc->env);
        *ns = t > 0 ? (uint64_t)t : 0;
        return WASI_ESUCCESS;
    }
    clockid_t hid;
    if (!host_clock_id(id, &hid))
        return WASI_EINVAL;
    struct timespec ts;
    if (clock_gettime(hid, &ts) != 0)
        return wasi_errno_from_host(errno);
    *ns = ts_ns(&ts);
    return WASI_ESUCCESS;
}

int wasi_clock_res_get(wasi_call *c, const uint64_t *a)
{
    uint32_t id = ARG32(0), ptr = ARG32(1);
    uint64_t res;
    const clock_cfg *cc = custom_clock(c->w, id);
    if (cc) {
        res = cc->resolution ? cc->resolution : 1;
    } else {
        clockid_t hid;
        struct timespec ts;
        if (!host_clock_id(id, &hid))
            return WASI_EINVAL;
        if (clock_getres(hid, &ts) != 0)
            return wasi_errno_from_host(errno);
        res = ts_ns(&ts);
    }
    return put_u64(c, ptr, res);
}

int wasi_clock_time_get(wasi_call *c, const uint64_t *a)
{
    /* The precision argument (a[1]) is a hint; every clock is read exactly. */
    uint64_t ns = 0;
    int r = clock_now(c->w, ARG32(0), &ns);
    if (r != WASI_ESUCCESS)
        return r;
    return put_u64(c, ARG32(2), ns);
}

/* ------------------------------------------------------------ sleeping */

bool call_interrupted(wasi_call *c)
{
    weft_instance *inst = weft_caller_instance(c->caller);
    return inst && atomic_load_explicit(&inst->ex.interrupt, memory_order_relaxed) != 0;
}

void call_set_interrupted(wasi_call *c)
{
    weft_instance *inst = weft_caller_instance(c->caller);
    if (inst)
        atomic_store(&inst->ex.interrupt, 0); /* the request is consumed, as in interp.c */
    c->trap = trap_new_code(WEFT_TRAP_INTERRUPTED);
}

bool wasi_sleep(wasi_call *c, uint64_t ns)
{
    weft_wasi *w = c->w;
    if (w->hooks.sleep) {
        w->hooks.sleep(w->hooks.sleep_env, ns > INT64_MAX ? INT64_MAX : (int64_t)ns);
        return !call_interrupted(c);
    }
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t start = ts_ns(&now);
    uint64_t deadline = ns > UINT64_MAX - start ? UINT64_MAX : start + ns;
    for (;;) {
        if (call_interrupted(c))
            return false;
        clock_gettime(CLOCK_MONOTONIC, &now);
        uint64_t t = ts_ns(&now);
        if (t >= deadline)
            return true;
        uint64_t slice = deadline - t < SLEEP_SLICE_NS ? deadline - t : SLEEP_SLICE_NS;
        struct timespec req = {(time_t)(slice / NS_PER_SEC), (long)(slice % NS_PER_SEC)};
        nanosleep(&req, NULL);
    }
}
