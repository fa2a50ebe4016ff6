/* validate.c — module-level validation: everything outside function bodies
 * (types of imports, limits, constant expressions, segments, exports, start).
 * Function bodies are validated while they are compiled (compile_body.c).
 * Errors carry the spec's message and a byte offset where one is known. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "validate.h"

static weft_error *invalid(int64_t offset, const char *msg, uint32_t n, bool with_n)
{
    if (with_n)
        return error_new(WEFT_ERROR_VALIDATE, offset, -1, "%s %u", msg, n);
    return error_new(WEFT_ERROR_VALIDATE, offset, -1, "%s", msg);
}

static weft_error *check_limits(const limits *l, uint64_t bound, const char *too_big)
{
    if (l->has_max && l->min > l->max)
        return invalid(-1, "size minimum must not be greater than maximum", 0, false);
    if (l->min > bound || (l->has_max && l->max > bound))
        return invalid(-1, too_big, 0, false);
    return NULL;
}

static weft_error *check_memtype(const memtype *mt)
{
    return check_limits(&mt->lim, WASM_MAX_PAGES,
                        "memory size must be at most 65536 pages (4GiB)");
}

static weft_error *check_tabletype(const tabletype *tt)
{
    return check_limits(&tt->lim, UINT32_MAX, "table size must be at most 2^32-1");
}

/* The type of a constant expression. Only imported immutable globals may be
 * read (WebAssembly 2.0); ref.func marks the function as declared. */
static weft_error *constexpr_type(wmodule *m, const constexpr *ce, valtype *out)
{
    switch (ce->op) {
    case CE_I32_CONST: *out = VT_I32; return NULL;
    case CE_I64_CONST: *out = VT_I64; return NULL;
    case CE_F32_CONST: *out = VT_F32; return NULL;
    case CE_F64_CONST: *out = VT_F64; return NULL;
    case CE_V128_CONST: *out = VT_V128; return NULL;
    case CE_REF_NULL: *out = ce->type; return NULL;
    case CE_REF_FUNC:
        if (ce->index >= m->nfuncs)
            return invalid(ce->offset, "unknown function", ce->index, true);
        m->func_declared[ce->index] = true;
        *out = VT_FUNCREF;
        return NULL;
    case CE_GLOBAL_GET:
        if (ce->index >= m->nglobal_imports)
            return invalid(ce->offset, "unknown global", ce->index, true);
        if (m->globals[ce->index].type.mut)
            return invalid(ce->offset, "constant expression required", 0, false);
        *out = m->globals[ce->index].type.type;
        return NULL;
    default:
        return invalid(ce->offset, "constant expression required", 0, false);
    }
}

static weft_error *expect_constexpr(wmodule *m, const constexpr *ce, valtype want)
{
    valtype t = VT_UNKNOWN;
    weft_error *e = constexpr_type(m, ce, &t);
    if (e)
        return e;
    if (t != want)
        return invalid(ce->offset, "type mismatch", 0, false);
    return NULL;
}

static weft_error *check_imports(const wmodule *m)
{
    for (uint32_t i = 0; i < m->nimports; i++) {
        const import *im = &m->imports[i];
        weft_error *e = NULL;
        switch (im->kind) {
        case WEFT_EXTERN_FUNC:
            if (im->desc.type_index >= m->ntypes)
                e = invalid(-1, "unknown type", im->desc.type_index, true);
            break;
        case WEFT_EXTERN_TABLE: e = check_tabletype(&im->desc.table); break;
        case WEFT_EXTERN_MEMORY: e = check_memtype(&im->desc.mem); break;
        default: break;
        }
        if (e)
            return e;
    }
    return NULL;
}

static weft_error *check_definitions(wmodule *m)
{
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
        if (m->func_type_indices[i] >= m->ntypes)
            return invalid(-1, "unknown type", m->func_type_indices[i], true);
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        weft_error *e = check_tabletype(&m->tables[i]);
        if (e)
            return e;
    }
    if (m->nmems > 1)
        return invalid(-1, "multiple memories", 0, false);
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
        weft_error *e = check_memtype(&m->mems[i]);
        if (e)
            return e;
    }
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        weft_error *e = expect_constexpr(m, &m->globals[i].init, m->globals[i].type.type);
        if (e)
            return e;
    }
    return NULL;
}

static int compare_names(const void *a, const void *b)
{
    const export *x = *(const export *const *)a, *y = *(const export *const *)b;
    uint32_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int r = memcmp(x->name, y->name, n);
    if (r)
        return r;
    return (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

static weft_error *check_exports(wmodule *m)
{
    static const char *const unknown[] = {"unknown function", "unknown table", "unknown memory",
                                          "unknown global"};
    for (uint32_t i = 0; i < m->nexports; i++) {
        const export *ex = &m->exports[i];
        uint32_t count = ex->kind == WEFT_EXTERN_FUNC     ? m->nfuncs
                         : ex->kind == WEFT_EXTERN_TABLE  ? m->ntables
                         : ex->kind == WEFT_EXTERN_MEMORY ? m->nmems
                                                          : m->nglobals;
        if (ex->index >= count)
            return invalid(-1, unknown[ex->kind], ex->index, true);
        if (ex->kind == WEFT_EXTERN_FUNC)
            m->func_declared[ex->index] = true;
    }
    if (m->nexports < 2)
        return NULL;
    const export **sorted = malloc(m->nexports * sizeof *sorted);
    if (!sorted)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    for (uint32_t i = 0; i < m->nexports; i++)
        sorted[i] = &m->exports[i];
    qsort(sorted, m->nexports, sizeof *sorted, compare_names);
    weft_error *e = NULL;
    for (uint32_t i = 1; i < m->nexports && !e; i++)
        if (compare_names(&sorted[i - 1], &sorted[i]) == 0)
            e = invalid(-1, "duplicate export name", 0, false);
    free(sorted);
    return e;
}

static weft_error *check_segments(wmodule *m)
{
    for (uint32_t i = 0; i < m->nelems; i++) {
        const elem_segment *s = &m->elems[i];
        if (s->mode == SEG_ACTIVE) {
            if (s->table >= m->ntables)
                return invalid(s->offset.offset, "unknown table", s->table, true);
            weft_error *e = expect_constexpr(m, &s->offset, VT_I32);
            if (e)
                return e;
            if (m->tables[s->table].elem != s->type)
                return invalid(s->offset.offset, "type mismatch", 0, false);
        }
        for (uint32_t j = 0; j < s->count; j++) {
            weft_error *e = expect_constexpr(m, &s->items[j], s->type);
            if (e)
                return e;
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const data_segment *d = &m->datas[i];
        if (d->mode != SEG_ACTIVE)
            continue;
        if (d->memory >= m->nmems)
            return invalid(d->offset.offset, "unknown memory", d->memory, true);
        weft_error *e = expect_constexpr(m, &d->offset, VT_I32);
        if (e)
            return e;
    }
    return NULL;
}

static weft_error *check_start(const wmodule *m)
{
    if (!m->has_start)
        return NULL;
    if (m->start >= m->nfuncs)
        return invalid(-1, "unknown function", m->start, true);
    const functype *t = wmodule_func_type(m, m->start);
    if (t->nparams || t->nresults)
        return invalid(-1, "start function", 0, false);
    return NULL;
}

weft_error *validate_module(wmodule *m)
{
    free(m->func_declared);
    m->func_declared = calloc(m->nfuncs ? m->nfuncs : 1, sizeof(bool));
    if (!m->func_declared)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    weft_error *e = check_imports(m);
    if (!e)
        e = check_definitions(m);
    if (!e)
        e = check_exports(m);
    if (!e)
        e = check_segments(m);
    if (!e)
        e = check_start(m);
    return e;
}
