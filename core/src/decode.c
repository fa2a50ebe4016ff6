/* decode.c — the WebAssembly 2.0 binary decoder: bytes -> wmodule.
 *
 * The decoder checks that a binary is well-formed (the spec's "malformed"
 * class) and fills a wmodule; whether the module is valid (indices in range,
 * types matching) is validate.c's job, and so is walking function bodies
 * instruction by instruction.
 *
 * Error messages start with the text the spec test suite expects, so the
 * spec runner can match them by prefix; detail follows. To reproduce the
 * reference interpreter's choice of message, a section's contents are read
 * with the module's end, not the section's, as the limit: a section that
 * claims fewer bytes than its contents take runs on into the next one and
 * fails the size check afterwards ("section size mismatch"), exactly as the
 * reference decoder does. Reads never go past the module's end.
 *
 * Allocation is bounded by the input: every vector count is checked against
 * the bytes left (each entry takes at least one) and against its LIMIT_
 * before an array is allocated, and expanded locals have a module-wide cap.
 * Every allocation is stored in the wmodule at once, so wmodule_free cleans
 * up after an error at any point. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "module.h"
#include "reader.h"
#include "utf8.h"

/* Section ids of the binary format. */
enum {
    SEC_CUSTOM = 0,
    SEC_TYPE = 1,
    SEC_IMPORT = 2,
    SEC_FUNCTION = 3,
    SEC_TABLE = 4,
    SEC_MEMORY = 5,
    SEC_GLOBAL = 6,
    SEC_EXPORT = 7,
    SEC_START = 8,
    SEC_ELEMENT = 9,
    SEC_CODE = 10,
    SEC_DATA = 11,
    SEC_DATA_COUNT = 12,
    SEC_COUNT = 13,
    NO_SECTION = 0xFF /* decoding the header or module-level checks */
};

/* Opcodes that may appear in constant expressions, and `end`. */
enum {
    OP_END = 0x0B,
    OP_GLOBAL_GET = 0x23,
    OP_I32_CONST = 0x41,
    OP_I64_CONST = 0x42,
    OP_F32_CONST = 0x43,
    OP_F64_CONST = 0x44,
    OP_REF_NULL = 0xD0,
    OP_REF_FUNC = 0xD2,
    OP_PREFIX_MISC = 0xFC,
    OP_PREFIX_SIMD = 0xFD,
    SIMD_V128_CONST = 0x0C /* 0xFD 0x0C: v128.const i8x16 */
};

enum {
    WASM_MAGIC_SIZE = 4,
    WASM_VERSION = 1,
    WASM_VERSION_OFFSET = 4,
    V128_SIZE = 16,
    FUNC_TYPE_FORM = -0x20, /* 0x60 as a signed 7-bit LEB */
    TYPE_FORM_BITS = 7,
    LIMITS_FLAG_BITS = 1,  /* the flag is a 1-bit LEB: 0 = min, 1 = min max */
    LIMITS_HAS_MAX = 1,
    ELEMKIND_FUNCREF = 0x00,
    /* Element segment flag bits (forms 0..7). */
    ELEM_NOT_ACTIVE = 1,   /* passive, or declarative with ELEM_TABLE_OR_DECL */
    ELEM_TABLE_OR_DECL = 2, /* active: explicit table index; else declarative */
    ELEM_EXPRS = 4,        /* items are expressions, not function indices */
    ELEM_FLAGS_MAX = 7,
    /* Data segment forms. */
    DATA_ACTIVE = 0,
    DATA_PASSIVE = 1,
    DATA_ACTIVE_EXPLICIT = 2,
    /* The name custom section's subsections this decoder reads. */
    NAME_SUB_MODULE = 0,
    NAME_SUB_FUNCTIONS = 1,
    ERROR_TEXT_MAX = 192
};

/* Not a spec limit: declared locals are expanded into one byte each, and a
 * function can declare LIMIT_LOCALS of them in five bytes, so without a cap
 * on the whole module a small binary could demand gigabytes. */
#define MAX_TOTAL_LOCALS (UINT64_C(1) << 24)

static const char MSG_UNEXPECTED_END[] = "unexpected end"; /* reader.h's text */
static const char MSG_UNEXPECTED_END_IN[] = "unexpected end of section or function";

static const char *const section_names[SEC_COUNT] = {
    [SEC_CUSTOM] = "custom",     [SEC_TYPE] = "type",       [SEC_IMPORT] = "import",
    [SEC_FUNCTION] = "function", [SEC_TABLE] = "table",     [SEC_MEMORY] = "memory",
    [SEC_GLOBAL] = "global",     [SEC_EXPORT] = "export",   [SEC_START] = "start",
    [SEC_ELEMENT] = "element",   [SEC_CODE] = "code",       [SEC_DATA] = "data",
    [SEC_DATA_COUNT] = "data count",
};

/* The required order of non-custom sections (data count sits between
 * element and code although its id is 12). */
static const uint8_t section_rank[SEC_COUNT] = {
    [SEC_TYPE] = 1,    [SEC_IMPORT] = 2, [SEC_FUNCTION] = 3,    [SEC_TABLE] = 4,
    [SEC_MEMORY] = 5,  [SEC_GLOBAL] = 6, [SEC_EXPORT] = 7,      [SEC_START] = 8,
    [SEC_ELEMENT] = 9, [SEC_DATA_COUNT] = 10, [SEC_CODE] = 11, [SEC_DATA] = 12,
};

typedef struct decoder {
    reader r;   /* over m->bytes; the first error stops it (see fail) */
    wmodule *m;
    weft_error_kind err_kind;
    uint8_t section;           /* id being decoded, or NO_SECTION */
    int64_t func;              /* function whose body is being decoded, or -1 */
    uint32_t nfunc_decls;      /* entries of the function section */
    size_t func_section_offset;
    size_t data_count_offset;
    bool seen[SEC_COUNT];
    uint32_t customs_cap;
    uint64_t total_locals;
    char text[ERROR_TEXT_MAX]; /* the first error's message */
} decoder;

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */

static bool failed(const decoder *d) { return d->r.err != NULL; }
static size_t here(const decoder *d) { return reader_offset(&d->r); }

/* Records the first error and stops the reader: every later read returns 0
 * and fails, so callers can check failed() once after a group of reads. */
static bool vfail(decoder *d, weft_error_kind kind, size_t offset, const char *fmt, va_list ap)
{
    if (!d->r.err) {
        vsnprintf(d->text, sizeof d->text, fmt, ap);
        d->r.err = d->text;
        d->r.err_offset = offset;
        d->err_kind = kind;
    }
    d->r.p = d->r.end;
    return false;
}

/* A malformed binary: the common case. */
static bool fail(decoder *d, size_t offset, const char *fmt, ...) WEFT_PRINTF(3, 4);
static bool fail(decoder *d, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(d, WEFT_ERROR_DECODE, offset, fmt, ap);
    va_end(ap);
    return false;
}

/* Another kind of error: WEFT_ERROR_RESOURCE for out of memory, and
 * WEFT_ERROR_VALIDATE for a well-formed but invalid constant expression,
 * which the decoder catches because wmodule only stores single-instruction
 * expressions (the spec classes these as validation errors). */
static bool fail_as(decoder *d, weft_error_kind kind, size_t offset, const char *fmt, ...)
    WEFT_PRINTF(4, 5);
static bool fail_as(decoder *d, weft_error_kind kind, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(d, kind, offset, fmt, ap);
    va_end(ap);
    return false;
}

static bool fail_oom(decoder *d, size_t offset)
{
    return fail_as(d, WEFT_ERROR_RESOURCE, offset, "out of memory");
}

static weft_error *make_error(const decoder *d)
{
    const char *msg = d->r.err;
    int64_t offset = (int64_t)d->r.err_offset;
    if (d->section == NO_SECTION)
        return error_new(d->err_kind, offset, -1, "%s", msg);
    /* Inside a section the reference interpreter words truncation this way. */
    if (strcmp(msg, MSG_UNEXPECTED_END) == 0)
        msg = MSG_UNEXPECTED_END_IN;
    if (d->func >= 0)
        return error_new(d->err_kind, offset, -1, "%s (code section, function %lld)", msg,
                         (long long)d->func);
    return error_new(d->err_kind, offset, -1, "%s (%s section)", msg, section_names[d->section]);
}

/* ------------------------------------------------------------------------ */
/* Primitive reads                                                          */

/* calloc for `n` entries, recorded as an error on failure. Gives NULL
 * without a new error for n == 0 or after an error, so check failed(), not
 * the pointer. */
static void *alloc_array(decoder *d, size_t n, size_t size)
{
    if (n == 0 || failed(d))
        return NULL;
    void *p = calloc(n, size);
    if (!p)
        fail_oom(d, here(d));
    return p;
}

static char *copy_string(const uint8_t *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

/* A u32 length or vector count, checked against the bytes left in the module
 * counted from the length's own first byte (the reference interpreter's
 * rule, which decides between "length out of bounds" and "unexpected end").
 * Since every vector entry takes at least one byte, the check also bounds
 * what a caller allocates for the count. */
static uint32_t read_len(decoder *d)
{
    size_t at = here(d);
    size_t left = (size_t)(d->r.end - d->r.p);
    uint32_t n = read_u32(&d->r);
    if (!failed(d) && n > left) {
        fail(d, at, "length out of bounds: %u bytes, %zu left", n, left);
        return 0;
    }
    return n;
}

/* What is left of `limit` after `used` entries (imports) took their share. */
static uint32_t limit_left(uint32_t limit, uint32_t used)
{
    return used < limit ? limit - used : 0;
}

/* A vector count that may not exceed an implementation limit. */
static uint32_t read_count(decoder *d, uint32_t limit, const char *what)
{
    size_t at = here(d);
    uint32_t n = read_len(d);
    if (n > limit) {
        fail(d, at, "too many %s: %u, the limit is %u", what, n, limit);
        return 0;
    }
    return n;
}

/* Advances over n bytes and returns where they start, or NULL at the end. */
static const uint8_t *read_span(decoder *d, uint32_t n)
{
    if ((size_t)(d->r.end - d->r.p) < n) {
        reader_fail(&d->r, MSG_UNEXPECTED_END);
        return NULL;
    }
    const uint8_t *p = d->r.p;
    d->r.p += n;
    return p;
}

/* A name: length, UTF-8 bytes. Stores a NUL-terminated copy. */
static void read_name(decoder *d, char **out, uint32_t *out_len)
{
    size_t at = here(d);
    uint32_t n = read_len(d);
    const uint8_t *s = read_span(d, n);
    if (failed(d))
        return;
    if (!utf8_valid(s, n)) {
        fail(d, at, "malformed UTF-8 encoding");
        return;
    }
    *out = copy_string(s, n);
    *out_len = n;
    if (!*out)
        fail_oom(d, at);
}

static bool is_reftype(uint8_t b) { return b == VT_FUNCREF || b == VT_EXTERNREF; }

static bool is_valtype(uint8_t b)
{
    return b == VT_I32 || b == VT_I64 || b == VT_F32 || b == VT_F64 || b == VT_V128 ||
           is_reftype(b);
}

static valtype read_valtype(decoder *d)
{
    size_t at = here(d);
    uint8_t b = read_u8(&d->r);
    if (!failed(d) && !is_valtype(b))
        fail(d, at, "malformed value type 0x%02x", b);
    return b;
}

static valtype read_reftype(decoder *d)
{
    size_t at = here(d);
    uint8_t b = read_u8(&d->r);
    if (!failed(d) && !is_reftype(b))
        fail(d, at, "malformed reference type 0x%02x", b);
    return b;
}

static void read_limits(decoder *d, limits *l)
{
    uint64_t flags = read_uleb(&d->r, LIMITS_FLAG_BITS);
    l->min = read_u32(&d->r);
    l->has_max = flags == LIMITS_HAS_MAX;
    l->max = l->has_max ? read_u32(&d->r) : UINT64_MAX;
}

static void read_tabletype(decoder *d, tabletype *t)
{
    t->elem = read_reftype(d);
    read_limits(d, &t->lim);
}

static void read_globaltype(decoder *d, globaltype *g)
{
    g->type = read_valtype(d);
    size_t at = here(d);
    uint8_t mut = read_u8(&d->r);
    if (!failed(d) && mut != WEFT_CONST && mut != WEFT_VAR)
        fail(d, at, "malformed mutability 0x%02x", mut);
    g->mut = mut == WEFT_VAR;
}

/* ------------------------------------------------------------------------ */
/* Constant expressions                                                     */

/* Whether a one-byte opcode exists in WebAssembly 2.0. Only used to choose
 * between "illegal opcode" and "constant expression required", as the
 * reference interpreter does. */
static bool opcode_exists(uint8_t op)
{
    return op <= 0x05                    /* unreachable .. else */
           || (op >= 0x0B && op <= 0x11) /* end .. call_indirect */
           || (op >= 0x1A && op <= 0x1C) /* drop, select, select t */
           || (op >= 0x20 && op <= 0x26) /* local.*, global.*, table.get/set */
           || (op >= 0x28 && op <= 0xC4) /* memory, constants, numeric */
           || (op >= 0xD0 && op <= 0xD2) /* ref.null, ref.is_null, ref.func */
           || op == OP_PREFIX_MISC || op == OP_PREFIX_SIMD;
}

/* Decodes the immediates of one constant instruction into *ce. */
static void read_const_instr(decoder *d, uint8_t op, size_t at, constexpr *ce)
{
    reader *r = &d->r;
    switch (op) {
    case OP_I32_CONST:
        ce->op = CE_I32_CONST, ce->type = VT_I32;
        ce->value.u64 = (uint32_t)read_s32(r);
        return;
    case OP_I64_CONST:
        ce->op = CE_I64_CONST, ce->type = VT_I64;
        ce->value.u64 = (uint64_t)read_s64(r);
        return;
    case OP_F32_CONST:
        ce->op = CE_F32_CONST, ce->type = VT_F32;
        ce->value.u64 = read_fixed32(r);
        return;
    case OP_F64_CONST:
        ce->op = CE_F64_CONST, ce->type = VT_F64;
        ce->value.u64 = read_fixed64(r);
        return;
    case OP_REF_NULL:
        ce->op = CE_REF_NULL;
        ce->type = read_reftype(d);
        return;
    case OP_REF_FUNC:
        ce->op = CE_REF_FUNC, ce->type = VT_FUNCREF;
        ce->index = read_u32(r);
        return;
    case OP_GLOBAL_GET:
        ce->op = CE_GLOBAL_GET, ce->type = VT_UNKNOWN; /* the global's type: validator */
        ce->index = read_u32(r);
        return;
    case OP_PREFIX_SIMD:
        if (read_u32(r) == SIMD_V128_CONST) {
            ce->op = CE_V128_CONST, ce->type = VT_V128;
            read_bytes(r, ce->value.v128, V128_SIZE);
            return;
        }
        break;
    default:
        if (!opcode_exists(op)) {
            fail(d, at, "illegal opcode 0x%02x", op);
            return;
        }
        break;
    }
    if (!failed(d))
        fail_as(d, WEFT_ERROR_VALIDATE, at, "constant expression required: opcode 0x%02x", op);
}

/* A constant expression: exactly one constant instruction, then `end`. A
 * non-constant instruction anywhere is "constant expression required"; none
 * or several constant ones leave the wrong number of values: "type
 * mismatch" (the spec's validation outcomes). */
static void read_constexpr(decoder *d, constexpr *ce)
{
    memset(ce, 0, sizeof *ce);
    ce->offset = (uint32_t)here(d);
    uint32_t ninstrs = 0;
    for (;;) {
        size_t at = here(d);
        uint8_t op = read_u8(&d->r);
        if (failed(d) || op == OP_END)
            break;
        constexpr extra; /* later instructions are decoded only to be skipped */
        read_const_instr(d, op, at, ninstrs == 0 ? ce : &extra);
        if (failed(d))
            return;
        ninstrs++;
    }
    if (!failed(d) && ninstrs != 1)
        fail_as(d, WEFT_ERROR_VALIDATE, ce->offset,
                "type mismatch: constant expression of %u instructions", ninstrs);
}

/* ------------------------------------------------------------------------ */
/* Index spaces: imports first, then the module's own definitions           */

/* Copies the types of the imports of `kind` into the front of their index
 * space's array, which must hold at least that many entries. */
static void copy_imports(wmodule *m, uint8_t kind)
{
    uint32_t j = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const import *im = &m->imports[i];
        if (im->kind != kind)
            continue;
        switch (kind) {
        case WEFT_EXTERN_FUNC: m->func_type_indices[j++] = im->desc.type_index; break;
        case WEFT_EXTERN_TABLE: m->tables[j++] = im->desc.table; break;
        case WEFT_EXTERN_MEMORY: m->mems[j++] = im->desc.mem; break;
        case WEFT_EXTERN_GLOBAL: m->globals[j++].type = im->desc.global; break;
        }
    }
}

/* Allocates the func index space for `ndefined` more functions. */
static void build_funcs(decoder *d, uint32_t ndefined)
{
    wmodule *m = d->m;
    m->func_type_indices = alloc_array(d, (size_t)m->nfunc_imports + ndefined, sizeof(uint32_t));
    if (failed(d))
        return;
    m->nfuncs = m->nfunc_imports + ndefined;
    copy_imports(m, WEFT_EXTERN_FUNC);
}

static void build_tables(decoder *d, uint32_t ndefined)
{
    wmodule *m = d->m;
    m->tables = alloc_array(d, (size_t)m->ntable_imports + ndefined, sizeof *m->tables);
    if (failed(d))
        return;
    m->ntables = m->ntable_imports + ndefined;
    copy_imports(m, WEFT_EXTERN_TABLE);
}

static void build_mems(decoder *d, uint32_t ndefined)
{
    wmodule *m = d->m;
    m->mems = alloc_array(d, (size_t)m->nmem_imports + ndefined, sizeof *m->mems);
    if (failed(d))
        return;
    m->nmems = m->nmem_imports + ndefined;
    copy_imports(m, WEFT_EXTERN_MEMORY);
}

static void build_globals(decoder *d, uint32_t ndefined)
{
    wmodule *m = d->m;
    m->globals = alloc_array(d, (size_t)m->nglobal_imports + ndefined, sizeof *m->globals);
    if (failed(d))
        return;
    m->nglobals = m->nglobal_imports + ndefined;
    copy_imports(m, WEFT_EXTERN_GLOBAL);
}

/* ------------------------------------------------------------------------ */
/* Sections 1-8                                                             */

/* params or results of a function type: a vector of one-byte value types,
 * validated in place; returns where they start in the module. */
static const uint8_t *read_valtypes(decoder *d, uint32_t limit, const char *what, uint32_t *n)
{
    *n = read_count(d, limit, what);
    const uint8_t *start = d->r.p;
    for (uint32_t i = 0; i < *n && !failed(d); i++)
        read_valtype(d);
    return start;
}

static void decode_functype(decoder *d, functype *t)
{
    /* The form is read as a 7-bit signed LEB, as the reference interpreter
     * does, so an over-long one is "integer representation too long". */
    size_t at = here(d);
    int64_t form = read_sleb(&d->r, TYPE_FORM_BITS);
    if (!failed(d) && form != FUNC_TYPE_FORM)
        fail(d, at, "malformed function type %lld", (long long)form);
    uint32_t nparams, nresults;
    const uint8_t *params = read_valtypes(d, LIMIT_PARAMS, "parameters", &nparams);
    const uint8_t *results = read_valtypes(d, LIMIT_RESULTS, "results", &nresults);
    if (failed(d))
        return;
    /* Never NULL, even for () -> (): consumers do pointer arithmetic on it
     * (functype_results), which is undefined on a null pointer. */
    t->types = alloc_array(d, (size_t)nparams + nresults + 1, sizeof(valtype));
    if (failed(d))
        return;
    if (nparams)
        memcpy(t->types, params, nparams);
    if (nresults)
        memcpy(t->types + nparams, results, nresults);
    t->nparams = nparams;
    t->nresults = nresults;
    functype_finish(t);
}

static void decode_type_section(decoder *d)
{
    wmodule *m = d->m;
    uint32_t n = read_count(d, LIMIT_TYPES, "types");
    m->types = alloc_array(d, n, sizeof *m->types);
    if (failed(d))
        return;
    m->ntypes = n;
    for (uint32_t i = 0; i < n && !failed(d); i++)
        decode_functype(d, &m->types[i]);
}

static void decode_import(decoder *d, import *im)
{
    read_name(d, &im->module, &im->module_len);
    read_name(d, &im->name, &im->name_len);
    size_t at = here(d);
    uint8_t kind = read_u8(&d->r);
    if (failed(d))
        return;
    im->kind = kind;
    switch (kind) {
    case WEFT_EXTERN_FUNC: im->desc.type_index = read_u32(&d->r); break;
    case WEFT_EXTERN_TABLE: read_tabletype(d, &im->desc.table); break;
    case WEFT_EXTERN_MEMORY: read_limits(d, &im->desc.mem.lim); break;
    case WEFT_EXTERN_GLOBAL: read_globaltype(d, &im->desc.global); break;
    default: fail(d, at, "malformed import kind 0x%02x", kind); break;
    }
}

static void count_import(wmodule *m, uint8_t kind)
{
    switch (kind) {
    case WEFT_EXTERN_FUNC: m->nfunc_imports++; break;
    case WEFT_EXTERN_TABLE: m->ntable_imports++; break;
    case WEFT_EXTERN_MEMORY: m->nmem_imports++; break;
    case WEFT_EXTERN_GLOBAL: m->nglobal_imports++; break;
    }
}

static void decode_import_section(decoder *d)
{
    wmodule *m = d->m;
    uint32_t n = read_count(d, LIMIT_IMPORTS, "imports");
    m->imports = alloc_array(d, n, sizeof *m->imports);
    if (failed(d))
        return;
    m->nimports = n; /* zeroed entries free cleanly if decoding stops early */
    for (uint32_t i = 0; i < n && !failed(d); i++) {
        decode_import(d, &m->imports[i]);
        if (!failed(d))
            count_import(m, m->imports[i].kind);
    }
}

static void decode_function_section(decoder *d)
{
    wmodule *m = d->m;
    d->func_section_offset = here(d);
    uint32_t n = read_count(d, limit_left(LIMIT_FUNCS, m->nfunc_imports), "functions");
    build_funcs(d, n);
    if (failed(d))
        return;
    d->nfunc_decls = n;
    for (uint32_t i = 0; i < n && !failed(d); i++)
        m->func_type_indices[m->nfunc_imports + i] = read_u32(&d->r);
}

static void decode_table_section(decoder *d)
{
    wmodule *m = d->m;
    uint32_t n = read_count(d, limit_left(LIMIT_TABLES, m->ntable_imports), "tables");
    build_tables(d, n);
    for (uint32_t i = 0; i < n && !failed(d); i++)
        read_tabletype(d, &m->tables[m->ntable_imports + i]);
}

static void decode_memory_section(decoder *d)
{
    wmodule *m = d->m;
    /* No limit of our own: the validator allows one memory, and the byte
     * count already bounds the array. */
    uint32_t n = read_count(d, limit_left(UINT32_MAX, m->nmem_imports), "memories");
    build_mems(d, n);
    for (uint32_t i = 0; i < n && !failed(d); i++)
        read_limits(d, &m->mems[m->nmem_imports + i].lim);
}

static void decode_global_section(decoder *d)
{
    wmodule *m = d->m;
    uint32_t n = read_count(d, limit_left(LIMIT_GLOBALS, m->nglobal_imports), "globals");
    build_globals(d, n);
    for (uint32_t i = 0; i < n && !failed(d); i++) {
        global_def *g = &m->globals[m->nglobal_imports + i];
        read_globaltype(d, &g->type);
        read_constexpr(d, &g->init);
    }
}

static void decode_export(decoder *d, export *ex)
{
    read_name(d, &ex->name, &ex->name_len);
    size_t at = here(d);
    uint8_t kind = read_u8(&d->r);
    if (!failed(d) && kind > WEFT_EXTERN_GLOBAL)
        fail(d, at, "malformed export kind 0x%02x", kind);
    ex->kind = kind;
    ex->index = read_u32(&d->r);
}

static void decode_export_section(decoder *d)
{
    wmodule *m = d->m;
    uint32_t n = read_count(d, LIMIT_EXPORTS, "exports");
    m->exports = alloc_array(d, n, sizeof *m->exports);
    if (failed(d))
        return;
    m->nexports = n;
    for (uint32_t i = 0; i < n && !failed(d); i++)
        decode_export(d, &m->exports[i]);
}

static void decode_start_section(decoder *d)
{
    d->m->start = read_u32(&d->r);
    d->m->has_start = !failed(d);
}

/* ------------------------------------------------------------------------ */
/* Element and data segments                                                */

/* Items given as function indices (forms 0-3): stored as ref.func. */
static void read_elem_funcs(decoder *d, elem_segment *s)
{
    uint32_t n = read_len(d);
    s->items = alloc_array(d, n, sizeof *s->items);
    if (failed(d))
        return;
    s->count = n;
    for (uint32_t i = 0; i < n && !failed(d); i++) {
        constexpr *ce = &s->items[i];
        ce->offset = (uint32_t)here(d);
        ce->op = CE_REF_FUNC;
        ce->type = VT_FUNCREF;
        ce->index = read_u32(&d->r);
    }
}

/* Items given as constant expressions (forms 4-7). */
static void read_elem_exprs(decoder *d, elem_segment *s)
{
    uint32_t n = read_len(d);
    s->items = alloc_array(d, n, sizeof *s->items);
    if (failed(d))
        return;
    s->count = n;
    for (uint32_t i = 0; i < n && !failed(d); i++)
        read_constexpr(d, &s->items[i]);
}

/* Forms 1-3 name the kind of their function indices; only funcref exists. */
static void read_elemkind(decoder *d)
{
    size_t at = here(d);
    uint8_t kind = read_u8(&d->r);
    if (!failed(d) && kind != ELEMKIND_FUNCREF)
        fail(d, at, "malformed element kind 0x%02x", kind);
}

/* The eight forms are three flag bits: not active, explicit table (active)
 * or declarative (not active), and expressions instead of indices. Forms 0
 * and 4 (active, table 0) carry neither table index nor element type. */
static void decode_elem(decoder *d, elem_segment *s)
{
    size_t at = here(d);
    uint32_t flags = read_u32(&d->r);
    if (!failed(d) && flags > ELEM_FLAGS_MAX)
        fail(d, at, "malformed elements segment kind %u", flags);
    if (failed(d))
        return;
    bool active = !(flags & ELEM_NOT_ACTIVE);
    bool table_or_decl = flags & ELEM_TABLE_OR_DECL;
    bool exprs = flags & ELEM_EXPRS;
    s->mode = active ? SEG_ACTIVE : table_or_decl ? SEG_DECLARATIVE : SEG_PASSIVE;
    s->type = VT_FUNCREF;
    if (active) {
        if (table_or_decl)
            s->table = read_u32(&d->r);
        read_constexpr(d, &s->offset);
    }
    if (!active || table_or_decl) {
        if (exprs)
            s->type = read_reftype(d);
        else
            read_elemkind(d);
    }
    if (exprs)
        read_elem_exprs(d, s);
    else
        read_elem_funcs(d, s);
}

static void decode_element_section(decoder *d)
{
    wmodule *m = d->m;
    uint32_t n = read_count(d, LIMIT_ELEM_SEGMENTS, "element segments");
    m->elems = alloc_array(d, n, sizeof *m->elems);
    if (failed(d))
        return;
    m->nelems = n;
    for (uint32_t i = 0; i < n && !failed(d); i++)
        decode_elem(d, &m->elems[i]);
}

static void decode_data_count_section(decoder *d)
{
    d->data_count_offset = here(d);
    d->m->data_count = read_u32(&d->r);
    d->m->has_data_count = !failed(d);
}

static void decode_data(decoder *d, data_segment *s)
{
    size_t at = here(d);
    uint32_t flags = read_u32(&d->r);
    if (!failed(d) && flags > DATA_ACTIVE_EXPLICIT)
        fail(d, at, "malformed data segment kind %u", flags);
    if (failed(d))
        return;
    s->mode = flags == DATA_PASSIVE ? SEG_PASSIVE : SEG_ACTIVE;
    if (flags == DATA_ACTIVE_EXPLICIT)
        s->memory = read_u32(&d->r);
    if (s->mode == SEG_ACTIVE)
        read_constexpr(d, &s->offset);
    s->size = read_len(d);
    s->bytes = read_span(d, s->size);
}

static void decode_data_section(decoder *d)
{
    wmodule *m = d->m;
    size_t at = here(d);
    uint32_t n = read_count(d, LIMIT_DATA_SEGMENTS, "data segments");
    if (!failed(d) && m->has_data_count && n != m->data_count)
        fail(d, at, "data count and data section have inconsistent lengths: %u and %u",
             m->data_count, n);
    m->datas = alloc_array(d, n, sizeof *m->datas);
    if (failed(d))
        return;
    m->ndatas = n;
    for (uint32_t i = 0; i < n && !failed(d); i++)
        decode_data(d, &m->datas[i]);
}

/* ------------------------------------------------------------------------ */
/* Code                                                                     */

/* Local declarations: a vector of (count, type). The first pass checks them
 * and sums the counts (in 64 bits: the sum of u32 counts may overflow u32);
 * the second expands them into b->local_types. */
static void decode_locals(decoder *d, func_body *b)
{
    const uint8_t *decls = d->r.p;
    uint32_t ngroups = read_len(d);
    uint64_t total = 0;
    for (uint32_t i = 0; i < ngroups && !failed(d); i++) {
        size_t at = here(d);
        total += read_u32(&d->r);
        read_valtype(d);
        if (!failed(d) && total > LIMIT_LOCALS)
            fail(d, at, "too many locals: %llu, the limit is %u", (unsigned long long)total,
                 (unsigned)LIMIT_LOCALS);
    }
    if (failed(d))
        return;
    d->total_locals += total;
    if (d->total_locals > MAX_TOTAL_LOCALS)
        fail(d, (size_t)(decls - d->r.base),
             "too many locals: %llu in the module, the limit is %llu",
             (unsigned long long)d->total_locals, (unsigned long long)MAX_TOTAL_LOCALS);
    b->local_types = alloc_array(d, total, sizeof(valtype));
    if (failed(d))
        return;
    b->nlocals = (uint32_t)total;
    if (total == 0)
        return; /* groups of zero locals: nothing to expand */

    const uint8_t *body = d->r.p;
    d->r.p = decls; /* second pass: every read below succeeded in the first */
    read_u32(&d->r);
    uint32_t next = 0;
    for (uint32_t i = 0; i < ngroups; i++) {
        uint32_t count = read_u32(&d->r);
        valtype t = read_u8(&d->r);
        memset(b->local_types + next, t, count);
        next += count;
    }
    d->r.p = body;
}

/* The last byte of a body must be the `end` of its instruction sequence.
 * When it is not, the reference interpreter would have parsed instructions
 * past the body's end; its message depends on what follows, so say what it
 * would say: end of module -> truncation; an `end` byte next -> it would
 * consume that and find the body too long; anything else -> no END. */
static void check_body_end(decoder *d, const func_body *b)
{
    const uint8_t *bytes = d->m->bytes;
    if (b->end > b->offset && bytes[b->end - 1] == OP_END)
        return;
    if (b->end == d->m->len)
        fail(d, b->end, "%s: function body has no end opcode", MSG_UNEXPECTED_END_IN);
    else if (bytes[b->end] == OP_END)
        fail(d, b->body_offset,
             "section size mismatch: function body does not end with an end opcode");
    else
        fail(d, b->end, "END opcode expected");
}

static void decode_body(decoder *d, func_body *b)
{
    size_t at = here(d);
    uint32_t size = read_len(d);
    if (!failed(d) && size > LIMIT_BODY_SIZE)
        fail(d, at, "function body too large: %u bytes, the limit is %u", size,
             (unsigned)LIMIT_BODY_SIZE);
    if (failed(d))
        return;
    size_t end = here(d) + size;
    b->body_offset = (uint32_t)at;
    decode_locals(d, b);
    if (failed(d))
        return;
    /* read_len lets a length overhang the module by its own LEB bytes. */
    if (end > d->m->len) {
        fail(d, d->m->len, "%s: function body of %u bytes", MSG_UNEXPECTED_END_IN, size);
        return;
    }
    if (here(d) > end) {
        fail(d, at, "section size mismatch: function body of %u bytes is shorter than its locals",
             size);
        return;
    }
    b->offset = (uint32_t)here(d);
    b->end = (uint32_t)end;
    check_body_end(d, b);
    d->r.p = d->r.base + end;
}

static void decode_code_section(decoder *d)
{
    wmodule *m = d->m;
    size_t at = here(d);
    uint32_t n = read_len(d);
    if (!failed(d) && n != d->nfunc_decls)
        fail(d, at, "function and code section have inconsistent lengths: %u and %u",
             d->nfunc_decls, n);
    m->bodies = alloc_array(d, n, sizeof *m->bodies);
    for (uint32_t i = 0; i < n && !failed(d); i++) {
        d->func = (int64_t)m->nfunc_imports + i;
        decode_body(d, &m->bodies[i]);
    }
    if (!failed(d))
        d->func = -1;
}

/* ------------------------------------------------------------------------ */
/* Custom sections                                                          */

static custom_section *append_custom(decoder *d)
{
    wmodule *m = d->m;
    if (m->ncustoms == d->customs_cap) {
        uint32_t cap = d->customs_cap ? d->customs_cap * 2 : 4;
        custom_section *grown = realloc(m->customs, cap * sizeof *grown);
        if (!grown) {
            fail_oom(d, here(d));
            return NULL;
        }
        m->customs = grown;
        d->customs_cap = cap;
    }
    custom_section *c = &m->customs[m->ncustoms++];
    memset(c, 0, sizeof *c);
    return c;
}

/* A name, then opaque bytes up to the section's end. */
static void decode_custom_section(decoder *d, size_t section_end)
{
    custom_section *c = append_custom(d);
    if (!c)
        return;
    read_name(d, &c->name, &c->name_len);
    if (failed(d))
        return;
    if (here(d) > section_end) {
        fail(d, section_end, "%s: custom section name overruns the section",
             MSG_UNEXPECTED_END_IN);
        return;
    }
    /* read_len lets a size overhang the module by its own LEB bytes. */
    if (section_end > d->m->len) {
        fail(d, d->m->len, "%s: custom section of %zu bytes", MSG_UNEXPECTED_END_IN,
             section_end - (size_t)(d->r.p - d->r.base));
        return;
    }
    c->data = d->r.p;
    c->size = (uint32_t)(section_end - here(d));
    d->r.p = d->r.base + section_end;
}

/* ------------------------------------------------------------------------ */
/* Module                                                                   */

static void decode_header(decoder *d)
{
    static const uint8_t magic[WASM_MAGIC_SIZE] = {0x00, 'a', 's', 'm'};
    uint8_t got[WASM_MAGIC_SIZE];
    if (!read_bytes(&d->r, got, sizeof got))
        return;
    if (memcmp(got, magic, sizeof magic) != 0) {
        fail(d, 0, "magic header not detected");
        return;
    }
    uint32_t version = read_fixed32(&d->r);
    if (!failed(d) && version != WASM_VERSION)
        fail(d, WASM_VERSION_OFFSET, "unknown binary version 0x%08x", version);
}

static void decode_section_contents(decoder *d, uint8_t id, size_t section_end)
{
    switch (id) {
    case SEC_CUSTOM: decode_custom_section(d, section_end); break;
    case SEC_TYPE: decode_type_section(d); break;
    case SEC_IMPORT: decode_import_section(d); break;
    case SEC_FUNCTION: decode_function_section(d); break;
    case SEC_TABLE: decode_table_section(d); break;
    case SEC_MEMORY: decode_memory_section(d); break;
    case SEC_GLOBAL: decode_global_section(d); break;
    case SEC_EXPORT: decode_export_section(d); break;
    case SEC_START: decode_start_section(d); break;
    case SEC_ELEMENT: decode_element_section(d); break;
    case SEC_CODE: decode_code_section(d); break;
    case SEC_DATA: decode_data_section(d); break;
    case SEC_DATA_COUNT: decode_data_count_section(d); break;
    }
}

/* One section: id, size, contents. Non-custom sections come at most once
 * each and in section_rank order. */
static void decode_section(decoder *d, uint8_t *last_rank)
{
    size_t at = here(d);
    d->section = NO_SECTION;
    uint8_t id = read_u8(&d->r);
    if (failed(d))
        return;
    if (id >= SEC_COUNT) {
        fail(d, at, "malformed section id %u", id);
        return;
    }
    d->section = id;
    if (id != SEC_CUSTOM) {
        if (section_rank[id] <= *last_rank) {
            fail(d, at, "unexpected content after last section: %s section %s",
                 section_names[id], d->seen[id] ? "repeated" : "out of order");
            return;
        }
        *last_rank = section_rank[id];
        d->seen[id] = true;
    }
    uint32_t size = read_len(d);
    if (failed(d))
        return;
    size_t start = here(d);
    decode_section_contents(d, id, start + size);
    if (!failed(d) && here(d) != start + size)
        fail(d, start, "section size mismatch: %u bytes declared, %zu decoded", size,
             here(d) - start);
}

/* Checks that need the whole module, and index spaces of imports whose kind
 * has no section of definitions. */
static void finish_module(decoder *d)
{
    wmodule *m = d->m;
    d->section = NO_SECTION;
    if (!d->seen[SEC_CODE] && d->nfunc_decls != 0)
        fail(d, d->func_section_offset,
             "function and code section have inconsistent lengths: %u and no code section",
             d->nfunc_decls);
    if (!d->seen[SEC_DATA] && m->has_data_count && m->data_count != 0)
        fail(d, d->data_count_offset,
             "data count and data section have inconsistent lengths: %u and no data section",
             m->data_count);
    if (!m->func_type_indices && m->nfunc_imports)
        build_funcs(d, 0);
    if (!m->tables && m->ntable_imports)
        build_tables(d, 0);
    if (!m->mems && m->nmem_imports)
        build_mems(d, 0);
    if (!m->globals && m->nglobal_imports)
        build_globals(d, 0);
}

/* ------------------------------------------------------------------------ */
/* The "name" custom section                                                */

/* Debug names are optional: any defect in the section makes the decoder
 * ignore it as a whole, never fail the module. The parser works on its own
 * reader bounded by the custom section's payload. */
typedef struct names {
    char *module_name;
    func_name *funcs;
    uint32_t nfuncs;
} names;

static void names_free(names *n)
{
    free(n->module_name);
    for (uint32_t i = 0; i < n->nfuncs; i++)
        free(n->funcs[i].name);
    free(n->funcs);
    memset(n, 0, sizeof *n);
}

/* A name as a NUL-terminated copy, or NULL if malformed (or out of memory). */
static char *parse_name(reader *r)
{
    uint32_t n = read_u32(r);
    if (r->err || n > (size_t)(r->end - r->p) || !utf8_valid(r->p, n))
        return NULL;
    char *s = copy_string(r->p, n);
    r->p += n;
    return s;
}

static int compare_func_names(const void *a, const void *b)
{
    uint32_t x = ((const func_name *)a)->index, y = ((const func_name *)b)->index;
    return (x > y) - (x < y);
}

/* Subsection 1: a name map, index -> name. The spec wants it sorted without
 * duplicates; sorting ourselves tolerates producers that don't sort, while a
 * duplicate index leaves the names ambiguous, so it rejects the map. */
static bool parse_func_names(reader *r, names *out)
{
    uint32_t n = read_u32(r);
    /* Each entry takes at least two bytes: bounds the allocation. */
    if (r->err || n > (size_t)(r->end - r->p) / 2 || out->funcs)
        return false;
    if (n == 0)
        return true;
    out->funcs = calloc(n, sizeof *out->funcs);
    if (!out->funcs)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        out->funcs[i].index = read_u32(r);
        out->funcs[i].name = parse_name(r);
        if (!out->funcs[i].name)
            return false;
        out->nfuncs = i + 1;
    }
    qsort(out->funcs, n, sizeof *out->funcs, compare_func_names);
    for (uint32_t i = 1; i < n; i++)
        if (out->funcs[i].index == out->funcs[i - 1].index)
            return false;
    return true;
}

/* Subsections in increasing id order, each with its size; only module (0)
 * and function (1) names are kept, the others are skipped by size. */
static bool parse_name_section(const wmodule *m, const custom_section *c, names *out)
{
    reader r;
    reader_init(&r, m->bytes, c->data, c->data + c->size);
    int last_id = -1;
    while (!reader_at_end(&r)) {
        uint8_t id = read_u8(&r);
        uint32_t size = read_u32(&r);
        if (r.err || size > (size_t)(r.end - r.p) || id <= last_id)
            return false;
        last_id = id;
        reader sub;
        reader_init(&sub, r.base, r.p, r.p + size);
        r.p += size;
        if (id == NAME_SUB_MODULE) {
            out->module_name = parse_name(&sub);
            if (!out->module_name)
                return false;
        } else if (id == NAME_SUB_FUNCTIONS) {
            if (!parse_func_names(&sub, out))
                return false;
        } else {
            continue;
        }
        if (!reader_at_end(&sub))
            return false; /* trailing bytes in a subsection */
    }
    return true;
}

/* Uses the first "name" section that parses. */
static void decode_names(wmodule *m)
{
    static const char name_section[] = "name";
    for (uint32_t i = 0; i < m->ncustoms; i++) {
        const custom_section *c = &m->customs[i];
        if (c->name_len != sizeof name_section - 1 || memcmp(c->name, name_section, c->name_len))
            continue;
        names n = {0};
        if (!parse_name_section(m, c, &n)) {
            names_free(&n);
            continue;
        }
        m->module_name = n.module_name;
        m->func_names = n.funcs;
        m->nfunc_names = n.nfuncs;
        return;
    }
}

const char *wmodule_func_name(const wmodule *m, uint32_t index)
{
    uint32_t lo = 0, hi = m->nfunc_names;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t at = m->func_names[mid].index;
        if (at == index)
            return m->func_names[mid].name;
        if (at < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Entry points                                                             */

weft_error *wmodule_decode(wmodule *m, const uint8_t *bytes, size_t len)
{
    memset(m, 0, sizeof *m);
    /* Offsets in wmodule are 32-bit. */
    if (len > UINT32_MAX)
        return error_new(WEFT_ERROR_DECODE, -1, -1, "module too large: %zu bytes", len);
    m->bytes = malloc(len ? len : 1);
    if (!m->bytes)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    if (len)
        memcpy(m->bytes, bytes, len);
    m->len = len;

    decoder d = {.m = m, .err_kind = WEFT_ERROR_DECODE, .section = NO_SECTION, .func = -1};
    reader_init(&d.r, m->bytes, m->bytes, m->bytes + len);
    decode_header(&d);
    uint8_t last_rank = 0;
    while (!failed(&d) && !reader_at_end(&d.r))
        decode_section(&d, &last_rank);
    if (!failed(&d))
        finish_module(&d);
    if (failed(&d)) {
        weft_error *e = make_error(&d);
        wmodule_free(m);
        return e;
    }
    decode_names(m);
    return NULL;
}

void wmodule_free(wmodule *m)
{
    for (uint32_t i = 0; i < m->ntypes; i++)
        free(m->types[i].types);
    free(m->types);
    for (uint32_t i = 0; i < m->nimports; i++) {
        free(m->imports[i].module);
        free(m->imports[i].name);
    }
    free(m->imports);
    free(m->func_type_indices);
    free(m->tables);
    free(m->mems);
    free(m->globals);
    for (uint32_t i = 0; i < m->nexports; i++)
        free(m->exports[i].name);
    free(m->exports);
    for (uint32_t i = 0; i < m->nelems; i++)
        free(m->elems[i].items);
    free(m->elems);
    free(m->datas);
    if (m->bodies) {
        uint32_t nbodies = m->nfuncs - m->nfunc_imports; /* set whenever bodies is */
        for (uint32_t i = 0; i < nbodies; i++)
            free(m->bodies[i].local_types);
    }
    free(m->bodies);
    for (uint32_t i = 0; i < m->ncustoms; i++)
        free(m->customs[i].name);
    free(m->customs);
    free(m->module_name);
    for (uint32_t i = 0; i < m->nfunc_names; i++)
        free(m->func_names[i].name);
    free(m->func_names);
    free(m->func_declared);
    free(m->bytes);
    memset(m, 0, sizeof *m);
}
