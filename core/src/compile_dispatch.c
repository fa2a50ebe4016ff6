/* compile_dispatch.c — jumps through a dispatch loop resolved at compile
 * time.
 *
 * Go's wasip1 code (and other compilers' that build resumable functions)
 * shapes every function as one loop whose head is a br_table on a local,
 * the function's resume point:
 *
 *   loop $L
 *     block $bN ... block $b1
 *       local.get $pc
 *       br_table $b1 $b2 ... $bN
 *     end ;; code of case 1
 *     ...
 *
 * and jumps between its basic blocks with `i32.const K; local.set $pc; br $L`:
 * a back-edge whose only use is to reach the br_table, which then jumps to
 * the end of block K's label. Such a jump becomes one const_br_bk: the
 * constant still stored (the resume point may be read elsewhere), then
 * straight to that label. The loop-head br_table, a data-dependent
 * indirect jump, is skipped, and the store and the branch are one
 * dispatch. const_br_bk polls as the back-edge did (interrupts, timeouts, the
 * slices of bounded runs). Valid because nothing runs between the loop
 * label and the br_table (no fuel charge: with fuel on the shape never
 * matches), and the branch leaves the machine state the loop head would
 * see: the loop and the blocks carry no values.
 *
 * A block still open at the jump is linked like any branch to it; a
 * closed one's end position was noted when it closed. */
#include "compile.h"

void dispatch_loop_reset(compiler *c) { c->dispatch.loop = NO_DISPATCH_LOOP; }

/* True if frames ctrls[loop + 1 ..] are all plain blocks of no values and
 * nothing was emitted since the loop's head. */
static bool blocks_at_loop_head(const compiler *c, uint32_t loop)
{
    const cframe *l = &c->ctrls[loop];
    if (l->nparams != 0 || l->loop_head != c->len)
        return false;
    for (uint32_t i = loop + 1; i < c->nctrls; i++) {
        const cframe *f = &c->ctrls[i];
        if (f->kind != FR_BLOCK || f->nparams != 0 || f->nresults != 0)
            return false;
    }
    return true;
}

void dispatch_loop_note_br_table(compiler *c, const ventry *idx, uint32_t count,
                                 const uint32_t *depths)
{
    if (!c->emitting || c->dispatch.loop != NO_DISPATCH_LOOP || idx->kind != K_LOCAL)
        return;
    uint32_t loop = c->nctrls - 1;
    while (loop > 0 && c->ctrls[loop].kind == FR_BLOCK)
        loop--;
    if (c->ctrls[loop].kind != FR_LOOP || !blocks_at_loop_head(c, loop))
        return;
    dispatch_loop *d = &c->dispatch;
    uint32_t nblocks = c->nctrls - 1 - loop;
    d->block = grow_array(c, d->block, &d->block_cap, sizeof *d->block, count + 1);
    d->end = grow_array(c, d->end, &d->end_cap, sizeof *d->end, nblocks + 1);
    for (uint32_t i = 0; i <= count; i++) {
        uint32_t frame = c->nctrls - 1 - depths[i];
        d->block[i] = frame > loop ? frame - loop : 0; /* 0: the loop or beyond */
    }
    memset(d->end, 0, (nblocks + 1) * sizeof *d->end);
    d->loop = loop;
    d->local_slot = idx->local;
    d->open = nblocks;
    d->count = count;
}

void dispatch_loop_frame_end(compiler *c, bool live_after)
{
    dispatch_loop *d = &c->dispatch;
    if (d->loop == NO_DISPATCH_LOOP)
        return;
    uint32_t frame = c->nctrls - 1;
    if (frame == d->loop) {
        d->loop = NO_DISPATCH_LOOP;
    } else if (d->open > 0 && frame == d->loop + d->open) {
        /* Code after its end label is emitted only when reachable. */
        d->end[d->open] = live_after ? c->len : 0;
        d->open--;
    }
}

bool dispatch_loop_branch(compiler *c, const cframe *target)
{
    const dispatch_loop *d = &c->dispatch;
    const last_ins *l = &c->last;
    if (!c->emitting || d->loop == NO_DISPATCH_LOOP || target != &c->ctrls[d->loop] ||
        !l->has_dst || l->end != c->len || l->op != OP_const64 || l->dst_word != l->start + 2 ||
        l->dst != d->local_slot)
        return false;
    uint64_t bits;
    memcpy(&bits, &c->code[l->start + 3], sizeof bits);
    if (bits >> 32)
        return false; /* not an i32: the br_table's local is one */
    uint32_t k = (uint32_t)bits;
    uint32_t b = d->block[k < d->count ? k : d->count];
    if (b == 0 || (b > d->open && d->end[b] == 0))
        return false;
    /* The constant's store and the jump in one: const_br_bk. */
    uint32_t slot = l->dst;
    size_t at = emit_op_over_last(c, OP_const_br_bk);
    emit_w(c, at + 2, slot);
    emit_w(c, at + 3, k);
    size_t site = at + 4;
    if (b <= d->open)
        link_branch(c, &c->ctrls[d->loop + b], site);
    else
        c->code[site] = (uint32_t)(int32_t)((int64_t)d->end[b] - (int64_t)site);
    return true;
}
