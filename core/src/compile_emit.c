/* compile_emit.c — the compiler's operand model, control frames, code buffer
 * and branch patching. See compile.h for the model. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "error.h"

void cfail(compiler *c, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int64_t off = c->ins_start ? (int64_t)(c->ins_start - c->r.base) : (int64_t)reader_offset(&c->r);
    c->err = error_new(WEFT_ERROR_VALIDATE, off, c->func_index, "%s", msg);
    longjmp(c->fail, 1);
}

void *grow_array(compiler *c, void *arr, uint32_t *cap, size_t elem, uint32_t need)
{
    if (need <= *cap)
        return arr;
    uint32_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(arr, (size_t)ncap * elem);
    if (!p) {
        c->err = error_new(WEFT_ERROR_RESOURCE, -1, c->func_index, "out of memory");
        longjmp(c->fail, 1);
    }
    *cap = ncap;
    return p;
}

void note_call_site(compiler *c, size_t at)
{
    c->call_sites = grow_array(c, c->call_sites, &c->call_sites_cap, sizeof(uint32_t),
                               c->ncall_sites + 1);
    c->call_sites[c->ncall_sites++] = (uint32_t)at;
}

uint32_t *scratch_words(compiler *c, uint32_t n)
{
    c->scratch = grow_array(c, c->scratch, &c->scratch_cap, sizeof(uint32_t), n);
    return c->scratch;
}

/* ------------------------------------------------------------ frames */

cframe *top_frame(compiler *c) { return &c->ctrls[c->nctrls - 1]; }

void update_emitting(compiler *c)
{
    c->emitting = !c->validate_only && c->nctrls > 0 && top_frame(c)->live;
}

cframe *label_frame(compiler *c, uint32_t depth)
{
    if (depth >= c->nctrls)
        cfail(c, "unknown label");
    return &c->ctrls[c->nctrls - 1 - depth];
}

uint32_t label_arity(const cframe *f) { return f->kind == FR_LOOP ? f->nparams : f->nresults; }
const valtype *label_types(const cframe *f) { return f->kind == FR_LOOP ? f->params : frame_results(f); }

uint32_t stack_top_pos(const compiler *c)
{
    if (c->nvals == 0)
        return c->temp_base;
    const ventry *e = &c->vals[c->nvals - 1];
    return e->pos + valtype_slots(e->type);
}

cframe *push_frame(compiler *c, frame_kind kind, uint32_t nparams, const valtype *params,
                   uint32_t nresults, const valtype *results)
{
    if (c->nctrls >= LIMIT_NESTING)
        cfail(c, "nesting too deep (limit %u)", LIMIT_NESTING);
    bool live = c->nctrls == 0 ? true : top_frame(c)->live;
    c->ctrls = grow_array(c, c->ctrls, &c->ctrls_cap, sizeof(cframe), c->nctrls + 1);
    cframe *f = &c->ctrls[c->nctrls++];
    memset(f, 0, sizeof *f);
    f->kind = (uint8_t)kind;
    f->live = live;
    f->entry_live = live;
    f->nparams = nparams;
    f->params = params;
    f->nresults = nresults;
    f->results = results;
    /* The params are on the stack already: the frame's height is below them. */
    if (c->nvals < nparams)
        cfail(c, "type mismatch");
    f->height = c->nvals - nparams;
    f->slot_base = f->height == 0 ? c->temp_base
                                  : c->vals[f->height - 1].pos +
                                        valtype_slots(c->vals[f->height - 1].type);
    update_emitting(c);
    return f;
}

/* ------------------------------------------------------------ operands */

ventry *push_val(compiler *c, valtype t)
{
    uint32_t pos = stack_top_pos(c);
    c->vals = grow_array(c, c->vals, &c->vals_cap, sizeof(ventry), c->nvals + 1);
    ventry *e = &c->vals[c->nvals++];
    e->type = t;
    e->kind = K_TEMP;
    e->pos = pos;
    e->local = 0;
    e->cval = 0;
    uint32_t top = pos + valtype_slots(t);
    if (top > c->max_slot)
        c->max_slot = top;
    return e;
}

void push_const(compiler *c, valtype t, uint64_t bits)
{
    ventry *e = push_val(c, t);
    e->kind = K_CONST;
    e->cval = bits;
}

void push_local(compiler *c, uint32_t local_index)
{
    ventry *e = push_val(c, c->local_types[local_index]);
    e->kind = K_LOCAL;
    e->local = c->local_slots[local_index];
    c->nlazy++;
}

ventry pop_val(compiler *c)
{
    cframe *f = top_frame(c);
    if (c->nvals == f->height) {
        if (f->unreachable) {
            ventry u = {.type = VT_UNKNOWN, .kind = K_TEMP, .pos = stack_top_pos(c)};
            return u;
        }
        cfail(c, "type mismatch");
    }
    ventry e = c->vals[--c->nvals];
    if (vkind_lazy(e.kind))
        c->nlazy--;
    return e;
}

ventry pop_expect(compiler *c, valtype t)
{
    ventry e = pop_val(c);
    if (e.type != t && e.type != VT_UNKNOWN && t != VT_UNKNOWN)
        cfail(c, "type mismatch");
    return e;
}

void pop_vals_expect(compiler *c, uint32_t n, const valtype *types)
{
    for (uint32_t i = n; i-- > 0;)
        pop_expect(c, types[i]);
}

void push_vals(compiler *c, uint32_t n, const valtype *types)
{
    for (uint32_t i = 0; i < n; i++)
        push_val(c, types[i]);
}

/* ------------------------------------------------------------ code buffer */

static void reserve_code(compiler *c, size_t words)
{
    if (c->len + words <= c->cap)
        return;
    size_t ncap = c->cap ? c->cap * 2 : 4096;
    while (ncap < c->len + words)
        ncap *= 2;
    uint32_t *p = realloc(c->code, ncap * sizeof(uint32_t));
    if (!p) {
        c->err = error_new(WEFT_ERROR_RESOURCE, -1, c->func_index, "out of memory");
        longjmp(c->fail, 1);
    }
    c->code = p;
    c->cap = ncap;
}

size_t emit_op(compiler *c, op o)
{
    /* br_table's entries are reserved by its emitter; everything else fits.
     * Operands are zeroed MAX_OPERAND_WORDS at a time (a fixed-size memset
     * is a few stores; this runs once per instruction compiled). */
    reserve_code(c, HANDLER_WORDS + MAX_OPERAND_WORDS);
    size_t start = c->len;
    const void *h = c->handlers[o];
    memcpy(&c->code[start], &h, sizeof h);
    memset(&c->code[start + HANDLER_WORDS], 0, MAX_OPERAND_WORDS * sizeof(uint32_t));
    c->len += op_words[o];
    c->emitted_long |= c->long_ops[o] && op_shape[o] != SH_CALL; /* call_graph.h */
    forget_last(c);
    c->cur_op = o;
    c->prev_start = c->cur_start;
    c->cur_start = start;
    return start;
}

size_t emit_words(compiler *c, size_t n)
{
    reserve_code(c, n);
    size_t start = c->len;
    memset(&c->code[start], 0, n * sizeof(uint32_t));
    c->len += n;
    label_here(c); /* raw words: no instruction before the next one */
    return start;
}


void emit_copy(compiler *c, valtype t, uint32_t dst, uint32_t src)
{
    if (dst == src || !c->emitting)
        return;
    if (t != VT_V128 && c->last.has_dst && c->last.end == c->len && c->last.op == OP_copy) {
        /* copy d1 a1; copy d2 a2 -> copy2 d1 a1 d2 a2 (one dispatch) */
        uint32_t d1 = c->code[c->last.start + 2], a1 = c->code[c->last.start + 3];
        size_t at = emit_op_over_last(c, OP_copy2);
        emit_w(c, at + 2, d1);
        emit_w(c, at + 3, a1);
        emit_w(c, at + 4, dst);
        emit_w(c, at + 5, src);
        set_last_dst(c, at, dst);
        c->last.dst_word = at + 4;
        return;
    }
    if (t != VT_V128 && last_is_step_into(c, src)) {
        /* a step whose result is kept in two slots (a loop's variable and
         * its copy): one dispatch */
        size_t at = emit_step_with(c, OP_i32_add_imm_copy, dst);
        set_last_dst(c, at, dst);
        c->last.dst_word = at + 5;
        return;
    }
    size_t at = emit_op(c, t == VT_V128 ? OP_copy128 : OP_copy);
    emit_w(c, at + 2, dst);
    emit_w(c, at + 3, src);
    if (t != VT_V128)
        set_last_dst(c, at, dst);
}

void emit_const(compiler *c, valtype t, uint32_t dst, uint64_t bits)
{
    (void)t;
    if (!c->emitting)
        return;
    size_t at = emit_op(c, OP_const64);
    emit_w(c, at + 2, dst);
    emit_w64(c, at + 3, bits);
    set_last_dst(c, at, dst);
}

size_t emit_op_over_last(compiler *c, op o)
{
    size_t at = c->last.start, before = c->prev_start;
    c->len = at;
    emit_op(c, o);
    c->prev_start = before;
    return at;
}

bool last_is_step_into(const compiler *c, uint32_t slot)
{
    const last_ins *l = &c->last;
    return l->has_dst && l->end == c->len && l->op == OP_i32_add_imm &&
           l->dst_word == l->start + 2 && l->dst == slot;
}

size_t emit_step_with(compiler *c, op o, uint32_t x)
{
    const uint32_t *w = &c->code[c->last.start];
    uint32_t d = w[2], a = w[3], k = w[4];
    size_t at = emit_op_over_last(c, o);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, a);
    emit_w(c, at + 4, k);
    emit_w(c, at + 5, x);
    return at;
}

void forget_last(compiler *c)
{
    c->last.end = (size_t)-1;
    c->last.has_dst = false;
    c->last.cmp = -1;
}

void set_last_dst(compiler *c, size_t start, uint32_t dst)
{
    c->last.start = start;
    c->last.end = c->len;
    c->last.op = (uint16_t)c->cur_op;
    c->last.has_dst = true;
    c->last.dst_word = start + 2;
    c->last.dst = dst;
    c->last.cmp = -1;
}

void label_here(compiler *c)
{
    forget_last(c);
    c->label_at = c->len;
    c->cur_start = (size_t)-1;
}

bool prev_is(const compiler *c, op o, size_t end)
{
    size_t at = c->prev_start;
    if (at == (size_t)-1 || at < c->label_at || at + op_words[o] != end)
        return false;
    const void *h;
    memcpy(&h, &c->code[at], sizeof h);
    return h == c->handlers[o];
}

bool restore_last_before(compiler *c)
{
    static const op steps[] = {OP_i32_add_imm, OP_i32_add, OP_i32_add2, OP_i32_add_imm2};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        op o = steps[i];
        if (!prev_is(c, o, c->len))
            continue;
        size_t at = c->prev_start;
        c->cur_start = at;
        c->cur_op = o;
        size_t dst_word = o == OP_i32_add_imm2 || o == OP_i32_add2 ? at + 5 : at + 2;
        set_last_dst(c, at, c->code[dst_word]);
        c->last.dst_word = dst_word;
        return true;
    }
    return false;
}


/* ------------------------------------------------------------ materializing */

/* Emits op o with operand words w[0..n) (w[0] = the slot it writes). */
static void emit_with_dst(compiler *c, op o, const uint32_t *w, uint32_t n)
{
    size_t at = emit_op(c, o);
    for (uint32_t i = 0; i < n; i++)
        emit_w(c, at + 2 + i, w[i]);
    set_last_dst(c, at, w[0]);
}

/* Emits `single` d a x, or, right after another `single` still last, both
 * as one `pair` (d1 a1 x1 d a x, run in order): two steps in a row (pointer
 * bumps, counters), two adds of slots (address computations, sums of
 * several terms) are one dispatch. */
static void emit_paired(compiler *c, op single, op pair, uint32_t d, uint32_t a, uint32_t x)
{
    const last_ins *l = &c->last;
    if (l->has_dst && l->end == c->len && l->op == single && l->dst_word == l->start + 2) {
        size_t at = l->start, before = c->prev_start;
        uint32_t w[6] = {c->code[at + 2], c->code[at + 3], c->code[at + 4], d, a, x};
        c->len = at;
        emit_with_dst(c, pair, w, 6);
        c->prev_start = before;
        c->last.dst = d;
        c->last.dst_word = at + 5;
        return;
    }
    emit_with_dst(c, single, (uint32_t[]){d, a, x}, 3);
}

/* s[dst] = (u32)(s[src] + k) */
static void emit_addk(compiler *c, uint32_t dst, uint32_t src, uint32_t k)
{
    if (k == 0) {
        emit_copy(c, VT_I32, dst, src);
        return;
    }
    if (c->emitting)
        emit_paired(c, OP_i32_add_imm, OP_i32_add_imm2, dst, src, k);
}

void emit_add(compiler *c, uint32_t dst, uint32_t a, uint32_t b)
{
    emit_paired(c, OP_i32_add, OP_i32_add2, dst, a, b);
}

/* s[dst] = the K_ADDR entry e's value. */
static void emit_addr(compiler *c, uint32_t dst, const ventry *e)
{
    uint32_t a = e->local, k = (uint32_t)e->cval;
    if (!e->has_b) {
        emit_addk(c, dst, a, k);
    } else if (!c->emitting) {
        return;
    } else if (a == NO_SLOT) { /* (s[b] << sh) + k */
        emit_with_dst(c, OP_i32_shl_imm, (uint32_t[]){dst, e->b, e->sh}, 3);
        emit_addk(c, dst, dst, k);
    } else if (e->sh == 0 && k == 0) {
        emit_add(c, dst, a, e->b);
    } else {
        emit_with_dst(c, OP_lea, (uint32_t[]){dst, a, e->b, e->sh, k}, 5);
    }
}

void materialize_to(compiler *c, const ventry *e, uint32_t dst)
{
    switch (e->kind) {
    case K_CONST: emit_const(c, e->type, dst, e->cval); break;
    case K_ADDR: emit_addr(c, dst, e); break;
    case K_LOCAL: emit_copy(c, e->type, dst, e->local); break;
    default: emit_copy(c, e->type, dst, e->pos); break;
    }
}

void materialize(compiler *c, ventry *e)
{
    if (e->kind == K_TEMP)
        return;
    materialize_to(c, e, e->pos);
    if (vkind_lazy(e->kind))
        c->nlazy--;
    e->kind = K_TEMP;
}

void materialize_all_lazy(compiler *c)
{
    for (uint32_t i = 0; i < c->nvals && c->nlazy > 0; i++)
        if (vkind_lazy(c->vals[i].kind))
            materialize(c, &c->vals[i]);
}

void materialize_local_refs(compiler *c, uint32_t local_slot)
{
    if (c->nlazy == 0)
        return;
    for (uint32_t i = 0; i < c->nvals; i++)
        if (entry_reads(&c->vals[i], local_slot))
            materialize(c, &c->vals[i]);
}

/* The pool slot holding constant e, if it is in a loop and fits the pool. */
static bool pool_slot(compiler *c, const ventry *e, uint32_t *slot)
{
    if (!c->emitting || c->nloops == 0 || valtype_slots(e->type) != 1)
        return false;
    uint32_t i = 0;
    while (i < c->npool && c->pool_vals[i] != e->cval)
        i++;
    if (i == c->npool) {
        if (c->npool == c->pool_cap)
            return false;
        c->pool_vals[c->npool++] = e->cval;
    }
    *slot = c->nlocal_slots + i;
    return true;
}

uint32_t src_slot_slow(compiler *c, const ventry *e)
{
    uint32_t pooled;
    if (e->kind == K_CONST && pool_slot(c, e, &pooled))
        return pooled;
    if (e->kind == K_CONST || e->kind == K_ADDR) {
        materialize_to(c, e, e->pos);
        return e->pos;
    }
    return e->kind == K_LOCAL ? e->local : e->pos;
}

uint32_t slot_of(compiler *c, ventry *e) { return src_slot(c, e); }

bool entry_reads(const ventry *e, uint32_t s)
{
    if (e->kind == K_LOCAL)
        return e->local == s;
    return e->kind == K_ADDR && (e->local == s || (e->has_b && e->b == s));
}

/* ------------------------------------------------------------ labels */

void link_branch(compiler *c, cframe *target, size_t site)
{
    if (!c->emitting)
        return;
    if (target->kind == FR_LOOP) {
        c->code[site] = (uint32_t)(int32_t)((int64_t)target->loop_head - (int64_t)site);
        return;
    }
    c->code[site] = (uint32_t)target->fwd_patches;
    target->fwd_patches = site;
    target->reached = true;
}

void bind_label(compiler *c, size_t chain, size_t target)
{
    while (chain) {
        size_t next = c->code[chain];
        c->code[chain] = (uint32_t)(int32_t)((int64_t)target - (int64_t)chain);
        chain = next;
    }
    label_here(c); /* control merges here: earlier code can't be rewritten */
}

bool values_in_place(compiler *c, cframe *target, uint32_t n)
{
    if (n == 0)
        return true;
    return c->nvals >= n && c->vals[c->nvals - n].pos == target->slot_base;
}

void copy_to_label(compiler *c, cframe *target, uint32_t n)
{
    /* Sources sit at or above their destinations (the label is at or below
     * the stack top), so ascending copies never clobber a later source. */
    uint32_t dst = target->slot_base;
    for (uint32_t i = c->nvals - n; i < c->nvals; i++) {
        ventry *e = &c->vals[i];
        materialize_to(c, e, dst);
        dst += valtype_slots(e->type);
    }
}

void emit_return(compiler *c)
{
    uint32_t n = c->type->nresults;
    if (!c->emitting)
        return;
    if (n == 1 && c->type->result_slots == 1) {
        ventry *e = &c->vals[c->nvals - 1];
        uint32_t src = slot_of(c, e);
        if (src == 0) {
            emit_op(c, OP_ret);
        } else {
            size_t at = emit_op(c, OP_ret1);
            emit_w(c, at + 2, src);
        }
        return;
    }
    /* Results go to slots [0, result_slots): the params' and locals' slots. A
     * lazy local source below that range could be overwritten before it is
     * read, so such entries are first copied to their own stack slots. */
    uint32_t dst = 0;
    for (uint32_t i = c->nvals - n; i < c->nvals; i++) {
        ventry *e = &c->vals[i];
        bool low = e->kind == K_ADDR
                       ? (e->local != NO_SLOT && e->local < c->type->result_slots) ||
                             (e->has_b && e->b < c->type->result_slots)
                       : e->kind == K_LOCAL && e->local < c->type->result_slots;
        if (low && !(e->kind == K_LOCAL && e->local == dst))
            materialize(c, e);
        dst += valtype_slots(e->type);
    }
    dst = 0;
    for (uint32_t i = c->nvals - n; i < c->nvals; i++) {
        ventry *e = &c->vals[i];
        materialize_to(c, e, dst);
        dst += valtype_slots(e->type);
    }
    emit_op(c, OP_ret);
}

void emit_fuel_charge(compiler *c)
{
    if (c->emitting && c->wm && c->wm->engine->config.fuel)
        emit_op(c, OP_fuel);
}
