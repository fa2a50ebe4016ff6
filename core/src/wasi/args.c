/* args.c — args_get, args_sizes_get, environ_get, environ_sizes_get: the
 * configured strings, laid out as C's argv/environ in guest memory. */
#include "wasi_impl.h"

/* Writes the pointer array at `ptrs` and the strings at `buf`. */
static int strlist_get(wasi_call *c, const strlist *l, uint32_t ptrs, uint32_t buf)
{
    if (!mem_ok(c, ptrs, (uint64_t)l->n * 4) || !mem_ok(c, buf, l->bytes))
        return WASI_EFAULT;
    size_t off = 0;
    for (size_t i = 0; i < l->n; i++) {
        st32(c->mem + ptrs + 4 * i, (uint32_t)(buf + off));
        off += strlen(l->buf + off) + 1;
    }
    if (l->bytes)
        memcpy(c->mem + buf, l->buf, l->bytes);
    return WASI_ESUCCESS;
}

static int strlist_sizes(wasi_call *c, const strlist *l, uint32_t count_ptr, uint32_t size_ptr)
{
    if (!mem_ok(c, count_ptr, 4) || !mem_ok(c, size_ptr, 4))
        return WASI_EFAULT;
    st32(c->mem + count_ptr, (uint32_t)l->n);
    st32(c->mem + size_ptr, (uint32_t)l->bytes);
    return WASI_ESUCCESS;
}

int wasi_args_get(wasi_call *c, const uint64_t *a)
{
    return strlist_get(c, &c->w->args, ARG32(0), ARG32(1));
}

int wasi_args_sizes_get(wasi_call *c, const uint64_t *a)
{
    return strlist_sizes(c, &c->w->args, ARG32(0), ARG32(1));
}

int wasi_environ_get(wasi_call *c, const uint64_t *a)
{
    return strlist_get(c, &c->w->env, ARG32(0), ARG32(1));
}

int wasi_environ_sizes_get(wasi_call *c, const uint64_t *a)
{
    return strlist_sizes(c, &c->w->env, ARG32(0), ARG32(1));
}
