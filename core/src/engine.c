/* engine.c — configuration, engines, version, and function types. */
#include <stdlib.h>
#include <string.h>

#include "live_objects.h"
#include "runtime.h"

enum {
    DEFAULT_MAX_TABLE_ELEMENTS = 10000000,
    DEFAULT_MAX_CALL_DEPTH = 100000,
    DEFAULT_VALUE_STACK_SLOTS = 4 * 1024 * 1024, /* 32 MiB, touched lazily */
    DEFAULT_MAX_MODULE_SIZE = 1 << 30            /* 1 GiB, as V8 */
};

const char *weft_version(void) { return WEFT_VERSION_STRING; }
uint32_t weft_abi_version(void) { return WEFT_ABI_VERSION; }

weft_config *weft_config_new(void)
{
    weft_config *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->max_memory_pages = WASM_MAX_PAGES;
    c->max_total_memory_pages = UINT64_MAX; /* no limit */
    c->max_module_size = DEFAULT_MAX_MODULE_SIZE;
    c->max_total_table_elements = UINT64_MAX; /* no limit */
    c->max_table_elements = DEFAULT_MAX_TABLE_ELEMENTS;
    c->max_call_depth = DEFAULT_MAX_CALL_DEPTH;
    c->value_stack_slots = DEFAULT_VALUE_STACK_SLOTS;
    c->fuel = false;
    c->pooling = true;
    c->features = WEFT_FEATURES_V2 | WEFT_FEATURE_TAIL_CALL;
    return c;
}

void weft_config_delete(weft_config *c) { free(c); }

void weft_config_set_max_memory_pages(weft_config *c, uint32_t pages)
{
    c->max_memory_pages = pages > WASM_MAX_PAGES ? WASM_MAX_PAGES : pages;
}
void weft_config_set_max_total_memory_pages(weft_config *c, uint64_t pages)
{
    c->max_total_memory_pages = pages;
}
void weft_config_set_max_module_size(weft_config *c, size_t bytes) { c->max_module_size = bytes; }
void weft_config_set_max_total_table_elements(weft_config *c, uint64_t n)
{
    c->max_total_table_elements = n;
}
void weft_config_set_max_table_elements(weft_config *c, uint32_t n) { c->max_table_elements = n; }
void weft_config_set_max_call_depth(weft_config *c, uint32_t d) { c->max_call_depth = d ? d : 1; }
void weft_config_set_value_stack_slots(weft_config *c, uint32_t s) { c->value_stack_slots = s ? s : 1; }
void weft_config_set_fuel(weft_config *c, int enabled) { c->fuel = enabled != 0; }
void weft_config_set_pooling(weft_config *c, int enabled) { c->pooling = enabled != 0; }
void weft_config_set_features(weft_config *c, uint32_t features) { c->features = features; }

weft_engine *weft_engine_new(const weft_config *c)
{
    weft_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    atomic_init(&e->refs, 1);
    atomic_init(&e->memory_pages, 0);
    atomic_init(&e->table_elements, 0);
    if (c) {
        e->config = *c;
    } else {
        weft_config *d = weft_config_new();
        if (!d) {
            free(e);
            return NULL;
        }
        e->config = *d;
        free(d);
    }
    map_pool_init(&e->memory_pool);
    map_pool_init(&e->stack_pool);
    live_inc(LIVE_ENGINE);
    return e;
}

void engine_retain(weft_engine *e) { atomic_fetch_add(&e->refs, 1); }

void weft_engine_delete(weft_engine *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1) {
        live_dec(LIVE_ENGINE);
        map_pool_destroy(&e->memory_pool);
        map_pool_destroy(&e->stack_pool);
        free(e);
    }
}

/* ------------------------------------------------------------ functypes */

weft_functype *weft_functype_new(size_t nparams, const weft_valkind *params, size_t nresults,
                                 const weft_valkind *results)
{
    if (nparams > LIMIT_PARAMS || nresults > LIMIT_RESULTS)
        return NULL;
    weft_functype *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->types = malloc(nparams + nresults + 1);
    if (!t->types) {
        free(t);
        return NULL;
    }
    if (nparams)
        memcpy(t->types, params, nparams);
    if (nresults)
        memcpy(t->types + nparams, results, nresults);
    t->nparams = (uint32_t)nparams;
    t->nresults = (uint32_t)nresults;
    functype_finish(t);
    live_inc(LIVE_FUNCTYPE);
    return t;
}

void weft_functype_delete(weft_functype *t)
{
    if (!t)
        return;
    live_dec(LIVE_FUNCTYPE);
    free(t->types);
    free(t);
}

size_t weft_functype_param_count(const weft_functype *t) { return t->nparams; }
size_t weft_functype_result_count(const weft_functype *t) { return t->nresults; }
weft_valkind weft_functype_param(const weft_functype *t, size_t i) { return t->types[i]; }
weft_valkind weft_functype_result(const weft_functype *t, size_t i) { return t->types[t->nparams + i]; }
