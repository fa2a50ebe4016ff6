/* wasi_setup.c — see wasi_setup.h. */
#define _GNU_SOURCE
#include "wasi_setup.h"

#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_BACKLOG 128

extern char **environ;

/* Adds KEY=VALUE text; returns 0 if malformed or out of memory. */
static int add_env_text(weft_wasi_config *c, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq || eq == kv)
        return 0;
    char *key = strndup(kv, (size_t)(eq - kv));
    int ok = key && weft_wasi_config_add_env(c, key, eq + 1);
    free(key);
    return ok;
}

static int explicit_env_has(const run_args *ra, const char *kv)
{
    size_t klen = strcspn(kv, "=");
    for (int i = 0; i < ra->nenv; i++)
        if (strncmp(ra->env[i], kv, klen) == 0 && ra->env[i][klen] == '=')
            return 1;
    return 0;
}

static int set_env(weft_wasi_config *c, const run_args *ra)
{
    for (int i = 0; i < ra->nenv; i++)
        if (!add_env_text(c, ra->env[i]))
            return 0;
    /* Inherited variables come after, and never shadow an explicit -env. */
    if (ra->env_inherit)
        for (char **e = environ; *e; e++)
            if (!explicit_env_has(ra, *e) && strchr(*e, '=') && **e != '=')
                add_env_text(c, *e);
    return 1;
}

static int set_args(weft_wasi_config *c, const run_args *ra)
{
    const char **argv = malloc(((size_t)ra->nargs + 1) * sizeof *argv);
    if (!argv)
        return 0;
    argv[0] = ra->file;
    for (int i = 0; i < ra->nargs; i++)
        argv[i + 1] = ra->args[i];
    int ok = weft_wasi_config_set_args(c, (size_t)ra->nargs + 1, argv);
    free(argv);
    return ok;
}

/* Opens a listening TCP socket on HOST:PORT ([v6addr]:PORT works too). */
static int listen_on(const char *spec)
{
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1]) {
        fprintf(stderr, "weft run: -listen wants HOST:PORT, got \"%s\"\n", spec);
        return -1;
    }
    char *host = strndup(spec, (size_t)(colon - spec));
    if (!host)
        return -1;
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(host, colon + 1, &hints, &res);
    free(host);
    if (rc != 0) {
        fprintf(stderr, "weft run: -listen %s: %s\n", spec, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0)
        fprintf(stderr, "weft run: -listen %s: cannot listen there\n", spec);
    return fd;
}

/* The host's stdin, stdout and stderr, each if it is open (a closed one,
 * as in `weft run x.wasm <&-`, leaves the guest's empty or discarding). */
static void inherit_open_stdio(weft_wasi_config *c)
{
    if (fcntl(0, F_GETFD) != -1)
        weft_wasi_config_set_stdin_fd(c, 0);
    if (fcntl(1, F_GETFD) != -1)
        weft_wasi_config_set_stdout_fd(c, 1);
    if (fcntl(2, F_GETFD) != -1)
        weft_wasi_config_set_stderr_fd(c, 2);
}

static void log_line(void *env, const char *line)
{
    (void)env;
    fprintf(stderr, "[wasi] %s\n", line);
}

static int set_mounts_and_sockets(weft_wasi_config *c, const run_args *ra, int *fds)
{
    for (int i = 0; i < ra->nmounts; i++) {
        const run_mount *m = &ra->mounts[i];
        if (!weft_wasi_config_mount(c, m->host, m->guest, m->readonly ? WEFT_WASI_MOUNT_READONLY : 0))
            return 0;
    }
    for (int i = 0; i < ra->nlisten; i++) {
        fds[i] = listen_on(ra->listen[i]);
        if (fds[i] < 0 || !weft_wasi_config_preopen_socket(c, fds[i]))
            return 0;
    }
    return 1;
}

weft_wasi *wasi_setup(const run_args *ra)
{
    weft_wasi_config *c = weft_wasi_config_new();
    int *fds = calloc((size_t)ra->nlisten + 1, sizeof *fds);
    weft_wasi *w = NULL;
    if (!c || !fds) {
        fprintf(stderr, "weft: out of memory\n");
    } else if (!set_args(c, ra) || !set_env(c, ra) || !set_mounts_and_sockets(c, ra, fds)) {
        fprintf(stderr, "weft run: cannot set up WASI\n");
    } else {
        inherit_open_stdio(c);
        if (ra->hostlogging)
            weft_wasi_config_set_logger(c, log_line, NULL);
        weft_error *err = weft_wasi_new(c, &w);
        if (err) {
            fprintf(stderr, "weft run: %s\n", weft_error_message(err));
            weft_error_delete(err);
        }
    }
    /* The WASI state holds its own duplicates of the sockets. */
    for (int i = 0; fds && i < ra->nlisten; i++)
        if (fds[i] > 0)
            close(fds[i]);
    free(fds);
    weft_wasi_config_delete(c);
    return w;
}
