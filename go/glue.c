/* glue.c — see glue.h. Kept in C because a Go file with //export may only
 * declare C functions in its preamble, not define them. */
#include "glue.h"

#include "_cgo_export.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/membarrier.h>
#include <sys/syscall.h>
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

/* ---- C stacks for fast calls ----
 *
 * What a bounded run needs of a C stack is a few KiB (the interpreter's
 * frame, and at worst malloc, snprintf or pthread_create on a slow path);
 * each stack reserves WEFTGO_STACK_SIZE of address space, of which only the
 * pages touched are ever backed, above a guard page that turns an overflow
 * into a fault rather than a heap corruption. Closed modules' stacks wait
 * in a small pool for the next module, so that a service instantiating a
 * module per request does not map one each time. */
#define WEFTGO_STACK_SIZE (256 << 10)
#define WEFTGO_STACK_POOL 64

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif
#ifdef __linux__
#define WEFTGO_MADV_GUARD_INSTALL 102 /* MADV_GUARD_INSTALL, newer than some headers */
#else
#define WEFTGO_MADV_GUARD_INSTALL -1 /* none: madvise fails, mprotect it is */
#endif

static pthread_mutex_t stack_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static void *stack_pool[WEFTGO_STACK_POOL]; /* bases of free stacks */
static int stack_pool_len;
static _Atomic long stacks_mapped;

long weftgo_stacks_mapped(void) { return stacks_mapped; }

static void *stack_map(void)
{
    void *base = mmap(NULL, WEFTGO_STACK_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    /* The guard: a guard region where the kernel has them (Linux 6.13+),
     * which leaves the mapping one VMA; else a PROT_NONE page, which splits
     * it in two (a process may have only vm.max_map_count VMAs). */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    if (madvise(base, page, WEFTGO_MADV_GUARD_INSTALL) != 0 &&
        mprotect(base, page, PROT_NONE) != 0) {
        munmap(base, WEFTGO_STACK_SIZE);
        return NULL;
    }
    stacks_mapped++;
    return base;
}

/* A stack's base, from the pool or newly mapped; NULL if neither works. */
static void *stack_get(void)
{
    void *base = NULL;
    pthread_mutex_lock(&stack_pool_lock);
    if (stack_pool_len > 0)
        base = stack_pool[--stack_pool_len];
    pthread_mutex_unlock(&stack_pool_lock);
    return base ? base : stack_map();
}

weftgo_call *weftgo_call_new(int with_stack, uintptr_t host_call)
{
    weftgo_call *c = calloc(1, sizeof(weftgo_call));
    void *base;
    if (c && with_stack && (base = stack_get())) {
        c->stack_top = (uintptr_t)base + WEFTGO_STACK_SIZE;
        c->cstack_context[3] = (uintptr_t)base + (64 << 10);
        if (host_call) {
            c->call.host_call = (weft_trap * (*)(void *)) host_call;
            c->call.host_call_data = c->cstack_context;
        }
    }
    return c;
}

void weftgo_call_free(weftgo_call *c)
{
    if (!c)
        return;
    if (c->stack_top) {
        void *base = (void *)(c->stack_top - WEFTGO_STACK_SIZE);
        pthread_mutex_lock(&stack_pool_lock);
        if (stack_pool_len < WEFTGO_STACK_POOL) {
            stack_pool[stack_pool_len++] = base;
            base = NULL;
        }
        pthread_mutex_unlock(&stack_pool_lock);
        if (base) {
            munmap(base, WEFTGO_STACK_SIZE);
            stacks_mapped--;
        }
    }
    free(c);
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
