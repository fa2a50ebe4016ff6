/* exec_harness.c — instantiate, call every export, write the transcript
 * (see exec_harness.h). Shared by fuzz_decode, fuzz_exec, the replay tools
 * and weft-fuzz-exec (the differential's weft side). */
#include "exec_harness.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ text */

void fx_text_free(fx_text *t)
{
    free(t->p);
    *t = (fx_text){0};
}

static void text_printf(fx_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p)
            abort(); /* a harness without memory has nothing to report */
        t->p = p;
        t->cap = cap;
    }
    if ((size_t)n < sizeof small) {
        memcpy(t->p + t->len, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(t->p + t->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    t->len += (size_t)n;
}

/* ------------------------------------------------------------ values */

/* Hashing 16 MiB after every call is most of an input's time in the
 * sanitized fuzz build: the loop itself needs no checks. */
#if defined(__clang__)
__attribute__((no_sanitize("address", "undefined")))
#endif
uint64_t fx_hash(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8); /* little-endian hosts only, as weft itself */
        h = (h ^ w) * 0x100000001b3ull;
        h = (h << 5) | (h >> 59);
    }
    if (i < n) { /* never for memories (whole pages), kept for other callers */
        uint64_t w = 0;
        memcpy(&w, p + i, n - i);
        h = (h ^ w) * 0x100000001b3ull;
        h = (h << 5) | (h >> 59);
    }
    return h;
}

const char *fx_trap_category(weft_trap_code code)
{
    switch (code) {
    case WEFT_TRAP_UNREACHABLE: return "unreachable";
    case WEFT_TRAP_MEMORY_OUT_OF_BOUNDS: return "memory";
    /* The second engine (wazero) reports all three as "invalid table access". */
    case WEFT_TRAP_TABLE_OUT_OF_BOUNDS:
    case WEFT_TRAP_INDIRECT_CALL_NULL:
    case WEFT_TRAP_UNDEFINED_ELEMENT: return "table";
    case WEFT_TRAP_INDIRECT_CALL_TYPE: return "indirect-type";
    case WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO: return "div-zero";
    case WEFT_TRAP_INTEGER_OVERFLOW: return "int-overflow";
    case WEFT_TRAP_INVALID_CONVERSION: return "conversion";
    case WEFT_TRAP_CALL_STACK_EXHAUSTED: return "stack";
    case WEFT_TRAP_OUT_OF_FUEL: return "fuel";
    case WEFT_TRAP_NULL_REFERENCE: return "null";
    default: {
        static char buf[32];
        snprintf(buf, sizeof buf, "code-%d", (int)code);
        return buf;
    }
    }
}

static void put_value(fx_text *t, const weft_val *v)
{
    switch (v->kind) {
    case WEFT_I32: text_printf(t, " i32:%08" PRIx32, (uint32_t)v->of.i32); break;
    case WEFT_I64: text_printf(t, " i64:%016" PRIx64, (uint64_t)v->of.i64); break;
    case WEFT_F32: {
        uint32_t b;
        memcpy(&b, &v->of.f32, 4);
        text_printf(t, " f32:%08" PRIx32, b);
        break;
    }
    case WEFT_F64: {
        uint64_t b;
        memcpy(&b, &v->of.f64, 8);
        text_printf(t, " f64:%016" PRIx64, b);
        break;
    }
    case WEFT_V128: {
        uint64_t lo, hi;
        memcpy(&lo, v->of.v128, 8);
        memcpy(&hi, v->of.v128 + 8, 8);
        text_printf(t, " v128:%016" PRIx64 "%016" PRIx64, hi, lo);
        break;
    }
    case WEFT_FUNCREF: text_printf(t, " funcref:%s", v->of.funcref ? "ref" : "null"); break;
    case WEFT_EXTERNREF: text_printf(t, " externref:%s", v->of.externref ? "ref" : "null"); break;
    default: text_printf(t, " kind-%02x", v->kind); break;
    }
}

static weft_val zero_value(weft_valkind kind)
{
    weft_val v;
    memset(&v, 0, sizeof v);
    v.kind = kind;
    return v;
}

/* ------------------------------------------------------------ dummy imports */

/* A host function's env: the kinds of its parameters, then of its results. */
typedef struct dummy_env {
    size_t nparams, nresults;
    weft_valkind kinds[];
} dummy_env;

/* Every import function returns values made from its arguments (integers:
 * the sum of the integer arguments plus the result's index; floats, v128
 * and references: zero or null), so that data flows through host calls,
 * deterministically. */
static weft_trap *dummy_fn(void *env, weft_caller *caller, const weft_val *args, weft_val *results)
{
    (void)caller;
    const dummy_env *d = env;
    uint64_t sum = 0;
    for (size_t i = 0; i < d->nparams; i++) {
        if (d->kinds[i] == WEFT_I32)
            sum += (uint32_t)args[i].of.i32;
        else if (d->kinds[i] == WEFT_I64)
            sum += (uint64_t)args[i].of.i64;
    }
    for (size_t i = 0; i < d->nresults; i++) {
        weft_valkind kind = d->kinds[d->nparams + i];
        results[i] = zero_value(kind);
        if (kind == WEFT_I32)
            results[i].of.i32 = (int32_t)(uint32_t)(sum + i);
        else if (kind == WEFT_I64)
            results[i].of.i64 = (int64_t)(sum + i);
    }
    return NULL;
}

static weft_func *dummy_func(weft_engine *e, const weft_functype *type)
{
    size_t np = weft_functype_param_count(type), nr = weft_functype_result_count(type);
    dummy_env *d = malloc(sizeof *d + np + nr + 1);
    if (!d)
        return NULL;
    d->nparams = np;
    d->nresults = nr;
    for (size_t i = 0; i < np; i++)
        d->kinds[i] = weft_functype_param(type, i);
    for (size_t i = 0; i < nr; i++)
        d->kinds[np + i] = weft_functype_result(type, i);
    weft_func *f = weft_func_new(e, type, dummy_fn, d, free);
    if (!f)
        free(d);
    return f;
}

/* Tables imported, at most this many tried with both element kinds. */
#define FX_MAX_TABLE_KIND_TRIES 4

/* Builds an import set for every import of m: functions as above, memories
 * and tables of the minimum size, globals holding zero. Table imports are
 * funcref or externref by bit i of table_kinds (the ABI does not tell a
 * table import's element kind). NULL if an import cannot be made. */
static weft_imports *dummy_imports(weft_engine *e, weft_module *m, unsigned table_kinds,
                                   size_t *ntables)
{
    weft_imports *im = weft_imports_new();
    if (!im)
        return NULL;
    size_t n = weft_module_import_count(m);
    *ntables = 0;
    for (size_t i = 0; i < n; i++) {
        const char *mod = weft_module_import_module(m, i, NULL);
        const char *name = weft_module_import_name(m, i, NULL);
        uint64_t min = 0, max = 0;
        switch (weft_module_import_kind(m, i)) {
        case WEFT_EXTERN_FUNC: {
            weft_func *f = dummy_func(e, weft_module_import_functype(m, i));
            if (!f)
                goto fail;
            weft_imports_add_func(im, mod, name, f);
            weft_func_delete(f); /* the set retains it */
            break;
        }
        case WEFT_EXTERN_MEMORY: {
            weft_module_import_limits(m, i, &min, &max);
            if (min > UINT32_MAX)
                goto fail;
            weft_memory *mem = weft_memory_new(e, (uint32_t)min,
                                               max > UINT32_MAX ? UINT32_MAX : (uint32_t)max);
            if (!mem)
                goto fail;
            weft_imports_add_memory(im, mod, name, mem);
            weft_memory_delete(mem);
            break;
        }
        case WEFT_EXTERN_TABLE: {
            weft_module_import_limits(m, i, &min, &max);
            if (min > FX_MAX_TABLE_ELEMENTS)
                goto fail;
            unsigned bit = (unsigned)(*ntables)++;
            weft_valkind kind = bit < 32 && (table_kinds >> bit & 1) ? WEFT_EXTERNREF : WEFT_FUNCREF;
            weft_table *t = weft_table_new(e, kind, (uint32_t)min,
                                           max > UINT32_MAX ? UINT32_MAX : (uint32_t)max, NULL);
            if (!t)
                goto fail;
            weft_imports_add_table(im, mod, name, t);
            weft_table_delete(t);
            break;
        }
        case WEFT_EXTERN_GLOBAL: {
            weft_valkind kind;
            int mut;
            weft_module_import_globaltype(m, i, &kind, &mut);
            weft_val init = zero_value(kind);
            weft_global *g = weft_global_new(e, &init, mut);
            if (!g)
                goto fail;
            weft_imports_add_global(im, mod, name, g);
            weft_global_delete(g);
            break;
        }
        default:
            goto fail;
        }
    }
    return im;
fail:
    weft_imports_delete(im);
    return NULL;
}

/* Instantiates m with dummy imports, trying the element kinds of imported
 * tables until one links. Returns the instance, or NULL with the reason
 * appended to out (as the "instantiate:" line). */
static weft_instance *instantiate(weft_engine *e, weft_module *m, uint64_t fuel, fx_text *out)
{
    size_t ntables = 0;
    for (unsigned kinds = 0; kinds < (1u << FX_MAX_TABLE_KIND_TRIES); kinds++) {
        weft_imports *im = dummy_imports(e, m, kinds, &ntables);
        if (!im) {
            text_printf(out, "instantiate: error\n");
            return NULL;
        }
        weft_instance *inst = NULL;
        weft_trap *trap = NULL;
        /* Fuel (for engines with fuel) from the start, so that a start
         * function runs. */
        weft_error *err = weft_instance_new_with_fuel(m, im, fuel, &inst, &trap);
        weft_imports_delete(im);
        if (inst)
            return inst;
        if (trap) {
            text_printf(out, "instantiate: trap %s\n", fx_trap_category(weft_trap_code_of(trap)));
            weft_trap_delete(trap);
            return NULL;
        }
        bool retry = err && weft_error_kind_of(err) == WEFT_ERROR_LINK && ntables > 0 &&
                     ntables <= FX_MAX_TABLE_KIND_TRIES &&
                     kinds + 1 < (1u << ntables);
        weft_error_delete(err);
        if (!retry)
            break;
    }
    text_printf(out, "instantiate: error\n");
    return NULL;
}

/* ------------------------------------------------------------ running */

/* Every exported global and memory of inst, as transcript lines. */
static void put_state(fx_text *out, weft_instance *inst, size_t nexports)
{
    /* One memory may be exported under many names: hash it once. */
    const weft_memory *hashed = NULL;
    uint64_t hash = 0;
    for (size_t i = 0; i < nexports; i++) {
        switch (weft_instance_export_kind(inst, i)) {
        case WEFT_EXTERN_GLOBAL: {
            weft_val v;
            weft_global_get(weft_instance_export_at(inst, i), &v);
            text_printf(out, "global export[%zu] =", i);
            if (v.kind == WEFT_V128) { /* the second engine shows the low half only */
                uint64_t lo;
                memcpy(&lo, v.of.v128, 8);
                text_printf(out, " v128lo:%016" PRIx64, lo);
            } else {
                put_value(out, &v);
            }
            text_printf(out, "\n");
            break;
        }
        case WEFT_EXTERN_MEMORY: {
            weft_memory *mem = weft_instance_export_at(inst, i);
            if (mem != hashed) {
                hash = fx_hash(weft_memory_data(mem), weft_memory_size(mem));
                hashed = mem;
            }
            text_printf(out, "memory export[%zu] pages=%" PRIu32 " hash=%016" PRIx64 "\n", i,
                        weft_memory_pages(mem), hash);
            break;
        }
        default:
            break;
        }
    }
}

/* Calls export i (a function) with zero arguments. */
static void call_export(fx_text *out, weft_instance *inst, size_t i, uint64_t fuel)
{
    weft_func *f = weft_instance_export_at(inst, i);
    const weft_functype *t = weft_func_type(f);
    size_t np = weft_functype_param_count(t), nr = weft_functype_result_count(t);
    weft_val *args = calloc(np + 1, sizeof *args);
    weft_val *res = calloc(nr + 1, sizeof *res);
    if (!args || !res)
        abort();
    for (size_t k = 0; k < np; k++)
        args[k] = zero_value(weft_functype_param(t, k));
    if (fuel)
        weft_instance_set_fuel(inst, fuel);
    weft_trap *trap = weft_func_call(f, args, np, res, nr);
    text_printf(out, "call export[%zu]:", i);
    if (trap) {
        text_printf(out, " trap %s\n", fx_trap_category(weft_trap_code_of(trap)));
        weft_trap_delete(trap);
    } else {
        text_printf(out, " ok");
        for (size_t k = 0; k < nr; k++)
            put_value(out, &res[k]);
        text_printf(out, "\n");
    }
    free(args);
    free(res);
}

void fx_run_module(weft_engine *e, weft_module *m, const fx_opts *o, fx_text *out)
{
    weft_instance *inst = instantiate(e, m, o->fuel, out);
    if (!inst)
        return;
    text_printf(out, "instantiate: ok\n");
    size_t nexports = weft_module_export_count(m);
    put_state(out, inst, nexports);
    unsigned calls = 0;
    for (size_t i = 0; i < nexports; i++) {
        if (weft_module_export_kind(m, i) != WEFT_EXTERN_FUNC)
            continue;
        if (o->max_calls && calls >= o->max_calls)
            break;
        calls++;
        if (o->fresh_instance && calls > 1) {
            weft_instance_delete(inst);
            fx_text ignored = {0};
            inst = instantiate(e, m, o->fuel, &ignored);
            fx_text_free(&ignored);
            if (!inst) { /* instantiated once, so it must again */
                text_printf(out, "instantiate again: failed\n");
                return;
            }
        }
        call_export(out, inst, i, o->fuel);
        put_state(out, inst, nexports);
    }
    weft_instance_delete(inst);
}

void fx_run_wasm(weft_engine *e, const uint8_t *wasm, size_t len, const fx_opts *o, fx_text *out)
{
    weft_module *m = NULL;
    weft_error *err = weft_module_new(e, wasm, len, &m);
    if (err) {
        text_printf(out, "compile: error\n");
        weft_error_delete(err);
        return;
    }
    text_printf(out, "compile: ok\n");
    fx_run_module(e, m, o, out);
    weft_module_delete(m);
}

weft_engine *fx_engine_new(bool fuel)
{
    weft_config *c = weft_config_new();
    if (!c)
        abort();
    weft_config_set_max_memory_pages(c, FX_MAX_MEMORY_PAGES);
    weft_config_set_max_table_elements(c, FX_MAX_TABLE_ELEMENTS);
    weft_config_set_fuel(c, fuel);
    weft_engine *e = weft_engine_new(c);
    weft_config_delete(c);
    if (!e)
        abort();
    return e;
}

/* ------------------------------------------------------------ checks */

/* Fuel per call in fuzz_exec: each unit is a call or a loop iteration. */
#define FX_CHECK_FUEL 20000u
/* Calls per module in fuzz_exec. */
#define FX_CHECK_MAX_CALLS 64u

static void fail_with(const char *what, const uint8_t *wasm, size_t len, const fx_text *a,
                      const fx_text *b)
{
    fprintf(stderr, "fx_check_wasm: %s (module of %zu bytes)\n", what, len);
    if (a && a->p)
        fprintf(stderr, "--- first:\n%s", a->p);
    if (b && b->p)
        fprintf(stderr, "--- second:\n%s", b->p);
    (void)wasm;
    abort();
}

void fx_check_wasm(weft_engine *e, const uint8_t *wasm, size_t len)
{
    weft_module *m = NULL;
    weft_error *err = weft_module_new(e, wasm, len, &m);
    if (err) {
        /* wasm-smith makes only valid modules: refusing one is a bug, unless
         * it is a limit of ours (RESOURCE). */
        weft_error_kind kind = weft_error_kind_of(err);
        if (kind != WEFT_ERROR_RESOURCE) {
            fprintf(stderr, "fx_check_wasm: valid module refused: %s\n", weft_error_message(err));
            weft_error_delete(err);
            fail_with("valid module refused", wasm, len, NULL, NULL);
        }
        weft_error_delete(err);
        return;
    }
    fx_opts o = {.fuel = FX_CHECK_FUEL, .max_calls = FX_CHECK_MAX_CALLS};
    fx_text direct = {0};
    fx_run_module(e, m, &o, &direct);

    /* The same module rebuilt from its serialized code must behave the same. */
    uint8_t *blob = NULL;
    size_t blob_len = 0;
    err = weft_module_serialize(m, &blob, &blob_len);
    if (err) {
        fprintf(stderr, "fx_check_wasm: serialize: %s\n", weft_error_message(err));
        fail_with("serialize failed", wasm, len, &direct, NULL);
    }
    weft_module *m2 = NULL;
    err = weft_module_deserialize(e, wasm, len, blob, blob_len, &m2);
    weft_bytes_delete(blob);
    if (err) {
        fprintf(stderr, "fx_check_wasm: deserialize: %s\n", weft_error_message(err));
        fail_with("deserialize failed", wasm, len, &direct, NULL);
    }
    fx_text again = {0};
    fx_run_module(e, m2, &o, &again);
    if (direct.len != again.len || (direct.len && memcmp(direct.p, again.p, direct.len) != 0))
        fail_with("compiled and deserialized modules differ", wasm, len, &direct, &again);
    fx_text_free(&direct);
    fx_text_free(&again);
    weft_module_delete(m2);
    weft_module_delete(m);
}
