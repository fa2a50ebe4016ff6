/* compile_simd.c — decodes, validates and emits the 0xFD-prefixed SIMD
 * instructions (WebAssembly 2.0's 236 vector instructions).
 *
 * One table, indexed by the SIMD opcode, gives each instruction's form (its
 * immediates and operand types) and the internal op it becomes (ops_simd.h).
 * Several Wasm instructions share an op when they move the same bits
 * (i32x4.splat and f32x4.splat are both v32_splat). v128 values never stay
 * lazy constants: v128.const is written to its stack slot at once, since
 * the operand model keeps at most 64 bits per constant. */
#include <string.h>

#include "compile.h"

typedef enum simd_form {
    SF_NONE,       /* not an instruction */
    SF_LOAD,       /* memarg:            [i32] -> [v128] */
    SF_STORE,      /* memarg:            [i32 v128] -> [] */
    SF_LOAD_LANE,  /* memarg, lane:      [i32 v128] -> [v128] */
    SF_STORE_LANE, /* memarg, lane:      [i32 v128] -> [] */
    SF_CONST,      /* 16 bytes:          [] -> [v128] */
    SF_SHUFFLE,    /* 16 lanes < 32:     [v128 v128] -> [v128] */
    SF_SPLAT,      /*                    [t] -> [v128] */
    SF_EXTRACT,    /* lane:              [v128] -> [t] */
    SF_REPLACE,    /* lane:              [v128 t] -> [v128] */
    SF_UNARY,      /*                    [v128] -> [v128] */
    SF_BINARY,     /*                    [v128 v128] -> [v128] */
    SF_TERNARY,    /*                    [v128 v128 v128] -> [v128] */
    SF_TEST,       /*                    [v128] -> [i32] */
    SF_SHIFT       /*                    [v128 i32] -> [v128] */
} simd_form;

typedef struct simd_op {
    uint8_t form;  /* simd_form */
    uint8_t log2;  /* memory: access width (= natural alignment); lanes: lane width; log2 bytes */
    valtype t;     /* splat, extract, replace: the scalar type */
    int16_t op;
} simd_op;

#define SIMD_OPCODES 256 /* every SIMD opcode of Wasm 2.0 is below 0x100 */
#define SHUFFLE_LANES 32 /* lane indices of the two concatenated inputs */

#define MEM(form, log2, o) {form, log2, 0, OP_##o}
#define LANE(form, log2, t, o) {form, log2, VT_##t, OP_##o}
#define UN(o) {SF_UNARY, 0, 0, OP_##o}
#define BIN(o) {SF_BINARY, 0, 0, OP_##o}
#define TEST(o) {SF_TEST, 0, 0, OP_##o}
#define SHIFT(o) {SF_SHIFT, 0, 0, OP_##o}

static const simd_op simd_ops[SIMD_OPCODES] = {
    [0x00] = MEM(SF_LOAD, 4, v128_load),
    [0x01] = MEM(SF_LOAD, 3, v128_load8x8_s), [0x02] = MEM(SF_LOAD, 3, v128_load8x8_u),
    [0x03] = MEM(SF_LOAD, 3, v128_load16x4_s), [0x04] = MEM(SF_LOAD, 3, v128_load16x4_u),
    [0x05] = MEM(SF_LOAD, 3, v128_load32x2_s), [0x06] = MEM(SF_LOAD, 3, v128_load32x2_u),
    [0x07] = MEM(SF_LOAD, 0, v128_load8_splat), [0x08] = MEM(SF_LOAD, 1, v128_load16_splat),
    [0x09] = MEM(SF_LOAD, 2, v128_load32_splat), [0x0A] = MEM(SF_LOAD, 3, v128_load64_splat),
    [0x0B] = MEM(SF_STORE, 4, v128_store),
    [0x0C] = {SF_CONST, 0, 0, OP_const128},
    [0x0D] = {SF_SHUFFLE, 0, 0, OP_i8x16_shuffle},
    [0x0E] = BIN(i8x16_swizzle),
    [0x0F] = LANE(SF_SPLAT, 0, I32, v8_splat), [0x10] = LANE(SF_SPLAT, 1, I32, v16_splat),
    [0x11] = LANE(SF_SPLAT, 2, I32, v32_splat), [0x12] = LANE(SF_SPLAT, 3, I64, v64_splat),
    [0x13] = LANE(SF_SPLAT, 2, F32, v32_splat), [0x14] = LANE(SF_SPLAT, 3, F64, v64_splat),
    [0x15] = LANE(SF_EXTRACT, 0, I32, i8x16_extract_lane_s),
    [0x16] = LANE(SF_EXTRACT, 0, I32, i8x16_extract_lane_u),
    [0x17] = LANE(SF_REPLACE, 0, I32, v8_replace_lane),
    [0x18] = LANE(SF_EXTRACT, 1, I32, i16x8_extract_lane_s),
    [0x19] = LANE(SF_EXTRACT, 1, I32, i16x8_extract_lane_u),
    [0x1A] = LANE(SF_REPLACE, 1, I32, v16_replace_lane),
    [0x1B] = LANE(SF_EXTRACT, 2, I32, v32_extract_lane),
    [0x1C] = LANE(SF_REPLACE, 2, I32, v32_replace_lane),
    [0x1D] = LANE(SF_EXTRACT, 3, I64, v64_extract_lane),
    [0x1E] = LANE(SF_REPLACE, 3, I64, v64_replace_lane),
    [0x1F] = LANE(SF_EXTRACT, 2, F32, v32_extract_lane),
    [0x20] = LANE(SF_REPLACE, 2, F32, v32_replace_lane),
    [0x21] = LANE(SF_EXTRACT, 3, F64, v64_extract_lane),
    [0x22] = LANE(SF_REPLACE, 3, F64, v64_replace_lane),
    [0x23] = BIN(i8x16_eq), [0x24] = BIN(i8x16_ne), [0x25] = BIN(i8x16_lt_s),
    [0x26] = BIN(i8x16_lt_u), [0x27] = BIN(i8x16_gt_s), [0x28] = BIN(i8x16_gt_u),
    [0x29] = BIN(i8x16_le_s), [0x2A] = BIN(i8x16_le_u), [0x2B] = BIN(i8x16_ge_s),
    [0x2C] = BIN(i8x16_ge_u),
    [0x2D] = BIN(i16x8_eq), [0x2E] = BIN(i16x8_ne), [0x2F] = BIN(i16x8_lt_s),
    [0x30] = BIN(i16x8_lt_u), [0x31] = BIN(i16x8_gt_s), [0x32] = BIN(i16x8_gt_u),
    [0x33] = BIN(i16x8_le_s), [0x34] = BIN(i16x8_le_u), [0x35] = BIN(i16x8_ge_s),
    [0x36] = BIN(i16x8_ge_u),
    [0x37] = BIN(i32x4_eq), [0x38] = BIN(i32x4_ne), [0x39] = BIN(i32x4_lt_s),
    [0x3A] = BIN(i32x4_lt_u), [0x3B] = BIN(i32x4_gt_s), [0x3C] = BIN(i32x4_gt_u),
    [0x3D] = BIN(i32x4_le_s), [0x3E] = BIN(i32x4_le_u), [0x3F] = BIN(i32x4_ge_s),
    [0x40] = BIN(i32x4_ge_u),
    [0x41] = BIN(f32x4_eq), [0x42] = BIN(f32x4_ne), [0x43] = BIN(f32x4_lt),
    [0x44] = BIN(f32x4_gt), [0x45] = BIN(f32x4_le), [0x46] = BIN(f32x4_ge),
    [0x47] = BIN(f64x2_eq), [0x48] = BIN(f64x2_ne), [0x49] = BIN(f64x2_lt),
    [0x4A] = BIN(f64x2_gt), [0x4B] = BIN(f64x2_le), [0x4C] = BIN(f64x2_ge),
    [0x4D] = UN(v128_not), [0x4E] = BIN(v128_and), [0x4F] = BIN(v128_andnot),
    [0x50] = BIN(v128_or), [0x51] = BIN(v128_xor),
    [0x52] = {SF_TERNARY, 0, 0, OP_v128_bitselect},
    [0x53] = TEST(v128_any_true),
    [0x54] = MEM(SF_LOAD_LANE, 0, v128_load8_lane), [0x55] = MEM(SF_LOAD_LANE, 1, v128_load16_lane),
    [0x56] = MEM(SF_LOAD_LANE, 2, v128_load32_lane), [0x57] = MEM(SF_LOAD_LANE, 3, v128_load64_lane),
    [0x58] = MEM(SF_STORE_LANE, 0, v128_store8_lane),
    [0x59] = MEM(SF_STORE_LANE, 1, v128_store16_lane),
    [0x5A] = MEM(SF_STORE_LANE, 2, v128_store32_lane),
    [0x5B] = MEM(SF_STORE_LANE, 3, v128_store64_lane),
    [0x5C] = MEM(SF_LOAD, 2, v128_load32_zero), [0x5D] = MEM(SF_LOAD, 3, v128_load64_zero),
    [0x5E] = UN(f32x4_demote_f64x2_zero), [0x5F] = UN(f64x2_promote_low_f32x4),
    [0x60] = UN(i8x16_abs), [0x61] = UN(i8x16_neg), [0x62] = UN(i8x16_popcnt),
    [0x63] = TEST(i8x16_all_true), [0x64] = TEST(i8x16_bitmask),
    [0x65] = BIN(i8x16_narrow_i16x8_s), [0x66] = BIN(i8x16_narrow_i16x8_u),
    [0x67] = UN(f32x4_ceil), [0x68] = UN(f32x4_floor), [0x69] = UN(f32x4_trunc),
    [0x6A] = UN(f32x4_nearest),
    [0x6B] = SHIFT(i8x16_shl), [0x6C] = SHIFT(i8x16_shr_s), [0x6D] = SHIFT(i8x16_shr_u),
    [0x6E] = BIN(i8x16_add), [0x6F] = BIN(i8x16_add_sat_s), [0x70] = BIN(i8x16_add_sat_u),
    [0x71] = BIN(i8x16_sub), [0x72] = BIN(i8x16_sub_sat_s), [0x73] = BIN(i8x16_sub_sat_u),
    [0x74] = UN(f64x2_ceil), [0x75] = UN(f64x2_floor),
    [0x76] = BIN(i8x16_min_s), [0x77] = BIN(i8x16_min_u), [0x78] = BIN(i8x16_max_s),
    [0x79] = BIN(i8x16_max_u),
    [0x7A] = UN(f64x2_trunc),
    [0x7B] = BIN(i8x16_avgr_u),
    [0x7C] = UN(i16x8_extadd_pairwise_i8x16_s), [0x7D] = UN(i16x8_extadd_pairwise_i8x16_u),
    [0x7E] = UN(i32x4_extadd_pairwise_i16x8_s), [0x7F] = UN(i32x4_extadd_pairwise_i16x8_u),
    [0x80] = UN(i16x8_abs), [0x81] = UN(i16x8_neg), [0x82] = BIN(i16x8_q15mulr_sat_s),
    [0x83] = TEST(i16x8_all_true), [0x84] = TEST(i16x8_bitmask),
    [0x85] = BIN(i16x8_narrow_i32x4_s), [0x86] = BIN(i16x8_narrow_i32x4_u),
    [0x87] = UN(i16x8_extend_low_i8x16_s), [0x88] = UN(i16x8_extend_high_i8x16_s),
    [0x89] = UN(i16x8_extend_low_i8x16_u), [0x8A] = UN(i16x8_extend_high_i8x16_u),
    [0x8B] = SHIFT(i16x8_shl), [0x8C] = SHIFT(i16x8_shr_s), [0x8D] = SHIFT(i16x8_shr_u),
    [0x8E] = BIN(i16x8_add), [0x8F] = BIN(i16x8_add_sat_s), [0x90] = BIN(i16x8_add_sat_u),
    [0x91] = BIN(i16x8_sub), [0x92] = BIN(i16x8_sub_sat_s), [0x93] = BIN(i16x8_sub_sat_u),
    [0x94] = UN(f64x2_nearest),
    [0x95] = BIN(i16x8_mul),
    [0x96] = BIN(i16x8_min_s), [0x97] = BIN(i16x8_min_u), [0x98] = BIN(i16x8_max_s),
    [0x99] = BIN(i16x8_max_u),
    [0x9B] = BIN(i16x8_avgr_u),
    [0x9C] = BIN(i16x8_extmul_low_i8x16_s), [0x9D] = BIN(i16x8_extmul_high_i8x16_s),
    [0x9E] = BIN(i16x8_extmul_low_i8x16_u), [0x9F] = BIN(i16x8_extmul_high_i8x16_u),
    [0xA0] = UN(i32x4_abs), [0xA1] = UN(i32x4_neg),
    [0xA3] = TEST(i32x4_all_true), [0xA4] = TEST(i32x4_bitmask),
    [0xA7] = UN(i32x4_extend_low_i16x8_s), [0xA8] = UN(i32x4_extend_high_i16x8_s),
    [0xA9] = UN(i32x4_extend_low_i16x8_u), [0xAA] = UN(i32x4_extend_high_i16x8_u),
    [0xAB] = SHIFT(i32x4_shl), [0xAC] = SHIFT(i32x4_shr_s), [0xAD] = SHIFT(i32x4_shr_u),
    [0xAE] = BIN(i32x4_add), [0xB1] = BIN(i32x4_sub), [0xB5] = BIN(i32x4_mul),
    [0xB6] = BIN(i32x4_min_s), [0xB7] = BIN(i32x4_min_u), [0xB8] = BIN(i32x4_max_s),
    [0xB9] = BIN(i32x4_max_u),
    [0xBA] = BIN(i32x4_dot_i16x8_s),
    [0xBC] = BIN(i32x4_extmul_low_i16x8_s), [0xBD] = BIN(i32x4_extmul_high_i16x8_s),
    [0xBE] = BIN(i32x4_extmul_low_i16x8_u), [0xBF] = BIN(i32x4_extmul_high_i16x8_u),
    [0xC0] = UN(i64x2_abs), [0xC1] = UN(i64x2_neg),
    [0xC3] = TEST(i64x2_all_true), [0xC4] = TEST(i64x2_bitmask),
    [0xC7] = UN(i64x2_extend_low_i32x4_s), [0xC8] = UN(i64x2_extend_high_i32x4_s),
    [0xC9] = UN(i64x2_extend_low_i32x4_u), [0xCA] = UN(i64x2_extend_high_i32x4_u),
    [0xCB] = SHIFT(i64x2_shl), [0xCC] = SHIFT(i64x2_shr_s), [0xCD] = SHIFT(i64x2_shr_u),
    [0xCE] = BIN(i64x2_add), [0xD1] = BIN(i64x2_sub), [0xD5] = BIN(i64x2_mul),
    [0xD6] = BIN(i64x2_eq), [0xD7] = BIN(i64x2_ne), [0xD8] = BIN(i64x2_lt_s),
    [0xD9] = BIN(i64x2_gt_s), [0xDA] = BIN(i64x2_le_s), [0xDB] = BIN(i64x2_ge_s),
    [0xDC] = BIN(i64x2_extmul_low_i32x4_s), [0xDD] = BIN(i64x2_extmul_high_i32x4_s),
    [0xDE] = BIN(i64x2_extmul_low_i32x4_u), [0xDF] = BIN(i64x2_extmul_high_i32x4_u),
    [0xE0] = UN(f32x4_abs), [0xE1] = UN(f32x4_neg), [0xE3] = UN(f32x4_sqrt),
    [0xE4] = BIN(f32x4_add), [0xE5] = BIN(f32x4_sub), [0xE6] = BIN(f32x4_mul),
    [0xE7] = BIN(f32x4_div), [0xE8] = BIN(f32x4_min), [0xE9] = BIN(f32x4_max),
    [0xEA] = BIN(f32x4_pmin), [0xEB] = BIN(f32x4_pmax),
    [0xEC] = UN(f64x2_abs), [0xED] = UN(f64x2_neg), [0xEF] = UN(f64x2_sqrt),
    [0xF0] = BIN(f64x2_add), [0xF1] = BIN(f64x2_sub), [0xF2] = BIN(f64x2_mul),
    [0xF3] = BIN(f64x2_div), [0xF4] = BIN(f64x2_min), [0xF5] = BIN(f64x2_max),
    [0xF6] = BIN(f64x2_pmin), [0xF7] = BIN(f64x2_pmax),
    [0xF8] = UN(i32x4_trunc_sat_f32x4_s), [0xF9] = UN(i32x4_trunc_sat_f32x4_u),
    [0xFA] = UN(f32x4_convert_i32x4_s), [0xFB] = UN(f32x4_convert_i32x4_u),
    [0xFC] = UN(i32x4_trunc_sat_f64x2_s_zero), [0xFD] = UN(i32x4_trunc_sat_f64x2_u_zero),
    [0xFE] = UN(f64x2_convert_low_i32x4_s), [0xFF] = UN(f64x2_convert_low_i32x4_u),
};

/* The most words an instruction emitted here has after its handler. */
#define SIMD_MAX_OPERANDS 7

/* ------------------------------------------------------------- immediates */

/* A lane index immediate (one byte) below `lanes`. */
static uint32_t rd_lane(compiler *c, uint32_t lanes)
{
    uint8_t lane = rd_u8(c);
    if (lane >= lanes)
        cfail(c, "invalid lane index");
    return lane;
}

static void rd_v128(compiler *c, uint8_t bytes[16])
{
    read_bytes(&c->r, bytes, 16);
    check_reader(c);
}

/* ------------------------------------------------------------- emission */

/* Pops `nin` operands of the given types (stack order), pushes a result of
 * type `out`, and emits `o` with words: result slot, operand slots, then
 * `extra` immediates. */
static void emit_lanewise(compiler *c, op o, uint32_t nin, const valtype *in, valtype out,
                          const uint32_t *extra, uint32_t nextra)
{
    ventry e[3];
    for (uint32_t i = nin; i-- > 0;)
        e[i] = pop_expect(c, in[i]);
    uint32_t d = push_val(c, out)->pos;
    if (!c->emitting)
        return;
    uint32_t w[SIMD_MAX_OPERANDS];
    uint32_t n = 0;
    w[n++] = d;
    for (uint32_t i = 0; i < nin; i++)
        w[n++] = slot_of(c, &e[i]); /* a constant operand is written to its slot */
    for (uint32_t i = 0; i < nextra; i++)
        w[n++] = extra[i];
    size_t at = emit_op(c, o);
    for (uint32_t i = 0; i < n; i++)
        emit_w(c, at + 2 + i, w[i]);
    /* Handlers read every operand before writing d: a following local.set
     * may retarget d. */
    set_last_dst(c, at, d);
}

static void do_const(compiler *c)
{
    uint8_t bytes[16];
    rd_v128(c, bytes);
    uint32_t d = push_val(c, VT_V128)->pos;
    if (!c->emitting)
        return;
    uint64_t lo, hi;
    memcpy(&lo, bytes, sizeof lo);
    memcpy(&hi, bytes + 8, sizeof hi);
    size_t at = emit_op(c, OP_const128);
    emit_w(c, at + 2, d);
    emit_w64(c, at + 3, lo);
    emit_w64(c, at + 5, hi);
    set_last_dst(c, at, d);
}

static void do_shuffle(compiler *c)
{
    uint8_t idx[16];
    rd_v128(c, idx);
    for (int i = 0; i < 16; i++)
        if (idx[i] >= SHUFFLE_LANES)
            cfail(c, "invalid lane index");
    uint32_t words[4];
    memcpy(words, idx, sizeof words);
    static const valtype in[2] = {VT_V128, VT_V128};
    emit_lanewise(c, OP_i8x16_shuffle, 2, in, VT_V128, words, 4);
}

/* Loads and stores: the address is an i32 below the (optional) vector. */
static void do_memory(compiler *c, const simd_op *s)
{
    uint32_t offset = rd_memarg(c, s->log2);
    bool lane_op = s->form == SF_LOAD_LANE || s->form == SF_STORE_LANE;
    uint32_t lane = lane_op ? rd_lane(c, 16u >> s->log2) : 0;
    ventry v = {0};
    if (s->form != SF_LOAD)
        v = pop_expect(c, VT_V128);
    ventry addr = pop_expect(c, VT_I32);
    bool store = s->form == SF_STORE || s->form == SF_STORE_LANE;
    uint32_t d = store ? 0 : push_val(c, VT_V128)->pos;
    if (!c->emitting)
        return;
    uint32_t vs = s->form != SF_LOAD ? slot_of(c, &v) : 0;
    uint32_t as = slot_of(c, &addr);
    size_t at = emit_op(c, (op)s->op);
    emit_w(c, at + 2, store ? vs : d); /* MEM / MEMLANE: d/v a offset [b lane] */
    emit_w(c, at + 3, as);
    emit_w(c, at + 4, offset);
    if (lane_op) {
        emit_w(c, at + 5, s->form == SF_LOAD_LANE ? vs : 0);
        emit_w(c, at + 6, lane);
    }
    if (!store)
        set_last_dst(c, at, d);
}

static void do_lane_op(compiler *c, const simd_op *s)
{
    uint32_t lanes = 16u >> s->log2;
    valtype in[2] = {VT_V128, s->t};
    switch (s->form) {
    case SF_SPLAT:
        emit_lanewise(c, (op)s->op, 1, &s->t, VT_V128, NULL, 0);
        return;
    case SF_EXTRACT: {
        uint32_t lane = rd_lane(c, lanes);
        emit_lanewise(c, (op)s->op, 1, in, s->t, &lane, 1);
        return;
    }
    default: { /* SF_REPLACE */
        uint32_t lane = rd_lane(c, lanes);
        emit_lanewise(c, (op)s->op, 2, in, VT_V128, &lane, 1);
        return;
    }
    }
}

void compile_simd(compiler *c)
{
    uint32_t sub = rd_u32(c);
    if (c->wm && !(c->wm->engine->config.features & WEFT_FEATURE_SIMD))
        cfail(c, "illegal opcode 0xfd %u (SIMD disabled)", sub);
    const simd_op *s = sub < SIMD_OPCODES ? &simd_ops[sub] : NULL;
    if (!s || s->form == SF_NONE)
        cfail(c, "illegal opcode 0xfd %u", sub);
    static const valtype v3[3] = {VT_V128, VT_V128, VT_V128};
    static const valtype shift_in[2] = {VT_V128, VT_I32};
    switch ((simd_form)s->form) {
    case SF_LOAD:
    case SF_STORE:
    case SF_LOAD_LANE:
    case SF_STORE_LANE: do_memory(c, s); return;
    case SF_CONST: do_const(c); return;
    case SF_SHUFFLE: do_shuffle(c); return;
    case SF_SPLAT:
    case SF_EXTRACT:
    case SF_REPLACE: do_lane_op(c, s); return;
    case SF_UNARY: emit_lanewise(c, (op)s->op, 1, v3, VT_V128, NULL, 0); return;
    case SF_BINARY: emit_lanewise(c, (op)s->op, 2, v3, VT_V128, NULL, 0); return;
    case SF_TERNARY: emit_lanewise(c, (op)s->op, 3, v3, VT_V128, NULL, 0); return;
    case SF_TEST: emit_lanewise(c, (op)s->op, 1, v3, VT_I32, NULL, 0); return;
    case SF_SHIFT: emit_lanewise(c, (op)s->op, 2, shift_in, VT_V128, NULL, 0); return;
    case SF_NONE: break;
    }
    cfail(c, "illegal opcode 0xfd %u", sub);
}
