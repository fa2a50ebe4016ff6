/* serialize.c — a compiled module's threaded code as bytes, and back
 * (weft_module_serialize / weft_module_deserialize), so that a compilation
 * cache can skip validation and compilation in a later process.
 *
 * Threaded code holds three kinds of addresses, which are process-specific
 * and are replaced by indices on the way out:
 *   - each instruction's handler address (2 words) -> its op number;
 *   - CALL operands: a cfunc pointer -> the defined function's index;
 *   - CALLI operands: a functype pointer -> the type's index.
 * Everything else in the code is position-independent (slots, immediates,
 * relative branch offsets). The walk is driven by op_words/op_shape.
 *
 * Blob layout (little-endian):
 *   "WEFTCODE", u32 format, u32 build fingerprint, u32 features, u32 fuel,
 *   u64 wasm length, u64 wasm hash, u32 defined functions, u64 code words,
 *   per function: u32 code offset, u32 frame slots; the code words;
 *   u64 checksum of all that precedes it.
 * A blob is checked for consistency (magic, build, engine, wasm, checksum,
 * every op, operand index and function entry) but not for malice: a cache
 * directory must be as trusted as the program itself. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "call_graph.h"
#include "error.h"
#include "ops.h"
#include "runtime.h"
#include "validate.h"

#define BLOB_MAGIC "WEFTCODE"
#define BLOB_MAGIC_LEN 8
#define BLOB_FORMAT 1u

/* FNV-1a, 64-bit: detects corruption and mismatched inputs. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* What makes code from one build unusable by another: the op list. */
static uint32_t build_fingerprint(void)
{
    uint64_t h = fnv1a(FNV_OFFSET, WEFT_VERSION_STRING, sizeof WEFT_VERSION_STRING);
    uint32_t counts[] = {OP_COUNT, HANDLER_WORDS, (uint32_t)sizeof(void *), BLOB_FORMAT};
    h = fnv1a(h, counts, sizeof counts);
    h = fnv1a(h, op_words, sizeof op_words);
    h = fnv1a(h, op_shape, sizeof op_shape);
    return (uint32_t)(h ^ (h >> 32));
}

/* ------------------------------------------------ handler -> op lookup */

typedef struct handler_op {
    const void *handler;
    uint16_t op;
} handler_op;

static handler_op *by_handler;
static bool handlers_ambiguous; /* two ops of different layout share a handler */
static pthread_once_t by_handler_once = PTHREAD_ONCE_INIT;

static int cmp_handler(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const handler_op *)a)->handler;
    uintptr_t y = (uintptr_t)((const handler_op *)b)->handler;
    return (x > y) - (x < y);
}

static void build_by_handler(void)
{
    const void *const *handlers = interp_handlers();
    by_handler = malloc(OP_COUNT * sizeof *by_handler);
    if (!by_handler)
        return;
    for (uint32_t i = 0; i < OP_COUNT; i++) {
        by_handler[i].handler = handlers[i];
        by_handler[i].op = (uint16_t)i;
    }
    qsort(by_handler, OP_COUNT, sizeof *by_handler, cmp_handler);
    /* A C compiler may merge identical handlers; harmless for running, but
     * then the op (and its length) cannot be told from the address. */
    for (uint32_t i = 1; i < OP_COUNT; i++) {
        const handler_op *a = &by_handler[i - 1], *b = &by_handler[i];
        if (a->handler == b->handler &&
            (op_words[a->op] != op_words[b->op] || op_shape[a->op] != op_shape[b->op]))
            handlers_ambiguous = true;
    }
}

static int op_of_handler(const void *h)
{
    size_t lo = 0, hi = OP_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)by_handler[mid].handler < (uintptr_t)h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < OP_COUNT && by_handler[lo].handler == h ? by_handler[lo].op : -1;
}

/* ------------------------------------------------------------ writing */

typedef struct blob {
    uint8_t *p;
    size_t len, cap;
    bool oom;
} blob;

static void put(blob *b, const void *p, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *grown = realloc(b->p, cap);
        if (!grown) {
            b->oom = true;
            return;
        }
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void put32(blob *b, uint32_t v) { put(b, &v, 4); }
static void put64(blob *b, uint64_t v) { put(b, &v, 8); }

static uint64_t read64(const uint32_t *w)
{
    uint64_t v;
    memcpy(&v, w, 8);
    return v;
}

static void write64(uint32_t *w, uint64_t v) { memcpy(w, &v, 8); }

/* Length in words of the instruction at code[at] (op known), or 0 if it
 * would run past the end. */
static size_t ins_words(const uint32_t *code, size_t at, size_t len, int op)
{
    size_t n = op_words[op];
    if (op_shape[op] == SH_BRTABLE || op_shape[op] == SH_POOL) {
        if (at + n > len)
            return 0;
        if (op_shape[op] == SH_BRTABLE)
            n += (size_t)code[at + 3] + 1; /* n+1 branch offsets follow */
        else
            n += 2 * (size_t)code[at + 3]; /* n 64-bit constants follow */
    }
    return at + n <= len ? n : 0;
}

/* Rewrites one instruction's process-specific words into indices. */
static bool encode_ins(const weft_module *m, uint32_t *w, int op)
{
    w[0] = (uint32_t)op;
    w[1] = 0;
    if (op_shape[op] == SH_CALL) {
        const cfunc *cf = (const cfunc *)(uintptr_t)read64(w + 3);
        write64(w + 3, (uint64_t)(cf - m->cfuncs));
    } else if (op_shape[op] == SH_CALLI) {
        const functype *ft = (const functype *)(uintptr_t)read64(w + 7);
        write64(w + 7, (uint64_t)(ft - m->m.types));
    }
    return true;
}

weft_error *weft_module_serialize(const weft_module *m, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    pthread_once(&by_handler_once, build_by_handler);
    if (!by_handler)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    if (handlers_ambiguous)
        return error_new(WEFT_ERROR_ARGUMENT, -1, -1,
                         "this build of weft cannot serialize code (merged handlers)");
    uint32_t ndefined = m->m.nfuncs - m->m.nfunc_imports;
    uint32_t *code = malloc((m->code_len ? m->code_len : 1) * sizeof *code);
    if (!code)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    if (m->code_len) /* a module without functions has no code at all */
        memcpy(code, m->code, m->code_len * sizeof *code);
    for (size_t at = 0; at < m->code_len;) {
        const void *h;
        memcpy(&h, &code[at], sizeof h);
        int op = op_of_handler(h);
        size_t n = op < 0 ? 0 : ins_words(code, at, m->code_len, op);
        if (n == 0) {
            free(code);
            return error_new(WEFT_ERROR_ARGUMENT, -1, -1, "code is not walkable at word %zu", at);
        }
        encode_ins(m, &code[at], op);
        at += n;
    }

    blob b = {0};
    put(&b, BLOB_MAGIC, BLOB_MAGIC_LEN);
    put32(&b, BLOB_FORMAT);
    put32(&b, build_fingerprint());
    put32(&b, m->engine->config.features);
    put32(&b, m->engine->config.fuel ? 1u : 0u);
    put64(&b, m->m.len);
    put64(&b, fnv1a(FNV_OFFSET, m->m.bytes, m->m.len));
    put32(&b, ndefined);
    put64(&b, m->code_len);
    for (uint32_t i = 0; i < ndefined; i++) {
        put32(&b, (uint32_t)(m->cfuncs[i].code - m->code));
        put32(&b, m->cfuncs[i].frame_slots);
    }
    put(&b, code, m->code_len * sizeof *code);
    free(code);
    put64(&b, fnv1a(FNV_OFFSET, b.p, b.len));
    if (b.oom) {
        free(b.p);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    }
    *out = b.p;
    *len = b.len;
    return NULL;
}

void weft_bytes_delete(uint8_t *p) { free(p); }

/* ------------------------------------------------------------ reading */

typedef struct reader_in {
    const uint8_t *p, *end;
} reader_in;

static bool get(reader_in *r, void *dst, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    memcpy(dst, r->p, n);
    r->p += n;
    return true;
}

typedef struct blob_in {
    const uint8_t *data;
    size_t len;
} blob_in;

static weft_error *stale(const char *why)
{
    return error_new(WEFT_ERROR_ARGUMENT, -1, -1, "serialized code does not apply: %s", why);
}

/* Rewrites one instruction's indices into addresses; false if invalid. */
static bool decode_ins(weft_module *m, uint32_t *w, int op, uint32_t ndefined)
{
    const void *h = interp_handlers()[op];
    memcpy(w, &h, sizeof h);
    if (op_shape[op] == SH_CALL) {
        uint64_t i = read64(w + 3);
        if (i >= ndefined)
            return false;
        write64(w + 3, (uint64_t)(uintptr_t)&m->cfuncs[i]);
    } else if (op_shape[op] == SH_CALLI) {
        uint64_t i = read64(w + 7);
        if (i >= m->m.ntypes)
            return false;
        write64(w + 7, (uint64_t)(uintptr_t)&m->m.types[i]);
    }
    return true;
}

/* What load_code notes at each instruction's first word (0: not one):
 * ordered so that those from START_LONG on may run long (op_long_table). */
enum {
    START_OTHER = 1,
    START_DIRECT_CALL,
    START_LONG,     /* an op of op_long_table but a call */
    START_CALL_OUT, /* a call out of the module's code (call_graph.h) */
};

static weft_error *load_code(weft_module *mod, void *arg)
{
    const blob_in *in = arg;
    reader_in r = {in->data, in->data + in->len};
    char magic[BLOB_MAGIC_LEN];
    uint32_t format, build, features, fuel, ndefined;
    uint64_t wasm_len, wasm_hash, code_len, checksum;
    if (in->len < BLOB_MAGIC_LEN + 8)
        return stale("truncated");
    memcpy(&checksum, in->data + in->len - 8, 8);
    if (fnv1a(FNV_OFFSET, in->data, in->len - 8) != checksum)
        return stale("checksum mismatch (truncated or corrupt)");
    r.end -= 8;
    if (!get(&r, magic, sizeof magic) || memcmp(magic, BLOB_MAGIC, BLOB_MAGIC_LEN) != 0 ||
        !get(&r, &format, 4) || format != BLOB_FORMAT)
        return stale("not a weft code blob of this format");
    if (!get(&r, &build, 4) || build != build_fingerprint())
        return stale("made by another build of weft");
    if (!get(&r, &features, 4) || !get(&r, &fuel, 4) ||
        features != mod->engine->config.features || fuel != (mod->engine->config.fuel ? 1u : 0u))
        return stale("made for an engine with other features or fuel");
    if (!get(&r, &wasm_len, 8) || !get(&r, &wasm_hash, 8) || wasm_len != mod->m.len ||
        wasm_hash != fnv1a(FNV_OFFSET, mod->m.bytes, mod->m.len))
        return stale("made from another module");
    if (!get(&r, &ndefined, 4) || ndefined != mod->m.nfuncs - mod->m.nfunc_imports ||
        !get(&r, &code_len, 8) || code_len > (size_t)(r.end - r.p) / 4)
        return stale("inconsistent sizes");

    mod->cfuncs = calloc(ndefined ? ndefined : 1, sizeof(cfunc));
    mod->code = malloc((code_len ? code_len : 1) * sizeof(uint32_t));
    uint8_t *starts = calloc(code_len ? code_len : 1, 1); /* instruction boundaries */
    uint32_t *offsets = malloc((ndefined ? ndefined : 1) * sizeof *offsets);
    call_graph graph = {0};
    weft_error *err = NULL;
    if (!mod->cfuncs || !mod->code || !starts || !offsets) {
        err = error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
        goto done;
    }
    for (uint32_t i = 0; i < ndefined; i++) {
        if (!get(&r, &offsets[i], 4) || !get(&r, &mod->cfuncs[i].frame_slots, 4)) {
            err = stale("inconsistent sizes");
            goto done;
        }
    }
    if (!get(&r, mod->code, code_len * 4) || r.p != r.end) {
        err = stale("inconsistent sizes");
        goto done;
    }
    mod->code_len = code_len;
    const bool *long_ops = op_long_table();
    for (size_t at = 0; at < code_len;) {
        uint32_t op = mod->code[at];
        size_t n = op < OP_COUNT ? ins_words(mod->code, at, code_len, (int)op) : 0;
        if (n == 0 || !decode_ins(mod, &mod->code[at], (int)op, ndefined)) {
            err = stale("invalid instruction");
            goto done;
        }
        starts[at] = op_shape[op] == SH_CALL       ? START_DIRECT_CALL
                     : shape_is_call(op_shape[op]) ? START_CALL_OUT
                     : long_ops[op]                ? START_LONG
                                                   : START_OTHER;
        at += n;
    }
    for (uint32_t i = 0; i < ndefined; i++) {
        uint32_t fi = mod->m.nfunc_imports + i;
        cfunc *cf = &mod->cfuncs[i];
        const void *entry_op = NULL;
        if (offsets[i] < code_len && starts[offsets[i]])
            memcpy(&entry_op, &mod->code[offsets[i]], sizeof entry_op);
        if (entry_op != interp_handlers()[OP_enter] &&
            entry_op != interp_handlers()[OP_enter_pool]) {
            err = stale("invalid function entry");
            goto done;
        }
        cf->code = mod->code + offsets[i];
        cf->type = wmodule_func_type(&mod->m, fi);
        cf->param_slots = cf->type->param_slots;
        cf->result_slots = cf->type->result_slots;
        cf->index = fi;
        cf->module = mod;
        size_t end = i + 1 < ndefined ? offsets[i + 1] : code_len;
        cf->makes_calls = end <= offsets[i]; /* out of order: say it may */
        cf->reaches_host = cf->makes_calls;
        cf->words = end > offsets[i] ? (uint32_t)(end - offsets[i]) : 0;
        bool may_run_long = cf->makes_calls || cf->words > BRIEF_MAX_WORDS;
        /* As the compiler notes them: direct calls go to the call graph. */
        for (size_t at = offsets[i]; at < end && at < code_len; at++) {
            cf->makes_calls |= starts[at] == START_DIRECT_CALL || starts[at] == START_CALL_OUT;
            cf->reaches_host |= starts[at] == START_CALL_OUT;
            may_run_long |= starts[at] >= START_LONG;
            if (starts[at] == START_DIRECT_CALL) {
                const cfunc *callee = (const cfunc *)(uintptr_t)read64(&mod->code[at + 3]);
                call_graph_add(&graph, i, (uint32_t)(callee - mod->cfuncs));
            }
        }
        cf->brief = !may_run_long;
    }
    call_graph_finish(&graph, mod->cfuncs, ndefined);
done:
    call_graph_free(&graph);
    free(starts);
    free(offsets);
    return err;
}

weft_error *weft_module_deserialize(weft_engine *e, const uint8_t *wasm, size_t wasm_len,
                                    const uint8_t *data, size_t len, weft_module **out)
{
    blob_in in = {data, len};
    return module_build(e, wasm, wasm_len, load_code, &in, out);
}
