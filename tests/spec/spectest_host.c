/* spectest_host.c — the "spectest" module of the reference interpreter,
 * rebuilt for each spec file so no state leaks between files. */
#include "spectest_host.h"

#include <stdio.h>
#include <stdlib.h>

#define HOST_MODULE "spectest"

/* Values and limits fixed by the reference interpreter's spectest module. */
#define GLOBAL_INT_VALUE 666
#define GLOBAL_FLOAT_VALUE 666.6
#define TABLE_MIN 10
#define TABLE_MAX 20
#define MEMORY_MIN_PAGES 1
#define MEMORY_MAX_PAGES 2

#define PRINT_MAX_PARAMS 2

typedef struct print_desc {
    const char *name;
    unsigned nparams;
    weft_valkind params[PRINT_MAX_PARAMS];
} print_desc;

static const print_desc PRINTS[] = {
    {"print", 0, {0}},
    {"print_i32", 1, {WEFT_I32}},
    {"print_i64", 1, {WEFT_I64}},
    {"print_f32", 1, {WEFT_F32}},
    {"print_f64", 1, {WEFT_F64}},
    {"print_i32_f32", 2, {WEFT_I32, WEFT_F32}},
    {"print_f64_f64", 2, {WEFT_F64, WEFT_F64}},
};
#define PRINT_COUNT (sizeof PRINTS / sizeof PRINTS[0])

enum { GLOBAL_I32, GLOBAL_I64, GLOBAL_F32, GLOBAL_F64, GLOBAL_COUNT };
static const char *const GLOBAL_NAMES[GLOBAL_COUNT] = {"global_i32", "global_i64",
                                                       "global_f32", "global_f64"};

struct spectest_host {
    weft_func *prints[PRINT_COUNT];
    weft_global *globals[GLOBAL_COUNT];
    weft_table *table;
    weft_memory *memory;
};

/* Each function owns its env (freed by its finalizer), so a function that
 * outlives the host struct through an importing instance stays valid. */
typedef struct print_env {
    const print_desc *desc;
    int verbose;
} print_env;

static void print_value(const weft_val *v)
{
    switch (v->kind) {
    case WEFT_I32: printf("%d : i32", v->of.i32); break;
    case WEFT_I64: printf("%lld : i64", (long long)v->of.i64); break;
    case WEFT_F32: printf("%.9g : f32", (double)v->of.f32); break;
    case WEFT_F64: printf("%.17g : f64", v->of.f64); break;
    default: printf("? : kind 0x%02x", (unsigned)v->kind); break;
    }
}

static weft_trap *print_fn(void *env, weft_caller *caller, const weft_val *args,
                           weft_val *results)
{
    (void)caller;
    (void)results;
    const print_env *pe = env;
    if (!pe->verbose)
        return NULL;
    printf("spectest.%s(", pe->desc->name);
    for (unsigned i = 0; i < pe->desc->nparams; i++) {
        if (i)
            printf(", ");
        print_value(&args[i]);
    }
    printf(")\n");
    return NULL;
}

static weft_func *make_print(weft_engine *e, const print_desc *d, int verbose)
{
    print_env *env = malloc(sizeof *env);
    weft_functype *type = weft_functype_new(d->nparams, d->params, 0, NULL);
    weft_func *f = NULL;
    if (env && type) {
        env->desc = d;
        env->verbose = verbose;
        f = weft_func_new(e, type, print_fn, env, free);
    }
    if (!f)
        free(env);
    weft_functype_delete(type);
    return f;
}

static int make_globals(spectest_host *h, weft_engine *e)
{
    weft_val v[GLOBAL_COUNT] = {{0}};
    v[GLOBAL_I32].kind = WEFT_I32;
    v[GLOBAL_I32].of.i32 = GLOBAL_INT_VALUE;
    v[GLOBAL_I64].kind = WEFT_I64;
    v[GLOBAL_I64].of.i64 = GLOBAL_INT_VALUE;
    v[GLOBAL_F32].kind = WEFT_F32;
    v[GLOBAL_F32].of.f32 = (float)GLOBAL_FLOAT_VALUE;
    v[GLOBAL_F64].kind = WEFT_F64;
    v[GLOBAL_F64].of.f64 = GLOBAL_FLOAT_VALUE;
    for (int i = 0; i < GLOBAL_COUNT; i++) {
        h->globals[i] = weft_global_new(e, &v[i], WEFT_CONST);
        if (!h->globals[i])
            return 0;
    }
    return 1;
}

spectest_host *spectest_host_new(weft_engine *e, int verbose)
{
    spectest_host *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    for (size_t i = 0; i < PRINT_COUNT; i++) {
        h->prints[i] = make_print(e, &PRINTS[i], verbose);
        if (!h->prints[i])
            goto fail;
    }
    if (!make_globals(h, e))
        goto fail;
    weft_val null_ref = {0};
    null_ref.kind = WEFT_FUNCREF;
    h->table = weft_table_new(e, WEFT_FUNCREF, TABLE_MIN, TABLE_MAX, &null_ref);
    h->memory = weft_memory_new(e, MEMORY_MIN_PAGES, MEMORY_MAX_PAGES);
    if (!h->table || !h->memory)
        goto fail;
    return h;
fail:
    spectest_host_delete(h);
    return NULL;
}

void spectest_host_add_to(const spectest_host *h, weft_imports *im)
{
    for (size_t i = 0; i < PRINT_COUNT; i++)
        weft_imports_add_func(im, HOST_MODULE, PRINTS[i].name, h->prints[i]);
    for (int i = 0; i < GLOBAL_COUNT; i++)
        weft_imports_add_global(im, HOST_MODULE, GLOBAL_NAMES[i], h->globals[i]);
    weft_imports_add_table(im, HOST_MODULE, "table", h->table);
    weft_imports_add_memory(im, HOST_MODULE, "memory", h->memory);
}

void spectest_host_delete(spectest_host *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < PRINT_COUNT; i++)
        if (h->prints[i])
            weft_func_delete(h->prints[i]);
    for (int i = 0; i < GLOBAL_COUNT; i++)
        if (h->globals[i])
            weft_global_delete(h->globals[i]);
    if (h->table)
        weft_table_delete(h->table);
    if (h->memory)
        weft_memory_delete(h->memory);
    free(h);
}
