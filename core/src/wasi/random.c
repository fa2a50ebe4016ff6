/* random.c — random_get: the configured source, or the kernel's (getrandom,
 * which never returns short reads for requests up to 256 bytes and is retried
 * for longer ones). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sys/random.h>

#include "wasi_impl.h"

static int host_random(uint8_t *p, size_t n)
{
    while (n) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return wasi_errno_from_host(errno);
        }
        p += got;
        n -= (size_t)got;
    }
    return WASI_ESUCCESS;
}

int wasi_random_get(wasi_call *c, const uint64_t *a)
{
    uint32_t buf = ARG32(0), len = ARG32(1);
    if (!mem_ok(c, buf, len))
        return WASI_EFAULT;
    if (c->w->hooks.random)
        return c->w->hooks.random(c->w->hooks.random_env, c->mem + buf, len);
    return host_random(c->mem + buf, len);
}
