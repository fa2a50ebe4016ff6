/* config.c — weft_wasi_config: a plain description of what a guest may see.
 * Nothing is opened here; weft_wasi_new does that for each guest. */
#include <stdlib.h>
#include <string.h>

#include "wasi_impl.h"

/* The environment variable that forces the portable path resolver. */
#define RESOLVE_ENV "WEFT_WASI_RESOLVE"

bool strlist_push(strlist *l, const char *s, size_t len)
{
    char *grown = realloc(l->buf, l->bytes + len + 1);
    if (!grown)
        return false;
    memcpy(grown + l->bytes, s, len);
    grown[l->bytes + len] = '\0';
    l->buf = grown;
    l->bytes += len + 1;
    l->n++;
    return true;
}

bool strlist_copy(strlist *dst, const strlist *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->bytes)
        return true;
    dst->buf = malloc(src->bytes);
    if (!dst->buf)
        return false;
    memcpy(dst->buf, src->buf, src->bytes);
    dst->bytes = src->bytes;
    dst->n = src->n;
    return true;
}

void strlist_free(strlist *l)
{
    free(l->buf);
    memset(l, 0, sizeof *l);
}

static int resolve_mode_from_env(void)
{
    const char *v = getenv(RESOLVE_ENV);
    if (v && strcmp(v, "walk") == 0)
        return RESOLVE_MODE_WALK;
    if (v && strcmp(v, "openat2") == 0)
        return RESOLVE_MODE_OPENAT2;
    return RESOLVE_MODE_AUTO;
}

weft_wasi_config *weft_wasi_config_new(void)
{
    weft_wasi_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    for (int i = 0; i < 3; i++) {
        c->stdio[i].mode = STDIO_NULL;
        c->stdio[i].host_fd = -1;
    }
    c->resolve_mode = resolve_mode_from_env();
    return c;
}

void weft_wasi_config_delete(weft_wasi_config *c)
{
    if (!c)
        return;
    strlist_free(&c->args);
    strlist_free(&c->env);
    for (size_t i = 0; i < c->nmounts; i++) {
        free(c->mounts[i].host);
        free(c->mounts[i].guest);
    }
    free(c->mounts);
    free(c->sockets);
    free(c);
}

int weft_wasi_config_set_args(weft_wasi_config *c, size_t argc, const char *const *argv)
{
    strlist l = {0};
    for (size_t i = 0; i < argc; i++) {
        const char *s = argv[i] ? argv[i] : "";
        if (!strlist_push(&l, s, strlen(s))) {
            strlist_free(&l);
            return 0;
        }
    }
    strlist_free(&c->args);
    c->args = l;
    return 1;
}

int weft_wasi_config_add_env(weft_wasi_config *c, const char *key, const char *value)
{
    if (!key || !*key || strchr(key, '='))
        return 0;
    if (!value)
        value = "";
    size_t klen = strlen(key), vlen = strlen(value);
    char *kv = malloc(klen + vlen + 2);
    if (!kv)
        return 0;
    memcpy(kv, key, klen);
    kv[klen] = '=';
    memcpy(kv + klen + 1, value, vlen + 1);
    bool ok = strlist_push(&c->env, kv, klen + vlen + 1);
    free(kv);
    return ok;
}

static void set_stdio_fd(weft_wasi_config *c, int which, int host_fd)
{
    stdio_cfg *s = &c->stdio[which];
    memset(s, 0, sizeof *s);
    s->mode = host_fd >= 0 ? STDIO_HOST_FD : STDIO_NULL;
    s->host_fd = host_fd >= 0 ? host_fd : -1;
}

void weft_wasi_config_set_stdin_fd(weft_wasi_config *c, int fd) { set_stdio_fd(c, 0, fd); }
void weft_wasi_config_set_stdout_fd(weft_wasi_config *c, int fd) { set_stdio_fd(c, 1, fd); }
void weft_wasi_config_set_stderr_fd(weft_wasi_config *c, int fd) { set_stdio_fd(c, 2, fd); }

void weft_wasi_config_inherit_stdio(weft_wasi_config *c)
{
    for (int i = 0; i < 3; i++)
        set_stdio_fd(c, i, i);
}

void weft_wasi_config_set_stdin_reader(weft_wasi_config *c, weft_wasi_read_fn fn, void *env)
{
    set_stdio_fd(c, 0, -1);
    if (fn) {
        c->stdio[0].mode = STDIO_CALLBACK;
        c->stdio[0].read = fn;
        c->stdio[0].env = env;
    }
}

static void set_writer(weft_wasi_config *c, int which, weft_wasi_write_fn fn, void *env)
{
    set_stdio_fd(c, which, -1);
    if (fn) {
        c->stdio[which].mode = STDIO_CALLBACK;
        c->stdio[which].write = fn;
        c->stdio[which].env = env;
    }
}

void weft_wasi_config_set_stdout_writer(weft_wasi_config *c, weft_wasi_write_fn fn, void *env)
{
    set_writer(c, 1, fn, env);
}

void weft_wasi_config_set_stderr_writer(weft_wasi_config *c, weft_wasi_write_fn fn, void *env)
{
    set_writer(c, 2, fn, env);
}

int weft_wasi_config_mount(weft_wasi_config *c, const char *host_dir, const char *guest_path,
                           uint32_t flags)
{
    if (!host_dir || !*host_dir || !guest_path || !*guest_path)
        return 0;
    mount_cfg *grown = realloc(c->mounts, (c->nmounts + 1) * sizeof *grown);
    if (!grown)
        return 0;
    c->mounts = grown;
    mount_cfg *m = &c->mounts[c->nmounts];
    m->host = strdup(host_dir);
    m->guest = strdup(guest_path);
    m->readonly = (flags & WEFT_WASI_MOUNT_READONLY) != 0;
    if (!m->host || !m->guest) {
        free(m->host);
        free(m->guest);
        return 0;
    }
    c->nmounts++;
    return 1;
}

int weft_wasi_config_preopen_socket(weft_wasi_config *c, int host_fd)
{
    if (host_fd < 0)
        return 0;
    int *grown = realloc(c->sockets, (c->nsockets + 1) * sizeof *grown);
    if (!grown)
        return 0;
    c->sockets = grown;
    c->sockets[c->nsockets++] = host_fd;
    return 1;
}

void weft_wasi_config_set_walltime(weft_wasi_config *c, weft_wasi_clock_fn fn, void *env,
                                   uint64_t resolution_ns)
{
    c->hooks.walltime = (clock_cfg){fn, env, resolution_ns};
}

void weft_wasi_config_set_nanotime(weft_wasi_config *c, weft_wasi_clock_fn fn, void *env,
                                   uint64_t resolution_ns)
{
    c->hooks.nanotime = (clock_cfg){fn, env, resolution_ns};
}

void weft_wasi_config_set_nanosleep(weft_wasi_config *c, weft_wasi_sleep_fn fn, void *env)
{
    c->hooks.sleep = fn;
    c->hooks.sleep_env = env;
}

void weft_wasi_config_set_random(weft_wasi_config *c, weft_wasi_random_fn fn, void *env)
{
    c->hooks.random = fn;
    c->hooks.random_env = env;
}

void weft_wasi_config_set_logger(weft_wasi_config *c, weft_wasi_log_fn fn, void *env)
{
    c->hooks.log = fn;
    c->hooks.log_env = env;
}
