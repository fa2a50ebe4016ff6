/* table.c — tables of references (funcref: weft_func*, externref: host
 * pointer; NULL is the null reference). Unlike memories, a table's element
 * array may move on grow: the interpreter always reads it through the table. */
#include <stdlib.h>
#include <string.h>

#include "interp_support.h"
#include "live_objects.h"
#include "runtime.h"

/* The engine's element budget, as memory.c's page budget: every element of
 * every live table counts, so that the tables of many instances (or the
 * 100,000 tables one module may declare) stay under
 * max_total_table_elements. */
static bool budget_take(weft_engine *e, uint64_t n)
{
    uint64_t limit = e->config.max_total_table_elements;
    uint64_t used = atomic_load(&e->table_elements);
    do {
        if (n > limit || used > limit - n)
            return false;
    } while (!atomic_compare_exchange_weak(&e->table_elements, &used, used + n));
    return true;
}

static void budget_give(weft_engine *e, uint64_t n) { atomic_fetch_sub(&e->table_elements, n); }

weft_table *table_create(weft_engine *e, valtype elem, uint32_t min, bool has_max, uint64_t max,
                         void *init, table_refusal *why)
{
    *why = TABLE_OVER_LIMIT;
    if (min > e->config.max_table_elements)
        return NULL;
    *why = TABLE_OVER_TOTAL;
    if (!budget_take(e, min))
        return NULL;
    *why = TABLE_OUT_OF_MEMORY;
    weft_table *t = calloc(1, sizeof *t);
    if (!t) {
        budget_give(e, min);
        return NULL;
    }
    t->elems = calloc(min ? min : 1, sizeof(void *));
    if (!t->elems) {
        budget_give(e, min);
        free(t);
        return NULL;
    }
    *why = TABLE_OK;
    engine_retain(e);
    t->engine = e;
    if (init) /* calloc's zeroes are the null reference: pages stay untouched */
        for (uint32_t i = 0; i < min; i++)
            t->elems[i] = init;
    atomic_init(&t->hdr.refs, 1);
    t->elem = elem;
    t->size = min;
    t->max = has_max ? max : UINT64_MAX;
    t->limit = e->config.max_table_elements;
    live_inc(LIVE_TABLE);
    return t;
}

void table_destroy(weft_table *t)
{
    if (!t)
        return;
    live_dec(LIVE_TABLE);
    free(t->elems);
    budget_give(t->engine, t->size);
    weft_engine_delete(t->engine);
    free(t);
}

int64_t table_grow_elems(weft_table *t, uint32_t delta, void *init)
{
    uint32_t old = t->size;
    uint64_t want = (uint64_t)old + delta;
    if (want > t->max || want > t->limit)
        return -1;
    if (delta == 0)
        return old;
    if (!budget_take(t->engine, delta))
        return -1;
    void **p = realloc(t->elems, (size_t)want * sizeof(void *));
    if (!p) {
        budget_give(t->engine, delta);
        return -1;
    }
    for (uint64_t i = old; i < want; i++)
        p[i] = init;
    t->elems = p;
    t->size = (uint32_t)want;
    return old;
}

weft_trap_code table_fill(weft_table *t, uint32_t i, void *val, uint32_t n)
{
    if ((uint64_t)i + n > t->size)
        return WEFT_TRAP_TABLE_OUT_OF_BOUNDS;
    for (uint32_t k = 0; k < n; k++)
        t->elems[i + k] = val;
    return WEFT_TRAP_NONE;
}

weft_trap_code table_copy(weft_table *dst, weft_table *src, uint32_t d, uint32_t s, uint32_t n)
{
    if ((uint64_t)d + n > dst->size || (uint64_t)s + n > src->size)
        return WEFT_TRAP_TABLE_OUT_OF_BOUNDS;
    memmove(&dst->elems[d], &src->elems[s], (size_t)n * sizeof(void *));
    return WEFT_TRAP_NONE;
}

/* Evaluates element i of segment seg (a function, null, or a global's value). */
void *elem_item_value(weft_instance *inst, const elem_segment *seg, uint32_t i);

weft_trap_code table_init(weft_instance *inst, weft_table *t, uint32_t seg, uint32_t d,
                          uint32_t s, uint32_t n)
{
    const elem_segment *es = &inst->m->elems[seg];
    uint64_t seg_size = inst->elem_dropped[seg] ? 0 : es->count;
    if ((uint64_t)s + n > seg_size || (uint64_t)d + n > t->size)
        return WEFT_TRAP_TABLE_OUT_OF_BOUNDS;
    for (uint32_t k = 0; k < n; k++)
        t->elems[d + k] = elem_item_value(inst, es, s + k);
    return WEFT_TRAP_NONE;
}

/* ------------------------------------------------------------ public API */

static void *ref_of(const weft_val *v)
{
    if (!v)
        return NULL;
    return v->kind == WEFT_FUNCREF ? (void *)v->of.funcref : v->of.externref;
}

weft_table *weft_table_new(weft_engine *e, weft_valkind kind, uint32_t min, uint32_t max,
                           const weft_val *init)
{
    if (kind != WEFT_FUNCREF && kind != WEFT_EXTERNREF)
        return NULL;
    if (init && init->kind != kind)
        return NULL;
    bool has_max = max != UINT32_MAX;
    if (has_max && min > max)
        return NULL;
    table_refusal why;
    return table_create(e, kind, min, has_max, max, ref_of(init), &why);
}

void weft_table_delete(weft_table *t)
{
    if (t && !t->hdr.owner)
        obj_release_table(t);
}

weft_valkind weft_table_kind(const weft_table *t) { return t->elem; }
uint32_t weft_table_size(const weft_table *t) { return t->size; }

int weft_table_get(const weft_table *t, uint32_t i, weft_val *out)
{
    if (i >= t->size)
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = t->elem;
    if (t->elem == WEFT_FUNCREF)
        out->of.funcref = t->elems[i];
    else
        out->of.externref = t->elems[i];
    return 1;
}

int weft_table_set(weft_table *t, uint32_t i, const weft_val *v)
{
    if (i >= t->size || v->kind != t->elem)
        return 0;
    t->elems[i] = ref_of(v);
    return 1;
}

uint64_t weft_engine_table_elements(const weft_engine *e)
{
    return atomic_load(&e->table_elements);
}

int64_t weft_table_grow(weft_table *t, uint32_t delta, const weft_val *init)
{
    if (init && init->kind != t->elem)
        return -1;
    return table_grow_elems(t, delta, ref_of(init));
}
