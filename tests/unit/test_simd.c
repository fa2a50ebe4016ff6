/* test_simd.c — SIMD lane semantics where the host's instructions and Wasm
 * disagree (simd.h, interp_simd.inc) and the SIMD validator's immediates
 * (compile_simd.c). Each case builds a one-function module by hand, passes
 * v128 values across the C API and compares the result lane by lane. The
 * spec suite covers the rest; these are the cases a regression would hit
 * first: min/max of signed zeros and NaN, q15mulr overflow, saturating
 * float-to-int conversion, round-half-even, shift counts, out-of-range lane
 * indices, and an operand aliasing the destination. */
#include <math.h>
#include <stdbool.h>

#include "api_helpers.h"

#define V128 "\x7b"
#define V128_V128 "\x7b\x7b"
#define I32 "\x7f"
#define SIMD 0xFD

/* Opcodes (after the 0xFD prefix) used below. */
enum {
    OP_V128_LOAD = 0x00,
    OP_SHUFFLE = 0x0D,
    OP_I8X16_EXTRACT_LANE_U = 0x16,
    OP_V128_LOAD8_LANE = 0x54,
    OP_F32X4_NEAREST = 0x6A,
    OP_I8X16_SHL = 0x6B,
    OP_I16X8_Q15MULR_SAT_S = 0x82,
    OP_I16X8_SHR_S = 0x8C,
    OP_F32X4_MIN = 0xE8,
    OP_F32X4_MAX = 0xE9,
    OP_F32X4_PMIN = 0xEA,
    OP_I32X4_TRUNC_SAT_F32X4_S = 0xF8,
    OP_I32X4_TRUNC_SAT_F32X4_U = 0xF9,
};

#define F32_CANONICAL_NAN 0x7fc00000u
#define F32_NEG_ZERO 0x80000000u
#define F32_POS_ZERO 0x00000000u
#define F32_ONE 0x3f800000u
#define F32_QUIET_BIT 0x00400000u
#define F32_EXP_MASK 0x7f800000u
#define F32_SIGN_BIT 0x80000000u
#define PAGE 65536

ENGINE_GROUP()

/* ------------------------------------------------------------ values */

static weft_val v128_bytes(const void *bytes)
{
    weft_val v;
    memset(&v, 0, sizeof v);
    v.kind = WEFT_V128;
    memcpy(v.of.v128, bytes, 16);
    return v;
}

static weft_val v128_u32(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    uint32_t lanes[4] = {a, b, c, d};
    return v128_bytes(lanes);
}

static weft_val v128_f32(float a, float b, float c, float d)
{
    float lanes[4] = {a, b, c, d};
    return v128_bytes(lanes);
}

static weft_val v128_i16(const int16_t lanes[8]) { return v128_bytes(lanes); }

static uint32_t lane_u32(const weft_val *v, int i)
{
    uint32_t x;
    memcpy(&x, v->of.v128 + 4 * i, sizeof x);
    return x;
}

static int16_t lane_i16(const weft_val *v, int i)
{
    int16_t x;
    memcpy(&x, v->of.v128 + 2 * i, sizeof x);
    return x;
}

static bool is_f32_nan(uint32_t bits)
{
    return (bits & F32_EXP_MASK) == F32_EXP_MASK && (bits & ~(F32_EXP_MASK | F32_SIGN_BIT)) != 0;
}

/* ------------------------------------------------------------ modules */

/* A module of one function "f" (params -> results) and, if `memory`, one
 * page of memory. `body` holds the instructions after the (empty) local
 * declarations, without the final end. */
static wbuf build(const char *params, const char *results, const wbuf *body, bool memory)
{
    wbuf mod = wb_module();
    wbuf sec = {0};
    WB_BYTES(&sec, 0x01, 0x60);
    wb_name(&sec, params);
    wb_name(&sec, results);
    wb_section(&mod, 1, &sec);
    WB_BYTES(&sec, 0x01, 0x00);
    wb_section(&mod, 3, &sec);
    if (memory) {
        WB_BYTES(&sec, 0x01, 0x00, 0x01); /* one memory, min 1 page */
        wb_section(&mod, 5, &sec);
    }
    WB_BYTES(&sec, 0x01);
    wb_name(&sec, "f");
    WB_BYTES(&sec, 0x00, 0x00);
    wb_section(&mod, 7, &sec);
    WB_BYTES(&sec, 0x01);
    wb_u32(&sec, body->len + 2);
    wb_byte(&sec, 0x00); /* no locals */
    wb_raw(&sec, body->data, body->len);
    wb_byte(&sec, 0x0B);
    wb_section(&mod, 10, &sec);
    return mod;
}

/* Appends a SIMD opcode (prefix, LEB128 opcode). */
static void simd_op(wbuf *b, uint32_t opcode)
{
    wb_byte(b, SIMD);
    wb_u32(b, opcode);
}

/* Compiles `mod` (freed) and calls "f" with `args`. Returns the trap (the
 * caller frees it) or NULL with the one result in *out. */
static weft_trap *run_module(wbuf *mod, const weft_val *args, size_t nargs, weft_val *out)
{
    weft_module *m = must_compile(g_engine, mod);
    weft_instance *inst = must_instantiate(m, NULL);
    weft_func *f = weft_instance_export_func(inst, "f");
    assert_non_null(f);
    weft_trap *t = weft_func_call(f, args, nargs, out, 1);
    weft_instance_delete(inst);
    weft_module_delete(m);
    return t;
}

/* As run_module, for a body that must not trap; frees `body`. */
static weft_val call_body(const char *params, const char *results, wbuf *body, bool memory,
                          const weft_val *args, size_t nargs)
{
    wbuf mod = build(params, results, body, memory);
    wb_free(body);
    weft_val r;
    weft_trap *t = run_module(&mod, args, nargs, &r);
    if (t) {
        print_error("trap: %s\n", weft_trap_message(t));
        weft_trap_delete(t);
        fail();
    }
    return r;
}

/* (v128, v128) -> v128: local.get 0, local.get 1, <simd op>. */
static weft_val binop(uint32_t opcode, weft_val a, weft_val b)
{
    wbuf body = {0};
    WB_BYTES(&body, 0x20, 0x00, 0x20, 0x01);
    simd_op(&body, opcode);
    weft_val args[2] = {a, b};
    weft_val r = call_body(V128_V128, V128, &body, false, args, 2);
    assert_int_equal(r.kind, WEFT_V128);
    return r;
}

/* (v128) -> v128: local.get 0, <simd op>. */
static weft_val unop(uint32_t opcode, weft_val a)
{
    wbuf body = {0};
    WB_BYTES(&body, 0x20, 0x00);
    simd_op(&body, opcode);
    weft_val r = call_body(V128, V128, &body, false, &a, 1);
    assert_int_equal(r.kind, WEFT_V128);
    return r;
}

/* Compiling the module fails with a message containing `message`; frees
 * `body`. */
static void must_reject(const char *params, const char *results, wbuf *body, bool memory,
                        const char *message)
{
    wbuf mod = build(params, results, body, memory);
    wb_free(body);
    weft_module *m = NULL;
    weft_error *err = weft_module_new(g_engine, mod.data, mod.len, &m);
    wb_free(&mod);
    if (!err) {
        weft_module_delete(m);
        print_error("compiled, expected \"%s\"\n", message);
        fail();
    }
    assert_contains(weft_error_message(err), message);
    weft_error_delete(err);
}

/* ------------------------------------------------------------ float lanes */

/* min/max order -0 below +0 (the host's minps returns its second operand
 * for equal inputs) and return NaN when either lane is NaN (minps returns
 * the second operand, which may be the non-NaN one). */
static void test_f32x4_min_max_zero_and_nan(void **state)
{
    (void)state;
    weft_val a = v128_u32(F32_NEG_ZERO, F32_POS_ZERO, F32_CANONICAL_NAN, F32_ONE);
    weft_val b = v128_u32(F32_POS_ZERO, F32_NEG_ZERO, F32_ONE, F32_CANONICAL_NAN);

    weft_val mn = binop(OP_F32X4_MIN, a, b);
    assert_int_equal(lane_u32(&mn, 0), F32_NEG_ZERO);
    assert_int_equal(lane_u32(&mn, 1), F32_NEG_ZERO);
    assert_true(is_f32_nan(lane_u32(&mn, 2)));
    assert_true(is_f32_nan(lane_u32(&mn, 3)));

    weft_val mx = binop(OP_F32X4_MAX, a, b);
    assert_int_equal(lane_u32(&mx, 0), F32_POS_ZERO);
    assert_int_equal(lane_u32(&mx, 1), F32_POS_ZERO);
    assert_true(is_f32_nan(lane_u32(&mx, 2)));
    assert_true(is_f32_nan(lane_u32(&mx, 3)));
}

/* A signalling NaN comes out of min quieted (an arithmetic NaN). */
static void test_f32x4_min_quiets_signalling_nan(void **state)
{
    (void)state;
    const uint32_t snan = 0x7fa00000u;
    weft_val r = binop(OP_F32X4_MIN, v128_u32(snan, F32_ONE, snan, snan),
                       v128_u32(F32_ONE, snan, F32_ONE, F32_ONE));
    for (int i = 0; i < 4; i++) {
        assert_true(is_f32_nan(lane_u32(&r, i)));
        assert_true(lane_u32(&r, i) & F32_QUIET_BIT);
    }
}

/* pmin is exactly b < a ? b : a: bits pass through, NaN in b is ignored. */
static void test_f32x4_pmin_is_a_plain_compare(void **state)
{
    (void)state;
    const uint32_t nan_payload = 0x7fc12345u;
    weft_val r = binop(OP_F32X4_PMIN, v128_u32(F32_NEG_ZERO, F32_ONE, nan_payload, F32_ONE),
                       v128_u32(F32_POS_ZERO, nan_payload, F32_ONE, F32_POS_ZERO));
    assert_int_equal(lane_u32(&r, 0), F32_NEG_ZERO); /* -0 < +0 is false: a */
    assert_int_equal(lane_u32(&r, 1), F32_ONE);      /* NaN < 1 is false: a */
    assert_int_equal(lane_u32(&r, 2), nan_payload);  /* 1 < NaN is false: a, payload kept */
    assert_int_equal(lane_u32(&r, 3), F32_POS_ZERO);
}

/* nearest rounds half to even and keeps the sign of a zero result. */
static void test_f32x4_nearest_half_to_even(void **state)
{
    (void)state;
    weft_val r = unop(OP_F32X4_NEAREST, v128_f32(0.5f, 1.5f, 2.5f, -0.5f));
    float out[4];
    memcpy(out, r.of.v128, sizeof out);
    assert_true(out[0] == 0.0f && !signbit(out[0]));
    assert_true(out[1] == 2.0f);
    assert_true(out[2] == 2.0f);
    assert_true(out[3] == 0.0f && signbit(out[3]));
}

/* ------------------------------------------------------------ integer lanes */

/* (a * b + 0x4000) >> 15 with saturation: only -32768 * -32768 overflows;
 * the shift rounds toward minus infinity. */
static void test_i16x8_q15mulr_sat_overflow(void **state)
{
    (void)state;
    const int16_t a[8] = {INT16_MIN, INT16_MIN, INT16_MAX, 16384, -1, 0, INT16_MAX, -16384};
    const int16_t b[8] = {INT16_MIN, INT16_MAX, INT16_MAX, 16384, 1, INT16_MIN, INT16_MIN, 16384};
    const int16_t want[8] = {INT16_MAX, -32767, 32766, 8192, 0, 0, -32767, -8192};
    weft_val r = binop(OP_I16X8_Q15MULR_SAT_S, v128_i16(a), v128_i16(b));
    for (int i = 0; i < 8; i++) {
        int32_t exact = ((int32_t)a[i] * b[i] + 0x4000) >> 15;
        int16_t expect = exact > INT16_MAX ? INT16_MAX : (int16_t)exact;
        assert_int_equal(expect, want[i]); /* the table above is right */
        assert_int_equal(lane_i16(&r, i), want[i]);
    }
}

/* Saturating conversion: NaN -> 0, infinities and out-of-range values to
 * the bounds, in-range values truncated toward zero (cvttps2dq would give
 * 0x80000000 for all the special cases). */
static void test_i32x4_trunc_sat_f32x4(void **state)
{
    (void)state;
    weft_val s1 = unop(OP_I32X4_TRUNC_SAT_F32X4_S, v128_f32(NAN, INFINITY, -INFINITY, 2147483648.0f));
    assert_int_equal((int32_t)lane_u32(&s1, 0), 0);
    assert_int_equal((int32_t)lane_u32(&s1, 1), INT32_MAX);
    assert_int_equal((int32_t)lane_u32(&s1, 2), INT32_MIN);
    assert_int_equal((int32_t)lane_u32(&s1, 3), INT32_MAX);

    weft_val s2 = unop(OP_I32X4_TRUNC_SAT_F32X4_S, v128_f32(-2147483904.0f, -1.9f, 1.9f, -0.0f));
    assert_int_equal((int32_t)lane_u32(&s2, 0), INT32_MIN);
    assert_int_equal((int32_t)lane_u32(&s2, 1), -1);
    assert_int_equal((int32_t)lane_u32(&s2, 2), 1);
    assert_int_equal((int32_t)lane_u32(&s2, 3), 0);

    weft_val u = unop(OP_I32X4_TRUNC_SAT_F32X4_U, v128_f32(NAN, -1.0f, 4294967296.0f, 3.7f));
    assert_int_equal(lane_u32(&u, 0), 0);
    assert_int_equal(lane_u32(&u, 1), 0);
    assert_int_equal(lane_u32(&u, 2), UINT32_MAX);
    assert_int_equal(lane_u32(&u, 3), 3);
}

/* Shift counts are taken modulo the lane width. */
static void test_shift_count_modulo_lane_width(void **state)
{
    (void)state;
    /* (v128, i32) -> v128: local.get 0, local.get 1, i8x16.shl */
    wbuf body = {0};
    WB_BYTES(&body, 0x20, 0x00, 0x20, 0x01);
    simd_op(&body, OP_I8X16_SHL);
    uint8_t bytes[16];
    for (int i = 0; i < 16; i++)
        bytes[i] = (uint8_t)(i + 1);
    weft_val args[2] = {v128_bytes(bytes), val_i32(9)};
    weft_val r = call_body(V128 I32, V128, &body, false, args, 2);
    for (int i = 0; i < 16; i++)
        assert_int_equal(r.of.v128[i], (uint8_t)((i + 1) << 1));

    /* i16x8.shr_s by 17 is an arithmetic shift by 1 */
    WB_BYTES(&body, 0x20, 0x00, 0x20, 0x01);
    simd_op(&body, OP_I16X8_SHR_S);
    const int16_t lanes[8] = {-4, 4, INT16_MIN, -1, 0, 3, -3, INT16_MAX};
    weft_val args2[2] = {v128_i16(lanes), val_i32(17)};
    r = call_body(V128 I32, V128, &body, false, args2, 2);
    for (int i = 0; i < 8; i++)
        assert_int_equal(lane_i16(&r, i), lanes[i] >> 1);
}

/* ------------------------------------------------------------ validation */

/* () -> v128: two v128.const 0 and an i8x16.shuffle with lane 5 = `lane5`
 * (the other lanes 31 - i). */
static wbuf shuffle_body(uint8_t lane5)
{
    wbuf body = {0};
    const uint8_t zero[16] = {0};
    for (int k = 0; k < 2; k++) {
        simd_op(&body, 0x0C);
        wb_raw(&body, zero, sizeof zero);
    }
    simd_op(&body, OP_SHUFFLE);
    for (int i = 0; i < 16; i++)
        wb_byte(&body, i == 5 ? lane5 : (uint8_t)(31 - i));
    return body;
}

static void test_shuffle_lane_index_bounds(void **state)
{
    (void)state;
    wbuf body = shuffle_body(31); /* indices up to 31 pick from both inputs */
    call_body("", V128, &body, false, NULL, 0);
    body = shuffle_body(32);
    must_reject("", V128, &body, false, "invalid lane index");
    body = shuffle_body(255);
    must_reject("", V128, &body, false, "invalid lane index");
}

static void test_lane_index_and_alignment(void **state)
{
    (void)state;
    /* (v128) -> i32: local.get 0, i8x16.extract_lane_u 16 */
    wbuf body = {0};
    WB_BYTES(&body, 0x20, 0x00);
    simd_op(&body, OP_I8X16_EXTRACT_LANE_U);
    wb_byte(&body, 16);
    must_reject(V128, I32, &body, false, "invalid lane index");

    /* (v128) -> v128: i32.const 0, local.get 0, v128.load8_lane align 0 offset 0 lane */
    for (int lane = 15; lane <= 16; lane++) {
        WB_BYTES(&body, 0x41, 0x00, 0x20, 0x00);
        simd_op(&body, OP_V128_LOAD8_LANE);
        WB_BYTES(&body, 0x00, 0x00, (uint8_t)lane);
        if (lane < 16) {
            weft_val a = v128_u32(0, 0, 0, 0);
            call_body(V128, V128, &body, true, &a, 1);
        } else {
            must_reject(V128, V128, &body, true, "invalid lane index");
        }
    }

    /* () -> v128: i32.const 0, v128.load align=2^align: 16 bytes at most */
    for (uint8_t align = 4; align <= 5; align++) {
        WB_BYTES(&body, 0x41, 0x00);
        simd_op(&body, OP_V128_LOAD);
        WB_BYTES(&body, align, 0x00);
        if (align == 4)
            call_body("", V128, &body, true, NULL, 0);
        else
            must_reject("", V128, &body, true, "alignment must not be larger than natural");
    }

    /* an opcode that is not assigned */
    WB_BYTES(&body, 0x20, 0x00);
    simd_op(&body, 0x9A);
    must_reject(V128, V128, &body, false, "illegal opcode");
}

/* v128.load checks all 16 bytes: ea + 16 <= size, with ea computed in 64
 * bits (no wrap of address + offset). */
static void test_v128_load_bounds(void **state)
{
    (void)state;
    const struct {
        int32_t addr;
        uint32_t offset;
        bool traps;
    } cases[] = {
        {PAGE - 16, 0, false}, {PAGE - 15, 0, true}, {PAGE - 32, 16, false},
        {PAGE - 31, 16, true}, {-1, 1, true},        {0, UINT32_MAX, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* (i32) -> v128: local.get 0, v128.load align 0 offset */
        wbuf body = {0};
        WB_BYTES(&body, 0x20, 0x00);
        simd_op(&body, OP_V128_LOAD);
        wb_byte(&body, 0x00);
        wb_u32(&body, cases[i].offset);
        wbuf mod = build(I32, V128, &body, true);
        wb_free(&body);
        weft_val arg = val_i32(cases[i].addr), r;
        weft_trap *t = run_module(&mod, &arg, 1, &r);
        if (cases[i].traps) {
            assert_non_null(t);
            assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_MEMORY_OUT_OF_BOUNDS);
            weft_trap_delete(t);
        } else {
            assert_null(t);
        }
    }
}

/* ------------------------------------------------------------ aliasing */

/* local.set after a SIMD op makes the op write the local directly, while
 * the same local is also its operand: the handler must read first. */
static void test_destination_aliases_operand(void **state)
{
    (void)state;
    /* (v128) -> v128: local.get 0, local.get 0, i8x16.shuffle 15..0,
     * local.set 0, local.get 0 */
    wbuf body = {0};
    WB_BYTES(&body, 0x20, 0x00, 0x20, 0x00);
    simd_op(&body, OP_SHUFFLE);
    for (int i = 0; i < 16; i++)
        wb_byte(&body, (uint8_t)(15 - i));
    WB_BYTES(&body, 0x21, 0x00, 0x20, 0x00);
    uint8_t bytes[16];
    for (int i = 0; i < 16; i++)
        bytes[i] = (uint8_t)i;
    weft_val a = v128_bytes(bytes);
    weft_val r = call_body(V128, V128, &body, false, &a, 1);
    for (int i = 0; i < 16; i++)
        assert_int_equal(r.of.v128[i], 15 - i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_f32x4_min_max_zero_and_nan),
        cmocka_unit_test(test_f32x4_min_quiets_signalling_nan),
        cmocka_unit_test(test_f32x4_pmin_is_a_plain_compare),
        cmocka_unit_test(test_f32x4_nearest_half_to_even),
        cmocka_unit_test(test_i16x8_q15mulr_sat_overflow),
        cmocka_unit_test(test_i32x4_trunc_sat_f32x4),
        cmocka_unit_test(test_shift_count_modulo_lane_width),
        cmocka_unit_test(test_shuffle_lane_index_bounds),
        cmocka_unit_test(test_lane_index_and_alignment),
        cmocka_unit_test(test_v128_load_bounds),
        cmocka_unit_test(test_destination_aliases_operand),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
