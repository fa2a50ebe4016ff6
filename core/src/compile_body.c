/* compile_body.c — validates one function body and translates it to threaded
 * code in the same walk. Validation follows the algorithm of the spec's
 * appendix (operand and control stacks, polymorphic stack after
 * unconditional branches); every error names the instruction's offset.
 * Numeric instructions are table-driven (compile_numeric.c). */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "compile_numeric.h"

/* --------------------------------------------------------------- reading */

void check_reader(compiler *c)
{
    if (c->r.err) {
        c->err = error_new(WEFT_ERROR_DECODE, (int64_t)c->r.err_offset, c->func_index, "%s",
                           c->r.err);
        longjmp(c->fail, 1);
    }
}

uint8_t rd_u8(compiler *c)
{
    uint8_t v = read_u8(&c->r);
    check_reader(c);
    return v;
}

uint32_t rd_u32(compiler *c)
{
    uint32_t v = read_u32(&c->r);
    check_reader(c);
    return v;
}

static void rd_zero_byte(compiler *c)
{
    if (rd_u8(c) != 0)
        cfail(c, "zero byte expected");
}

static valtype rd_reftype(compiler *c)
{
    uint8_t t = rd_u8(c);
    if (t != VT_FUNCREF && t != VT_EXTERNREF)
        cfail(c, "malformed reference type");
    return t;
}

static bool is_valtype(uint8_t t)
{
    return t == VT_I32 || t == VT_I64 || t == VT_F32 || t == VT_F64 || t == VT_V128 ||
           t == VT_FUNCREF || t == VT_EXTERNREF;
}

/* Reads a block type into the frame-to-be's param/result lists. */
static void rd_blocktype(compiler *c, uint32_t *np, const valtype **p, uint32_t *nr,
                         const valtype **r, valtype *single)
{
    *np = 0;
    *p = NULL;
    /* 0x40 and value types are single bytes; anything else is an s33 index. */
    uint8_t first = c->r.p < c->r.end ? *c->r.p : 0;
    if (first == 0x40) {
        c->r.p++;
        *nr = 0;
        *r = NULL;
        return;
    }
    if (is_valtype(first)) {
        c->r.p++;
        *single = first;
        *nr = 1;
        *r = single;
        return;
    }
    int64_t bt = read_s33(&c->r);
    check_reader(c);
    if (bt < 0)
        cfail(c, "malformed value type");
    if ((uint64_t)bt >= c->m->ntypes)
        cfail(c, "unknown type");
    const functype *ft = &c->m->types[bt];
    *np = ft->nparams;
    *p = functype_params(ft);
    *nr = ft->nresults;
    *r = functype_results(ft);
}

/* ------------------------------------------------------- stack checking */

static void truncate_to(compiler *c, uint32_t height)
{
    while (c->nvals > height) {
        if (vkind_lazy(c->vals[c->nvals - 1].kind))
            c->nlazy--;
        c->nvals--;
    }
}

/* Checks that the top n entries have the given types without popping them
 * (entries below the frame are allowed only while stack-polymorphic). */
static void peek_check(compiler *c, uint32_t n, const valtype *types)
{
    cframe *f = top_frame(c);
    for (uint32_t i = 0; i < n; i++) {
        valtype want = types[n - 1 - i];
        if (c->nvals < f->height + 1 + i) {
            if (f->unreachable)
                continue;
            cfail(c, "type mismatch");
        }
        valtype got = c->vals[c->nvals - 1 - i].type;
        if (got != want && got != VT_UNKNOWN)
            cfail(c, "type mismatch");
    }
}

/* Pops n values of the given types and pushes them back, keeping where each
 * one lives (block params stay lazy until materialize_all_lazy). */
static void retype_top(compiler *c, uint32_t n, const valtype *types)
{
    cframe *f = top_frame(c);
    peek_check(c, n, types);
    if (c->nvals - f->height < n) {
        /* Stack-polymorphic (dead code, nothing is emitted): rebuild as temps. */
        truncate_to(c, f->height);
        push_vals(c, n, types);
        return;
    }
    for (uint32_t i = 0; i < n; i++)
        c->vals[c->nvals - n + i].type = types[i];
}

/* Everything after an unconditional branch is unreachable. */
static void set_unreachable(compiler *c)
{
    cframe *f = top_frame(c);
    truncate_to(c, f->height);
    f->unreachable = true;
    f->live = false;
    update_emitting(c);
}

/* Materializes the top n entries into their own slots. */
static void materialize_top(compiler *c, uint32_t n)
{
    uint32_t from = c->nvals >= n ? c->nvals - n : 0;
    for (uint32_t i = from; i < c->nvals; i++)
        materialize(c, &c->vals[i]);
}

/* ------------------------------------------------------- conditions */

/* A branch condition: either an i32 in a slot, or a compare that was just
 * emitted and is fused into the branch instead. */
typedef struct cond {
    int cmp; /* -1: plain slot */
    bool is64, imm;
    uint32_t a, b;
    uint64_t immv;
} cond;

/* The branch's condition is eqz of a value that an eqz just before
 * computed into a temp (Go's wasm code tests booleans that way: i64.eqz,
 * then i32.eqz or i64.extend_i32_u and i64.eqz): eqz(eqz(x)) is x != 0, so
 * the branch tests x and the inner eqz goes too. */
static bool fold_inner_eqz(compiler *c, cond *k)
{
    bool is64 = prev_is(c, OP_i64_eqz, c->len);
    size_t at = c->prev_start;
    if ((!is64 && !prev_is(c, OP_i32_eqz, c->len)) || k->a < c->nlocal_slots ||
        c->code[at + 2] != k->a)
        return false;
    k->a = c->code[at + 3];
    k->is64 = is64;
    k->cmp = -1; /* plain: x != 0 */
    c->len = at;
    label_here(c); /* nothing before may be rewritten now */
    return true;
}

static cond take_cond(compiler *c)
{
    cond k = {.cmp = -1};
    ventry e = pop_expect(c, VT_I32);
    if (!c->emitting)
        return k;
    if (c->last.cmp >= 0 && c->last.end == c->len && e.kind == K_TEMP && c->last.dst == e.pos) {
        k.cmp = c->last.cmp;
        k.is64 = c->last.cmp64;
        k.imm = c->last.cmp_imm;
        k.a = c->last.cmp_a;
        k.b = c->last.cmp_b;
        k.immv = c->last.cmp_immv;
        c->len = c->last.start; /* the compare is folded into the branch */
        forget_last(c);
        if (k.cmp == CMP_EQZ && fold_inner_eqz(c, &k))
            return k;
        restore_last_before(c); /* a counter step before it may fuse too */
        return k;
    }
    k.a = src_slot(c, &e);
    return k;
}

_Static_assert(OP_br_inc_ge_u_imm_bk - OP_br_inc_eq_bk == 2 * CMP_GE_U + 1 &&
                   OP_br_add_ge_u_imm_bk - OP_br_add_eq_imm_bk == CMP_GE_U,
               "BRINC_ALL and BRADD_ALL list the comparisons in CMP_ order");


/* A loop back-edge whose i32 condition tests the slot the instruction just
 * before wrote with i32_add_imm (the counter's step): both become one
 * br_inc op. Returns its offset word's site, or 0 when the shapes differ. */
static size_t fuse_counter_step(compiler *c, const cond *k, bool when)
{
    const last_ins *l = &c->last;
    if (k->is64 || !l->has_dst || l->end != c->len || l->dst != k->a ||
        !((l->op == OP_i32_add_imm && l->dst_word == l->start + 2) ||
          (l->op == OP_i32_add && l->dst_word == l->start + 2) ||
          ((l->op == OP_i32_add_imm2 || l->op == OP_i32_add2) && l->dst_word == l->start + 5)))
        return 0;
    op o;
    if (l->op == OP_i32_add || l->op == OP_i32_add2) {
        /* a step by a slot: only against an immediate bound */
        if (k->cmp < 0 || k->cmp >= CMP_EQZ || !k->imm)
            return 0;
        o = (op)(OP_br_add_eq_imm_bk + (when ? k->cmp : cmp_negated(k->cmp)));
    } else if (k->cmp < 0 && when) {
        o = OP_br_inc_nz_bk;
    } else if (k->cmp >= 0 && k->cmp < CMP_EQZ) {
        int cmp = when ? k->cmp : cmp_negated(k->cmp);
        o = (op)(OP_br_inc_eq_bk + cmp * 2 + (k->imm ? 1 : 0));
    } else {
        return 0;
    }
    size_t at = l->start;
    uint32_t d, a, step;
    if (l->op == OP_i32_add_imm2 || l->op == OP_i32_add2) {
        /* the first step stays an i32_add_imm (i32_add), the second joins
         * the branch */
        op first_op = l->op == OP_i32_add2 ? OP_i32_add : OP_i32_add_imm;
        uint32_t d1 = c->code[at + 2], a1 = c->code[at + 3], k1 = c->code[at + 4];
        d = c->code[at + 5];
        a = c->code[at + 6];
        step = c->code[at + 7];
        c->len = at;
        size_t first = emit_op(c, first_op);
        emit_w(c, first + 2, d1);
        emit_w(c, first + 3, a1);
        emit_w(c, first + 4, k1);
        at = c->len;
    } else {
        d = c->code[at + 2];
        a = c->code[at + 3];
        step = c->code[at + 4];
        c->len = at;
    }
    emit_op(c, o);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, a);
    emit_w(c, at + 4, step);
    if (o == OP_br_inc_nz_bk)
        return at + 5;
    emit_w(c, at + 5, k->imm ? (uint32_t)k->immv : k->b);
    return at + 6;
}

/* Emits a branch taken when the condition is `when` (true/false); returns
 * the site of its offset word. `back` selects the polling variant. */
static size_t emit_cond_branch(compiler *c, const cond *k, bool when, bool back)
{
    size_t at, site;
    if (back && (site = fuse_counter_step(c, k, when)) != 0)
        return site;
    if (k->cmp == CMP_EQZ || k->cmp < 0) {
        /* plain: branch when the value is nonzero; eqz fused: when zero. */
        bool on_nonzero = (k->cmp < 0) == when;
        op o = on_nonzero ? (k->is64 ? OP_br_nz64 : OP_br_nz) : (k->is64 ? OP_br_z64 : OP_br_z);
        if (back)
            o = (op)(o + 2); /* br_nz -> br_nz_bk etc. (see ops.h order) */
        at = emit_op(c, o);
        emit_w(c, at + 2, k->a);
        site = at + 3;
        return site;
    }
    int cmp = when ? k->cmp : cmp_negated(k->cmp);
    op o = (op)(OP_br_i32_eq + cmp * 8 + (k->is64 ? 2 : 0) + (k->imm ? 1 : 0) + (back ? 4 : 0));
    at = emit_op(c, o);
    emit_w(c, at + 2, k->a);
    if (!k->imm) {
        emit_w(c, at + 3, k->b);
        site = at + 4;
    } else if (!k->is64) {
        emit_w(c, at + 3, (uint32_t)k->immv);
        site = at + 4;
    } else {
        emit_w64(c, at + 3, k->immv);
        site = at + 5;
    }
    return site;
}

static size_t emit_br(compiler *c, bool back)
{
    size_t at = emit_op(c, back ? OP_br_bk : OP_br);
    return at + 2;
}

/* Unconditional branch to a label, copying its values. */
static void branch_to(compiler *c, cframe *target)
{
    if (!c->emitting)
        return;
    uint32_t n = label_arity(target);
    copy_to_label(c, target, n);
    link_branch(c, target, emit_br(c, target->kind == FR_LOOP));
}

/* --------------------------------------------------------- control */

static void do_block(compiler *c, frame_kind kind)
{
    uint32_t np, nr;
    const valtype *p, *r;
    valtype single;
    rd_blocktype(c, &np, &p, &nr, &r, &single);
    retype_top(c, np, p);
    /* Params live in their own slots: loop back-edges and the else branch
     * re-enter with them there. Lazy entries below must not see a local
     * change on only some paths through the block. */
    materialize_top(c, np);
    materialize_all_lazy(c);
    cframe *f = push_frame(c, kind, np, p, nr, r);
    if (r == &single) {
        f->single = single;
        f->results = NULL; /* see frame_results() */
    }
    if (kind == FR_LOOP) {
        c->nloops++;
        f->loop_head = c->len;
        label_here(c);
        emit_fuel_charge(c);
    }
}

static void do_if(compiler *c)
{
    uint32_t np, nr;
    const valtype *p, *r;
    valtype single;
    rd_blocktype(c, &np, &p, &nr, &r, &single);
    cond k = take_cond(c);
    retype_top(c, np, p);
    materialize_top(c, np);
    materialize_all_lazy(c);
    size_t site = 0;
    if (c->emitting)
        site = emit_cond_branch(c, &k, false, false);
    cframe *f = push_frame(c, FR_IF, np, p, nr, r);
    if (r == &single) {
        f->single = single;
        f->results = NULL; /* see frame_results() */
    }
    f->else_site = site;
    if (site)
        c->code[site] = 0;
}

/* Checks the frame's results are exactly what is on the stack. */
static void check_frame_end(compiler *c, cframe *f)
{
    peek_check(c, f->nresults, frame_results(f));
    if (c->nvals > f->height + f->nresults)
        cfail(c, "type mismatch");
}

static void do_else(compiler *c)
{
    cframe *f = top_frame(c);
    if (f->kind != FR_IF)
        cfail(c, "else without matching if");
    check_frame_end(c, f);
    if (c->emitting) {
        materialize_top(c, f->nresults);
        link_branch(c, f, emit_br(c, false));
    }
    truncate_to(c, f->height);
    for (uint32_t i = 0; i < f->nparams; i++)
        push_val(c, f->params[i]);
    if (f->else_site) {
        bind_label(c, f->else_site, c->len);
        f->else_site = 0;
    }
    f->kind = FR_ELSE;
    f->unreachable = false;
    f->live = f->entry_live;
    update_emitting(c);
}

/* Returns true when the function's final `end` was reached. */
static bool do_end(compiler *c)
{
    cframe *f = top_frame(c);
    check_frame_end(c, f);
    if (f->kind == FR_IF) {
        /* No else: the false path passes the params through as results. */
        if (f->nparams != f->nresults || !valtypes_equal(f->nparams, f->params, frame_results(f)))
            cfail(c, "type mismatch");
    }
    bool fallthrough = f->live;
    if (f->kind == FR_FUNC) {
        if (fallthrough && !f->reached) {
            emit_return(c); /* straight from wherever the results live */
        } else if (f->reached) {
            /* Branches left the results in the label's slots; join them. */
            if (c->emitting)
                materialize_top(c, f->nresults);
            bind_label(c, f->fwd_patches, c->len);
            truncate_to(c, f->height);
            push_vals(c, f->nresults, frame_results(f));
            c->emitting = !c->validate_only;
            emit_return(c);
        }
        c->nctrls--;
        return true;
    }
    if (c->emitting)
        materialize_top(c, f->nresults);
    bool live_after;
    if (f->kind == FR_LOOP) {
        live_after = fallthrough;
    } else {
        bool else_path = f->kind == FR_IF && f->else_site != 0;
        live_after = f->entry_live && (fallthrough || f->reached || else_path);
        if (f->else_site)
            bind_label(c, f->else_site, c->len);
        bind_label(c, f->fwd_patches, c->len);
    }
    uint32_t nr = f->nresults;
    valtype single = f->single;
    const valtype *r = f->results ? f->results : &single;
    truncate_to(c, f->height);
    if (f->kind == FR_LOOP)
        c->nloops--;
    /* Code after the end is reachable, so emitted (the enclosing frame's). */
    bool live_next = live_after && !c->ctrls[c->nctrls - 2].unreachable;
    dispatch_loop_frame_end(c, live_next);
    c->nctrls--;
    push_vals(c, nr, r);
    top_frame(c)->live = live_next;
    update_emitting(c);
    return false;
}

static void do_br(compiler *c)
{
    cframe *target = label_frame(c, rd_u32(c));
    peek_check(c, label_arity(target), label_types(target));
    if (!dispatch_loop_branch(c, target))
        branch_to(c, target);
    set_unreachable(c);
}

static void do_br_if(compiler *c)
{
    cframe *target = label_frame(c, rd_u32(c));
    cond k = take_cond(c);
    uint32_t n = label_arity(target);
    retype_top(c, n, label_types(target));
    if (!c->emitting)
        return;
    bool back = target->kind == FR_LOOP;
    if (values_in_place(c, target, n)) {
        materialize_top(c, n);
        link_branch(c, target, emit_cond_branch(c, &k, true, back));
        return;
    }
    size_t skip = emit_cond_branch(c, &k, false, false);
    c->code[skip] = 0;
    branch_to(c, target);
    bind_label(c, skip, c->len);
}

static void do_br_table(compiler *c)
{
    uint32_t count = rd_u32(c);
    if (count > LIMIT_BR_TABLE)
        cfail(c, "br_table too large (limit %u)", LIMIT_BR_TABLE);
    if (count > (size_t)(c->r.end - c->r.p))
        cfail(c, "unexpected end");
    uint32_t *depths = scratch_words(c, count + 1);
    for (uint32_t i = 0; i <= count; i++)
        depths[i] = rd_u32(c);
    /* Validation (spec appendix): every label has the default's arity and
     * accepts the operands. */
    ventry idx = pop_expect(c, VT_I32);
    uint32_t arity = label_arity(label_frame(c, depths[count]));
    for (uint32_t i = 0; i <= count; i++) {
        cframe *t = label_frame(c, depths[i]);
        if (label_arity(t) != arity)
            cfail(c, "type mismatch");
        peek_check(c, arity, label_types(t));
    }
    if (c->emitting) {
        dispatch_loop_note_br_table(c, &idx, count, depths);
        uint32_t idx_slot = src_slot(c, &idx);
        materialize_top(c, arity);
        size_t at = emit_op(c, OP_br_table);
        emit_w(c, at + 2, idx_slot);
        emit_w(c, at + 3, count);
        size_t table = emit_words(c, count + 1);
        for (uint32_t i = 0; i <= count; i++) {
            cframe *t = label_frame(c, depths[i]);
            size_t site = table + i;
            /* Not to a loop: br_table does not poll, and a loop it runs
             * would never stop (interrupt, timeout, slice); its stub's
             * br_bk does. */
            if (t->kind != FR_LOOP && values_in_place(c, t, arity)) {
                link_branch(c, t, site);
                continue;
            }
            /* A stub copies the values to the label, then branches. */
            c->code[site] = (uint32_t)(int32_t)((int64_t)c->len - (int64_t)site);
            branch_to(c, t);
        }
    }
    set_unreachable(c);
}

static void do_return(compiler *c)
{
    peek_check(c, c->type->nresults, functype_results(c->type));
    emit_return(c);
    set_unreachable(c);
}

/* --------------------------------------------------------- calls */

/* Puts the call's arguments in their stack slots (the callee's frame starts
 * at the first one) and pops them. Returns the first argument's slot. */
static uint32_t setup_args(compiler *c, const functype *ft)
{
    peek_check(c, ft->nparams, functype_params(ft));
    uint32_t base = 0;
    if (c->emitting) {
        materialize_top(c, ft->nparams);
        base = ft->nparams ? c->vals[c->nvals - ft->nparams].pos : stack_top_pos(c);
    }
    pop_vals_expect(c, ft->nparams, functype_params(ft));
    return base;
}

static void check_tail_results(compiler *c, const functype *ft)
{
    if (ft->nresults != c->type->nresults ||
        !valtypes_equal(ft->nresults, functype_results(ft), functype_results(c->type)))
        cfail(c, "type mismatch");
}

static void do_call(compiler *c, bool tail)
{
    uint32_t fi = rd_u32(c);
    if (fi >= c->m->nfuncs)
        cfail(c, "unknown function %u", fi);
    const functype *ft = wmodule_func_type(c->m, fi);
    if (tail)
        check_tail_results(c, ft);
    uint32_t base = setup_args(c, ft);
    if (c->emitting) {
        c->makes_calls = true;
        if (fi < c->m->nfunc_imports) {
            c->calls_out = true;
            size_t at = emit_op(c, tail ? OP_return_call_import : OP_call_import);
            emit_w(c, at + 2, base);
            emit_w(c, at + 3, fi);
        } else {
            size_t at = emit_op(c, tail ? OP_return_call : OP_call);
            emit_w(c, at + 2, base);
            const cfunc *cf = &c->wm->cfuncs[fi - c->m->nfunc_imports];
            emit_w64(c, at + 3, (uint64_t)(uintptr_t)cf);
            call_graph_add(&c->graph, c->func_index - c->m->nfunc_imports, fi - c->m->nfunc_imports);
            if (!tail)
                note_call_site(c, at);
        }
    }
    if (tail) {
        set_unreachable(c);
        return;
    }
    push_vals(c, ft->nresults, functype_results(ft));
}

static void do_call_indirect(compiler *c, bool tail)
{
    uint32_t ti = rd_u32(c);
    uint32_t table = rd_u32(c);
    if (table >= c->m->ntables)
        cfail(c, "unknown table %u", table);
    if (ti >= c->m->ntypes)
        cfail(c, "unknown type");
    if (c->m->tables[table].elem != VT_FUNCREF)
        cfail(c, "type mismatch");
    const functype *ft = &c->m->types[ti];
    if (tail)
        check_tail_results(c, ft);
    ventry idx = pop_expect(c, VT_I32);
    uint32_t base = setup_args(c, ft);
    if (c->emitting) {
        uint32_t idx_slot = src_slot(c, &idx);
        c->makes_calls = true;
        c->calls_out = true;
        size_t at = emit_op(c, tail ? OP_return_call_indirect : OP_call_indirect);
        emit_w(c, at + 2, base);
        emit_w(c, at + 3, idx_slot);
        emit_w(c, at + 4, table);
        emit_w64(c, at + 5, ft->key);
        emit_w64(c, at + 7, (uint64_t)(uintptr_t)ft);
    }
    if (tail) {
        set_unreachable(c);
        return;
    }
    push_vals(c, ft->nresults, functype_results(ft));
}

/* --------------------------------------------------------- variables */

static uint32_t rd_local(compiler *c)
{
    uint32_t i = rd_u32(c);
    if (i >= c->nlocals)
        cfail(c, "unknown local %u", i);
    return i;
}

/* Before the last instruction is retargeted to write local `slot`, the
 * stack entries still reading the local's old value get it in their own
 * slots, by code placed before that instruction (it reads neither those
 * slots nor writes the local yet), so that it stays last. False if it
 * could not (then nothing changed). */
static bool save_refs_before_last(compiler *c, uint32_t slot)
{
    bool any = false;
    for (uint32_t i = 0; i + 1 < c->nvals && c->nlazy > 0 && !any; i++)
        any = entry_reads(&c->vals[i], slot);
    if (!any)
        return true;
    last_ins saved = c->last;
    /* A fused pair (its destination word is not the first operand) may
     * write the local or read a slot these copies write in its first
     * half: the copies cannot go before it. */
    if (saved.dst_word != saved.start + 2)
        return false;
    uint32_t words[16];
    size_t n = saved.end - saved.start;
    if (n > sizeof words / sizeof words[0])
        return false;
    memcpy(words, &c->code[saved.start], n * sizeof words[0]);
    c->len = saved.start;
    label_here(c);
    materialize_local_refs(c, slot);
    size_t at = emit_words(c, n);
    memcpy(&c->code[at], words, n * sizeof words[0]);
    c->last = saved;
    c->last.start = at;
    c->last.end = c->len;
    c->last.dst_word = saved.dst_word - saved.start + at;
    return true;
}

/* local.set / local.tee: the value goes to the local's slot. When the last
 * instruction computed it, that instruction is rewritten to write the local
 * directly. Stack entries still reading the local's old value are copied to
 * their own slots first. */
static void do_local_set(compiler *c, bool tee)
{
    uint32_t li = rd_local(c);
    valtype t = c->local_types[li];
    uint32_t slot = c->local_slots[li];
    cframe *f = top_frame(c);
    if (c->emitting && c->nvals > f->height) {
        ventry *top = &c->vals[c->nvals - 1];
        if (top->type != t)
            cfail(c, "type mismatch");
        if (!(top->kind == K_LOCAL && top->local == slot)) { /* else: x = x */
            if (!(last_wrote(c, top) && save_refs_before_last(c, slot)))
                materialize_local_refs(c, slot);
            if (last_wrote(c, top)) {
                emit_w(c, c->last.dst_word, slot);
                c->last.dst = slot;
            } else {
                materialize_to(c, top, slot);
            }
        }
    }
    pop_expect(c, t);
    if (tee)
        push_local(c, li); /* the value now lives in the local */
}

static void do_global_get(compiler *c)
{
    uint32_t gi = rd_u32(c);
    if (gi >= c->m->nglobals)
        cfail(c, "unknown global %u", gi);
    valtype t = c->m->globals[gi].type.type;
    ventry *e = push_val(c, t);
    if (!c->emitting)
        return;
    size_t at = emit_op(c, t == VT_V128 ? OP_global_get128 : OP_global_get);
    emit_w(c, at + 2, e->pos);
    emit_w(c, at + 3, gi);
    if (t != VT_V128)
        set_last_dst(c, at, e->pos);
}

static void do_global_set(compiler *c)
{
    uint32_t gi = rd_u32(c);
    if (gi >= c->m->nglobals)
        cfail(c, "unknown global %u", gi);
    const globaltype *g = &c->m->globals[gi].type;
    if (!g->mut)
        cfail(c, "global is immutable");
    ventry v = pop_expect(c, g->type);
    if (!c->emitting)
        return;
    uint32_t s = src_slot(c, &v);
    if (g->type == VT_I32 && last_is_step_into(c, s)) {
        /* The step just made, stored: Go's stack pointer, moved (`sp -= n`
         * into a local, then into global 0) on every call. One dispatch. */
        emit_step_with(c, OP_i32_add_imm_global_set, gi);
        return;
    }
    size_t at = emit_op(c, g->type == VT_V128 ? OP_global_set128 : OP_global_set);
    emit_w(c, at + 2, s);
    emit_w(c, at + 3, gi);
}

/* --------------------------------------------------------- memory */

static void need_memory(compiler *c)
{
    if (c->m->nmems == 0)
        cfail(c, "unknown memory 0");
}

uint32_t rd_memarg(compiler *c, uint32_t natural_log2)
{
    uint32_t align = rd_u32(c);
    uint32_t offset = rd_u32(c);
    need_memory(c);
    if (align > natural_log2)
        cfail(c, "alignment must not be larger than natural");
    return offset;
}

typedef struct memop {
    uint8_t width_log2;
    valtype t;
    int16_t op;
} memop;

/* Loads 0x28..0x35 and stores 0x36..0x3E: value type, width, internal op. */
static const memop loads[] = {
    {2, VT_I32, OP_load32},     {3, VT_I64, OP_load64},     {2, VT_F32, OP_load32},
    {3, VT_F64, OP_load64},     {0, VT_I32, OP_load8_s32},  {0, VT_I32, OP_load8_u},
    {1, VT_I32, OP_load16_s32}, {1, VT_I32, OP_load16_u},   {0, VT_I64, OP_load8_s64},
    {0, VT_I64, OP_load8_u},    {1, VT_I64, OP_load16_s64}, {1, VT_I64, OP_load16_u},
    {2, VT_I64, OP_load32_s64}, {2, VT_I64, OP_load32},
};
static const memop stores[] = {
    {2, VT_I32, OP_store32}, {3, VT_I64, OP_store64}, {2, VT_F32, OP_store32},
    {3, VT_F64, OP_store64}, {0, VT_I32, OP_store8},  {1, VT_I32, OP_store16},
    {0, VT_I64, OP_store8},  {1, VT_I64, OP_store16}, {2, VT_I64, OP_store32},
};

_Static_assert(OP_store16_k - OP_load32_k == OP_store16 - OP_load32 &&
                   OP_store16_s - OP_load32_s == OP_store16 - OP_load32 &&
                   OP_store16_x - OP_load32_x == OP_store16 - OP_load32,
               "MEMORY_OPS families list their ops in one order");

/* Emits the load or store `o` (an op of the MEM family) of d/v at address
 * entry addr + offset, in the addressing mode that fits how the address is
 * held (ops.h, MEMORY_OPS). */
static size_t emit_memop(compiler *c, op o, uint32_t d, const ventry *addr, uint32_t offset)
{
    if (addr->kind == K_ADDR) {
        uint32_t w[6], n = 0;
        op family;
        w[n++] = d;
        if (!addr->has_b) {
            family = OP_load32_k;
            w[n++] = addr->local;
        } else {
            family = addr->local == NO_SLOT ? OP_load32_s : OP_load32_x;
            if (addr->local != NO_SLOT)
                w[n++] = addr->local;
            w[n++] = addr->b;
            w[n++] = addr->sh;
        }
        w[n++] = (uint32_t)addr->cval;
        w[n++] = offset;
        size_t at = emit_op(c, (op)(o - OP_load32 + family));
        for (uint32_t i = 0; i < n; i++)
            emit_w(c, at + 2 + i, w[i]);
        return at;
    }
    uint32_t a = src_slot(c, addr);
    size_t at = emit_op(c, o);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, a);
    emit_w(c, at + 4, offset);
    return at;
}

/* Points addr at (u32)(s[a] + k), computed by the load or store itself. */
static void address_plus(ventry *addr, uint32_t a, uint32_t k)
{
    addr->kind = K_ADDR;
    addr->local = a;
    addr->has_b = false;
    addr->b = NO_SLOT;
    addr->sh = 0;
    addr->cval = k;
}

/* An address the instruction just before computed, folded into the load
 * or store that takes it (the instruction goes):
 * - i32.wrap_i64 (Go's wasm code keeps pointers in i64 and wraps each one
 *   it dereferences): a load or store reads only the low 32 bits of its
 *   address slot, so it can read the i64 itself;
 * - i32_add_imm: (u32)(x + k) is the _k form's address already. A wrapped
 *   i64 sum with a constant comes as one (emit_unary), so it folds too. */
static void unwrap_address(compiler *c, ventry *addr)
{
    const last_ins *l = &c->last;
    if (!last_wrote(c, addr) || l->dst_word != l->start + 2)
        return;
    size_t at = l->start;
    if (l->op == OP_i32_add_imm) {
        address_plus(addr, c->code[at + 3], c->code[at + 4]);
    } else if (l->op == OP_i32_wrap_i64) {
        addr->kind = K_TEMP;
        addr->pos = c->code[at + 3];
    } else {
        return;
    }
    c->len = at;
    label_here(c); /* nothing before may be rewritten now */
}

static void do_load(compiler *c, const memop *mo)
{
    uint32_t offset = rd_memarg(c, mo->width_log2);
    ventry addr = pop_expect(c, VT_I32);
    ventry *r = push_val(c, mo->t);
    if (!c->emitting)
        return;
    unwrap_address(c, &addr);
    uint32_t d = r->pos;
    set_last_dst(c, emit_memop(c, (op)mo->op, d, &addr, offset), d);
}

/* store64 (p + off) of f64_add_m (x, p + off) computed just before: the
 * sum never needs its slot (f64_add_rmw). */
static bool fuse_read_modify_write(compiler *c, op o, const ventry *val, const ventry *addr,
                                   uint32_t offset)
{
    const last_ins *l = &c->last;
    if (o != OP_store64 || !last_wrote(c, val) || l->op != OP_f64_add_m ||
        l->dst_word != l->start + 2 || (addr->kind != K_TEMP && addr->kind != K_LOCAL))
        return false;
    uint32_t a = addr->kind == K_TEMP ? addr->pos : addr->local;
    size_t at = l->start;
    if (c->code[at + 4] != a || c->code[at + 5] != offset)
        return false;
    uint32_t x = c->code[at + 3];
    c->len = at;
    label_here(c);
    at = emit_op(c, OP_f64_add_rmw);
    emit_w(c, at + 2, x);
    emit_w(c, at + 3, a);
    emit_w(c, at + 4, offset);
    return true;
}

/* Bytes a load of the plain or _k family reads (0: o is not one). */
static uint32_t load_width(op o)
{
    static const uint8_t widths[] = {4, 8, 1, 1, 2, 2, 1, 2, 4}; /* MEMORY_OPS' loads */
    size_t i = o >= OP_load32 && o < OP_store32       ? (size_t)(o - OP_load32)
               : o >= OP_load32_k && o < OP_store32_k ? (size_t)(o - OP_load32_k)
                                                      : sizeof widths;
    return i < sizeof widths ? widths[i] : 0;
}

_Static_assert(OP_store32 - OP_load32 == 9 && OP_load16_u - OP_load32 == 5,
               "load_width lists MEMORY_OPS' loads in order");

/* A store of width 2^log2 of the value the load just before read, from an
 * address that needs no code: the value lives in no slot after the store,
 * so the two become one move (memory to memory). */
static bool fuse_memory_move(compiler *c, uint32_t log2, const ventry *val, const ventry *addr,
                             uint32_t offset)
{
    const last_ins *l = &c->last;
    uint32_t width = 1u << log2;
    if (val->kind != K_TEMP || !last_wrote(c, val) || l->dst_word != l->start + 2 ||
        load_width((op)l->op) != width)
        return false;
    uint32_t to_a, to_k = 0;
    if (addr->kind == K_TEMP || addr->kind == K_LOCAL)
        to_a = src_slot(c, addr); /* emits nothing for these kinds */
    else if (addr->kind == K_ADDR && !addr->has_b)
        to_a = addr->local, to_k = (uint32_t)addr->cval;
    else
        return false;
    size_t at = l->start;
    bool k = l->op >= OP_load32_k && l->op < OP_store32_k;
    uint32_t w[6] = {to_a, to_k, offset, c->code[at + 3], k ? c->code[at + 4] : 0,
                     c->code[at + (k ? 5 : 4)]};
    c->len = at;
    label_here(c);
    static const op moves[4] = {OP_move8, OP_move16, OP_move32, OP_move64};
    at = emit_op(c, moves[log2]);
    for (int i = 0; i < 6; i++)
        emit_w(c, at + 2 + (size_t)i, w[i]);
    return true;
}

static void do_store(compiler *c, const memop *mo)
{
    uint32_t offset = rd_memarg(c, mo->width_log2);
    ventry val = pop_expect(c, mo->t);
    ventry addr = pop_expect(c, VT_I32);
    if (!c->emitting)
        return;
    unwrap_address(c, &addr); /* when the value needed no code after the address */
    if (fuse_read_modify_write(c, (op)mo->op, &val, &addr, offset) ||
        fuse_memory_move(c, mo->width_log2, &val, &addr, offset))
        return;
    uint32_t v = src_slot(c, &val);
    emit_memop(c, (op)mo->op, v, &addr, offset);
}

/* Emits an op whose operands are slots of popped entries, d = result slot or
 * first operand. */
static size_t emit_slots(compiler *c, op o, const uint32_t *w, uint32_t n)
{
    size_t at = emit_op(c, o);
    for (uint32_t i = 0; i < n; i++)
        emit_w(c, at + 2 + i, w[i]);
    return at;
}

static void do_memory_size(compiler *c)
{
    rd_zero_byte(c);
    need_memory(c);
    ventry *r = push_val(c, VT_I32);
    if (c->emitting)
        emit_slots(c, OP_memory_size, &r->pos, 1);
}

static void do_memory_grow(compiler *c)
{
    rd_zero_byte(c);
    need_memory(c);
    ventry delta = pop_expect(c, VT_I32);
    ventry *r = push_val(c, VT_I32);
    if (c->emitting) {
        uint32_t w[2] = {r->pos, src_slot(c, &delta)};
        emit_slots(c, OP_memory_grow, w, 2);
    }
}

/* Pops three i32 operands (a, b, c order) and emits op d=a a=b b=c [x y]. */
static void emit_three(compiler *c, op o, valtype t0, valtype t1, valtype t2, int64_t x,
                       int64_t y)
{
    ventry e2 = pop_expect(c, t2);
    ventry e1 = pop_expect(c, t1);
    ventry e0 = pop_expect(c, t0);
    if (!c->emitting)
        return;
    uint32_t w[5] = {src_slot(c, &e0), src_slot(c, &e1), src_slot(c, &e2), (uint32_t)x,
                     (uint32_t)y};
    emit_slots(c, o, w, 3 + (x >= 0) + (y >= 0));
}

static void need_data_count(compiler *c, uint32_t seg)
{
    if (!c->m->has_data_count)
        cfail(c, "data count section required");
    if (seg >= c->m->data_count)
        cfail(c, "unknown data segment %u", seg);
}

static uint32_t rd_table(compiler *c)
{
    uint32_t t = rd_u32(c);
    if (t >= c->m->ntables)
        cfail(c, "unknown table %u", t);
    return t;
}

static uint32_t check_elem_seg(compiler *c, uint32_t e)
{
    if (e >= c->m->nelems)
        cfail(c, "unknown elem segment %u", e);
    return e;
}

static uint32_t rd_elem_seg(compiler *c) { return check_elem_seg(c, rd_u32(c)); }

/* --------------------------------------------------------- references */

static void do_ref_is_null(compiler *c)
{
    ventry v = pop_val(c);
    if (!valtype_is_ref(v.type) && v.type != VT_UNKNOWN)
        cfail(c, "type mismatch");
    ventry *r = push_val(c, VT_I32);
    if (c->emitting) {
        uint32_t w[2] = {r->pos, src_slot(c, &v)};
        emit_slots(c, OP_ref_is_null, w, 2);
    }
}

static void do_ref_func(compiler *c)
{
    uint32_t fi = rd_u32(c);
    if (fi >= c->m->nfuncs)
        cfail(c, "unknown function %u", fi);
    if (!c->m->func_declared[fi])
        cfail(c, "undeclared function reference");
    ventry *r = push_val(c, VT_FUNCREF);
    if (c->emitting) {
        uint32_t w[2] = {r->pos, fi};
        emit_slots(c, OP_ref_func, w, 2);
    }
}

/* --------------------------------------------------------- select, drop */

static bool is_num_or_vec(valtype t)
{
    return t == VT_I32 || t == VT_I64 || t == VT_F32 || t == VT_F64 || t == VT_V128 ||
           t == VT_UNKNOWN;
}

static void do_select(compiler *c, bool typed)
{
    valtype t = VT_UNKNOWN;
    if (typed) {
        uint32_t n = rd_u32(c);
        if (n != 1)
            cfail(c, "invalid result arity");
        t = rd_u8(c);
        if (!is_valtype(t))
            cfail(c, "malformed value type");
    }
    ventry cnd = pop_expect(c, VT_I32);
    ventry b = typed ? pop_expect(c, t) : pop_val(c);
    ventry a = typed ? pop_expect(c, t) : pop_val(c);
    if (!typed) {
        if (!is_num_or_vec(a.type) || !is_num_or_vec(b.type))
            cfail(c, "type mismatch");
        if (a.type != b.type && a.type != VT_UNKNOWN && b.type != VT_UNKNOWN)
            cfail(c, "type mismatch");
        t = a.type == VT_UNKNOWN ? b.type : a.type;
    }
    ventry *r = push_val(c, t);
    if (!c->emitting)
        return;
    uint32_t w[4] = {r->pos, src_slot(c, &a), src_slot(c, &b), src_slot(c, &cnd)};
    /* a's constant may have been written to r->pos; b's to its own slot. */
    size_t at = emit_slots(c, t == VT_V128 ? OP_select128 : OP_select, w, 4);
    if (t != VT_V128)
        set_last_dst(c, at, r->pos);
}

/* --------------------------------------------------------- 0xFC prefix */

static void do_prefix_fc(compiler *c)
{
    uint32_t sub = rd_u32(c);
    if (sub <= 7) {
        compile_numeric(c, numeric_fc[sub]);
        return;
    }
    switch (sub) {
    case 8: { /* memory.init */
        uint32_t seg = rd_u32(c);
        rd_zero_byte(c);
        need_memory(c);
        need_data_count(c, seg);
        emit_three(c, OP_memory_init, VT_I32, VT_I32, VT_I32, seg, -1);
        return;
    }
    case 9: { /* data.drop */
        uint32_t seg = rd_u32(c);
        need_data_count(c, seg);
        if (c->emitting)
            emit_slots(c, OP_data_drop, &seg, 1);
        return;
    }
    case 10: /* memory.copy */
        rd_zero_byte(c);
        rd_zero_byte(c);
        need_memory(c);
        emit_three(c, OP_memory_copy, VT_I32, VT_I32, VT_I32, -1, -1);
        return;
    case 11: /* memory.fill */
        rd_zero_byte(c);
        need_memory(c);
        emit_three(c, OP_memory_fill, VT_I32, VT_I32, VT_I32, -1, -1);
        return;
    case 12: { /* table.init elem table: the spec checks the table first */
        uint32_t seg_index = rd_u32(c);
        uint32_t t = rd_table(c);
        uint32_t seg = check_elem_seg(c, seg_index);
        if (c->m->elems[seg].type != c->m->tables[t].elem)
            cfail(c, "type mismatch");
        emit_three(c, OP_table_init, VT_I32, VT_I32, VT_I32, t, seg);
        return;
    }
    case 13: { /* elem.drop */
        uint32_t seg = rd_elem_seg(c);
        if (c->emitting)
            emit_slots(c, OP_elem_drop, &seg, 1);
        return;
    }
    case 14: { /* table.copy dst src */
        uint32_t td = rd_table(c);
        uint32_t ts = rd_table(c);
        if (c->m->tables[td].elem != c->m->tables[ts].elem)
            cfail(c, "type mismatch");
        emit_three(c, OP_table_copy, VT_I32, VT_I32, VT_I32, td, ts);
        return;
    }
    case 15: { /* table.grow */
        uint32_t t = rd_table(c);
        ventry n = pop_expect(c, VT_I32);
        ventry init = pop_expect(c, c->m->tables[t].elem);
        ventry *r = push_val(c, VT_I32);
        if (c->emitting) {
            uint32_t w[4] = {r->pos, src_slot(c, &init), src_slot(c, &n), t};
            emit_slots(c, OP_table_grow, w, 4);
        }
        return;
    }
    case 16: { /* table.size */
        uint32_t t = rd_table(c);
        ventry *r = push_val(c, VT_I32);
        if (c->emitting) {
            uint32_t w[2] = {r->pos, t};
            emit_slots(c, OP_table_size, w, 2);
        }
        return;
    }
    case 17: { /* table.fill */
        uint32_t t = rd_table(c);
        emit_three(c, OP_table_fill, VT_I32, c->m->tables[t].elem, VT_I32, t, -1);
        return;
    }
    default:
        cfail(c, "illegal opcode 0xfc %u", sub);
    }
}

static void do_table_get_set(compiler *c, bool set)
{
    uint32_t t = rd_table(c);
    valtype et = c->m->tables[t].elem;
    if (set) {
        ventry v = pop_expect(c, et);
        ventry i = pop_expect(c, VT_I32);
        if (c->emitting) {
            uint32_t w[3] = {src_slot(c, &i), src_slot(c, &v), t};
            emit_slots(c, OP_table_set, w, 3);
        }
        return;
    }
    ventry i = pop_expect(c, VT_I32);
    ventry *r = push_val(c, et);
    if (c->emitting) {
        uint32_t w[3] = {r->pos, src_slot(c, &i), t};
        emit_slots(c, OP_table_get, w, 3);
    }
}

/* --------------------------------------------------------- the walk */

static uint64_t rd_const_bits(compiler *c, uint8_t opc)
{
    switch (opc) {
    case 0x41: {
        int32_t v = read_s32(&c->r);
        check_reader(c);
        return (uint32_t)v;
    }
    case 0x42: {
        int64_t v = read_s64(&c->r);
        check_reader(c);
        return (uint64_t)v;
    }
    case 0x43: {
        uint32_t v = read_fixed32(&c->r);
        check_reader(c);
        return v;
    }
    default: {
        uint64_t v = read_fixed64(&c->r);
        check_reader(c);
        return v;
    }
    }
}

static const valtype const_types[4] = {VT_I32, VT_I64, VT_F32, VT_F64};

void compile_function_body(compiler *c)
{
    push_frame(c, FR_FUNC, 0, NULL, c->type->nresults, functype_results(c->type));
    for (;;) {
        if (reader_at_end(&c->r))
            cfail(c, "unexpected end of section or function");
        c->ins_start = c->r.p;
        uint8_t opc = rd_u8(c);
        switch (opc) {
        case 0x00: /* unreachable */
            if (c->emitting)
                emit_op(c, OP_unreachable);
            set_unreachable(c);
            break;
        case 0x01: /* nop */
            break;
        case 0x02:
            do_block(c, FR_BLOCK);
            break;
        case 0x03:
            do_block(c, FR_LOOP);
            break;
        case 0x04:
            do_if(c);
            break;
        case 0x05:
            do_else(c);
            break;
        case 0x0B:
            if (do_end(c)) {
                if (!reader_at_end(&c->r))
                    cfail(c, "operators remaining after end of function");
                return;
            }
            break;
        case 0x0C:
            do_br(c);
            break;
        case 0x0D:
            do_br_if(c);
            break;
        case 0x0E:
            do_br_table(c);
            break;
        case 0x0F:
            do_return(c);
            break;
        case 0x10:
            do_call(c, false);
            break;
        case 0x11:
            do_call_indirect(c, false);
            break;
        case 0x12:
        case 0x13:
            if (!(c->wm ? c->wm->engine->config.features & WEFT_FEATURE_TAIL_CALL : true))
                cfail(c, "illegal opcode 0x%02x (tail calls disabled)", opc);
            if (opc == 0x12)
                do_call(c, true);
            else
                do_call_indirect(c, true);
            break;
        case 0x1A: /* drop */
            pop_val(c);
            break;
        case 0x1B:
            do_select(c, false);
            break;
        case 0x1C:
            do_select(c, true);
            break;
        case 0x20:
            push_local(c, rd_local(c));
            break;
        case 0x21:
            do_local_set(c, false);
            break;
        case 0x22:
            do_local_set(c, true);
            break;
        case 0x23:
            do_global_get(c);
            break;
        case 0x24:
            do_global_set(c);
            break;
        case 0x25:
            do_table_get_set(c, false);
            break;
        case 0x26:
            do_table_get_set(c, true);
            break;
        case 0x3F:
            do_memory_size(c);
            break;
        case 0x40:
            do_memory_grow(c);
            break;
        case 0x41:
        case 0x42:
        case 0x43:
        case 0x44:
            push_const(c, const_types[opc - 0x41], rd_const_bits(c, opc));
            break;
        case 0xD0:
            push_const(c, rd_reftype(c), 0);
            break;
        case 0xD1:
            do_ref_is_null(c);
            break;
        case 0xD2:
            do_ref_func(c);
            break;
        case 0xFC:
            do_prefix_fc(c);
            break;
        case 0xFD:
            compile_simd(c);
            break;
        default:
            if (opc >= 0x28 && opc <= 0x35) {
                do_load(c, &loads[opc - 0x28]);
            } else if (opc >= 0x36 && opc <= 0x3E) {
                do_store(c, &stores[opc - 0x36]);
            } else if (opc >= NUMERIC_FIRST && opc <= NUMERIC_LAST) {
                compile_numeric(c, &numeric_ops[opc - NUMERIC_FIRST]);
            } else {
                cfail(c, "illegal opcode 0x%02x", opc);
            }
        }
    }
}
