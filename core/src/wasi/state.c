/* state.c — weft_wasi: the WASI state of one guest instance, the host
 * functions that serve it (one generic dispatcher, a descriptor per
 * function), call logging, and guest-memory helpers shared by all groups. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../error.h"
#include "../live_objects.h"
#include "wasi_impl.h"

#define WASI_MODULE "wasi_snapshot_preview1"
#define MAX_PARAMS 9        /* path_open has the most */
#define LOG_LINE_SIZE 1024
#define LOG_PATH_MAX 200    /* bytes of a path argument shown in a log line */

static const wasi_desc DESCS[] = {
#define WASI_DESC(name, params, results, names) {#name, params, results, names, wasi_##name},
    WASI_FUNCS(WASI_DESC)
#undef WASI_DESC
};
#define NFUNCS (sizeof DESCS / sizeof DESCS[0])

/* ------------------------------------------------------------ guest memory */

int put_u32(wasi_call *c, uint32_t ptr, uint32_t v)
{
    if (!mem_ok(c, ptr, 4))
        return WASI_EFAULT;
    st32(c->mem + ptr, v);
    return WASI_ESUCCESS;
}

int put_u64(wasi_call *c, uint32_t ptr, uint64_t v)
{
    if (!mem_ok(c, ptr, 8))
        return WASI_EFAULT;
    st64(c->mem + ptr, v);
    return WASI_ESUCCESS;
}

int iovs_load(wasi_call *c, uint32_t ptr, uint32_t n, guest_iovs *g)
{
    memset(g, 0, sizeof *g);
    if (!mem_ok(c, ptr, (uint64_t)n * WASI_IOVEC_SIZE))
        return WASI_EFAULT;
    /* Entries past IOV_LIMIT are never touched, so never checked either. */
    size_t use = n < IOV_LIMIT ? n : IOV_LIMIT;
    g->v = use <= IOV_SMALL ? g->small : malloc(use * sizeof *g->v);
    if (!g->v)
        return WASI_ENOMEM;
    for (size_t i = 0; i < use; i++) {
        const uint8_t *e = c->mem + ptr + (uint64_t)i * WASI_IOVEC_SIZE;
        uint32_t buf = ld32(e), len = ld32(e + 4);
        if (!mem_ok(c, buf, len)) {
            iovs_free(g);
            return WASI_EFAULT;
        }
        g->v[i].iov_base = c->mem + buf;
        g->v[i].iov_len = len;
        g->total += len;
    }
    g->n = use;
    return WASI_ESUCCESS;
}

void iovs_free(guest_iovs *g)
{
    if (g->v && g->v != g->small)
        free(g->v);
    g->v = NULL;
}

/* ------------------------------------------------------------ lifetime */

static void wasi_release(weft_wasi *w)
{
    if (atomic_fetch_sub(&w->refs, 1) != 1)
        return;
    fdtable_close_all(w);
    free(w->fds);
    strlist_free(&w->args);
    strlist_free(&w->env);
    free(w->bindings);
    live_dec(LIVE_WASI);
    free(w);
}

static void binding_finalize(void *env)
{
    wasi_binding *b = env;
    wasi_release(b->w);
}

weft_error *weft_wasi_new(const weft_wasi_config *c, weft_wasi **out)
{
    *out = NULL;
    if (!c)
        return error_new(WEFT_ERROR_ARGUMENT, -1, -1, "weft_wasi_new: no configuration");
    weft_wasi *w = calloc(1, sizeof *w);
    if (!w)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    live_inc(LIVE_WASI);
    atomic_init(&w->refs, 1);
    w->hooks = c->hooks;
    w->resolve_mode = c->resolve_mode;
    w->bindings = calloc(NFUNCS, sizeof *w->bindings);
    if (!w->bindings || !strlist_copy(&w->args, &c->args) || !strlist_copy(&w->env, &c->env)) {
        wasi_release(w);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    }
    for (size_t i = 0; i < NFUNCS; i++)
        w->bindings[i] = (wasi_binding){w, &DESCS[i]};
    char msg[512];
    const char *why = fdtable_init(w, c, msg, sizeof msg);
    if (why) {
        weft_error *e = error_new(WEFT_ERROR_ARGUMENT, -1, -1, "%s", why);
        wasi_release(w);
        return e;
    }
    *out = w;
    return NULL;
}

void weft_wasi_delete(weft_wasi *w)
{
    if (!w)
        return;
    w->closed = true;
    fdtable_close_all(w);
    wasi_release(w);
}

int weft_wasi_exit_code(const weft_wasi *w, int32_t *code)
{
    if (!w || !w->exited)
        return 0;
    if (code)
        *code = w->exit_code;
    return 1;
}

/* ------------------------------------------------------------ logging */

typedef struct linebuf {
    char *p;
    size_t len, cap;
} linebuf;

static void lb_printf(linebuf *b, const char *fmt, ...) WEFT_PRINTF(2, 3);
static void lb_printf(linebuf *b, const char *fmt, ...)
{
    if (b->len >= b->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

/* Appends a guest string argument, quoted, if it is in bounds. */
static void lb_guest_string(linebuf *b, const wasi_call *c, uint32_t ptr, uint32_t len)
{
    if (!mem_ok(c, ptr, len)) {
        lb_printf(b, "<fault>");
        return;
    }
    lb_printf(b, "\"");
    for (uint32_t i = 0; i < len && i < LOG_PATH_MAX; i++) {
        unsigned char ch = c->mem[ptr + i];
        if (ch < 0x20 || ch == '"' || ch == '\\' || ch >= 0x7f)
            lb_printf(b, "\\x%02x", ch);
        else
            lb_printf(b, "%c", ch);
    }
    lb_printf(b, len > LOG_PATH_MAX ? "\"..." : "\"");
}

/* Is the argument named [name, name+len) a path whose length follows? */
static bool is_path_arg(const char *name, size_t len, const char *next, size_t next_len)
{
    return len >= 4 && memcmp(name + len - 4, "path", 4) == 0 && next_len == len + 4 &&
           memcmp(next, name, len) == 0 && memcmp(next + len, "_len", 4) == 0;
}

static void log_call(const wasi_call *c, const wasi_desc *d, const uint64_t *args, int err)
{
    char line[LOG_LINE_SIZE];
    linebuf b = {line, 0, sizeof line};
    line[0] = '\0';
    lb_printf(&b, "%s.%s(", WASI_MODULE, d->name);
    const char *names = d->arg_names;
    size_t np = strlen(d->params);
    for (size_t i = 0; i < np; i++) {
        const char *end = strchr(names, ',');
        size_t len = end ? (size_t)(end - names) : strlen(names);
        const char *next = end ? end + 1 : names + len;
        const char *next_end = strchr(next, ',');
        size_t next_len = next_end ? (size_t)(next_end - next) : strlen(next);
        lb_printf(&b, "%s%.*s=", i ? ", " : "", (int)len, names);
        if (d->params[i] == 'I')
            lb_printf(&b, "%llu", (unsigned long long)args[i]);
        else if (i + 1 < np && is_path_arg(names, len, next, next_len))
            lb_guest_string(&b, c, (uint32_t)args[i], (uint32_t)args[i + 1]);
        else
            lb_printf(&b, "%u", (unsigned)(uint32_t)args[i]);
        names = next;
    }
    lb_printf(&b, ")");
    if (c->trap)
        lb_printf(&b, " => trap: %s", weft_trap_message(c->trap));
    else if (d->results[0])
        lb_printf(&b, " => E%s", wasi_errno_name(err));
    c->w->hooks.log(c->w->hooks.log_env, line);
}

/* ------------------------------------------------------------ dispatch */

/* Every WASI function enters here: checks the state and the caller, runs the
 * function on the caller's memory, logs it, stores the errno. */
static weft_trap *dispatch(void *env, weft_caller *caller, uint64_t *slots)
{
    wasi_binding *b = env;
    weft_wasi *w = b->w;
    const wasi_desc *d = b->desc;
    if (w->closed)
        return weft_trap_new("WASI: the state of this guest was deleted");
    weft_memory *mem = weft_caller_memory(caller);
    const weft_instance *inst = weft_caller_instance(caller);
    if (!mem || !inst)
        return weft_trap_new("WASI: the calling module has no linear memory");
    if (!w->bound)
        w->bound = inst;
    else if (w->bound != inst)
        return weft_trap_new("WASI: this WASI state belongs to another instance");
    wasi_call c = {w, weft_memory_data(mem), weft_memory_size(mem), caller, NULL};
    uint64_t args[MAX_PARAMS];
    size_t np = strlen(d->params);
    memcpy(args, slots, np * sizeof *args);
    int err = d->impl(&c, args);
    if (w->hooks.log)
        log_call(&c, d, args, err);
    if (c.trap)
        return c.trap;
    if (d->results[0])
        slots[0] = (uint32_t)err;
    return NULL;
}

static weft_functype *desc_type(const wasi_desc *d)
{
    weft_valkind params[MAX_PARAMS], results[1] = {WEFT_I32};
    size_t np = strlen(d->params);
    for (size_t i = 0; i < np; i++)
        params[i] = d->params[i] == 'I' ? WEFT_I64 : WEFT_I32;
    return weft_functype_new(np, params, strlen(d->results), results);
}

int weft_wasi_add_to_imports(weft_wasi *w, weft_engine *e, weft_imports *im)
{
    if (!w || !e || !im)
        return 0;
    for (size_t i = 0; i < NFUNCS; i++) {
        weft_functype *t = desc_type(&DESCS[i]);
        if (!t)
            return 0;
        atomic_fetch_add(&w->refs, 1);
        weft_func *f = weft_func_new_unchecked(e, t, dispatch, &w->bindings[i], binding_finalize);
        weft_functype_delete(t);
        if (!f) {
            wasi_release(w);
            return 0;
        }
        weft_imports_add_func(im, WASI_MODULE, DESCS[i].name, f);
        weft_func_delete(f); /* the import set holds it now */
    }
    return 1;
}
