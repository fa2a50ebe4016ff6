/* global.c — globals: a typed cell of one or two slots. */
#include <stdlib.h>
#include <string.h>

#include "live_objects.h"
#include "runtime.h"

void slot_to_val(valtype t, const uint64_t *s, weft_val *v);
void val_to_slot(valtype t, const weft_val *v, uint64_t *s);

weft_global *weft_global_new(weft_engine *e, const weft_val *init, int mutability)
{
    (void)e;
    weft_global *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    atomic_init(&g->hdr.refs, 1);
    live_inc(LIVE_GLOBAL);
    g->type = init->kind;
    g->mut = mutability == WEFT_VAR;
    val_to_slot(g->type, init, g->val);
    return g;
}

void weft_global_delete(weft_global *g)
{
    if (g && !g->hdr.owner)
        obj_release_global(g);
}

weft_valkind weft_global_kind(const weft_global *g) { return g->type; }
int weft_global_mutability(const weft_global *g) { return g->mut ? WEFT_VAR : WEFT_CONST; }
void weft_global_get(const weft_global *g, weft_val *out) { slot_to_val(g->type, g->val, out); }

int weft_global_set(weft_global *g, const weft_val *v)
{
    if (!g->mut || v->kind != g->type)
        return 0;
    val_to_slot(g->type, v, g->val);
    return 1;
}
