/* test_compile_code.c — what the compiler makes of small bodies, read back
 * through weft_module_disassemble: the instruction selection the
 * interpreter's speed depends on (slot forwarding, immediates, fused
 * compare+branch, superinstructions) is kept, and the disassembler itself
 * works. Each case also runs the function, so a selection is checked to be
 * right, not only present. */
#include "api_helpers.h"

#include <math.h>

#include "numeric.h"

ENGINE_GROUP()

/* Like wb_func_module, with one page of memory (section 5) whose first
 * eight bytes are 1..8 (a data segment). */
static wbuf func_module_with_memory(const char *params, const char *results, const uint8_t *body,
                                    size_t body_len)
{
    wbuf mod = wb_module();
    wbuf sec = {0};
    wb_u32(&sec, 1);
    wb_byte(&sec, 0x60);
    wb_name(&sec, params);
    wb_name(&sec, results);
    wb_section(&mod, 1, &sec);
    WB_BYTES(&sec, 0x01, 0x00);
    wb_section(&mod, 3, &sec);
    WB_BYTES(&sec, 0x01, 0x00, 0x01); /* one memory, min 1 page */
    wb_section(&mod, 5, &sec);
    wb_u32(&sec, 1);
    wb_name(&sec, "f");
    WB_BYTES(&sec, 0x00, 0x00);
    wb_section(&mod, 7, &sec);
    wb_u32(&sec, 1);
    wb_u32(&sec, body_len);
    wb_raw(&sec, body, body_len);
    wb_section(&mod, 10, &sec);
    /* active segment at i32.const 0: bytes 1..8 */
    WB_BYTES(&sec, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x08, 1, 2, 3, 4, 5, 6, 7, 8);
    wb_section(&mod, 11, &sec);
    return mod;
}

#define WB_MEM_FUNC(params, results, ...)                                          \
    func_module_with_memory((params), (results), (const uint8_t[]){__VA_ARGS__},   \
                            sizeof((const uint8_t[]){__VA_ARGS__}))

/* The disassembly of function `func` of `m` (freed by the caller). */
static char *code_of_func(weft_module *m, uint32_t func)
{
    uint8_t *text = NULL;
    size_t len = 0;
    weft_error *err = weft_module_disassemble(m, func, &text, &len);
    if (err) {
        print_error("disassemble: %s\n", weft_error_message(err));
        weft_error_delete(err);
        fail();
    }
    assert_int_equal(strlen((char *)text), len);
    return (char *)text;
}

static char *code_of(weft_module *m) { return code_of_func(m, 0); }

/* m's code has the op `has` and, unless lacks is NULL, nothing matching
 * `lacks`. */
static void expect_code(weft_module *m, const char *has, const char *lacks)
{
    char *text = code_of(m);
    assert_contains(text, has);
    if (lacks)
        assert_null(strstr(text, lacks));
    weft_bytes_delete((uint8_t *)text);
}

static int count_instructions(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, "\n  ")) != NULL; p++)
        n++;
    return n;
}

static weft_val call_first(weft_module *m, const weft_val *args, size_t nargs)
{
    weft_instance *inst = must_instantiate(m, NULL);
    weft_func *f = weft_instance_export_func(inst, "f");
    assert_non_null(f);
    weft_val res[1];
    weft_trap *trap = weft_func_call(f, args, nargs, res, 1);
    if (trap) {
        print_error("trap: %s\n", weft_trap_message(trap));
        weft_trap_delete(trap);
        fail();
    }
    weft_instance_delete(inst);
    return res[0];
}

static int32_t call_i32(weft_module *m, const weft_val *args, size_t nargs)
{
    return call_first(m, args, nargs).of.i32;
}

static void test_disassemble_errors(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("", "\x7f", 0x00, 0x41, 0x07, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    uint8_t *text = NULL;
    size_t len = 0;
    weft_error *err = weft_module_disassemble(m, 1, &text, &len);
    assert_non_null(err);
    assert_int_equal(weft_error_kind_of(err), WEFT_ERROR_ARGUMENT);
    weft_error_delete(err);
    assert_null(text);
    assert_null(weft_module_disassemble(m, UINT32_MAX, &text, &len));
    assert_contains((char *)text, "func 0");
    assert_contains((char *)text, "enter");
    weft_bytes_delete(text);
    weft_module_delete(m);
}

/* local.get 0; i32.const 5; i32.add; return: one add with an immediate
 * straight from the parameter's slot. */
static void test_immediate_operand(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7f", "\x7f", 0x00, 0x20, 0x00, 0x41, 0x05, 0x6A, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    char *text = code_of(m);
    assert_contains(text, "i32_add_imm");
    assert_contains(text, " s0 5");
    weft_bytes_delete((uint8_t *)text);
    weft_val a = val_i32(37);
    assert_int_equal(call_i32(m, &a, 1), 42);
    weft_module_delete(m);
}

/* p0 - INT64_MIN: the subtraction becomes an add of the negated constant,
 * which must wrap (negating INT64_MIN in int64_t was undefined behaviour:
 * UBSan, in the sanitizer build's run of this test, reports it). */
static void test_subtract_most_negative(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7e", "\x7e", 0x00, 0x20, 0x00, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                       0x80, 0x80, 0x80, 0x7F, 0x7D, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "i64_add_imm", NULL);
    weft_val a = val_i64(5);
    assert_true(call_first(m, &a, 1).of.i64 == INT64_MIN + 5);
    weft_module_delete(m);
}

/* A counting loop: the counter's step, the compare and the back-edge fuse
 * into one instruction. */
static void test_fused_loop_branch(void **state)
{
    (void)state;
    /* (local i32) loop: l1 += 1; br_if (l1 < p0); end; l1 */
    wbuf mod = WB_FUNC("\x7f", "\x7f", 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x41, 0x01,
                       0x6A, 0x21, 0x01, 0x20, 0x01, 0x20, 0x00, 0x48, 0x0D, 0x00, 0x0B, 0x20,
                       0x01, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    char *text = code_of(m);
    assert_contains(text, "br_inc_lt_s_bk");
    assert_null(strstr(text, "copy"));
    /* enter, step+compare+branch, return */
    assert_int_equal(count_instructions(text), 3);
    weft_bytes_delete((uint8_t *)text);
    weft_val a = val_i32(1000);
    assert_int_equal(call_i32(m, &a, 1), 1000);
    weft_module_delete(m);
}

/* i32.load8_u (p0 + 8): the add folds into the load's address, and keeps
 * i32.add's wrap-around: p0 = -4 reads byte 4, where an offset of 8 would
 * be out of bounds. */
static void test_address_plus_constant(void **state)
{
    (void)state;
    wbuf mod = WB_MEM_FUNC("\x7f", "\x7f", 0x00, 0x20, 0x00, 0x41, 0x08, 0x6A, 0x2D, 0x00, 0x00,
                           0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "load8_u_k", "i32_add");
    weft_val a = val_i32(-4);
    assert_int_equal(call_i32(m, &a, 1), 5);
    a = val_i32(-8);
    assert_int_equal(call_i32(m, &a, 1), 1);
    weft_module_delete(m);
}

/* i32.load8_u (p1 + (p0 << 1)): the shift and the add fold into the load. */
static void test_scaled_index_address(void **state)
{
    (void)state;
    wbuf mod = WB_MEM_FUNC("\x7f\x7f", "\x7f", 0x00, 0x20, 0x01, 0x20, 0x00, 0x41, 0x01, 0x74,
                           0x6A, 0x2D, 0x00, 0x00, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "load8_u_x", "shl");
    weft_val a[2] = {val_i32(2), val_i32(1)};
    assert_int_equal(call_i32(m, a, 2), 6);
    weft_module_delete(m);
}

/* loop { mem8[p0] = 7; p0 -= 1; br_if p0 } return mem8[1]: the constant
 * stored in the loop comes from the constant pool, not a const64 per
 * iteration. */
static void test_loop_constant_pool(void **state)
{
    (void)state;
    wbuf mod = WB_MEM_FUNC("\x7f", "\x7f", 0x00, 0x03, 0x40, 0x20, 0x00, 0x41, 0x07, 0x3A, 0x00,
                           0x00, 0x20, 0x00, 0x41, 0x7F, 0x6A, 0x22, 0x00, 0x0D, 0x00, 0x0B, 0x41,
                           0x01, 0x2D, 0x00, 0x00, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    char *text = code_of(m);
    assert_contains(text, "enter_pool");
    assert_contains(text, "pool ");
    /* one const64: the address after the loop */
    int nconst = 0;
    for (const char *k = text; (k = strstr(k, "const64")) != NULL; k++)
        nconst++;
    assert_int_equal(nconst, 1);
    weft_bytes_delete((uint8_t *)text);
    weft_val a = val_i32(3);
    assert_int_equal(call_i32(m, &a, 1), 7);
    weft_module_delete(m);
}

/* p0 ^ (p0 >> 3): the shift moves into the xor. And p0 ^ (p1 << 7),
 * p0 ^ (p1 >> 7), p0 ^ rotl(p1, 7): each one fused op, chosen by the
 * shift's place in the op list (ops.h order matters). */
static void test_xor_shifted(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x00, 0x41, 0x03, 0x76, 0x73, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "i32_xor_shr_u", "shr_u_imm");
    weft_val a = val_i32(0x50);
    assert_int_equal(call_i32(m, &a, 1), 0x50 ^ 0x0A);
    weft_module_delete(m);

    static const struct {
        uint8_t shift; /* the Wasm opcode */
        const char *op;
    } cases[3] = {{0x74, "i32_xor_shl"}, {0x76, "i32_xor_shr_u"}, {0x77, "i32_xor_rotl"}};
    const uint32_t x = 0x12345678, y = 0x9abcdef0;
    const uint32_t want[3] = {x ^ (y << 7), x ^ (y >> 7), x ^ ((y << 7) | (y >> 25))};
    for (int i = 0; i < 3; i++) {
        wbuf two = WB_FUNC("\x7f\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x07,
                           cases[i].shift, 0x73, 0x0B);
        m = must_compile(g_engine, &two);
        expect_code(m, cases[i].op, NULL);
        weft_val args[2] = {val_i32((int32_t)x), val_i32((int32_t)y)};
        assert_int_equal((uint32_t)call_i32(m, args, 2), want[i]);
        weft_module_delete(m);
    }
}

static weft_val val_f64(double v)
{
    weft_val x;
    memset(&x, 0, sizeof x);
    x.kind = WEFT_F64;
    x.of.f64 = v;
    return x;
}

/* f64.mul then f64.add/sub of the product: one instruction, with the
 * product rounded on its own. For a = 1 + 2^-30, b = 1 - 2^-30 the exact
 * product 1 - 2^-60 rounds to 1, so a*b - 1 is 0; an FMA would give -2^-60. */
static void test_f64_mul_then_add(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        double c, want;
    } cases[] = {
        {"f64_mul_add", -1.0, 0.0}, /* p0 * p1 + p2 */
        {"f64_mul_sub", 1.0, 0.0},  /* p0 * p1 - p2 */
        {"f64_mul_rsub", 1.0, 0.0}, /* p2 - p0 * p1 */
    };
    wbuf mods[3] = {
        WB_FUNC("\x7c\x7c\x7c", "\x7c", 0x00, 0x20, 0x00, 0x20, 0x01, 0xA2, 0x20, 0x02, 0xA0, 0x0B),
        WB_FUNC("\x7c\x7c\x7c", "\x7c", 0x00, 0x20, 0x00, 0x20, 0x01, 0xA2, 0x20, 0x02, 0xA1, 0x0B),
        WB_FUNC("\x7c\x7c\x7c", "\x7c", 0x00, 0x20, 0x02, 0x20, 0x00, 0x20, 0x01, 0xA2, 0xA1, 0x0B),
    };
    for (size_t i = 0; i < 3; i++) {
        weft_module *m = must_compile(g_engine, &mods[i]);
        expect_code(m, cases[i].op, "f64_mul ");
        weft_val args[3] = {val_f64(1.0 + 0x1p-30), val_f64(1.0 - 0x1p-30), val_f64(cases[i].c)};
        weft_val r = call_first(m, args, 3);
        assert_true(r.of.f64 == cases[i].want);
        assert_false(signbit(r.of.f64));
        weft_val plain[3] = {val_f64(3.0), val_f64(5.0), val_f64(2.0)};
        double want = i == 0 ? 17.0 : i == 1 ? 13.0 : -13.0;
        assert_true(call_first(m, plain, 3).of.f64 == want);
        weft_module_delete(m);
    }
}

/* p0 += 1; p1 += 2 (one add_imm2); return p0 - p1 */
static void test_two_steps(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7f\x7f", "\x7f", 0x00, 0x20, 0x00, 0x41, 0x01, 0x6A, 0x21, 0x00, 0x20,
                       0x01, 0x41, 0x02, 0x6A, 0x21, 0x01, 0x20, 0x00, 0x20, 0x01, 0x6B, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "i32_add_imm2", NULL);
    weft_val a[2] = {val_i32(50), val_i32(7)};
    assert_int_equal(call_i32(m, a, 2), 42);
    weft_module_delete(m);
}

/* (p0 + p1) * (p2 + p3) and (p0 + p1 + p2) * p3: the two adds, side by side
 * or one feeding the other, are one i32_add2. */
static void test_two_adds(void **state)
{
    (void)state;
    wbuf mods[2] = {
        WB_FUNC("\x7f\x7f\x7f\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x20, 0x02, 0x20,
                0x03, 0x6A, 0x6C, 0x0B),
        WB_FUNC("\x7f\x7f\x7f\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x20, 0x02, 0x6A,
                0x20, 0x03, 0x6C, 0x0B),
    };
    const int32_t want[2] = {(3 + 4) * (5 + 6), (3 + 4 + 5) * 6};
    for (size_t i = 0; i < 2; i++) {
        weft_module *m = must_compile(g_engine, &mods[i]);
        expect_code(m, "i32_add2", "i32_add ");
        weft_val a[4] = {val_i32(3), val_i32(4), val_i32(5), val_i32(6)};
        assert_int_equal(call_i32(m, a, 4), want[i]);
        weft_module_delete(m);
    }
}

/* l1 = p0 - 2 (local.tee); p0 = l1; return p0 * l1: the step and the copy
 * are one i32_add_imm_copy. */
static void test_step_kept_in_two(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7f", "\x7f", 0x01, 0x01, 0x7F, 0x20, 0x00, 0x41, 0x7E, 0x6A, 0x22, 0x01,
                       0x21, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6C, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "i32_add_imm_copy", "  copy ");
    weft_val a = val_i32(9);
    assert_int_equal(call_i32(m, &a, 1), 49);
    weft_module_delete(m);
}

/* p0 * f64.load (i32.const 0): the load moves into the multiplication. The
 * eight bytes 1..8 of the data segment read as a double are `stored`. */
static void test_f64_load_operand(void **state)
{
    (void)state;
    wbuf mod = WB_MEM_FUNC("\x7c", "\x7c", 0x00, 0x20, 0x00, 0x41, 0x00, 0x2B, 0x03, 0x00, 0xA2,
                           0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "f64_mul_m", "load64");
    weft_instance *inst = must_instantiate(m, NULL);
    weft_val arg, res;
    memset(&arg, 0, sizeof arg);
    arg.kind = WEFT_F64;
    arg.of.f64 = 2.0;
    weft_trap *trap = weft_func_call(weft_instance_export_func(inst, "f"), &arg, 1, &res, 1);
    assert_null(trap);
    const uint8_t bytes[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    double stored;
    memcpy(&stored, bytes, sizeof stored);
    assert_true(res.of.f64 == 2.0 * stored);
    weft_instance_delete(inst);
    weft_module_delete(m);
}

/* p0 ^ *(u8 *)p1 and *(u8 *)(p1 + 1) ^ p0: the byte load moves into the
 * xor (i32_xor_m8, i32_xor_mk8 for the folded add; either operand order),
 * and an address past the memory still traps. Memory starts 1, 2, 3, 4. */
static void test_xor_byte_operand(void **state)
{
    (void)state;
    static const char *const ops[2] = {"i32_xor_m8", "i32_xor_mk8"};
    wbuf mods[2] = {
        WB_MEM_FUNC("\x7f\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x01, 0x2D, 0x00, 0x00, 0x73, 0x0B),
        WB_MEM_FUNC("\x7f\x7f", "\x7f", 0x00, 0x20, 0x01, 0x41, 0x01, 0x6A, 0x2D, 0x00, 0x00, 0x20,
                    0x00, 0x73, 0x0B),
    };
    for (int i = 0; i < 2; i++) {
        weft_module *m = must_compile(g_engine, &mods[i]);
        expect_code(m, ops[i], "load8_u");
        weft_instance *inst = must_instantiate(m, NULL);
        weft_func *f = weft_instance_export_func(inst, "f");
        weft_val args[2] = {val_i32(0x100), val_i32(2)}, res;
        assert_null(weft_func_call(f, args, 2, &res, 1));
        assert_int_equal(res.of.i32, 0x100 ^ (3 + i)); /* the byte at 2, or at 3 */
        args[1] = val_i32(65536 - i); /* the first byte past the page */
        weft_trap *trap = weft_func_call(f, args, 2, &res, 1);
        assert_non_null(trap);
        assert_int_equal(weft_trap_code_of(trap), WEFT_TRAP_MEMORY_OUT_OF_BOUNDS);
        weft_trap_delete(trap);
        weft_instance_delete(inst);
        weft_module_delete(m);
    }
}

/* (p0 ^ (p0 >> 16)) * 0x85ebca6b, with the constant after and before the
 * mix: murmur3's finalizer step, one i32_xor_shr_mul either way. */
static void test_mix_multiply(void **state)
{
    (void)state;
    wbuf mods[2] = {
        WB_MEM_FUNC("\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x00, 0x41, 0x10, 0x76, 0x73, 0x41,
                    0xEB, 0x94, 0xAF, 0xAF, 0x78, 0x6C, 0x0B),
        WB_MEM_FUNC("\x7f", "\x7f", 0x00, 0x41, 0xEB, 0x94, 0xAF, 0xAF, 0x78, 0x20, 0x00, 0x20,
                    0x00, 0x41, 0x10, 0x76, 0x73, 0x6C, 0x0B),
    };
    for (int i = 0; i < 2; i++) {
        weft_module *m = must_compile(g_engine, &mods[i]);
        expect_code(m, "i32_xor_shr_mul", "i32_mul"  "_imm");
        uint32_t x = 0xdeadbeef;
        weft_val arg = val_i32((int32_t)x);
        weft_val r = call_first(m, &arg, 1);
        assert_int_equal((uint32_t)r.of.i32, (uint32_t)((x ^ (x >> 16)) * 0x85ebca6bu));
        weft_module_delete(m);
    }
}

/* p0 / k and p0 % k (unsigned) for constants k: a shift or a mask for a
 * power of two, a multiplication by the reciprocal otherwise (no divide
 * op left), the dividing op for k = 0 (it must trap). Each is run against
 * C's / and % on values around k, the ends of the range and a spread. */
static void test_divide_by_constant(void **state)
{
    (void)state;
    static const uint32_t ks[] = {0,          1,          2,          3,          7,
                                  10,         600000,     1000000007, 0x7fffffff, 0x80000000,
                                  0x80000001, 0xfffffffe, 0xffffffff, 641,        0x10000};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        uint32_t k = ks[i];
        bool pow2 = k && !(k & (k - 1));
        for (int rem = 0; rem < 2; rem++) {
            wbuf body = {0};
            WB_BYTES(&body, 0x00, 0x20, 0x00, 0x41); /* no locals; local.get 0; i32.const */
            wb_s64(&body, (int32_t)k);
            WB_BYTES(&body, rem ? 0x70 : 0x6E, 0x0B); /* i32.rem_u / i32.div_u; end */
            wbuf mod = wb_func_module("\x7f", "\x7f", body.data, body.len);
            wb_free(&body);
            weft_module *m = must_compile(g_engine, &mod);
            const char *want = !k     ? (rem ? "i32_rem_u " : "i32_div_u ")
                               : pow2 ? (rem ? "i32_and_imm" : "i32_shr_u_imm")
                                      : (rem ? "i32_rem_u_k" : "i32_div_u_k");
            expect_code(m, want, k ? (rem ? "i32_rem_u " : "i32_div_u ") : NULL);
            if (!k) {
                weft_module_delete(m);
                continue;
            }
            weft_instance *inst = must_instantiate(m, NULL);
            weft_func *f = weft_instance_export_func(inst, "f");
            const uint32_t ns[] = {0, 1, k - 1, k, k + 1, 2 * k - 1, 2 * k, 3 * k + 1,
                                   0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
                                   0x12345678, 0xdeadbeef, 999999, 1u << 31 | 12345};
            for (size_t j = 0; j < sizeof ns / sizeof ns[0]; j++) {
                weft_val arg = val_i32((int32_t)ns[j]), res;
                assert_null(weft_func_call(f, &arg, 1, &res, 1));
                uint32_t expect = rem ? ns[j] % k : ns[j] / k;
                if ((uint32_t)res.of.i32 != expect)
                    print_error("%u %s %u = %u, want %u\n", ns[j], rem ? "%" : "/", k,
                                (uint32_t)res.of.i32, expect);
                assert_int_equal((uint32_t)res.of.i32, expect);
            }
            weft_instance_delete(inst);
            weft_module_delete(m);
        }
    }
}

/* The reciprocal arithmetic itself, on a million pseudo-random dividends
 * and divisors (small and large, as the shift picks), against C's / and %;
 * and the portable high multiply against the 128-bit one. */
static void test_reciprocal_division(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        uint32_t n = (uint32_t)x, k = (uint32_t)(x >> 32) >> (x % 31);
        if (k < 2)
            k = 3;
        uint64_t m = div_u32_reciprocal(k);
        if (div_u32_by_reciprocal(n, m) != n / k || rem_u32_by_reciprocal(n, k, m) != n % k) {
            print_error("n %u k %u: %u %u, want %u %u\n", n, k, div_u32_by_reciprocal(n, m),
                        rem_u32_by_reciprocal(n, k, m), n / k, n % k);
            fail();
        }
        assert_true(mulhi64_portable(x, m ^ x) == mulhi64(x, m ^ x));
    }
}

/* *(p1 [+ 8]) = p3; return p0 * *(p1 [+ 8]) + p2: the load, the mul and the
 * add are one f64_mul_m_add (f64_mul_mk_add with the constant step), whose
 * product is rounded before the add, as the two Wasm instructions do. */
static void test_f64_dot_product_step(void **state)
{
    (void)state;
    static const char *const ops[2] = {"f64_mul_m_add", "f64_mul_mk_add"};
    wbuf mods[2] = {
        WB_MEM_FUNC("\x7c\x7f\x7c\x7c", "\x7c", 0x00, 0x20, 0x01, 0x20, 0x03, 0x39, 0x03, 0x00,
                    0x20, 0x00, 0x20, 0x01, 0x2B, 0x03, 0x00, 0xA2, 0x20, 0x02, 0xA0, 0x0B),
        WB_MEM_FUNC("\x7c\x7f\x7c\x7c", "\x7c", 0x00, 0x20, 0x01, 0x20, 0x03, 0x39, 0x03, 0x08,
                    0x20, 0x00, 0x20, 0x01, 0x41, 0x08, 0x6A, 0x2B, 0x03, 0x00, 0xA2, 0x20, 0x02,
                    0xA0, 0x0B),
    };
    for (size_t i = 0; i < 2; i++) {
        weft_module *m = must_compile(g_engine, &mods[i]);
        expect_code(m, ops[i], "f64_add");
        weft_val rounding[4] = {val_f64(1.0 + 0x1p-30), val_i32(16), val_f64(-1.0),
                                val_f64(1.0 - 0x1p-30)};
        weft_val r = call_first(m, rounding, 4);
        assert_true(r.of.f64 == 0.0); /* an FMA would give -2^-60 */
        weft_val plain[4] = {val_f64(3.0), val_i32(24), val_f64(2.0), val_f64(5.0)};
        assert_true(call_first(m, plain, 4).of.f64 == 17.0);
        weft_module_delete(m);
    }
}

/* A load whose value only a store of the same width takes is one move:
 * *(u8 *)p0 = *(u8 *)p1, then (u64) p0[2..10) = p1[1..9), overlapping; the
 * loads trap first when they are out of bounds, as do the stores. */
static void test_memory_move(void **state)
{
    (void)state;
    static const struct {
        const char *op;
        int32_t dst, src, want; /* returned: mem32[0], mem8[8] */
    } cases[2] = {{"move8", 0, 3, 0x04030204}, {"move64", 0, 0, 8}};
    wbuf mods[2] = {
        WB_MEM_FUNC("\x7f\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x01, 0x2D, 0x00, 0x00, 0x3A, 0x00,
                    0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x0B),
        WB_MEM_FUNC("\x7f\x7f", "\x7f", 0x00, 0x20, 0x00, 0x20, 0x01, 0x29, 0x03, 0x01, 0x37, 0x03,
                    0x02, 0x41, 0x00, 0x2D, 0x00, 0x08, 0x0B),
    };
    for (size_t i = 0; i < 2; i++) {
        weft_module *m = must_compile(g_engine, &mods[i]);
        expect_code(m, cases[i].op, "store");
        weft_val a[2] = {val_i32(cases[i].dst), val_i32(cases[i].src)};
        assert_int_equal(call_i32(m, a, 2), cases[i].want);
        /* A fresh instance, where the trapping calls must leave byte 0 as
         * it was: the move8 copy of byte 1 onto itself then reads 1..4. */
        weft_instance *inst = must_instantiate(m, NULL);
        weft_func *f = weft_instance_export_func(inst, "f");
        const int32_t past[2][2] = {{0, 65536}, {65536, 0}}; /* the load's, then the store's */
        for (int j = 0; j < 2; j++) {
            weft_val out, args[2] = {val_i32(past[j][0]), val_i32(past[j][1])};
            weft_trap *trap = weft_func_call(f, args, 2, &out, 1);
            assert_non_null(trap);
            assert_int_equal(weft_trap_code_of(trap), WEFT_TRAP_MEMORY_OUT_OF_BOUNDS);
            weft_trap_delete(trap);
        }
        if (i == 0) {
            weft_val same[2] = {val_i32(1), val_i32(1)}, out;
            assert_null(weft_func_call(f, same, 2, &out, 1));
            assert_int_equal(out.of.i32, 0x04030201);
        }
        weft_instance_delete(inst);
        weft_module_delete(m);
    }
}

/* Go's pointers: i32.store offset=4 (i32.wrap_i64 p0) 0x11223344, then
 * i32.load (i32.wrap_i64 (i64.add p0 4)). Loads and stores read only the low
 * half of their address, so neither wrap is emitted and the add becomes the
 * load's (u32)(p0 + 4); p0's high half must not matter. */
static void test_wrapped_address(void **state)
{
    (void)state;
    wbuf mod = WB_MEM_FUNC("\x7e", "\x7f", 0x00, 0x20, 0x00, 0xA7, 0x41, 0xC4, 0xE6, 0x88, 0x89,
                           0x01, 0x36, 0x02, 0x04, 0x20, 0x00, 0x42, 0x04, 0x7C, 0xA7, 0x28, 0x02,
                           0x00, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    char *text = code_of(m);
    assert_null(strstr(text, "wrap"));
    assert_null(strstr(text, "i64_add"));
    assert_contains(text, "load32_k");
    weft_bytes_delete((uint8_t *)text);
    const int64_t p0[3] = {0, (int64_t)0xFFFFFFFF00000000u, 0x100000010};
    for (int i = 0; i < 3; i++) {
        weft_val a = val_i64(p0[i]);
        assert_int_equal(call_i32(m, &a, 1), 0x11223344);
    }
    weft_module_delete(m);
}

/* if (i32.eqz (i64.eqz p0)) 1 else 2, and with Go's i64.extend_i32_u and
 * a third eqz: the eqz of an eqz is folded into the branch, which tests p0
 * (all 64 bits: 2^32 is not zero). */
static void test_eqz_of_eqz(void **state)
{
    (void)state;
    wbuf mods[2] = {
        WB_FUNC("\x7e", "\x7f", 0x00, 0x20, 0x00, 0x50, 0x45, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41,
                0x02, 0x0B, 0x0B),
        WB_FUNC("\x7e", "\x7f", 0x00, 0x20, 0x00, 0x50, 0xAD, 0x50, 0x45, 0x04, 0x7F, 0x41, 0x01,
                0x05, 0x41, 0x02, 0x0B, 0x0B),
    };
    const int32_t want[2][2] = {{2, 1}, {1, 2}}; /* for p0 = 0, 2^32 */
    for (size_t i = 0; i < 2; i++) {
        weft_module *m = must_compile(g_engine, &mods[i]);
        char *text = code_of(m);
        assert_contains(text, "br_z64");
        if (i == 0)
            assert_null(strstr(text, "eqz"));
        weft_bytes_delete((uint8_t *)text);
        const int64_t p0[2] = {0, (int64_t)1 << 32};
        for (int j = 0; j < 2; j++) {
            weft_val a = val_i64(p0[j]);
            assert_int_equal(call_i32(m, &a, 1), want[i][j]);
        }
        weft_module_delete(m);
    }
}

/* (local i32) loop: l1 += p0; br_if (l1 <u 100); end; l1: the step by a
 * slot fuses with the back-edge too. */
static void test_loop_step_by_slot(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7f", "\x7f", 0x01, 0x01, 0x7f, 0x03, 0x40, 0x20, 0x01, 0x20, 0x00,
                       0x6A, 0x22, 0x01, 0x41, 0xE4, 0x00, 0x49, 0x0D, 0x00, 0x0B, 0x20, 0x01, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "br_add_lt_u_imm_bk", NULL);
    weft_val a = val_i32(7);
    assert_int_equal(call_i32(m, &a, 1), 105);
    weft_module_delete(m);
}

/* *(f64 *)p1 += p0, then return *(f64 *)p1: the load, add and store are
 * one f64_add_rmw. Memory 8..15 is zero at first. */
static void test_f64_read_modify_write(void **state)
{
    (void)state;
    wbuf mod = WB_MEM_FUNC("\x7c\x7f", "\x7c", 0x00, 0x20, 0x01, 0x20, 0x01, 0x2B, 0x03, 0x00,
                           0x20, 0x00, 0xA0, 0x39, 0x03, 0x00, 0x20, 0x01, 0x2B, 0x03, 0x00, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "f64_add_rmw", NULL);
    weft_instance *inst = must_instantiate(m, NULL);
    weft_val args[2], res;
    memset(args, 0, sizeof args);
    args[0].kind = WEFT_F64;
    args[0].of.f64 = 1.5;
    args[1] = val_i32(8);
    weft_func *f = weft_instance_export_func(inst, "f");
    assert_null(weft_func_call(f, args, 2, &res, 1));
    assert_true(res.of.f64 == 1.5);
    assert_null(weft_func_call(f, args, 2, &res, 1));
    assert_true(res.of.f64 == 3.0);
    weft_instance_delete(inst);
    weft_module_delete(m);
}

/* A pending p0 + 1 still gives the old p0 after local.set 0. */
static void test_sum_of_overwritten_local(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7f", "\x7f", 0x00, 0x20, 0x00, 0x41, 0x01, 0x6A, 0x41, 0xE4, 0x00, 0x21,
                       0x00, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    weft_val a = val_i32(41);
    assert_int_equal(call_i32(m, &a, 1), 42);
    weft_module_delete(m);
}

/* l2 = p0; p0 = p1 (two copies in a row: one copy2); return l2 - p0 */
static void test_copies_pair_up(void **state)
{
    (void)state;
    wbuf mod = WB_FUNC("\x7f\x7f", "\x7f", 0x01, 0x01, 0x7f, 0x20, 0x00, 0x21, 0x02, 0x20, 0x01,
                       0x21, 0x00, 0x20, 0x02, 0x20, 0x00, 0x6B, 0x0B);
    weft_module *m = must_compile(g_engine, &mod);
    expect_code(m, "copy2", NULL);
    weft_val a[2] = {val_i32(50), val_i32(8)};
    assert_int_equal(call_i32(m, a, 2), 42);
    weft_module_delete(m);
}

/* go_shapes.wat's machine(n), in C. */
static uint32_t machine(uint32_t n)
{
    uint32_t acc = 1;
    for (uint32_t i = 0; i < n; i++)
        acc = acc * 3 + i;
    acc ^= 0x55;
    return acc + 9; /* case 4, reached with pc = 9 */
}

/* Loops over `text`'s instructions: their line, code position (at) and op (name). */
#define FOR_EACH_INSTRUCTION(text, line, at, name)                                            \
    for (const char *line = (text); line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) \
        if (sscanf(line, " %ld %31s", &at, name) == 2)

/* How many of `text`'s instructions are `op` (a whole name), and of
 * those, how many branch to the code position `target`. */
static int count_op(const char *text, const char *op, long target, int *to_target)
{
    int n = 0;
    long at;
    char name[32];
    *to_target = 0;
    FOR_EACH_INSTRUCTION(text, line, at, name)
    {
        if (strcmp(name, op) != 0)
            continue;
        n++;
        const char *arrow = strstr(line, "->");
        const char *eol = strchr(line, '\n');
        if (arrow && (!eol || arrow < eol) && strtol(arrow + 2, NULL, 10) == target)
            (*to_target)++;
    }
    return n;
}

/* The position of the first `op` in `text`; fails when there is none. */
static long position_of(const char *text, const char *op)
{
    long at;
    char name[32];
    FOR_EACH_INSTRUCTION(text, line, at, name)
    {
        if (strcmp(name, op) == 0)
            return at;
    }
    fail();
    return -1;
}

/* A Go-shaped dispatch loop (fixtures/go_shapes.wat): every `br $loop`
 * just after setting the br_table's local to a constant goes straight to
 * its case, the store and the jump one const_br_bk (and the state machine
 * gives its results); one whose entry is not a block inside the loop, and
 * those where the constant went elsewhere or was not last, still go
 * through the br_table. */
static void test_dispatch_loop_jumps_resolved(void **state)
{
    (void)state;
    weft_module *m = compile_fixture(g_engine, "go_shapes.wasm");
    char *text = code_of_func(m, 3);
    long head = position_of(text, "br_table");
    int to_head, br_tables;
    assert_int_equal(count_op(text, "br_bk", head, &to_head), 1);
    assert_int_equal(to_head, 1); /* case 4's, to the exit */
    assert_int_equal(count_op(text, "const_br_bk", head, &to_head), 5);
    assert_int_equal(to_head, 0);
    assert_int_equal(count_op(text, "br_table", -1, &br_tables), 1);
    weft_bytes_delete((uint8_t *)text);
    text = code_of_func(m, 4);
    head = position_of(text, "br_table");
    assert_int_equal(count_op(text, "br_bk", head, &to_head), 2);
    assert_int_equal(to_head, 2);
    assert_int_equal(count_op(text, "const_br_bk", head, &to_head), 0);
    weft_bytes_delete((uint8_t *)text);

    weft_instance *inst = must_instantiate(m, NULL);
    weft_func *f = weft_instance_export_func(inst, "machine");
    const uint32_t ns[] = {0, 1, 5, 1000};
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
        weft_val a = val_i32((int32_t)ns[i]), r;
        assert_null(weft_func_call(f, &a, 1, &r, 1));
        assert_int_equal((uint32_t)r.of.i32, machine(ns[i]));
    }
    f = weft_instance_export_func(inst, "not_resolved");
    weft_val a = val_i32(5), r;
    assert_null(weft_func_call(f, &a, 1, &r, 1));
    assert_int_equal(r.of.i32, 15);
    weft_instance_delete(inst);
    weft_module_delete(m);
}

/* Go's stack pointer step, `sp -= n` into a local and on into global 0
 * (go_shapes.wat's frame): one i32_add_imm_global_set each way. */
static void test_stack_pointer_step(void **state)
{
    (void)state;
    weft_module *m = compile_fixture(g_engine, "go_shapes.wasm");
    char *text = code_of_func(m, 2);
    int unused;
    assert_int_equal(count_op(text, "i32_add_imm_global_set", -1, &unused), 2);
    assert_int_equal(count_op(text, "global_set", -1, &unused), 0);
    assert_int_equal(count_op(text, "i32_add_imm", -1, &unused), 0);
    weft_bytes_delete((uint8_t *)text);
    weft_instance *inst = must_instantiate(m, NULL);
    weft_val a = val_i32(5), r;
    assert_null(weft_func_call(weft_instance_export_func(inst, "frame"), &a, 1, &r, 1));
    assert_int_equal(r.of.i32, 4096 - 16 + 5);
    weft_global_get(weft_instance_export_global(inst, "sp"), &r);
    assert_int_equal(r.of.i32, 4096);
    weft_instance_delete(inst);
    weft_module_delete(m);
}

/* Go's pointer arithmetic (go_shapes.wat): i32.wrap_i64 of an i64 sum
 * with a constant is one i32_add_imm of the low halves; as an address it
 * folds into the load (load32_k), no add left. */
static void test_wrapped_i64_sum(void **state)
{
    (void)state;
    weft_module *m = compile_fixture(g_engine, "go_shapes.wasm");
    char *text = code_of_func(m, 0);
    int unused;
    assert_int_equal(count_op(text, "i32_add_imm", -1, &unused), 1);
    assert_null(strstr(text, "wrap"));
    assert_null(strstr(text, "i64_add"));
    weft_bytes_delete((uint8_t *)text);
    text = code_of_func(m, 1);
    assert_int_equal(count_op(text, "load32_k", -1, &unused), 1);
    assert_null(strstr(text, "add"));
    assert_null(strstr(text, "wrap"));
    weft_bytes_delete((uint8_t *)text);

    weft_instance *inst = must_instantiate(m, NULL);
    weft_val a = val_i64(0xFFFFFFF8), r;
    assert_null(weft_func_call(weft_instance_export_func(inst, "wrap_sum"), &a, 1, &r, 1));
    assert_int_equal((uint32_t)r.of.i32, 8); /* (0xFFFFFFF8 + 0x10) mod 2^32 */
    a = val_i64(0xABCD00000004); /* low half 4: reads bytes 8..11 */
    assert_null(weft_func_call(weft_instance_export_func(inst, "load_at_sum"), &a, 1, &r, 1));
    assert_int_equal(r.of.i32, 42);
    weft_instance_delete(inst);
    weft_module_delete(m);
}

/* i32.eqz of a compare is the negated compare (go_shapes.wat): fused
 * into the branch after it, or standing alone. */
static void test_eqz_of_compare(void **state)
{
    (void)state;
    weft_module *m = compile_fixture(g_engine, "go_shapes.wasm");
    char *text = code_of_func(m, 5);
    int unused;
    assert_int_equal(count_op(text, "br_i64_lt_u", -1, &unused), 1);
    assert_null(strstr(text, "eqz"));
    weft_bytes_delete((uint8_t *)text);
    text = code_of_func(m, 6);
    assert_int_equal(count_op(text, "i32_ge_s_imm", -1, &unused), 1);
    assert_null(strstr(text, "eqz"));
    weft_bytes_delete((uint8_t *)text);

    weft_instance *inst = must_instantiate(m, NULL);
    weft_func *f = weft_instance_export_func(inst, "at_least");
    const int64_t xy[][3] = {{5, 3, 1}, {3, 5, 0}, {4, 4, 1}, {-1, 1, 1}};
    for (size_t i = 0; i < sizeof xy / sizeof *xy; i++) {
        weft_val a[2] = {val_i64(xy[i][0]), val_i64(xy[i][1])}, r;
        assert_null(weft_func_call(f, a, 2, &r, 1));
        assert_int_equal(r.of.i32, xy[i][2]);
    }
    f = weft_instance_export_func(inst, "not_below_5");
    const int32_t xs[][2] = {{4, 0}, {5, 1}, {6, 1}, {-7, 0}};
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        weft_val a = val_i32(xs[i][0]), r;
        assert_null(weft_func_call(f, &a, 1, &r, 1));
        assert_int_equal(r.of.i32, xs[i][1]);
    }
    weft_instance_delete(inst);
    weft_module_delete(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disassemble_errors),
        cmocka_unit_test(test_immediate_operand),
        cmocka_unit_test(test_subtract_most_negative),
        cmocka_unit_test(test_fused_loop_branch),
        cmocka_unit_test(test_address_plus_constant),
        cmocka_unit_test(test_scaled_index_address),
        cmocka_unit_test(test_loop_constant_pool),
        cmocka_unit_test(test_xor_shifted),
        cmocka_unit_test(test_f64_mul_then_add),
        cmocka_unit_test(test_two_steps),
        cmocka_unit_test(test_two_adds),
        cmocka_unit_test(test_step_kept_in_two),
        cmocka_unit_test(test_f64_load_operand),
        cmocka_unit_test(test_f64_dot_product_step),
        cmocka_unit_test(test_xor_byte_operand),
        cmocka_unit_test(test_mix_multiply),
        cmocka_unit_test(test_divide_by_constant),
        cmocka_unit_test(test_reciprocal_division),
        cmocka_unit_test(test_memory_move),
        cmocka_unit_test(test_wrapped_address),
        cmocka_unit_test(test_eqz_of_eqz),
        cmocka_unit_test(test_loop_step_by_slot),
        cmocka_unit_test(test_f64_read_modify_write),
        cmocka_unit_test(test_sum_of_overwritten_local),
        cmocka_unit_test(test_copies_pair_up),
        cmocka_unit_test(test_dispatch_loop_jumps_resolved),
        cmocka_unit_test(test_stack_pointer_step),
        cmocka_unit_test(test_wrapped_i64_sum),
        cmocka_unit_test(test_eqz_of_compare),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
