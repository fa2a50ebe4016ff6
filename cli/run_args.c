/* run_args.c — parsing `weft run`'s options (see run_args.h). */
#include "run_args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_SEC 1e9

void run_args_usage(void)
{
    fprintf(stderr,
            "usage: weft run [options] FILE.wasm [ARGS...]\n"
            "  -invoke NAME        call export NAME with typed ARGS and print its results\n"
            "                      (default: run " RUN_DEFAULT_ENTRY " with ARGS as WASI arguments)\n"
            "  -env K=V            set a guest environment variable (repeatable)\n"
            "  -env-inherit        give the guest the host's environment\n"
            "  -mount HOST[:GUEST][:ro]\n"
            "                      make host directory HOST visible as GUEST (default: the\n"
            "                      same path); :ro makes it read-only (repeatable)\n"
            "  -listen HOST:PORT   offer a listening TCP socket (sock_accept) (repeatable)\n"
            "  -timeout D          stop the guest after D (e.g. 500ms, 2s, 1m)\n"
            "  -fuel N             stop the guest after N units of fuel (a unit per call\n"
            "                      and per loop iteration), start function included\n"
            "  -max-memory-pages N cap the guest's memory at N 64 KiB pages (<= 65536)\n"
            "  -hostlogging        log each WASI call to stderr\n"
            "Options take one dash or two. The exit status is the guest's (proc_exit),\n"
            "1 if it trapped or timed out, 2 if it could not run.\n");
}

int parse_duration(const char *s, uint64_t *ns)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return 0;
    static const struct {
        const char *suffix;
        double scale;
    } units[] = {{"", NS_PER_SEC}, {"s", NS_PER_SEC}, {"ms", 1e6}, {"us", 1e3},
                 {"ns", 1}, {"m", 60 * NS_PER_SEC}, {"h", 3600 * NS_PER_SEC}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].suffix) == 0) {
            double t = v * units[i].scale;
            if (t > 9.2e18)
                return 0;
            *ns = (uint64_t)t;
            return 1;
        }
    }
    return 0;
}

/* Splits HOST[:GUEST][:ro]. A host path holding ':' is not supported. */
static int parse_mount(const char *spec, run_mount *m)
{
    memset(m, 0, sizeof *m);
    m->owned = strdup(spec);
    if (!m->owned)
        return 0;
    char *s = m->owned;
    size_t n = strlen(s);
    if (n >= 3 && strcmp(s + n - 3, ":ro") == 0) {
        m->readonly = true;
        s[n - 3] = '\0';
    }
    char *colon = strchr(s, ':');
    if (colon) {
        *colon = '\0';
        m->guest = colon + 1;
    } else {
        m->guest = s;
    }
    m->host = s;
    return *m->host && *m->guest;
}

/* Matches "-name", "--name" and their "=value" forms; sets *value to the
 * inline value or NULL. */
static int is_flag(const char *arg, const char *name, const char **value)
{
    if (arg[0] != '-')
        return 0;
    arg += arg[1] == '-' ? 2 : 1;
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
        return 0;
    *value = arg[n] == '=' ? arg + n + 1 : NULL;
    return 1;
}

static int push(void **list, int *n, size_t size, const void *item)
{
    void *grown = realloc(*list, (size_t)(*n + 1) * size);
    if (!grown)
        return 0;
    memcpy((char *)grown + (size_t)*n * size, item, size);
    *list = grown;
    (*n)++;
    return 1;
}

typedef enum { OPT_BAD, OPT_NEEDS_VALUE, OPT_OK } opt_result;

/* The 32-bit address space in 64 KiB pages. */
#define MAX_MEMORY_PAGES 65536

/* A positive decimal count of at most max. */
static opt_result parse_count(const char *name, const char *v, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (!*v || *end || errno || n == 0 || n > max || v[0] == '-') {
        fprintf(stderr, "weft run: bad -%s \"%s\" (a number from 1 to %llu)\n", name, v,
                (unsigned long long)max);
        return OPT_BAD;
    }
    *out = n;
    return OPT_OK;
}

static opt_result apply_value(run_args *out, const char *name, const char *v)
{
    if (strcmp(name, "invoke") == 0) {
        out->invoke = v;
        out->invoke_given = true;
        if (!*v)
            fprintf(stderr, "weft run: empty function name\n");
        return *v ? OPT_OK : OPT_BAD;
    }
    if (strcmp(name, "env") == 0) {
        if (!strchr(v, '=') || v[0] == '=') {
            fprintf(stderr, "weft run: -env wants KEY=VALUE, got \"%s\"\n", v);
            return OPT_BAD;
        }
        return push((void **)&out->env, &out->nenv, sizeof *out->env, &v) ? OPT_OK : OPT_BAD;
    }
    if (strcmp(name, "mount") == 0) {
        run_mount m;
        if (!parse_mount(v, &m)) {
            fprintf(stderr, "weft run: -mount wants HOST[:GUEST][:ro], got \"%s\"\n", v);
            free(m.owned);
            return OPT_BAD;
        }
        return push((void **)&out->mounts, &out->nmounts, sizeof m, &m) ? OPT_OK : OPT_BAD;
    }
    if (strcmp(name, "listen") == 0)
        return push((void **)&out->listen, &out->nlisten, sizeof v, &v) ? OPT_OK : OPT_BAD;
    if (strcmp(name, "timeout") == 0) {
        out->timeout_text = v;
        if (!parse_duration(v, &out->timeout_ns) || out->timeout_ns == 0) {
            fprintf(stderr, "weft run: bad -timeout \"%s\" (e.g. 500ms, 2s, 1m)\n", v);
            return OPT_BAD;
        }
        return OPT_OK;
    }
    if (strcmp(name, "fuel") == 0)
        return parse_count(name, v, UINT64_MAX, &out->fuel);
    if (strcmp(name, "max-memory-pages") == 0) {
        uint64_t pages = 0;
        opt_result r = parse_count(name, v, MAX_MEMORY_PAGES, &pages);
        out->max_memory_pages = (uint32_t)pages;
        return r;
    }
    return OPT_BAD;
}

static const char *const VALUE_OPTIONS[] = {"invoke",  "env",  "mount",           "listen",
                                            "timeout", "fuel", "max-memory-pages"};

/* Parses the option at argv[i]; returns the number of words used, 0 on error. */
static int parse_option(int argc, char **argv, int i, run_args *out)
{
    const char *v;
    if (is_flag(argv[i], "env-inherit", &v) && !v) {
        out->env_inherit = true;
        return 1;
    }
    if (is_flag(argv[i], "hostlogging", &v) && !v) {
        out->hostlogging = true;
        return 1;
    }
    for (size_t k = 0; k < sizeof VALUE_OPTIONS / sizeof VALUE_OPTIONS[0]; k++) {
        if (!is_flag(argv[i], VALUE_OPTIONS[k], &v))
            continue;
        int used = 1;
        if (!v) {
            if (i + 1 >= argc) {
                fprintf(stderr, "weft run: -%s needs a value\n", VALUE_OPTIONS[k]);
                return 0;
            }
            v = argv[i + 1];
            used = 2;
        }
        return apply_value(out, VALUE_OPTIONS[k], v) == OPT_OK ? used : 0;
    }
    fprintf(stderr, "weft run: unknown option %s\n", argv[i]);
    run_args_usage();
    return 0;
}

int run_args_parse(int argc, char **argv, run_args *out)
{
    memset(out, 0, sizeof *out);
    out->invoke = RUN_DEFAULT_ENTRY;
    int i = 0;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        int used = parse_option(argc, argv, i, out);
        if (!used) {
            run_args_free(out);
            return 0;
        }
        i += used;
    }
    if (i >= argc) {
        run_args_usage();
        run_args_free(out);
        return 0;
    }
    out->file = argv[i];
    out->nargs = argc - i - 1;
    out->args = argv + i + 1;
    return 1;
}

void run_args_free(run_args *ra)
{
    for (int i = 0; i < ra->nmounts; i++)
        free(ra->mounts[i].owned);
    free(ra->mounts);
    free(ra->env);
    free(ra->listen);
    ra->mounts = NULL;
    ra->env = NULL;
    ra->listen = NULL;
    ra->nmounts = ra->nenv = ra->nlisten = 0;
}
