/* instance.c — instantiation and linking.
 *
 * weft_instance_new resolves each import by module/name with type matching,
 * allocates what the module defines, evaluates global initialisers, then
 * follows WebAssembly 2.0's order: active element segments in order (each a
 * table.init + elem.drop), declarative segments dropped, active data
 * segments in order (memory.init + data.drop), then the start function. A
 * trap stops there; writes already made to imported tables and memories stay.
 *
 * Lifetimes: an instance retains every object it imports (an instance-owned
 * object retains its owning instance). If instantiation fails after its
 * element segments stored its functions in an imported table, the instance
 * is parked on that table, which keeps it alive. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "error.h"
#include "extern_describe.h"
#include "interp_support.h"
#include "live_objects.h"
#include "runtime.h"
#include "slice_watchdog.h"

void func_destroy(weft_func *f);
void slot_to_val(valtype t, const uint64_t *s, weft_val *v);

/* ------------------------------------------------------------ refcounting */

void instance_retain(weft_instance *i) { atomic_fetch_add(&i->refs, 1); }

#define OBJ_REFCOUNT(T, name, destroy)                                    \
    void obj_retain_##name(T *o)                                          \
    {                                                                     \
        if (o->hdr.owner)                                                 \
            instance_retain(o->hdr.owner);                                \
        else                                                              \
            atomic_fetch_add(&o->hdr.refs, 1);                            \
    }                                                                     \
    void obj_release_##name(T *o)                                         \
    {                                                                     \
        if (o->hdr.owner)                                                 \
            instance_release(o->hdr.owner);                               \
        else if (atomic_fetch_sub(&o->hdr.refs, 1) == 1)                  \
            destroy(o);                                                   \
    }

static void table_release_all(weft_table *t);
static void global_destroy(weft_global *g)
{
    live_dec(LIVE_GLOBAL);
    free(g);
}

OBJ_REFCOUNT(weft_func, func, func_destroy)
OBJ_REFCOUNT(weft_memory, memory, memory_destroy)
OBJ_REFCOUNT(weft_table, table, table_release_all)
OBJ_REFCOUNT(weft_global, global, global_destroy)

static void retain_extern(uint8_t kind, void *obj)
{
    switch (kind) {
    case WEFT_EXTERN_FUNC: obj_retain_func(obj); break;
    case WEFT_EXTERN_TABLE: obj_retain_table(obj); break;
    case WEFT_EXTERN_MEMORY: obj_retain_memory(obj); break;
    default: obj_retain_global(obj); break;
    }
}

static void release_extern(uint8_t kind, void *obj)
{
    switch (kind) {
    case WEFT_EXTERN_FUNC: obj_release_func(obj); break;
    case WEFT_EXTERN_TABLE: obj_release_table(obj); break;
    case WEFT_EXTERN_MEMORY: obj_release_memory(obj); break;
    default: obj_release_global(obj); break;
    }
}

static void table_release_all(weft_table *t)
{
    weft_instance **kept = t->kept;
    uint32_t n = t->nkept;
    t->kept = NULL;
    t->nkept = 0;
    table_destroy(t);
    for (uint32_t i = 0; i < n; i++)
        instance_release(kept[i]);
    free(kept);
}

/* Of a pooled stack mapping, the value-stack and frame bytes at the bottom
 * that may stay resident: what ordinary calls touch, so that they take no
 * page fault again. Pages beyond them that a deep recursion touched are
 * given back (MADV_DONTNEED), so that a pooled stack does not pin up to
 * 32 MiB of RSS. */
#define STACK_KEEP_BYTES ((size_t)64 << 10)
#define FRAMES_KEEP_BYTES ((size_t)64 << 10)

static size_t page_round(size_t n)
{
    size_t page = WASM_PAGE_SIZE; /* a multiple of every host page size */
    return (n + page - 1) / page * page;
}

/* The value stack and the frame array live in one mapping: the stack at
 * its start, the frames at this offset. */
static size_t frames_offset(const exec *ex) { return page_round(ex->stack_bytes); }
static size_t exec_mapping_bytes(const exec *ex) { return frames_offset(ex) + ex->frames_bytes; }

/* Whether a run went beyond the kept part of a pooled stack is told by a
 * canary, the last word of each kept part: written there when the stack is
 * first pooled, overwritten by any run that got that far (frame records are
 * written contiguously; a value-stack frame may leave a slot unwritten, so
 * every STACK_RELEASE_EVERY-th stack freed has its tail released
 * regardless). Asking the kernel instead (mincore) cost over a microsecond
 * per call on our VM, as much as the rest of an instantiation. */
#define STACK_CANARY 0x57656674C0DECAFEull
#define STACK_RELEASE_EVERY 16

static uint64_t *canary(uint8_t *start, size_t len, size_t keep)
{
    return len > keep ? (uint64_t *)(start + keep) - 1 : NULL;
}

/* Gives the part beyond `keep` of [start, start + len) back to the kernel
 * if a run reached it (or `always`), and re-arms the canary. */
static bool release_tail(uint8_t *start, size_t len, size_t keep, bool always)
{
    uint64_t *c = canary(start, len, keep);
    if (!c || (*c == STACK_CANARY && !always))
        return true;
    *c = STACK_CANARY;
    return madvise(start + keep, len - keep, MADV_DONTNEED) == 0;
}

static void arm_canaries(exec *ex)
{
    uint8_t *base = (uint8_t *)ex->stack;
    uint64_t *c = canary(base, ex->stack_bytes, STACK_KEEP_BYTES);
    if (c)
        *c = STACK_CANARY;
    c = canary(base + frames_offset(ex), ex->frames_bytes, FRAMES_KEEP_BYTES);
    if (c)
        *c = STACK_CANARY;
}

/* Pooled stacks are not zeroed: the interpreter never reads a slot it has
 * not written in the same run (an entry copies in the arguments, OP_enter
 * zeroes the declared locals, validated code writes each operand
 * temporary before reading it, and a frame record is filled when pushed),
 * so what an earlier instance left there is unreachable. */
static void exec_free(weft_instance *inst)
{
    exec *ex = &inst->ex;
    if (!ex->stack)
        return;
    weft_engine *e = inst->module->engine;
    uint8_t *base = (uint8_t *)ex->stack;
    static atomic_uint freed;
    bool always = atomic_fetch_add_explicit(&freed, 1, memory_order_relaxed) %
                      STACK_RELEASE_EVERY == 0;
    if (e->config.pooling && release_tail(base, ex->stack_bytes, STACK_KEEP_BYTES, always) &&
        release_tail(base + frames_offset(ex), ex->frames_bytes, FRAMES_KEEP_BYTES, always)) {
        map_pool_put(&e->stack_pool, (pooled_map){base, exec_mapping_bytes(ex), 0, 0});
        return;
    }
    munmap(base, exec_mapping_bytes(ex));
}

static void instance_destroy(weft_instance *inst)
{
    const wmodule *m = inst->m;
    slice_forget(&inst->ex); /* the watchdog may be about to flag its last run */
    if (inst->tables)
        for (uint32_t i = m->ntable_imports; i < m->ntables; i++)
            if (inst->tables[i])
                table_release_all(inst->tables[i]);
    if (inst->mem0 && inst->mem0->hdr.owner == inst)
        memory_destroy(inst->mem0);
    if (inst->globals)
        for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++)
            if (inst->globals[i])
                global_destroy(inst->globals[i]);
    if (inst->own_funcs)
        for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports; i++)
            func_release_resources(&inst->own_funcs[i]);
    free(inst->own_funcs);
    free(inst->funcs);
    free(inst->tables);
    free(inst->globals);
    free(inst->global_cells);
    free(inst->elem_dropped);
    free(inst->data_dropped);
    exec_free(inst);
    for (uint32_t i = 0; i < inst->nretained; i++)
        release_extern(inst->retained[i].kind, inst->retained[i].obj);
    free(inst->retained);
    weft_module_delete(inst->module);
    live_dec(LIVE_INSTANCE);
    free(inst);
}

void instance_release(weft_instance *i)
{
    if (i && atomic_fetch_sub(&i->refs, 1) == 1)
        instance_destroy(i);
}

void weft_instance_delete(weft_instance *inst) { instance_release(inst); }
weft_module *weft_instance_module(const weft_instance *inst) { return inst->module; }

/* A mapping of `bytes` for an instance's stacks: a pooled one of that
 * size, or a new one; *fresh tells which. */
static uint8_t *exec_mapping_new(weft_engine *e, size_t bytes, bool *fresh)
{
    pooled_map pm;
    *fresh = false;
    if (e->config.pooling && map_pool_take(&e->stack_pool, bytes, &pm))
        return pm.base;
    *fresh = true;
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

bool exec_ensure(weft_instance *inst)
{
    exec *ex = &inst->ex;
    if (ex->stack)
        return true;
    weft_engine *e = inst->module->engine;
    const weft_config *cfg = &e->config;
    ex->stack_bytes = (size_t)cfg->value_stack_slots * sizeof(uint64_t);
    /* frames[0] is a permanent bottom record; calls use 1..max_call_depth. */
    ex->frames_bytes = ((size_t)cfg->max_call_depth + 1) * sizeof(frame);
    bool fresh;
    uint8_t *base = exec_mapping_new(e, exec_mapping_bytes(ex), &fresh);
    if (!base)
        return false;
    ex->stack = (uint64_t *)base;
    ex->stack_end = ex->stack + cfg->value_stack_slots;
    ex->sp = ex->stack;
    ex->frames = (frame *)(base + frames_offset(ex));
    ex->frames_end = ex->frames + cfg->max_call_depth + 1;
    ex->frames_top = ex->frames;
    memset(ex->frames, 0, sizeof *ex->frames); /* the bottom record, as a new mapping has it */
    if (fresh && cfg->pooling)
        arm_canaries(ex); /* a pooled one has them */
    return true;
}

/* ------------------------------------------------------------ imports set */

typedef struct import_entry {
    char *module, *name;  /* name NULL: every export of `inst` */
    uint8_t kind;
    void *obj;
    weft_instance *inst;
} import_entry;

struct weft_imports {
    import_entry *e;
    size_t n, cap;
};

weft_imports *weft_imports_new(void) { return calloc(1, sizeof(weft_imports)); }

void weft_imports_delete(weft_imports *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->n; i++) {
        import_entry *e = &im->e[i];
        if (e->inst)
            instance_release(e->inst);
        else
            release_extern(e->kind, e->obj);
        free(e->module);
        free(e->name);
    }
    free(im->e);
    free(im);
}

static import_entry *imports_append(weft_imports *im, const char *module, const char *name)
{
    if (im->n == im->cap) {
        size_t ncap = im->cap ? im->cap * 2 : 8;
        import_entry *p = realloc(im->e, ncap * sizeof *p);
        if (!p)
            return NULL;
        im->e = p;
        im->cap = ncap;
    }
    import_entry *e = &im->e[im->n];
    memset(e, 0, sizeof *e);
    e->module = strdup(module);
    e->name = name ? strdup(name) : NULL;
    if (!e->module || (name && !e->name)) {
        free(e->module);
        free(e->name);
        return NULL;
    }
    im->n++;
    return e;
}

static void imports_add(weft_imports *im, const char *module, const char *name, uint8_t kind,
                        void *obj)
{
    import_entry *e = imports_append(im, module, name);
    if (!e)
        return;
    e->kind = kind;
    e->obj = obj;
    retain_extern(kind, obj);
}

void weft_imports_add_func(weft_imports *im, const char *mod, const char *name, weft_func *f)
{
    imports_add(im, mod, name, WEFT_EXTERN_FUNC, f);
}
void weft_imports_add_memory(weft_imports *im, const char *mod, const char *name, weft_memory *m)
{
    imports_add(im, mod, name, WEFT_EXTERN_MEMORY, m);
}
void weft_imports_add_table(weft_imports *im, const char *mod, const char *name, weft_table *t)
{
    imports_add(im, mod, name, WEFT_EXTERN_TABLE, t);
}
void weft_imports_add_global(weft_imports *im, const char *mod, const char *name, weft_global *g)
{
    imports_add(im, mod, name, WEFT_EXTERN_GLOBAL, g);
}

void weft_imports_add_instance(weft_imports *im, const char *module, weft_instance *inst)
{
    import_entry *e = imports_append(im, module, NULL);
    if (!e)
        return;
    e->inst = inst;
    instance_retain(inst);
}

/* ------------------------------------------------------------ exports */

static bool name_is(const char *a, uint32_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, blen) == 0;
}

static void *export_object(const weft_instance *inst, const export *ex)
{
    switch (ex->kind) {
    case WEFT_EXTERN_FUNC: return inst->funcs[ex->index];
    case WEFT_EXTERN_TABLE: return inst->tables[ex->index];
    case WEFT_EXTERN_MEMORY: return inst->mem0;
    default: return inst->globals[ex->index];
    }
}

static const export *find_export(const weft_instance *inst, const char *name, size_t len)
{
    const wmodule *m = inst->m;
    for (uint32_t i = 0; i < m->nexports; i++)
        if (name_is(m->exports[i].name, m->exports[i].name_len, name, len))
            return &m->exports[i];
    return NULL;
}

static void *export_of_kind(const weft_instance *inst, const char *name, uint8_t kind)
{
    const export *ex = find_export(inst, name, strlen(name));
    return ex && ex->kind == kind ? export_object(inst, ex) : NULL;
}

weft_func *weft_instance_export_func(const weft_instance *inst, const char *name)
{
    return export_of_kind(inst, name, WEFT_EXTERN_FUNC);
}
weft_memory *weft_instance_export_memory(const weft_instance *inst, const char *name)
{
    return export_of_kind(inst, name, WEFT_EXTERN_MEMORY);
}
weft_table *weft_instance_export_table(const weft_instance *inst, const char *name)
{
    return export_of_kind(inst, name, WEFT_EXTERN_TABLE);
}
weft_global *weft_instance_export_global(const weft_instance *inst, const char *name)
{
    return export_of_kind(inst, name, WEFT_EXTERN_GLOBAL);
}
weft_externkind weft_instance_export_kind(const weft_instance *inst, size_t i)
{
    return inst->m->exports[i].kind;
}
void *weft_instance_export_at(const weft_instance *inst, size_t i)
{
    return i < inst->m->nexports ? export_object(inst, &inst->m->exports[i]) : NULL;
}
weft_memory *weft_instance_memory(const weft_instance *inst) { return inst->mem0; }
void weft_instance_set_host_data(weft_instance *inst, void *data) { inst->host_data = data; }
void *weft_instance_host_data(const weft_instance *inst) { return inst->host_data; }

/* Finds the extern offered for an import; later additions win. */
static bool lookup_import(const weft_imports *im, const import *want, uint8_t *kind, void **obj)
{
    if (!im)
        return false;
    for (size_t i = im->n; i-- > 0;) {
        const import_entry *e = &im->e[i];
        if (!name_is(want->module, want->module_len, e->module, strlen(e->module)))
            continue;
        if (e->inst) {
            const export *ex = find_export(e->inst, want->name, want->name_len);
            if (!ex)
                continue;
            *kind = ex->kind;
            *obj = export_object(e->inst, ex);
            return true;
        }
        if (name_is(want->name, want->name_len, e->name, strlen(e->name))) {
            *kind = e->kind;
            *obj = e->obj;
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------ linking */

/* Limits subtyping: the provided [min, max] must fit within the import's. */
static bool limits_match(uint64_t have_min, bool have_has_max, uint64_t have_max,
                         const limits *want)
{
    if (have_min < want->min)
        return false;
    if (!want->has_max)
        return true;
    return have_has_max && have_max <= want->max;
}

static bool import_type_matches(const wmodule *m, const import *im, void *obj)
{
    switch (im->kind) {
    case WEFT_EXTERN_FUNC:
        return functype_equal(((weft_func *)obj)->type, &m->types[im->desc.type_index]);
    case WEFT_EXTERN_TABLE: {
        const weft_table *t = obj;
        return t->elem == im->desc.table.elem &&
               limits_match(t->size, t->max != UINT64_MAX, t->max, &im->desc.table.lim);
    }
    case WEFT_EXTERN_MEMORY: {
        const weft_memory *mem = obj;
        return limits_match(mem->size / WASM_PAGE_SIZE, mem->has_max, mem->declared_max,
                            &im->desc.mem.lim);
    }
    default: {
        const weft_global *g = obj;
        return g->type == im->desc.global.type && g->mut == im->desc.global.mut;
    }
    }
}

/* Room for one extern type in a link error; longer types are cut short. */
#define LINK_TYPE_TEXT 200

static weft_error *unknown_import(const wmodule *m, const import *im)
{
    char want[LINK_TYPE_TEXT];
    describe_import_type(want, sizeof want, m, im);
    return error_new(WEFT_ERROR_LINK, -1, -1, "unknown import: \"%s\" \"%s\" (%s)", im->module,
                     im->name, want);
}

static weft_error *incompatible_import(const wmodule *m, const import *im, uint8_t kind,
                                       const void *obj)
{
    char want[LINK_TYPE_TEXT], have[LINK_TYPE_TEXT];
    describe_import_type(want, sizeof want, m, im);
    describe_extern_type(have, sizeof have, kind, obj);
    return error_new(WEFT_ERROR_LINK, -1, -1,
                     "incompatible import type: \"%s\" \"%s\": expected %s, got %s", im->module,
                     im->name, want, have);
}

static weft_error *resolve_imports(weft_instance *inst, const weft_imports *imports)
{
    const wmodule *m = inst->m;
    inst->retained = calloc(m->nimports ? m->nimports : 1, sizeof(retained));
    if (!inst->retained)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    uint32_t nf = 0, nt = 0, ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        const import *im = &m->imports[i];
        uint8_t kind;
        void *obj;
        if (!lookup_import(imports, im, &kind, &obj))
            return unknown_import(m, im);
        if (kind != im->kind || !import_type_matches(m, im, obj))
            return incompatible_import(m, im, kind, obj);
        retain_extern(kind, obj);
        inst->retained[inst->nretained].kind = kind;
        inst->retained[inst->nretained].obj = obj;
        inst->nretained++;
        switch (kind) {
        case WEFT_EXTERN_FUNC: inst->funcs[nf++] = obj; break;
        case WEFT_EXTERN_TABLE: inst->tables[nt++] = obj; break;
        case WEFT_EXTERN_MEMORY: inst->mem0 = obj; break;
        default: inst->globals[ng++] = obj; break;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------ definitions */

/* Evaluates a constant expression into slots (2 for v128). */
static void eval_const(const weft_instance *inst, const constexpr *ce, uint64_t out[2])
{
    out[1] = 0;
    switch (ce->op) {
    case CE_V128_CONST: memcpy(out, ce->value.v128, 16); break;
    case CE_REF_NULL: out[0] = 0; break;
    case CE_REF_FUNC: out[0] = (uint64_t)(uintptr_t)inst->funcs[ce->index]; break;
    case CE_GLOBAL_GET: memcpy(out, inst->globals[ce->index]->val, 16); break;
    default: out[0] = ce->value.u64; break;
    }
}

void *elem_item_value(weft_instance *inst, const elem_segment *seg, uint32_t i)
{
    uint64_t v[2];
    eval_const(inst, &seg->items[i], v);
    return (void *)(uintptr_t)v[0];
}

/* Why table i of `n` elements was not created, as the instantiation's error. */
static weft_error *table_refused(weft_engine *e, uint32_t i, uint64_t n, table_refusal why)
{
    unsigned long long elems = (unsigned long long)n;
    switch (why) {
    case TABLE_OVER_LIMIT:
        return error_new(WEFT_ERROR_RESOURCE, -1, -1,
                         "table %u: %llu elements exceed the limit of %u", i, elems,
                         e->config.max_table_elements);
    case TABLE_OVER_TOTAL:
        return error_new(WEFT_ERROR_RESOURCE, -1, -1,
                         "table %u: %llu elements exceed the engine's total table limit: "
                         "%llu of %llu elements in use",
                         i, elems, (unsigned long long)weft_engine_table_elements(e),
                         (unsigned long long)e->config.max_total_table_elements);
    default:
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "table %u of %llu elements: out of memory",
                         i, elems);
    }
}

/* Why a memory of `pages` was not created, as the instantiation's error. */
static weft_error *memory_refused(weft_engine *e, uint64_t pages, memory_refusal why)
{
    unsigned long long n = (unsigned long long)pages;
    switch (why) {
    case MEMORY_OVER_LIMIT:
        return error_new(WEFT_ERROR_RESOURCE, -1, -1,
                         "memory of %llu pages exceeds the limit of %u pages", n,
                         e->config.max_memory_pages);
    case MEMORY_OVER_TOTAL:
        return error_new(WEFT_ERROR_RESOURCE, -1, -1,
                         "memory of %llu pages exceeds the engine's total memory limit: "
                         "%llu of %llu pages in use",
                         n, (unsigned long long)weft_engine_memory_pages(e),
                         (unsigned long long)e->config.max_total_memory_pages);
    default:
        return error_new(WEFT_ERROR_RESOURCE, -1, -1,
                         "memory of %llu pages: out of memory (address space)", n);
    }
}

/* Refuses a module whose defined tables together do not fit in what is left
 * of the engine's element budget, before any is allocated: one module of
 * 1,000 tables would otherwise hold the whole budget (and its memory) for
 * the moment it takes to find table 101 over it, failing the instantiations
 * of others meanwhile. */
static weft_error *tables_fit(const wmodule *m, weft_engine *e)
{
    uint64_t all = 0; /* at most 2^32 tables of < 2^32 elements: no overflow */
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        if (m->tables[i].lim.min > e->config.max_table_elements)
            return NULL; /* define_objects names that table and the per-table limit */
        all += m->tables[i].lim.min;
    }
    uint64_t limit = e->config.max_total_table_elements, used = weft_engine_table_elements(e);
    if (all <= limit && used <= limit - all)
        return NULL;
    return error_new(WEFT_ERROR_RESOURCE, -1, -1,
                     "tables: %llu elements in all exceed the engine's total table limit: "
                     "%llu of %llu elements in use",
                     (unsigned long long)all, (unsigned long long)used, (unsigned long long)limit);
}

static weft_error *define_objects(weft_instance *inst)
{
    const wmodule *m = inst->m;
    uint32_t ndefined = m->nfuncs - m->nfunc_imports;
    inst->own_funcs = calloc(ndefined ? ndefined : 1, sizeof(weft_func));
    if (!inst->own_funcs)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    for (uint32_t i = 0; i < ndefined; i++) {
        weft_func *f = &inst->own_funcs[i];
        f->hdr.owner = inst;
        f->kind = FUNC_WASM;
        f->inst = inst;
        f->cf = &inst->module->cfuncs[i];
        f->type = f->cf->type;
        inst->funcs[m->nfunc_imports + i] = f;
    }
    weft_error *err = tables_fit(m, inst->module->engine);
    if (err)
        return err;
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        const tabletype *tt = &m->tables[i];
        table_refusal why;
        weft_table *t = table_create(inst->module->engine, tt->elem, (uint32_t)tt->lim.min,
                                     tt->lim.has_max, tt->lim.max, NULL, &why);
        if (!t)
            return table_refused(inst->module->engine, i, tt->lim.min, why);
        t->hdr.owner = inst;
        inst->tables[i] = t;
    }
    if (m->nmems > m->nmem_imports) {
        const memtype *mt = &m->mems[0];
        memory_refusal why;
        weft_engine *e = inst->module->engine;
        weft_memory *mem = memory_create(e, mt->lim.min, mt->lim.has_max, mt->lim.max, &why);
        if (!mem)
            return memory_refused(e, mt->lim.min, why);
        mem->hdr.owner = inst;
        inst->mem0 = mem;
    }
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        weft_global *g = calloc(1, sizeof *g);
        if (!g)
            return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
        live_inc(LIVE_GLOBAL);
        g->hdr.owner = inst;
        g->type = m->globals[i].type.type;
        g->mut = m->globals[i].type.mut;
        eval_const(inst, &m->globals[i].init, g->val);
        inst->globals[i] = g;
    }
    for (uint32_t i = 0; i < m->nglobals; i++)
        inst->global_cells[i] = inst->globals[i]->val;
    return NULL;
}

/* Keeps a failed instance alive through the imported tables it wrote its
 * functions into. While parked, it no longer retains the table's owner:
 * it cannot outlive the table, and the reference would be a cycle. */
static bool park_on_tables(weft_instance *inst, const bool *wrote)
{
    const wmodule *m = inst->m;
    bool parked = false;
    for (uint32_t t = 0; t < m->ntable_imports; t++) {
        if (!wrote[t])
            continue;
        weft_table *table = inst->tables[t];
        weft_instance **p = realloc(table->kept, (table->nkept + 1) * sizeof *p);
        if (!p)
            continue;
        table->kept = p;
        table->kept[table->nkept++] = inst;
        instance_retain(inst);
        parked = true;
        /* Drop references rooted at the table's owner (or the table itself). */
        for (uint32_t i = 0; i < inst->nretained;) {
            retained *r = &inst->retained[i];
            weft_instance *owner = ((objhdr *)r->obj)->owner;
            bool same_root = table->hdr.owner ? owner == table->hdr.owner : r->obj == table;
            if (same_root) {
                release_extern(r->kind, r->obj);
                inst->retained[i] = inst->retained[--inst->nretained];
            } else {
                i++;
            }
        }
    }
    return parked;
}

/* Applies active segments and runs start. Returns a trap or NULL. */
static weft_trap *initialize(weft_instance *inst, bool *wrote_imported_table)
{
    const wmodule *m = inst->m;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const elem_segment *s = &m->elems[i];
        if (s->mode == SEG_ACTIVE) {
            uint64_t off[2];
            eval_const(inst, &s->offset, off);
            weft_trap_code code = table_init(inst, inst->tables[s->table], i,
                                             (uint32_t)off[0], 0, s->count);
            if (code)
                return trap_new_code(code);
            if (s->table < m->ntable_imports && s->count)
                wrote_imported_table[s->table] = true;
        }
        if (s->mode != SEG_PASSIVE)
            inst->elem_dropped[i] = true;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const data_segment *d = &m->datas[i];
        if (d->mode != SEG_ACTIVE)
            continue;
        uint64_t off[2];
        eval_const(inst, &d->offset, off);
        weft_trap_code code = memory_init(inst, inst->mem0, i, (uint32_t)off[0], 0, d->size);
        if (code)
            return trap_new_code(code);
        inst->data_dropped[i] = true;
    }
    if (m->has_start) {
        uint64_t none[1];
        return func_call_raw(inst->funcs[m->start], inst, none);
    }
    return NULL;
}

static weft_error *allocate_arrays(weft_instance *inst)
{
    const wmodule *m = inst->m;
    inst->funcs = calloc(m->nfuncs + 1, sizeof(weft_func *));
    inst->tables = calloc(m->ntables + 1, sizeof(weft_table *));
    inst->globals = calloc(m->nglobals + 1, sizeof(weft_global *));
    inst->global_cells = calloc(m->nglobals + 1, sizeof(uint64_t *));
    inst->elem_dropped = calloc(m->nelems + 1, sizeof(bool));
    inst->data_dropped = calloc(m->ndatas + 1, sizeof(bool));
    if (!inst->funcs || !inst->tables || !inst->globals || !inst->global_cells ||
        !inst->elem_dropped || !inst->data_dropped)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    return NULL;
}

weft_error *weft_instance_new(weft_module *mod, const weft_imports *imports, weft_instance **out,
                              weft_trap **trap)
{
    return weft_instance_new_with_fuel(mod, imports, 0, out, trap);
}

weft_error *weft_instance_new_with_fuel(weft_module *mod, const weft_imports *imports,
                                        uint64_t fuel, weft_instance **out, weft_trap **trap)
{
    *out = NULL;
    if (trap)
        *trap = NULL;
    weft_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    live_inc(LIVE_INSTANCE);
    atomic_init(&inst->refs, 1);
    module_retain(mod);
    inst->module = mod;
    inst->m = &mod->m;
    inst->interrupt.ex = &inst->ex;
    weft_instance_set_fuel(inst, fuel);
    weft_error *err = allocate_arrays(inst);
    if (!err)
        err = resolve_imports(inst, imports);
    if (!err)
        err = define_objects(inst);
    if (err) {
        instance_destroy(inst);
        return err;
    }
    bool *wrote = calloc(inst->m->ntable_imports + 1, sizeof(bool));
    if (!wrote) {
        instance_destroy(inst);
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    }
    weft_trap *t = initialize(inst, wrote);
    if (t) {
        park_on_tables(inst, wrote);
        free(wrote);
        instance_release(inst);
        if (trap)
            *trap = t;
        else
            weft_trap_delete(t);
        return NULL;
    }
    free(wrote);
    *out = inst;
    return NULL;
}

/* ------------------------------------------------------------ fuel, interrupt */

void weft_instance_set_fuel(weft_instance *inst, uint64_t fuel)
{
    inst->ex.fuel = fuel > INT64_MAX ? INT64_MAX : (int64_t)fuel;
}

uint64_t weft_instance_fuel(const weft_instance *inst)
{
    return inst->ex.fuel > 0 ? (uint64_t)inst->ex.fuel : 0;
}

weft_interrupt_handle *weft_instance_interrupt_handle(weft_instance *inst)
{
    return &inst->interrupt;
}

void weft_interrupt(weft_interrupt_handle *h) { atomic_store(&h->ex->interrupt, INTERRUPT_STOP); }
void weft_interrupt_clear(weft_interrupt_handle *h) { atomic_store(&h->ex->interrupt, 0); }
