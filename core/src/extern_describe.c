/* extern_describe.c — extern types as text (see extern_describe.h). */
#include "extern_describe.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

const char *valtype_name(valtype t)
{
    switch (t) {
    case VT_I32: return "i32";
    case VT_I64: return "i64";
    case VT_F32: return "f32";
    case VT_F64: return "f64";
    case VT_V128: return "v128";
    case VT_FUNCREF: return "funcref";
    case VT_EXTERNREF: return "externref";
    default: return "?";
    }
}

/* A bounded appender: writes never overrun, the result stays terminated. */
typedef struct textbuf {
    char *p;
    size_t n, len;
} textbuf;

static void put(textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(textbuf *b, const char *fmt, ...)
{
    if (b->len >= b->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(b->p + b->len, b->n - b->len, fmt, ap);
    va_end(ap);
    if (w > 0)
        b->len += (size_t)w;
}

static void put_valtypes(textbuf *b, uint32_t n, const valtype *types)
{
    put(b, "[");
    for (uint32_t i = 0; i < n; i++)
        put(b, "%s%s", i ? " " : "", valtype_name(types[i]));
    put(b, "]");
}

static void put_functype(textbuf *b, const functype *t)
{
    put(b, "func ");
    put_valtypes(b, t->nparams, functype_params(t));
    put(b, " -> ");
    put_valtypes(b, t->nresults, functype_results(t));
}

static void put_limits(textbuf *b, uint64_t min, bool has_max, uint64_t max)
{
    put(b, "{min %" PRIu64, min);
    if (has_max)
        put(b, ", max %" PRIu64, max);
    put(b, "}");
}

static void put_global(textbuf *b, valtype t, bool mut)
{
    put(b, mut ? "global (mut %s)" : "global %s", valtype_name(t));
}

void describe_import_type(char *buf, size_t n, const wmodule *m, const import *im)
{
    textbuf b = {buf, n, 0};
    buf[0] = '\0';
    switch (im->kind) {
    case WEFT_EXTERN_FUNC: put_functype(&b, &m->types[im->desc.type_index]); break;
    case WEFT_EXTERN_TABLE:
        put(&b, "table %s ", valtype_name(im->desc.table.elem));
        put_limits(&b, im->desc.table.lim.min, im->desc.table.lim.has_max,
                   im->desc.table.lim.max);
        break;
    case WEFT_EXTERN_MEMORY:
        put(&b, "memory ");
        put_limits(&b, im->desc.mem.lim.min, im->desc.mem.lim.has_max, im->desc.mem.lim.max);
        break;
    default: put_global(&b, im->desc.global.type, im->desc.global.mut); break;
    }
}

void describe_extern_type(char *buf, size_t n, uint8_t kind, const void *obj)
{
    textbuf b = {buf, n, 0};
    buf[0] = '\0';
    switch (kind) {
    case WEFT_EXTERN_FUNC: put_functype(&b, ((const weft_func *)obj)->type); break;
    case WEFT_EXTERN_TABLE: {
        const weft_table *t = obj;
        put(&b, "table %s ", valtype_name(t->elem));
        put_limits(&b, t->size, t->max != UINT64_MAX, t->max);
        break;
    }
    case WEFT_EXTERN_MEMORY: {
        const weft_memory *mem = obj;
        put(&b, "memory ");
        put_limits(&b, mem->size / WASM_PAGE_SIZE, mem->has_max, mem->declared_max);
        break;
    }
    default: {
        const weft_global *g = obj;
        put_global(&b, g->type, g->mut);
        break;
    }
    }
}
