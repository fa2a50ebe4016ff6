/* glue.c — see glue.h. Kept in C because a Go file with //export may only
 * declare C functions in its preamble, not define them. */
#include "glue.h"

#include "_cgo_export.h"

#ifdef __linux__
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* The calling instance's Go module handle, or 0 when called from Go
 * directly: fetched here so Go needs no second cgo call per host call. */
static uintptr_t caller_module(weft_caller *caller)
{
    weft_instance *inst = weft_caller_instance(caller);
    return inst ? (uintptr_t)weft_instance_host_data(inst) : 0;
}

weft_trap *weftgo_host_handler(void *handle, weft_caller *caller, uint64_t *slots)
{
    return weftgoHostCall((uintptr_t)handle, caller_module(caller), slots);
}

void weftgo_release_handle(void *handle) { weftgoReleaseHandle((uintptr_t)handle); }

int weftgo_stdout_write(void *env, const uint8_t *p, size_t n)
{
    return weftgoWrite((uintptr_t)env, 1, (uint8_t *)p, n);
}

int weftgo_stderr_write(void *env, const uint8_t *p, size_t n)
{
    return weftgoWrite((uintptr_t)env, 2, (uint8_t *)p, n);
}

int weftgo_stdin_read(void *env, uint8_t *p, size_t n, size_t *nread)
{
    return weftgoRead((uintptr_t)env, p, n, nread);
}

int64_t weftgo_walltime(void *env) { return weftgoWalltime((uintptr_t)env); }
int64_t weftgo_nanotime(void *env) { return weftgoNanotime((uintptr_t)env); }
void weftgo_nanosleep(void *env, int64_t ns) { weftgoNanosleep((uintptr_t)env, ns); }
int weftgo_random(void *env, uint8_t *p, size_t n) { return weftgoRandom((uintptr_t)env, p, n); }

int32_t weftgo_fast_call(void *arg)
{
    weftgo_call *c = arg;
    weft_func *f = (weft_func *)c->fast_f;
    void *env = NULL, *data = NULL;
    int r;
    if (c->fast_resume)
        r = weft_call_resume_bounded(f, (weft_trap *)c->fast_host_trap, NULL, &env,
                                     &c->host_slots, &data, &c->trap);
    else
        r = weft_call_start_bounded(f, c->slots, &env, &c->host_slots, &data, &c->trap);
    c->host_env = (uintptr_t)env;
    c->host_caller_data = (uintptr_t)data;
    return r;
}

#ifdef __linux__
int weftgo_membarrier_init(void)
{
    long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED))
        return 0;
    return syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0) == 0;
}

void weftgo_membarrier(void) { syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0); }
#else
int weftgo_membarrier_init(void) { return 0; }
void weftgo_membarrier(void) {}
#endif
