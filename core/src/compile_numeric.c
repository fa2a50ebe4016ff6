/* compile_numeric.c — instruction selection for numeric Wasm instructions:
 * constants become immediates, constant-first operands of commutative ops
 * and comparisons are swapped, and compares are remembered so a following
 * br_if/if can fuse with them. */
#include "compile_numeric.h"
#include "numeric.h"

#define UN(in, out, o) {1, VT_##in, VT_##out, OP_##o, -1, 0, -1}
#define BIN(t, o) {2, VT_##t, VT_##t, OP_##o, -1, 0, -1}
#define BINI(t, o, fl) {2, VT_##t, VT_##t, OP_##o, OP_##o##_imm, fl, -1}
#define CMP(t, o, k) {2, VT_##t, VT_I32, OP_##o, OP_##o##_imm, 0, k}
#define FCMP(t, o) {2, VT_##t, VT_I32, OP_##o, -1, 0, -1}
#define RETYPE(in, out) {1, VT_##in, VT_##out, -1, -1, NF_RETYPE, -1}
#define AT(opc) [(opc) - NUMERIC_FIRST]

const numop numeric_ops[NUMERIC_LAST - NUMERIC_FIRST + 1] = {
    AT(0x45) = {1, VT_I32, VT_I32, OP_i32_eqz, -1, 0, CMP_EQZ},
    AT(0x46) = CMP(I32, i32_eq, CMP_EQ),
    AT(0x47) = CMP(I32, i32_ne, CMP_NE),
    AT(0x48) = CMP(I32, i32_lt_s, CMP_LT_S),
    AT(0x49) = CMP(I32, i32_lt_u, CMP_LT_U),
    AT(0x4A) = CMP(I32, i32_gt_s, CMP_GT_S),
    AT(0x4B) = CMP(I32, i32_gt_u, CMP_GT_U),
    AT(0x4C) = CMP(I32, i32_le_s, CMP_LE_S),
    AT(0x4D) = CMP(I32, i32_le_u, CMP_LE_U),
    AT(0x4E) = CMP(I32, i32_ge_s, CMP_GE_S),
    AT(0x4F) = CMP(I32, i32_ge_u, CMP_GE_U),
    AT(0x50) = {1, VT_I64, VT_I32, OP_i64_eqz, -1, 0, CMP_EQZ},
    AT(0x51) = CMP(I64, i64_eq, CMP_EQ),
    AT(0x52) = CMP(I64, i64_ne, CMP_NE),
    AT(0x53) = CMP(I64, i64_lt_s, CMP_LT_S),
    AT(0x54) = CMP(I64, i64_lt_u, CMP_LT_U),
    AT(0x55) = CMP(I64, i64_gt_s, CMP_GT_S),
    AT(0x56) = CMP(I64, i64_gt_u, CMP_GT_U),
    AT(0x57) = CMP(I64, i64_le_s, CMP_LE_S),
    AT(0x58) = CMP(I64, i64_le_u, CMP_LE_U),
    AT(0x59) = CMP(I64, i64_ge_s, CMP_GE_S),
    AT(0x5A) = CMP(I64, i64_ge_u, CMP_GE_U),
    AT(0x5B) = FCMP(F32, f32_eq), AT(0x5C) = FCMP(F32, f32_ne), AT(0x5D) = FCMP(F32, f32_lt),
    AT(0x5E) = FCMP(F32, f32_gt), AT(0x5F) = FCMP(F32, f32_le), AT(0x60) = FCMP(F32, f32_ge),
    AT(0x61) = FCMP(F64, f64_eq), AT(0x62) = FCMP(F64, f64_ne), AT(0x63) = FCMP(F64, f64_lt),
    AT(0x64) = FCMP(F64, f64_gt), AT(0x65) = FCMP(F64, f64_le), AT(0x66) = FCMP(F64, f64_ge),
    AT(0x67) = UN(I32, I32, i32_clz), AT(0x68) = UN(I32, I32, i32_ctz),
    AT(0x69) = UN(I32, I32, i32_popcnt),
    AT(0x6A) = BINI(I32, i32_add, NF_COMMUTATIVE | NF_ADDK),
    AT(0x6B) = {2, VT_I32, VT_I32, OP_i32_sub, OP_i32_add_imm, NF_SUB | NF_ADDK, -1},
    AT(0x6C) = BINI(I32, i32_mul, NF_COMMUTATIVE),
    AT(0x6D) = BIN(I32, i32_div_s), AT(0x6E) = BIN(I32, i32_div_u),
    AT(0x6F) = BIN(I32, i32_rem_s), AT(0x70) = BIN(I32, i32_rem_u),
    AT(0x71) = BINI(I32, i32_and, NF_COMMUTATIVE), AT(0x72) = BINI(I32, i32_or, NF_COMMUTATIVE),
    AT(0x73) = BINI(I32, i32_xor, NF_COMMUTATIVE),
    AT(0x74) = BINI(I32, i32_shl, NF_SHIFT), AT(0x75) = BINI(I32, i32_shr_s, NF_SHIFT),
    AT(0x76) = BINI(I32, i32_shr_u, NF_SHIFT), AT(0x77) = BINI(I32, i32_rotl, NF_SHIFT),
    AT(0x78) = BINI(I32, i32_rotr, NF_SHIFT),
    AT(0x79) = UN(I64, I64, i64_clz), AT(0x7A) = UN(I64, I64, i64_ctz),
    AT(0x7B) = UN(I64, I64, i64_popcnt),
    AT(0x7C) = BINI(I64, i64_add, NF_COMMUTATIVE),
    AT(0x7D) = {2, VT_I64, VT_I64, OP_i64_sub, OP_i64_add_imm, NF_SUB, -1},
    AT(0x7E) = BINI(I64, i64_mul, NF_COMMUTATIVE),
    AT(0x7F) = BIN(I64, i64_div_s), AT(0x80) = BIN(I64, i64_div_u),
    AT(0x81) = BIN(I64, i64_rem_s), AT(0x82) = BIN(I64, i64_rem_u),
    AT(0x83) = BINI(I64, i64_and, NF_COMMUTATIVE), AT(0x84) = BINI(I64, i64_or, NF_COMMUTATIVE),
    AT(0x85) = BINI(I64, i64_xor, NF_COMMUTATIVE),
    AT(0x86) = BINI(I64, i64_shl, NF_SHIFT), AT(0x87) = BINI(I64, i64_shr_s, NF_SHIFT),
    AT(0x88) = BINI(I64, i64_shr_u, NF_SHIFT), AT(0x89) = BINI(I64, i64_rotl, NF_SHIFT),
    AT(0x8A) = BINI(I64, i64_rotr, NF_SHIFT),
    AT(0x8B) = UN(F32, F32, f32_abs), AT(0x8C) = UN(F32, F32, f32_neg),
    AT(0x8D) = UN(F32, F32, f32_ceil), AT(0x8E) = UN(F32, F32, f32_floor),
    AT(0x8F) = UN(F32, F32, f32_trunc), AT(0x90) = UN(F32, F32, f32_nearest),
    AT(0x91) = UN(F32, F32, f32_sqrt),
    AT(0x92) = BIN(F32, f32_add), AT(0x93) = BIN(F32, f32_sub), AT(0x94) = BIN(F32, f32_mul),
    AT(0x95) = BIN(F32, f32_div), AT(0x96) = BIN(F32, f32_min), AT(0x97) = BIN(F32, f32_max),
    AT(0x98) = BIN(F32, f32_copysign),
    AT(0x99) = UN(F64, F64, f64_abs), AT(0x9A) = UN(F64, F64, f64_neg),
    AT(0x9B) = UN(F64, F64, f64_ceil), AT(0x9C) = UN(F64, F64, f64_floor),
    AT(0x9D) = UN(F64, F64, f64_trunc), AT(0x9E) = UN(F64, F64, f64_nearest),
    AT(0x9F) = UN(F64, F64, f64_sqrt),
    AT(0xA0) = BIN(F64, f64_add), AT(0xA1) = BIN(F64, f64_sub), AT(0xA2) = BIN(F64, f64_mul),
    AT(0xA3) = BIN(F64, f64_div), AT(0xA4) = BIN(F64, f64_min), AT(0xA5) = BIN(F64, f64_max),
    AT(0xA6) = BIN(F64, f64_copysign),
    AT(0xA7) = UN(I64, I32, i32_wrap_i64),
    AT(0xA8) = UN(F32, I32, i32_trunc_f32_s), AT(0xA9) = UN(F32, I32, i32_trunc_f32_u),
    AT(0xAA) = UN(F64, I32, i32_trunc_f64_s), AT(0xAB) = UN(F64, I32, i32_trunc_f64_u),
    AT(0xAC) = UN(I32, I64, i64_extend_i32_s),
    AT(0xAD) = RETYPE(I32, I64), /* i32 slots are kept zero-extended */
    AT(0xAE) = UN(F32, I64, i64_trunc_f32_s), AT(0xAF) = UN(F32, I64, i64_trunc_f32_u),
    AT(0xB0) = UN(F64, I64, i64_trunc_f64_s), AT(0xB1) = UN(F64, I64, i64_trunc_f64_u),
    AT(0xB2) = UN(I32, F32, f32_convert_i32_s), AT(0xB3) = UN(I32, F32, f32_convert_i32_u),
    AT(0xB4) = UN(I64, F32, f32_convert_i64_s), AT(0xB5) = UN(I64, F32, f32_convert_i64_u),
    AT(0xB6) = UN(F64, F32, f32_demote_f64),
    AT(0xB7) = UN(I32, F64, f64_convert_i32_s), AT(0xB8) = UN(I32, F64, f64_convert_i32_u),
    AT(0xB9) = UN(I64, F64, f64_convert_i64_s), AT(0xBA) = UN(I64, F64, f64_convert_i64_u),
    AT(0xBB) = UN(F32, F64, f64_promote_f32),
    AT(0xBC) = RETYPE(F32, I32), AT(0xBD) = RETYPE(F64, I64),
    AT(0xBE) = RETYPE(I32, F32), AT(0xBF) = RETYPE(I64, F64),
    AT(0xC0) = UN(I32, I32, i32_extend8_s), AT(0xC1) = UN(I32, I32, i32_extend16_s),
    AT(0xC2) = UN(I64, I64, i64_extend8_s), AT(0xC3) = UN(I64, I64, i64_extend16_s),
    AT(0xC4) = UN(I64, I64, i64_extend_i32_s),
};

static const numop trunc_sat[8] = {
    UN(F32, I32, i32_trunc_sat_f32_s), UN(F32, I32, i32_trunc_sat_f32_u),
    UN(F64, I32, i32_trunc_sat_f64_s), UN(F64, I32, i32_trunc_sat_f64_u),
    UN(F32, I64, i64_trunc_sat_f32_s), UN(F32, I64, i64_trunc_sat_f32_u),
    UN(F64, I64, i64_trunc_sat_f64_s), UN(F64, I64, i64_trunc_sat_f64_u),
};

const numop *const numeric_fc[8] = {&trunc_sat[0], &trunc_sat[1], &trunc_sat[2], &trunc_sat[3],
                                    &trunc_sat[4], &trunc_sat[5], &trunc_sat[6], &trunc_sat[7]};

/* Comparison with its operands exchanged: c < x is x > c. */
static const uint8_t cmp_swapped[CMP_EQZ] = {CMP_EQ,   CMP_NE,   CMP_GT_S, CMP_GT_U, CMP_LT_S,
                                             CMP_LT_U, CMP_GE_S, CMP_GE_U, CMP_LE_S, CMP_LE_U};

static uint32_t operand_slot(compiler *c, const ventry *e) { return src_slot(c, e); }

/* An i32 operand as an address expression s[a] + (s[b] << sh) + k. */
typedef struct addr_expr {
    uint32_t a, b, k; /* a, b: NO_SLOT when absent */
    uint8_t sh;
} addr_expr;

/* What taking an operand as an address expression does to the code. */
enum { TAKE_KEEP, TAKE_DROP_SHL, TAKE_RETARGET };

/* Expresses entry e (at stack slot e->pos; the sum will live at slot p) as
 * an address expression. An operand the last instruction computed may be
 * taken over: an i32.shl by a constant becomes the expression's b << sh
 * (TAKE_DROP_SHL: the shl is removed), anything else is retargeted to
 * write slot p (TAKE_RETARGET). */
static addr_expr operand_addr(compiler *c, const ventry *e, uint32_t p, int *take)
{
    addr_expr x = {NO_SLOT, NO_SLOT, 0, 0};
    *take = TAKE_KEEP;
    switch (e->kind) {
    case K_CONST: x.k = (uint32_t)e->cval; break;
    case K_LOCAL: x.a = e->local; break;
    case K_ADDR:
        x.a = e->local;
        x.b = e->has_b ? e->b : NO_SLOT;
        x.sh = e->sh;
        x.k = (uint32_t)e->cval;
        break;
    default:
        x.a = e->pos;
        if (!last_wrote(c, e) || c->last.dst_word != c->last.start + 2)
            break;
        if (c->last.op == OP_i32_shl_imm) {
            uint32_t src = c->code[c->last.start + 3];
            if (src < c->nlocal_slots || src == p) {
                x.a = NO_SLOT;
                x.b = src;
                x.sh = (uint8_t)c->code[c->last.start + 4];
                *take = TAKE_DROP_SHL;
                break;
            }
        }
        if (e->pos != p) {
            x.a = p;
            *take = TAKE_RETARGET;
        }
        break;
    }
    return x;
}

/* Slot s may be read later by a lazy sum living at slot p. */
static bool safe_slot(const compiler *c, uint32_t s, uint32_t p)
{
    return s == NO_SLOT || s < c->nlocal_slots || s == p;
}

/* i32.add, and i32.sub of a constant: the sum stays lazy (K_ADDR) when it
 * fits s[a] + (s[b] << sh) + k, so a load or store folds it into its
 * address; constants fold. Returns false to emit the instruction as usual. */
static bool lazy_add(compiler *c, const numop *n, const ventry *ea, const ventry *eb,
                     ventry *r)
{
    uint32_t p = r->pos;
    int ta, tb;
    addr_expr x = operand_addr(c, ea, p, &ta);
    addr_expr y;
    if (n->flags & NF_SUB) {
        if (eb->kind != K_CONST)
            return false;
        y = (addr_expr){NO_SLOT, NO_SLOT, -(uint32_t)eb->cval, 0};
        tb = TAKE_KEEP;
    } else {
        y = operand_addr(c, eb, p, &tb);
    }
    /* Only one operand can be the last instruction's result. A retarget
     * needs slot p free: the other operand must not be held there. */
    if (ta != TAKE_KEEP && tb != TAKE_KEEP)
        return false;
    if ((ta == TAKE_RETARGET && (y.a == p || y.b == p)) ||
        (tb == TAKE_RETARGET && (x.a == p || x.b == p)))
        return false;
    addr_expr z = {NO_SLOT, NO_SLOT, x.k + y.k, 0};
    uint32_t plain[2], nplain = 0;
    if (x.a != NO_SLOT)
        plain[nplain++] = x.a;
    if (y.a != NO_SLOT)
        plain[nplain++] = y.a;
    bool xb = x.b != NO_SLOT, yb = y.b != NO_SLOT;
    if (xb && yb)
        return false;
    if (xb || yb) {
        if (nplain > 1)
            return false;
        z.b = xb ? x.b : y.b;
        z.sh = xb ? x.sh : y.sh;
        z.a = nplain ? plain[0] : NO_SLOT;
    } else if (nplain == 2) {
        z.a = plain[0];
        z.b = plain[1];
    } else if (nplain == 1) {
        z.a = plain[0];
    }
    if (!safe_slot(c, z.a, p) || !safe_slot(c, z.b, p))
        return false;
    if (ta == TAKE_DROP_SHL || tb == TAKE_DROP_SHL) {
        c->len = c->last.start;
        label_here(c); /* nothing before may be rewritten now */
    } else if (ta == TAKE_RETARGET || tb == TAKE_RETARGET) {
        emit_w(c, c->last.dst_word, p);
        c->last.dst = p;
    }
    if (z.a == NO_SLOT && z.b == NO_SLOT) {
        r->kind = K_CONST;
        r->cval = z.k;
        return true;
    }
    if (z.b == NO_SLOT && z.k == 0) {
        r->kind = z.a < c->nlocal_slots ? K_LOCAL : K_TEMP;
        r->local = z.a;
    } else {
        if (z.b != NO_SLOT && z.sh == 0 && z.a == NO_SLOT) {
            z.a = z.b;
            z.b = NO_SLOT;
        }
        r->kind = K_ADDR;
        r->local = z.a;
        r->has_b = z.b != NO_SLOT;
        r->b = z.b;
        r->sh = z.sh;
        r->cval = z.k;
    }
    if (vkind_lazy(r->kind))
        c->nlazy++;
    return true;
}

static void remember_cmp(compiler *c, size_t at, uint32_t d, int cmp, bool is64, bool imm,
                         uint32_t a, uint32_t b, uint64_t immv)
{
    set_last_dst(c, at, d);
    c->last.cmp = cmp;
    c->last.cmp64 = is64;
    c->last.cmp_imm = imm;
    c->last.cmp_a = a;
    c->last.cmp_b = b;
    c->last.cmp_immv = immv;
}

_Static_assert(OP_i32_ge_u - OP_i32_eq == CMP_GE_U && OP_i32_eq_imm - OP_i32_eq == 10 &&
                   OP_i64_ge_u - OP_i64_eq == CMP_GE_U && OP_i64_eq_imm - OP_i64_eq == 10,
               "compares are listed in CMP_ order, the _imm forms 10 after");

/* i32.eqz of the integer compare just made into a temp: the negated
 * compare in its place (x < y, then eqz: x >= y), which a branch after it
 * still fuses with. Go's code tests many conditions as `cmp; i32.eqz; if`. */
static bool negate_last_compare(compiler *c, ventry a, uint32_t d)
{
    const last_ins l = c->last;
    if (!last_wrote(c, &a) || l.cmp < 0 || l.cmp >= CMP_EQZ || l.dst_word != l.start + 2)
        return false;
    int cmp = cmp_negated(l.cmp);
    op o = (op)((l.cmp64 ? OP_i64_eq : OP_i32_eq) + cmp + (l.cmp_imm ? 10 : 0));
    size_t at = emit_op_over_last(c, o);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, l.cmp_a);
    if (!l.cmp_imm)
        emit_w(c, at + 4, l.cmp_b);
    else if (l.cmp64)
        emit_w64(c, at + 4, l.cmp_immv);
    else
        emit_w(c, at + 4, (uint32_t)l.cmp_immv);
    remember_cmp(c, at, d, cmp, l.cmp64, l.cmp_imm, l.cmp_a, l.cmp_b, l.cmp_immv);
    return true;
}

static void emit_unary(compiler *c, const numop *n, ventry a, uint32_t d)
{
    const last_ins *l = &c->last;
    if (n->op == OP_i32_eqz && negate_last_compare(c, a, d))
        return;
    if (n->op == OP_i32_wrap_i64 && last_wrote(c, &a) && l->op == OP_i64_add_imm &&
        l->dst_word == l->start + 2) {
        /* The wrap of an i64 sum just made, which nothing else reads (a
         * temp): the low halves' i32 sum, one instruction (Go's pointer
         * arithmetic). A load or store still folds it (unwrap_address). */
        uint32_t x = c->code[l->start + 3], k = c->code[l->start + 4]; /* k's low half */
        size_t at = emit_op_over_last(c, OP_i32_add_imm);
        emit_w(c, at + 2, d);
        emit_w(c, at + 3, x);
        emit_w(c, at + 4, k);
        set_last_dst(c, at, d);
        return;
    }
    uint32_t sa = operand_slot(c, &a);
    size_t at = emit_op(c, (op)n->op);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, sa);
    if (n->cmp == CMP_EQZ)
        remember_cmp(c, at, d, CMP_EQZ, n->in == VT_I64, false, sa, 0, 0);
    else
        set_last_dst(c, at, d);
}

static void emit_with_imm(compiler *c, const numop *n, int imm_op, uint32_t d, uint32_t sa,
                          uint64_t imm, int cmp)
{
    bool is64 = n->in == VT_I64;
    if (n->flags & NF_SHIFT)
        imm &= is64 ? 63 : 31;
    size_t at = emit_op(c, (op)imm_op);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, sa);
    if (is64)
        emit_w64(c, at + 4, imm);
    else
        emit_w(c, at + 4, (uint32_t)imm);
    if (cmp >= 0)
        remember_cmp(c, at, d, cmp, is64, true, sa, 0, imm);
    else
        set_last_dst(c, at, d);
}

/* fuse_shifted_operand picks the fused op by the shift's offset. */
_Static_assert(OP_i32_xor_shr_u == OP_i32_xor_shl + 1 && OP_i32_xor_rotl == OP_i32_xor_shl + 2 &&
                   OP_i32_or_shr_u == OP_i32_or_shl + 1 && OP_i32_or_rotl == OP_i32_or_shl + 2,
               "ops.h: the xor/or shift forms must stay in shl, shr_u, rotl order");

/* i32.xor/or of a value the instruction just before shifted (or rotated)
 * by a constant: the shift moves into the xor/or (one dispatch instead of
 * two). Returns false when the operands do not have that shape. */
static bool fuse_shifted_operand(compiler *c, const numop *n, const ventry *a, const ventry *b,
                                 uint32_t d)
{
    if (n->op != OP_i32_xor && n->op != OP_i32_or)
        return false;
    const ventry *shifted = b, *other = a;
    if (!last_wrote(c, b)) {
        shifted = a;
        other = b;
        if (!last_wrote(c, a))
            return false;
    }
    if (other->kind != K_TEMP && other->kind != K_LOCAL)
        return false; /* reading it would emit code after the shift */
    int shift;
    switch (c->last.op) {
    case OP_i32_shl_imm: shift = 0; break;
    case OP_i32_shr_u_imm: shift = 1; break;
    case OP_i32_rotl_imm: shift = 2; break;
    default: return false;
    }
    if (c->last.dst_word != c->last.start + 2 || shifted->pos != c->last.dst)
        return false;
    size_t at = c->last.start;
    uint32_t src = c->code[at + 3], k = c->code[at + 4];
    uint32_t so = other->kind == K_TEMP ? other->pos : other->local;
    c->len = at;
    label_here(c);
    at = emit_op(c, (op)((n->op == OP_i32_xor ? OP_i32_xor_shl : OP_i32_or_shl) + shift));
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, so);
    emit_w(c, at + 4, src);
    emit_w(c, at + 5, k);
    set_last_dst(c, at, d);
    return true;
}

/* f64.add/sub/mul of a value an f64.load (plain or _k address) just
 * before loaded, and i32.xor of a byte an i32.load8_u loaded (CRC and FNV
 * steps): the load moves into the arithmetic (f64_*_m, _mk; i32_xor_m8,
 * _mk8). The
 * load still happens at the same point of the program, so traps do not
 * move. Returns false when the operands do not have that shape. */
static bool fuse_load_operand(compiler *c, const numop *n, const ventry *a, const ventry *b,
                              uint32_t d)
{
    /* The load each op takes (and its _k form), and what they become. */
    op load, load_k, fused, fused_k;
    bool commutes = true;
    switch (n->op) {
    case OP_f64_add:
        load = OP_load64, load_k = OP_load64_k, fused = OP_f64_add_m, fused_k = OP_f64_add_mk;
        break;
    case OP_f64_sub:
        load = OP_load64, load_k = OP_load64_k, fused = OP_f64_sub_m, fused_k = OP_f64_sub_mk;
        commutes = false;
        break;
    case OP_f64_mul:
        load = OP_load64, load_k = OP_load64_k, fused = OP_f64_mul_m, fused_k = OP_f64_mul_mk;
        break;
    case OP_i32_xor:
        load = OP_load8_u, load_k = OP_load8_u_k, fused = OP_i32_xor_m8,
        fused_k = OP_i32_xor_mk8;
        break;
    default: return false;
    }
    const ventry *other = a;
    if (!last_wrote(c, b)) {
        if (!commutes || !last_wrote(c, a))
            return false;
        other = b;
    }
    if (other->kind != K_TEMP && other->kind != K_LOCAL)
        return false;
    const last_ins *l = &c->last;
    if (l->dst_word != l->start + 2 || (l->op != load && l->op != load_k))
        return false;
    size_t at = l->start;
    bool k = l->op == load_k;
    uint32_t w[5] = {d, other->kind == K_TEMP ? other->pos : other->local, c->code[at + 3],
                     c->code[at + 4], k ? c->code[at + 5] : 0};
    c->len = at;
    label_here(c);
    at = emit_op(c, k ? fused_k : fused);
    for (int i = 0; i < (k ? 5 : 4); i++)
        emit_w(c, at + 2 + (size_t)i, w[i]);
    set_last_dst(c, at, d);
    return true;
}

/* s[d] = product + s[addend], the product being what the f64_mul_m or
 * f64_mul_mk just emitted computes (a loaded f64 times a slot): the two
 * become f64_mul_m_add / f64_mul_mk_add, the step of a dot product. */
static bool fuse_memory_product(compiler *c, uint32_t d, uint32_t addend)
{
    size_t at = c->last.start;
    bool k = c->last.op == OP_f64_mul_mk;
    uint32_t w[6] = {d, c->code[at + 3], c->code[at + 4], c->code[at + 5],
                     k ? c->code[at + 6] : addend, addend};
    c->len = at;
    label_here(c);
    at = emit_op(c, k ? OP_f64_mul_mk_add : OP_f64_mul_m_add);
    for (int i = 0; i < (k ? 6 : 5); i++)
        emit_w(c, at + 2 + (size_t)i, w[i]);
    set_last_dst(c, at, d);
    return true;
}

/* f64.add/sub of a product the f64.mul just before computed: one
 * instruction (f64_mul_add, _sub, _rsub) instead of two. The product is
 * still rounded on its own, so results are bit-identical. Returns false
 * when the operands do not have that shape. */
static bool fuse_product_operand(compiler *c, const numop *n, const ventry *a, const ventry *b,
                                 uint32_t d)
{
    if (n->op != OP_f64_add && n->op != OP_f64_sub)
        return false;
    const last_ins *l = &c->last;
    const ventry *product = b, *other = a;
    if (!last_wrote(c, b)) {
        if (!last_wrote(c, a))
            return false;
        product = a;
        other = b;
    }
    (void)product;
    if (other->kind != K_TEMP && other->kind != K_LOCAL)
        return false; /* reading it would emit code after the mul */
    if (l->dst_word != l->start + 2)
        return false;
    uint32_t so = other->kind == K_TEMP ? other->pos : other->local;
    if (l->op == OP_f64_mul_m || l->op == OP_f64_mul_mk)
        return n->op == OP_f64_add && fuse_memory_product(c, d, so);
    if (l->op != OP_f64_mul)
        return false;
    op fused = n->op == OP_f64_add ? OP_f64_mul_add
               : product == a      ? OP_f64_mul_sub
                                   : OP_f64_mul_rsub;
    size_t at = l->start;
    uint32_t x = c->code[at + 3], y = c->code[at + 4];
    c->len = at;
    label_here(c);
    at = emit_op(c, fused);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, x);
    emit_w(c, at + 4, y);
    emit_w(c, at + 5, so);
    set_last_dst(c, at, d);
    return true;
}

/* i32.mul by the constant k of what the i32_xor_shr_u just before
 * computed (x ^ (y >> s), the mixing step of most integer hashes): one
 * i32_xor_shr_mul. Returns false when the operand has another source. */
static bool fuse_mix_multiply(compiler *c, const numop *n, const ventry *mixed, uint32_t d,
                              uint32_t k)
{
    const last_ins *l = &c->last;
    if (n->op != OP_i32_mul || !last_wrote(c, mixed) || l->op != OP_i32_xor_shr_u ||
        l->dst_word != l->start + 2)
        return false;
    size_t at = l->start;
    uint32_t w[5] = {d, c->code[at + 3], c->code[at + 4], c->code[at + 5], k};
    c->len = at;
    label_here(c);
    at = emit_op(c, OP_i32_xor_shr_mul);
    for (int i = 0; i < 5; i++)
        emit_w(c, at + 2 + (size_t)i, w[i]);
    set_last_dst(c, at, d);
    return true;
}

/* i32.div_u / i32.rem_u by a constant k: a shift or a mask when k is a
 * power of two, else a multiplication by k's reciprocal (numeric.h). A zero
 * k keeps the dividing op, which traps. */
static bool emit_div_by_constant(compiler *c, const numop *n, const ventry *a, uint32_t k,
                                 uint32_t d)
{
    if ((n->op != OP_i32_div_u && n->op != OP_i32_rem_u) || k == 0)
        return false;
    bool rem = n->op == OP_i32_rem_u;
    uint32_t sa = operand_slot(c, a);
    if ((k & (k - 1)) == 0) {
        if (rem)
            emit_with_imm(c, n, OP_i32_and_imm, d, sa, k - 1, -1);
        else
            emit_with_imm(c, n, OP_i32_shr_u_imm, d, sa, (uint32_t)__builtin_ctz(k), -1);
        return true;
    }
    size_t at = emit_op(c, rem ? OP_i32_rem_u_k : OP_i32_div_u_k);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, sa);
    emit_w(c, at + 4, k);
    emit_w64(c, at + 5, div_u32_reciprocal(k));
    set_last_dst(c, at, d);
    return true;
}

static void emit_binary(compiler *c, const numop *n, ventry a, ventry b, uint32_t d)
{
    bool is64 = n->in == VT_I64;
    if (b.kind == K_CONST && emit_div_by_constant(c, n, &a, (uint32_t)b.cval, d))
        return;
    if (n->op_imm >= 0 && b.kind == K_CONST) {
        uint64_t imm = b.cval;
        if (n->flags & NF_SUB)
            imm = is64 ? 0 - imm : (uint32_t)(0u - (uint32_t)imm); /* unsigned: no overflow */
        if (fuse_mix_multiply(c, n, &a, d, (uint32_t)imm))
            return;
        /* (A constant first operand is written to its slot by operand_slot.) */
        emit_with_imm(c, n, n->op_imm, d, operand_slot(c, &a), imm, n->cmp);
        return;
    }
    if (n->op_imm >= 0 && a.kind == K_CONST) {
        if (n->flags & NF_COMMUTATIVE) {
            if (fuse_mix_multiply(c, n, &b, d, (uint32_t)a.cval))
                return;
            emit_with_imm(c, n, n->op_imm, d, operand_slot(c, &b), a.cval, n->cmp);
            return;
        }
        if (n->cmp >= 0) {
            int sw = cmp_swapped[n->cmp];
            int imm_op = (is64 ? OP_i64_eq_imm : OP_i32_eq_imm) + sw;
            emit_with_imm(c, n, imm_op, d, operand_slot(c, &b), a.cval, sw);
            return;
        }
        if (n->flags & NF_SUB) {
            emit_with_imm(c, n, is64 ? OP_i64_sub_imm_rev : OP_i32_sub_imm_rev, d,
                          operand_slot(c, &b), a.cval, -1);
            return;
        }
    }
    if (fuse_shifted_operand(c, n, &a, &b, d) || fuse_load_operand(c, n, &a, &b, d) ||
        fuse_product_operand(c, n, &a, &b, d))
        return;
    uint32_t sa = operand_slot(c, &a);
    uint32_t sb = operand_slot(c, &b);
    if (n->op == OP_i32_add) {
        emit_add(c, d, sa, sb);
        return;
    }
    size_t at = emit_op(c, (op)n->op);
    emit_w(c, at + 2, d);
    emit_w(c, at + 3, sa);
    emit_w(c, at + 4, sb);
    if (n->cmp >= 0)
        remember_cmp(c, at, d, n->cmp, is64, false, sa, sb, 0);
    else
        set_last_dst(c, at, d);
}

void compile_numeric(compiler *c, const numop *n)
{
    if (n->arity == 0)
        cfail(c, "illegal opcode");
    if (n->flags & NF_RETYPE) {
        /* Same bits, new type: the entry stays where it is (lazy or not). */
        ventry *top = NULL;
        if (c->nvals > top_frame(c)->height)
            top = &c->vals[c->nvals - 1];
        ventry a = pop_expect(c, n->in);
        (void)a;
        if (top) {
            c->nvals++;
            if (vkind_lazy(top->kind))
                c->nlazy++;
            top->type = n->out;
        } else {
            push_val(c, n->out);
        }
        return;
    }
    ventry b = {0};
    if (n->arity == 2)
        b = pop_expect(c, n->in);
    ventry a = pop_expect(c, n->in);
    ventry *r = push_val(c, n->out);
    if (!c->emitting)
        return;
    if (n->arity == 1)
        emit_unary(c, n, a, r->pos);
    else if (!((n->flags & NF_ADDK) && lazy_add(c, n, &a, &b, r)))
        emit_binary(c, n, a, b, r->pos);
}
