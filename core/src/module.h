/* module.h — the decoded form of a WebAssembly module.
 *
 * decode.c fills a wmodule from bytes; validate.c checks it; compile.c turns
 * function bodies into threaded code. Function bodies and data segments are
 * not copied: they point into wmodule.bytes, which the module owns. */
#ifndef WEFT_MODULE_H
#define WEFT_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weft.h"

/* Value types use their binary encoding (same values as weft_valkind). */
typedef uint8_t valtype;
enum {
    VT_I32 = 0x7F,
    VT_I64 = 0x7E,
    VT_F32 = 0x7D,
    VT_F64 = 0x7C,
    VT_V128 = 0x7B,
    VT_FUNCREF = 0x70,
    VT_EXTERNREF = 0x6F,
    VT_UNKNOWN = 0x00 /* validator: the bottom type of an unreachable stack */
};

static inline bool valtype_is_ref(valtype t) { return t == VT_FUNCREF || t == VT_EXTERNREF; }
/* Slots a value of this type occupies in a frame (8 bytes each). */
static inline uint32_t valtype_slots(valtype t) { return t == VT_V128 ? 2u : 1u; }

/* Implementation limits (beyond the spec's own), checked by the decoder so a
 * hostile module cannot make us allocate without bound. */
enum {
    LIMIT_TYPES = 1000000,
    LIMIT_FUNCS = 1000000,
    LIMIT_IMPORTS = 100000,
    LIMIT_EXPORTS = 100000,
    LIMIT_GLOBALS = 1000000,
    LIMIT_DATA_SEGMENTS = 100000,
    LIMIT_ELEM_SEGMENTS = 10000000,
    LIMIT_TABLES = 100000,
    LIMIT_PARAMS = 1000,
    LIMIT_RESULTS = 1000,
    LIMIT_LOCALS = 50000,      /* declared locals per function, as V8/wasmtime */
    LIMIT_BODY_SIZE = 7654321, /* bytes per function body, as V8 */
    LIMIT_BR_TABLE = 65520,    /* br_table targets */
    LIMIT_NESTING = 10000      /* control nesting depth per function */
};

/* A function type. `types` holds params then results. */
typedef struct weft_functype {
    uint32_t nparams, nresults;
    valtype *types;
    uint32_t param_slots, result_slots; /* in 8-byte slots (v128 counts 2) */
    uint32_t call_slots;                /* the larger: a call's params/results area */
    uint64_t key;                       /* see functype_key() */
} functype;

/* Element-wise equality of two type lists of length n (either may be NULL
 * when n is 0). */
static inline bool valtypes_equal(uint32_t n, const valtype *a, const valtype *b)
{
    for (uint32_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static inline const valtype *functype_params(const functype *t) { return t->types; }
static inline const valtype *functype_results(const functype *t) { return t->types + t->nparams; }

/* Limits of a memory (pages) or table (elements). */
typedef struct limits {
    uint64_t min, max; /* max is UINT64_MAX when absent */
    bool has_max;
} limits;

typedef struct tabletype {
    valtype elem; /* VT_FUNCREF or VT_EXTERNREF */
    limits lim;
} tabletype;

typedef struct memtype {
    limits lim;
} memtype;

typedef struct globaltype {
    valtype type;
    bool mut;
} globaltype;

/* A constant expression. WebAssembly 2.0 allows exactly one instruction
 * before `end`; the decoder rejects anything else. */
typedef enum constexpr_op {
    CE_I32_CONST,
    CE_I64_CONST,
    CE_F32_CONST,
    CE_F64_CONST,
    CE_V128_CONST,
    CE_REF_NULL,   /* reftype in .type */
    CE_REF_FUNC,   /* function index in .index */
    CE_GLOBAL_GET  /* global index in .index */
} constexpr_op;

typedef struct constexpr {
    uint8_t op;   /* constexpr_op */
    valtype type; /* CE_REF_NULL: the reference type */
    uint32_t index;
    uint32_t offset; /* byte offset of the expression, for errors */
    union {
        uint64_t u64; /* i32 (zero-extended), i64, f32 bits, f64 bits */
        uint8_t v128[16];
    } value;
} constexpr;

typedef enum segment_mode { SEG_ACTIVE, SEG_PASSIVE, SEG_DECLARATIVE } segment_mode;

typedef struct import {
    char *module, *name; /* NUL-terminated copies; may contain NULs, see _len */
    uint32_t module_len, name_len;
    uint8_t kind; /* weft_externkind */
    union {
        uint32_t type_index; /* func */
        tabletype table;
        memtype mem;
        globaltype global;
    } desc;
} import;

typedef struct export {
    char *name;
    uint32_t name_len;
    uint8_t kind;   /* weft_externkind */
    uint32_t index; /* in the kind's index space */
} export;

typedef struct global_def {
    globaltype type;
    constexpr init;
} global_def;

typedef struct elem_segment {
    uint8_t mode; /* segment_mode */
    valtype type; /* VT_FUNCREF or VT_EXTERNREF */
    uint32_t table;
    constexpr offset; /* active only */
    uint32_t count;
    constexpr *items; /* CE_REF_FUNC / CE_REF_NULL / CE_GLOBAL_GET */
} elem_segment;

typedef struct data_segment {
    uint8_t mode; /* SEG_ACTIVE or SEG_PASSIVE */
    uint32_t memory;
    constexpr offset; /* active only */
    const uint8_t *bytes;
    uint32_t size;
} data_segment;

/* A function body. Locals are expanded: local_types has one entry per
 * declared local (parameters are not included). */
typedef struct func_body {
    uint32_t offset;      /* of the first instruction, in module bytes */
    uint32_t end;         /* one past the final `end` opcode */
    uint32_t body_offset; /* of the body's size field, for errors */
    uint32_t nlocals;
    valtype *local_types;
} func_body;

typedef struct custom_section {
    char *name;
    uint32_t name_len;
    const uint8_t *data;
    uint32_t size;
} custom_section;

/* One entry of the name section's function-name map, sorted by index. */
typedef struct func_name {
    uint32_t index;
    char *name;
} func_name;

struct compiled_code; /* compile.h */

/* A decoded module. The index spaces (funcs, tables, mems, globals) put
 * imports first, as the spec does. */
typedef struct wmodule {
    uint8_t *bytes; /* owned copy of the binary */
    size_t len;

    functype *types;
    uint32_t ntypes;

    import *imports;
    uint32_t nimports;

    uint32_t *func_type_indices; /* per function, imports included */
    uint32_t nfuncs, nfunc_imports;

    tabletype *tables;
    uint32_t ntables, ntable_imports;

    memtype *mems;
    uint32_t nmems, nmem_imports;

    global_def *globals; /* imported ones have only .type set */
    uint32_t nglobals, nglobal_imports;

    export *exports;
    uint32_t nexports;

    bool has_start;
    uint32_t start;

    elem_segment *elems;
    uint32_t nelems;

    data_segment *datas;
    uint32_t ndatas;
    bool has_data_count;
    uint32_t data_count;

    func_body *bodies; /* nfuncs - nfunc_imports entries */

    custom_section *customs;
    uint32_t ncustoms;

    char *module_name; /* name section, or NULL */
    func_name *func_names;
    uint32_t nfunc_names;

    /* Filled by validation: whether function i may be named by ref.func in a
     * body (declared in an element segment, export or global initialiser). */
    bool *func_declared;
} wmodule;

/* Decodes `len` bytes into *m (zeroed first; bytes are copied). Returns NULL
 * on success, else an error of kind WEFT_ERROR_DECODE with a byte offset.
 * On failure *m is freed. Caller frees a successful module with
 * wmodule_free. */
weft_error *wmodule_decode(wmodule *m, const uint8_t *bytes, size_t len);
void wmodule_free(wmodule *m);

/* The function type of function index `func`. */
static inline const functype *wmodule_func_type(const wmodule *m, uint32_t func)
{
    return &m->types[m->func_type_indices[func]];
}

/* Name of function `index` from the name section, or NULL. */
const char *wmodule_func_name(const wmodule *m, uint32_t index);

/* Computes t->key, t->param_slots and t->result_slots. Two types are equal iff
 * functype_equal; the key makes the common case one integer compare. */
void functype_finish(functype *t);
bool functype_equal(const functype *a, const functype *b);

#endif
