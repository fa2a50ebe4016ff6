/* ops_disasm.c — threaded code as text (weft_module_disassemble, `weft
 * inspect --code`): one line per instruction, its word offset in the
 * function, the op's name and its operands as the op's shape (ops.h) lays
 * them out. Slots print as s<N>, branch targets as ->offset. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ops.h"
#include "runtime.h"

typedef struct text {
    char *p;
    size_t len, cap;
    bool oom;
} text;

static void tprintf(text *t, const char *fmt, ...) WEFT_PRINTF(2, 3);
static void tprintf(text *t, const char *fmt, ...)
{
    if (t->oom)
        return;
    if (!t->p) {
        t->p = malloc(4096);
        t->cap = 4096;
        if (!t->p) {
            t->oom = true;
            return;
        }
    }
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->oom = true;
            return;
        }
        if (t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap * 2;
        while (cap <= t->len + (size_t)n)
            cap *= 2;
        char *q = realloc(t->p, cap);
        if (!q) {
            t->oom = true;
            return;
        }
        t->p = q;
        t->cap = cap;
    }
}

static int op_of(const void *const *handlers, const uint32_t *w)
{
    const void *h;
    memcpy(&h, w, sizeof h);
    for (int i = 0; i < OP_COUNT; i++)
        if (handlers[i] == h)
            return i;
    return -1;
}

static uint64_t w64(const uint32_t *w)
{
    uint64_t v;
    memcpy(&v, w, sizeof v);
    return v;
}

/* Branch target of the offset word at w, as an offset from the function. */
static long target(const uint32_t *fn, const uint32_t *w)
{
    return (long)((w + (int32_t)*w) - fn);
}

/* Prints the operands of one instruction at w (its op's shape). */
static void operands(text *t, const weft_module *m, const uint32_t *fn, const uint32_t *w, int op)
{
    const uint32_t *o = w + HANDLER_WORDS;
    switch ((shape)op_shape[op]) {
    case SH_NONE: break;
    case SH_D: tprintf(t, "s%u", o[0]); break;
    case SH_DA: tprintf(t, "s%u s%u", o[0], o[1]); break;
    case SH_DAB: tprintf(t, "s%u s%u s%u", o[0], o[1], o[2]); break;
    case SH_DABC: tprintf(t, "s%u s%u s%u s%u", o[0], o[1], o[2], o[3]); break;
    case SH_DI32: tprintf(t, "s%u %" PRId32, o[0], (int32_t)o[1]); break;
    case SH_DI64: tprintf(t, "s%u %" PRId64, o[0], (int64_t)w64(o + 1)); break;
    case SH_DAI32: tprintf(t, "s%u s%u %" PRId32, o[0], o[1], (int32_t)o[2]); break;
    case SH_DAI32D:
        tprintf(t, "s%u s%u %" PRId32 "; copy s%u", o[0], o[1], (int32_t)o[2], o[3]);
        break;
    case SH_DAI32X:
        tprintf(t, "s%u s%u %" PRId32 "; global #%u", o[0], o[1], (int32_t)o[2], o[3]);
        break;
    case SH_DAI64: tprintf(t, "s%u s%u %" PRId64, o[0], o[1], (int64_t)w64(o + 2)); break;
    case SH_DAI32I64:
        tprintf(t, "s%u s%u %" PRIu32 " %#" PRIx64, o[0], o[1], o[2], w64(o + 3));
        break;
    case SH_DV128:
        tprintf(t, "s%u 0x%016" PRIx64 "%016" PRIx64, o[0], w64(o + 3), w64(o + 1));
        break;
    case SH_MEM: tprintf(t, "s%u [s%u+%u]", o[0], o[1], o[2]); break;
    case SH_MEMK: tprintf(t, "s%u [(s%u%+" PRId32 ")+%u]", o[0], o[1], (int32_t)o[2], o[3]); break;
    case SH_MEMS:
        tprintf(t, "s%u [((s%u<<%u)%+" PRId32 ")+%u]", o[0], o[1], o[2], (int32_t)o[3], o[4]);
        break;
    case SH_MEMX:
        tprintf(t, "s%u [(s%u+(s%u<<%u)%+" PRId32 ")+%u]", o[0], o[1], o[2], o[3], (int32_t)o[4],
                o[5]);
        break;
    case SH_MEMLANE: tprintf(t, "s%u [s%u+%u] s%u lane %u", o[0], o[1], o[2], o[3], o[4]); break;
    case SH_X: tprintf(t, "#%u", o[0]); break;
    case SH_DX: tprintf(t, "s%u #%u", o[0], o[1]); break;
    case SH_DAX: tprintf(t, "s%u s%u #%u", o[0], o[1], o[2]); break;
    case SH_DABX: tprintf(t, "s%u s%u s%u #%u", o[0], o[1], o[2], o[3]); break;
    case SH_DABXY: tprintf(t, "s%u s%u s%u #%u #%u", o[0], o[1], o[2], o[3], o[4]); break;
    case SH_DABXC: tprintf(t, "s%u s%u s%u #%u s%u", o[0], o[1], o[2], o[3], o[4]); break;
    case SH_DABXYC:
        tprintf(t, "s%u s%u s%u #%u #%u s%u", o[0], o[1], o[2], o[3], o[4], o[5]);
        break;
    case SH_DABV128:
        tprintf(t, "s%u s%u s%u 0x%016" PRIx64 "%016" PRIx64, o[0], o[1], o[2], w64(o + 5),
                w64(o + 3));
        break;
    case SH_ADD2:
        tprintf(t, "s%u s%u %+" PRId32 "; s%u s%u %+" PRId32, o[0], o[1], (int32_t)o[2], o[3],
                o[4], (int32_t)o[5]);
        break;
    case SH_MOVE:
        tprintf(t, "[(s%u+%u)+%u] <- [(s%u+%u)+%u]", o[0], o[1], o[2], o[3], o[4], o[5]);
        break;
    case SH_ADD2S:
        tprintf(t, "s%u s%u s%u; s%u s%u s%u", o[0], o[1], o[2], o[3], o[4], o[5]);
        break;
    case SH_BR: tprintf(t, "->%ld", target(fn, o)); break;
    case SH_BRA: tprintf(t, "s%u ->%ld", o[0], target(fn, o + 1)); break;
    case SH_BRAB: tprintf(t, "s%u s%u ->%ld", o[0], o[1], target(fn, o + 2)); break;
    case SH_BRAI32: tprintf(t, "s%u %" PRId32 " ->%ld", o[0], (int32_t)o[1], target(fn, o + 2)); break;
    case SH_BRAI64:
        tprintf(t, "s%u %" PRId64 " ->%ld", o[0], (int64_t)w64(o + 1), target(fn, o + 3));
        break;
    case SH_BRINC:
        tprintf(t, "s%u s%u %+" PRId32 " ->%ld", o[0], o[1], (int32_t)o[2], target(fn, o + 3));
        break;
    case SH_BRINCB:
        tprintf(t, "s%u s%u %+" PRId32 " s%u ->%ld", o[0], o[1], (int32_t)o[2], o[3],
                target(fn, o + 4));
        break;
    case SH_BRADDI32:
        tprintf(t, "s%u s%u +s%u %" PRId32 " ->%ld", o[0], o[1], o[2], (int32_t)o[3],
                target(fn, o + 4));
        break;
    case SH_BRINCI32:
        tprintf(t, "s%u s%u %+" PRId32 " %" PRId32 " ->%ld", o[0], o[1], (int32_t)o[2],
                (int32_t)o[3], target(fn, o + 4));
        break;
    case SH_ENTER:
        tprintf(t, "zero s%u+%u, frame %u", o[0], o[1], o[2]);
        if (o[3])
            tprintf(t, ", pool ->%ld", (long)(w - fn) + (long)o[3]);
        break;
    case SH_POOL:
        tprintf(t, "s%u..s%u =", o[0], o[0] + o[1]);
        for (uint32_t i = 0; i < o[1]; i++)
            tprintf(t, " 0x%" PRIx64, w64(o + 2 + 2 * i));
        break;
    case SH_CALL: {
        const cfunc *cf = (const cfunc *)(uintptr_t)w64(o + 1);
        tprintf(t, "args s%u func %u", o[0], cf->index);
        const char *name = weft_module_func_name(m, cf->index);
        if (name)
            tprintf(t, " <%s>", name);
        break;
    }
    case SH_CALLX: tprintf(t, "args s%u func %u", o[0], o[1]); break;
    case SH_CALLI: tprintf(t, "args s%u index s%u table %u", o[0], o[1], o[2]); break;
    case SH_BRTABLE:
        tprintf(t, "s%u [", o[0]);
        for (uint32_t i = 0; i <= o[1]; i++)
            tprintf(t, "%s->%ld", i ? " " : "", target(fn, o + 2 + i));
        tprintf(t, "]");
        break;
    case SH_COUNT: break;
    }
}

/* Appends function `fi`'s code (defined function index space). */
static void function_text(text *t, const weft_module *m, uint32_t defined)
{
    const cfunc *cf = &m->cfuncs[defined];
    const uint32_t *fn = cf->code;
    const uint32_t *end = defined + 1 < m->m.nfuncs - m->m.nfunc_imports
                              ? m->cfuncs[defined + 1].code
                              : m->code + m->code_len;
    const void *const *handlers = interp_handlers();
    const char *name = weft_module_func_name(m, cf->index);
    tprintf(t, "func %u%s%s%s: %u param slots, %u frame slots, %ld words%s%s\n", cf->index,
            name ? " <" : "", name ? name : "", name ? ">" : "", cf->param_slots, cf->frame_slots,
            (long)(end - fn), cf->brief ? ", brief" : "", cf->reaches_host ? ", reaches host" : "");
    for (const uint32_t *w = fn; w < end;) {
        int op = op_of(handlers, w);
        if (op < 0) {
            tprintf(t, "  %5ld  ?? (unknown handler)\n", (long)(w - fn));
            return;
        }
        tprintf(t, "  %5ld  %-24s ", (long)(w - fn), op_names[op]);
        operands(t, m, fn, w, op);
        tprintf(t, "\n");
        size_t n = op_words[op];
        if (op_shape[op] == SH_BRTABLE)
            n += w[3] + 1;
        else if (op_shape[op] == SH_POOL)
            n += 2 * (size_t)w[3];
        w += n;
    }
}

weft_error *weft_module_disassemble(const weft_module *m, uint32_t func_index, uint8_t **out,
                                    size_t *len)
{
    *out = NULL;
    *len = 0;
    uint32_t nimports = m->m.nfunc_imports, ndefined = m->m.nfuncs - nimports;
    if (func_index != UINT32_MAX && (func_index < nimports || func_index >= m->m.nfuncs))
        return error_new(WEFT_ERROR_ARGUMENT, -1, func_index,
                         "function %u is not a defined function of the module", func_index);
    text t = {0};
    tprintf(&t, "%s", ""); /* a NUL-terminated empty text at least */
    for (uint32_t i = 0; i < ndefined; i++)
        if (func_index == UINT32_MAX || func_index == nimports + i)
            function_text(&t, m, i);
    if (t.oom) {
        free(t.p);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    }
    *out = (uint8_t *)t.p;
    *len = t.len;
    return NULL;
}
