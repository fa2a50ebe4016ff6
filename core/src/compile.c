/* compile.c — drives the body compiler over every function of a module and
 * lays the result out as one threaded-code buffer. */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "validate.h"

static void compiler_free(compiler *c)
{
    free(c->vals);
    free(c->ctrls);
    free(c->local_types);
    free(c->local_slots);
    free(c->scratch);
    free(c->call_sites);
    free(c->dispatch.block);
    free(c->dispatch.end);
    call_graph_free(&c->graph);
}

/* A direct call runs its callee's prologue inline (OP_call), which must
 * then be a plain OP_enter: calls of functions with a constant pool become
 * OP_call_pool. Known only once every function is compiled. */
static void fix_call_sites(compiler *c)
{
    const void *enter_pool = c->handlers[OP_enter_pool], *call_pool = c->handlers[OP_call_pool];
    for (uint32_t i = 0; i < c->ncall_sites; i++) {
        uint32_t *w = &c->code[c->call_sites[i]];
        uint64_t cfp;
        memcpy(&cfp, w + 3, sizeof cfp);
        const cfunc *cf = (const cfunc *)(uintptr_t)cfp;
        const void *h;
        memcpy(&h, &c->code[(uintptr_t)cf->code], sizeof h); /* an offset still */
        if (h == enter_pool)
            memcpy(w, &call_pool, sizeof call_pool);
    }
}

/* Sets up params + declared locals with their slots. */
static bool setup_locals(compiler *c, const functype *t, const func_body *b)
{
    uint32_t n = t->nparams + b->nlocals;
    free(c->local_types);
    free(c->local_slots);
    c->local_types = malloc((n ? n : 1) * sizeof(valtype));
    c->local_slots = malloc((n ? n : 1) * sizeof(uint32_t));
    if (!c->local_types || !c->local_slots)
        return false;
    if (t->nparams)
        memcpy(c->local_types, functype_params(t), t->nparams);
    if (b->nlocals)
        memcpy(c->local_types + t->nparams, b->local_types, b->nlocals);
    uint32_t slot = 0;
    for (uint32_t i = 0; i < n; i++) {
        c->local_slots[i] = slot;
        slot += valtype_slots(c->local_types[i]);
    }
    c->nlocals = n;
    c->nlocal_slots = slot;
    return true;
}

/* Compiles (or only validates) defined function `idx`. On success returns
 * NULL and, when emitting, fills cf (code holds an offset until relocated). */
static weft_error *compile_one(compiler *c, uint32_t idx, cfunc *cf)
{
    const wmodule *m = c->m;
    uint32_t fi = m->nfunc_imports + idx;
    const func_body *b = &m->bodies[idx];
    c->func_index = fi;
    c->type = wmodule_func_type(m, fi);
    c->ins_start = NULL;
    c->err = NULL;
    c->nvals = c->nctrls = 0;
    c->nlazy = 0;
    c->makes_calls = false;
    c->calls_out = false;
    c->emitted_long = false;
    dispatch_loop_reset(c);
    reader_init(&c->r, m->bytes, m->bytes + b->offset, m->bytes + b->end);
    if (!setup_locals(c, c->type, b))
        return error_new(WEFT_ERROR_RESOURCE, -1, fi, "out of memory");
    /* Constant pool slots (see compile.h) sit between the locals and the
     * operand stack; a body too short for a loop with constants gets few. */
    uint32_t body_bytes = (uint32_t)(b->end - b->offset);
    c->pool_cap = c->validate_only ? 0 : body_bytes / POOL_BODY_BYTES_PER_SLOT;
    if (c->pool_cap > POOL_MAX)
        c->pool_cap = POOL_MAX;
    c->npool = 0;
    c->nloops = 0;
    c->temp_base = c->nlocal_slots + c->pool_cap;
    c->max_slot = c->temp_base;
    size_t start = c->len;
    if (setjmp(c->fail)) {
        c->len = start;
        return c->err;
    }
    size_t enter = 0;
    label_here(c); /* nothing before the function can be rewritten */
    if (!c->validate_only) {
        c->emitting = true;
        enter = emit_op(c, OP_enter);
        emit_w(c, enter + 2, c->type->param_slots);
        emit_w(c, enter + 3, c->nlocal_slots - c->type->param_slots);
        emit_fuel_charge(c);
    }
    compile_function_body(c);
    if (!c->validate_only) {
        uint32_t frame = c->max_slot;
        if (frame < c->type->result_slots)
            frame = c->type->result_slots;
        /* The prologue zeroes the declared locals ENTER_ZERO_BLOCK slots at a
         * time (see OP_enter); the frame covers the rounded-up range. */
        uint32_t zero = c->nlocal_slots - c->type->param_slots;
        zero = (zero + ENTER_ZERO_BLOCK - 1) / ENTER_ZERO_BLOCK * ENTER_ZERO_BLOCK;
        if (frame < c->type->param_slots + zero)
            frame = c->type->param_slots + zero;
        emit_w(c, enter + 3, zero);
        emit_w(c, enter + 4, frame);
        if (c->npool) {
            /* The pool's values, after the last instruction (never run). */
            size_t at = emit_op(c, OP_pool);
            emit_w(c, at + 2, c->nlocal_slots);
            emit_w(c, at + 3, c->npool);
            size_t vals = emit_words(c, 2 * (size_t)c->npool);
            for (uint32_t i = 0; i < c->npool; i++)
                emit_w64(c, vals + 2 * i, c->pool_vals[i]);
            emit_w(c, enter + 5, (uint32_t)(at - enter));
            const void *h = c->handlers[OP_enter_pool];
            memcpy(&c->code[enter], &h, sizeof h);
        }
        cf->code = (const uint32_t *)(uintptr_t)start; /* relocated later */
        cf->frame_slots = frame;
        cf->param_slots = c->type->param_slots;
        cf->result_slots = c->type->result_slots;
        cf->index = fi;
        cf->makes_calls = c->makes_calls;
        cf->words = (uint32_t)(c->len - start);
        /* So far: call_graph_finish follows the calls. */
        cf->reaches_host = c->calls_out;
        cf->brief = !c->emitted_long && cf->words <= BRIEF_MAX_WORDS;
        cf->type = c->type;
    }
    return NULL;
}

weft_error *compile_module(weft_module *wm)
{
    const wmodule *m = &wm->m;
    uint32_t ndefined = m->nfuncs - m->nfunc_imports;
    wm->cfuncs = calloc(ndefined ? ndefined : 1, sizeof(cfunc));
    if (!wm->cfuncs)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    compiler c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.wm = wm;
    c.handlers = interp_handlers();
    c.long_ops = op_long_table();
    weft_error *err = NULL;
    for (uint32_t i = 0; i < ndefined && !err; i++) {
        err = compile_one(&c, i, &wm->cfuncs[i]);
        wm->cfuncs[i].module = wm;
    }
    if (!err) {
        fix_call_sites(&c);
        call_graph_finish(&c.graph, wm->cfuncs, ndefined);
    }
    compiler_free(&c);
    if (err) {
        free(c.code);
        return err;
    }
    /* Shrink to fit and turn offsets into addresses. */
    uint32_t *code = c.code;
    if (c.len) {
        code = realloc(c.code, c.len * sizeof(uint32_t));
        if (!code)
            code = c.code;
    }
    wm->code = code;
    wm->code_len = c.len;
    for (uint32_t i = 0; i < ndefined; i++)
        wm->cfuncs[i].code = code + (uintptr_t)wm->cfuncs[i].code;
    return NULL;
}

weft_error *validate_bodies(const wmodule *m, uint32_t features)
{
    (void)features;
    compiler c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.validate_only = true;
    c.long_ops = op_long_table();
    weft_error *err = NULL;
    cfunc dummy;
    for (uint32_t i = 0; i < m->nfuncs - m->nfunc_imports && !err; i++)
        err = compile_one(&c, i, &dummy);
    compiler_free(&c);
    return err;
}
