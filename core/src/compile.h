/* compile.h — the one-pass function compiler's shared state.
 *
 * A function body is validated and translated to threaded code in a single
 * walk (compile_body.c). The walk keeps the spec's validation stacks
 * (operands and control frames) and, for each operand, where its value lives:
 *
 *   K_TEMP   in its own stack slot (the slot for stack position i is fixed),
 *   K_LOCAL  still in a local's slot: local.get emits nothing ("slot
 *            forwarding"); the entry is copied to its stack slot only when
 *            that local is about to change or control flow merges,
 *   K_CONST  a constant not yet written anywhere: instructions with an
 *            immediate form use it directly,
 *   K_ADDR   an i32 address expression not computed yet: s[a] + (s[b] << sh)
 *            + k (mod 2^32), from i32.add/sub with a constant, i32.add of
 *            two slots, and an i32.shl by a constant just before. A load or
 *            store folds it into its addressing mode; anything else computes
 *            it (add_imm, add, lea) into the entry's own slot. Slots a and b
 *            are locals' (then the entry is lazy like K_LOCAL) or the entry's
 *            own, which nothing else writes while the entry lives.
 *
 * Emission helpers, the operand model and branch patching are in
 * compile_emit.c. */
#ifndef WEFT_COMPILE_H
#define WEFT_COMPILE_H

#include <setjmp.h>
#include <string.h>

#include "call_graph.h"
#include "error.h"

#include "module.h"
#include "ops.h"
#include "reader.h"
#include "runtime.h"

typedef enum vkind { K_TEMP, K_LOCAL, K_CONST, K_ADDR } vkind;

/* Entries that read a local's slot when finally used (counted in nlazy). */
static inline bool vkind_lazy(uint8_t k) { return k == K_LOCAL || k == K_ADDR; }

#define NO_SLOT UINT32_MAX

typedef struct ventry {
    valtype type;
    uint8_t kind;   /* vkind */
    uint8_t has_b;  /* K_ADDR: b is part of the sum */
    uint8_t sh;     /* K_ADDR: b's shift (0..31) */
    uint32_t pos;   /* this entry's own stack slot */
    uint32_t local; /* K_LOCAL: the local's slot; K_ADDR: slot a or NO_SLOT */
    uint32_t b;     /* K_ADDR: slot b */
    uint64_t cval;  /* K_CONST: value bits (i32/f32 zero-extended); K_ADDR: k */
} ventry;

/* The constant pool: constant operands inside loops are read from frame
 * slots [nlocal_slots, nlocal_slots + npool), which the prologue fills from
 * an OP_pool record after the function's code, instead of a const64 on
 * every iteration. A function gets one pool slot per this many body bytes,
 * at most POOL_MAX. */
#define POOL_MAX 8
#define POOL_BODY_BYTES_PER_SLOT 24

typedef enum frame_kind { FR_FUNC, FR_BLOCK, FR_LOOP, FR_IF, FR_ELSE } frame_kind;

typedef struct cframe {
    uint8_t kind;          /* frame_kind */
    bool unreachable;      /* validator: rest of the frame is stack-polymorphic */
    bool live;             /* code here is reachable: emit it */
    bool entry_live;       /* the frame was entered from reachable code */
    bool reached;          /* a branch targets the end label */
    uint32_t height;       /* operand entries below the frame's params */
    uint32_t nparams, nresults;
    const valtype *params, *results;
    valtype single;        /* the result type when the block type is one valtype */
    uint32_t slot_base;    /* stack slot of the label's first value */
    size_t loop_head;      /* FR_LOOP: code position branches go back to */
    size_t fwd_patches;    /* chain of branch sites to the end label (0: none) */
    size_t else_site;      /* FR_IF: the branch-if-false site (0: none) */
} cframe;

/* A single-valtype block's result list lives inside the frame, and frames
 * move when the control stack grows, so it is found through the frame. */
static inline const valtype *frame_results(const cframe *f)
{
    return f->results ? f->results : &f->single;
}

/* What the last emitted instruction was, for peephole rewrites: retargeting
 * its destination (local.set/tee), fusing a compare into a branch, a loop
 * counter's step into its back-edge, two copies into one. */
typedef struct last_ins {
    size_t start, end;     /* code positions; end == compiler.len if still last */
    uint16_t op;           /* valid with has_dst */
    bool has_dst;          /* writes exactly one slot, the one at word dst_word */
    size_t dst_word;
    uint32_t dst;          /* the slot it writes */
    int cmp;               /* >= 0: a compare (cmp_kind), fusable */
    bool cmp64, cmp_imm;
    uint32_t cmp_a, cmp_b; /* operand slots (cmp_b unused when imm) */
    uint64_t cmp_immv;
} last_ins;

/* Comparisons in the order of CMP_I32/CMP_I64 (ops.h); CMP_EQZ is eqz. */
enum { CMP_EQ, CMP_NE, CMP_LT_S, CMP_LT_U, CMP_GT_S, CMP_GT_U, CMP_LE_S, CMP_LE_U, CMP_GE_S,
       CMP_GE_U, CMP_EQZ };

/* The comparison true exactly when `cmp` (not CMP_EQZ) is false. */
static inline int cmp_negated(int cmp)
{
    static const uint8_t negated[CMP_EQZ] = {CMP_NE,   CMP_EQ,   CMP_GE_S, CMP_GE_U, CMP_LE_S,
                                             CMP_LE_U, CMP_GT_S, CMP_GT_U, CMP_LT_S, CMP_LT_U};
    return negated[cmp];
}

#define NO_DISPATCH_LOOP UINT32_MAX

/* A loop that starts with a br_table on a local, and the blocks it jumps
 * to (compile_dispatch.c). */
typedef struct dispatch_loop {
    uint32_t loop;         /* ctrls index of the loop frame, NO_DISPATCH_LOOP: none */
    uint32_t local_slot;   /* the slot the br_table reads */
    uint32_t open;         /* its blocks still open: ctrls[loop + 1 .. loop + open] */
    uint32_t count;        /* the br_table's entries before the default */
    uint32_t *block;       /* per entry (default last): the block whose end it
                            * jumps to, 1.. innermost first; 0: another label */
    size_t *end;           /* per block: its end label's position once closed (0: unusable) */
    uint32_t block_cap, end_cap;
} dispatch_loop;

typedef struct compiler {
    const wmodule *m;
    weft_module *wm;       /* NULL when only validating */
    reader r;
    jmp_buf fail;
    weft_error *err;
    uint32_t func_index;
    const functype *type;
    const uint8_t *ins_start; /* current instruction, for error offsets */

    /* Locals: params then declared locals, each with its frame slot. */
    uint32_t nlocals;
    valtype *local_types;
    uint32_t *local_slots;
    uint32_t nlocal_slots;

    ventry *vals;
    uint32_t nvals, vals_cap;
    cframe *ctrls;
    uint32_t nctrls, ctrls_cap;
    uint32_t max_slot;     /* high-water mark of slots used */
    uint32_t temp_base;    /* first operand stack slot (after the pool) */
    uint32_t pool_cap, npool;
    uint64_t pool_vals[POOL_MAX];
    uint32_t nloops;       /* FR_LOOP frames open */
    uint32_t nlazy;        /* K_LOCAL and K_ADDR entries on the stack */

    /* Code goes to the module-wide buffer. */
    uint32_t *code;
    size_t len, cap;
    bool emitting;         /* !validate_only && current frame live */
    bool makes_calls;      /* the function has emitted a call */
    bool calls_out;        /* ...a call_import or call_indirect (call_graph.h) */
    call_graph graph;      /* the direct calls emitted so far */
    bool emitted_long;     /* ...or any op of op_long_table but a direct call */
    const bool *long_ops;  /* op_long_table() */
    bool validate_only;
    last_ins last;
    op cur_op;             /* the op emit_op emitted last, */
    size_t cur_start;      /* where, */
    size_t prev_start;     /* and where the instruction before it starts */
    size_t label_at;       /* the latest position a label was bound at */
    const void *const *handlers;
    uint32_t *call_sites;  /* code positions of OP_call (see compile.c) */
    uint32_t ncall_sites, call_sites_cap;
    uint32_t *scratch;     /* reusable buffer (br_table depths) */
    uint32_t scratch_cap;
    dispatch_loop dispatch;
} compiler;

/* --- compile_emit.c */
_Noreturn void cfail(compiler *c, const char *fmt, ...) WEFT_PRINTF(2, 3);
/* Grows arr (elements of `elem` bytes, *cap of them) to hold `need`; out
 * of memory fails the compile. */
void *grow_array(compiler *c, void *arr, uint32_t *cap, size_t elem, uint32_t need);
void update_emitting(compiler *c);
uint32_t *scratch_words(compiler *c, uint32_t n);
void note_call_site(compiler *c, size_t at);
cframe *top_frame(compiler *c);
cframe *label_frame(compiler *c, uint32_t depth); /* fails "unknown label" */
uint32_t stack_top_pos(const compiler *c);

ventry *push_val(compiler *c, valtype t);           /* a K_TEMP entry */
void push_const(compiler *c, valtype t, uint64_t bits);
void push_local(compiler *c, uint32_t local_index);
ventry pop_val(compiler *c);                        /* any type */
ventry pop_expect(compiler *c, valtype t);
void pop_vals_expect(compiler *c, uint32_t n, const valtype *types);
void push_vals(compiler *c, uint32_t n, const valtype *types);

void materialize(compiler *c, ventry *e);
/* Writes entry e's value to slot dst, wherever it lives now (e unchanged). */
void materialize_to(compiler *c, const ventry *e, uint32_t dst);
void materialize_all_lazy(compiler *c);
void materialize_local_refs(compiler *c, uint32_t local_slot);
uint32_t slot_of(compiler *c, ventry *e);          /* materializes constants, sums */
/* The slot a popped entry can be read from: a constant is read from the
 * pool or written to the entry's own slot first, and so is a sum. */
uint32_t src_slot_slow(compiler *c, const ventry *e);
static inline uint32_t src_slot(compiler *c, const ventry *e)
{
    if (e->kind == K_TEMP)
        return e->pos;
    return e->kind == K_LOCAL ? e->local : src_slot_slow(c, e);
}
/* True if the lazy entry e reads slot s when it is finally used. */
bool entry_reads(const ventry *e, uint32_t s);

size_t emit_op(compiler *c, op o);                 /* returns start; words follow */
size_t emit_words(compiler *c, size_t n);          /* n zeroed raw words */
/* Sets operand word(s) at code position `at`. */
static inline void emit_w(compiler *c, size_t at, uint32_t w) { c->code[at] = w; }
static inline void emit_w64(compiler *c, size_t at, uint64_t v)
{
    memcpy(&c->code[at], &v, sizeof v);
}
void emit_copy(compiler *c, valtype t, uint32_t dst, uint32_t src);
void emit_const(compiler *c, valtype t, uint32_t dst, uint64_t bits);
/* s[dst] = (u32)(s[a] + s[b]), paired with an i32 add just before into one
 * i32_add2 (emit_paired). */
void emit_add(compiler *c, uint32_t dst, uint32_t a, uint32_t b);
void set_last_dst(compiler *c, size_t start, uint32_t dst);
void forget_last(compiler *c);
/* Emits op o in place of the last instruction (c->last, still last; read
 * its operands first), the one before it still prev_start's. Returns o's
 * position; its operand words are zero. */
size_t emit_op_over_last(compiler *c, op o);
/* True if the last instruction, still last, is an i32_add_imm writing
 * `slot`: a step a fusion may take over. */
bool last_is_step_into(const compiler *c, uint32_t slot);
/* That step (i32_add_imm d a k, last_is_step_into) taken over by op o,
 * emitted as o d a k x in its place; returns o's position. */
size_t emit_step_with(compiler *c, op o, uint32_t x);
/* A label is bound at the current position: no rewrite may reach back over it. */
void label_here(compiler *c);
/* After the last instruction was removed: if the one before it is a loop
 * step (i32_add_imm, i32_add_imm2, i32_add, i32_add2) ending here, with no label in
 * between, makes it `last` again (for fuse_counter_step); returns true. */
bool restore_last_before(compiler *c);
/* True if the instruction before the current one (at prev_start) is an o
 * that ends at `end`, with no label bound in between: a peephole may read
 * and remove it. */
bool prev_is(const compiler *c, op o, size_t end);
/* True if the last instruction computed entry e (a temp) and is still last. */
static inline bool last_wrote(const compiler *c, const ventry *e)
{
    return c->emitting && c->last.has_dst && c->last.end == c->len && e->kind == K_TEMP &&
           c->last.dst == e->pos;
}

cframe *push_frame(compiler *c, frame_kind kind, uint32_t nparams, const valtype *params,
                   uint32_t nresults, const valtype *results);
/* Branch emission. `site` words are patched when the label is bound. */
void link_branch(compiler *c, cframe *target, size_t site);
void bind_label(compiler *c, size_t chain, size_t target);
uint32_t label_arity(const cframe *f);
const valtype *label_types(const cframe *f);
/* True if the top `n` stack entries already sit in the label's slots. */
bool values_in_place(compiler *c, cframe *target, uint32_t n);
/* Copies the top n stack entries into the label's slots. */
void copy_to_label(compiler *c, cframe *target, uint32_t n);
void emit_return(compiler *c);
/* With fuel on, charges one unit here (function entry, loop heads). */
void emit_fuel_charge(compiler *c);

/* --- compile_body.c */
void compile_function_body(compiler *c);
/* Immediate readers: fail the compile (decode error) on malformed input. */
void check_reader(compiler *c);
uint8_t rd_u8(compiler *c);
uint32_t rd_u32(compiler *c);
/* Reads a memarg (align, offset) and checks memory 0 exists and the
 * alignment is at most natural; returns the offset. */
uint32_t rd_memarg(compiler *c, uint32_t natural_log2);

/* --- compile_dispatch.c: branches through a dispatch loop, resolved */
void dispatch_loop_reset(compiler *c);
/* At a br_table (validated, before it is emitted) on `idx`: notes the
 * loop when the br_table is the first thing in it, inside blocks only. */
void dispatch_loop_note_br_table(compiler *c, const ventry *idx, uint32_t count,
                                 const uint32_t *depths);
/* At the end of the top frame, before it is popped; live_after: code
 * after it is reachable (and emitted). */
void dispatch_loop_frame_end(compiler *c, bool live_after);
/* At a br to `target`: when it is the dispatch loop and the instruction
 * just before set its local to a constant, emits the branch straight to
 * the label the br_table would take, and returns true. */
bool dispatch_loop_branch(compiler *c, const cframe *target);

/* --- compile_simd.c: one 0xFD-prefixed instruction (the prefix is read) */
void compile_simd(compiler *c);

#endif
