/* test_leb128.c — reader.h: LEB128 widths, limits, malformed encodings and
 * truncation, plus the fixed-size reads and the error latch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "reader.h"

#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static const char TOO_LONG[] = "integer representation too long";
static const char TOO_LARGE[] = "integer too large";
static const char END[] = "unexpected end";

enum { WIDTH_U32, WIDTH_S32, WIDTH_S33, WIDTH_S64, WIDTH_FLAG1 };

/* Reads one value of the given width from `bytes`. */
static int64_t read_one(reader *r, const uint8_t *bytes, size_t n, int width)
{
    reader_init(r, bytes, bytes, bytes + n);
    switch (width) {
    case WIDTH_U32: return read_u32(r);
    case WIDTH_S32: return read_s32(r);
    case WIDTH_S33: return read_s33(r);
    case WIDTH_S64: return read_s64(r);
    default: return (int64_t)read_uleb(r, 1); /* limits flags */
    }
}

/* The value decodes to `want` and consumes every byte. */
static void check_ok(int width, int64_t want, const uint8_t *bytes, size_t n)
{
    reader r;
    int64_t got = read_one(&r, bytes, n, width);
    assert_null(r.err);
    assert_int_equal(got, want);
    assert_true(reader_at_end(&r));
}

/* The value fails with `msg` at `offset`; the result is 0. */
static void check_err(int width, const char *msg, size_t offset, const uint8_t *bytes, size_t n)
{
    reader r;
    int64_t got = read_one(&r, bytes, n, width);
    assert_non_null(r.err);
    assert_string_equal(r.err, msg);
    assert_int_equal(r.err_offset, offset);
    assert_int_equal(got, 0);
}

static void test_u32_values(void **state)
{
    (void)state;
    check_ok(WIDTH_U32, 0, BYTES(0x00));
    check_ok(WIDTH_U32, 127, BYTES(0x7F));
    check_ok(WIDTH_U32, 128, BYTES(0x80, 0x01));
    check_ok(WIDTH_U32, 624485, BYTES(0xE5, 0x8E, 0x26));
    check_ok(WIDTH_U32, UINT32_MAX, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x0F));
    /* Non-minimal encodings are allowed up to ceil(32/7) = 5 bytes. */
    check_ok(WIDTH_U32, 0, BYTES(0x80, 0x80, 0x80, 0x80, 0x00));
    check_ok(WIDTH_U32, 2, BYTES(0x82, 0x00));
}

static void test_u32_malformed(void **state)
{
    (void)state;
    /* A sixth byte: the fifth still has its continuation bit. */
    check_err(WIDTH_U32, TOO_LONG, 4, BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
    check_err(WIDTH_U32, TOO_LONG, 4, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F));
    /* Bits above 32 in the fifth byte. */
    check_err(WIDTH_U32, TOO_LARGE, 4, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x1F));
    check_err(WIDTH_U32, TOO_LARGE, 4, BYTES(0x80, 0x80, 0x80, 0x80, 0x10));
    check_err(WIDTH_U32, TOO_LARGE, 4, BYTES(0x80, 0x80, 0x80, 0x80, 0x70));
    /* Truncated: the error is where the missing byte should be. */
    check_err(WIDTH_U32, END, 0, (const uint8_t *)"", 0);
    check_err(WIDTH_U32, END, 1, BYTES(0x80));
    check_err(WIDTH_U32, END, 4, BYTES(0xFF, 0xFF, 0xFF, 0xFF));
}

static void test_s32(void **state)
{
    (void)state;
    check_ok(WIDTH_S32, 0, BYTES(0x00));
    check_ok(WIDTH_S32, -1, BYTES(0x7F));
    check_ok(WIDTH_S32, 63, BYTES(0x3F));
    check_ok(WIDTH_S32, -64, BYTES(0x40));
    check_ok(WIDTH_S32, 64, BYTES(0xC0, 0x00));
    check_ok(WIDTH_S32, -65, BYTES(0xBF, 0x7F));
    check_ok(WIDTH_S32, INT32_MAX, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x07));
    check_ok(WIDTH_S32, INT32_MIN, BYTES(0x80, 0x80, 0x80, 0x80, 0x78));
    /* Non-minimal but in range: the unused bits repeat the sign. */
    check_ok(WIDTH_S32, -1, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x7F));
    check_ok(WIDTH_S32, 0, BYTES(0x80, 0x80, 0x80, 0x80, 0x00));

    check_err(WIDTH_S32, TOO_LONG, 4, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F));
    /* Unused bits that disagree with the sign bit (bit 3 of byte 5). */
    check_err(WIDTH_S32, TOO_LARGE, 4, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x0F)); /* 2^32-1 */
    check_err(WIDTH_S32, TOO_LARGE, 4, BYTES(0x80, 0x80, 0x80, 0x80, 0x70)); /* -2^32 */
    check_err(WIDTH_S32, TOO_LARGE, 4, BYTES(0x80, 0x80, 0x80, 0x80, 0x08)); /* 2^31 */
    check_err(WIDTH_S32, TOO_LARGE, 4, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x77)); /* -2^31-1 */
    check_err(WIDTH_S32, END, 2, BYTES(0xFF, 0xFF));
}

static void test_s33(void **state)
{
    (void)state;
    /* Block types: negative one-byte forms and 32-bit type indices. */
    check_ok(WIDTH_S33, -64, BYTES(0x40)); /* the empty block type */
    check_ok(WIDTH_S33, -1, BYTES(0x7F));  /* i32 */
    check_ok(WIDTH_S33, 0, BYTES(0x00));
    check_ok(WIDTH_S33, UINT32_MAX, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x0F));
    check_ok(WIDTH_S33, -(INT64_C(1) << 32), BYTES(0x80, 0x80, 0x80, 0x80, 0x70));

    check_err(WIDTH_S33, TOO_LARGE, 4, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0x1F)); /* 2^33-1 */
    check_err(WIDTH_S33, TOO_LARGE, 4, BYTES(0x80, 0x80, 0x80, 0x80, 0x60));
    check_err(WIDTH_S33, TOO_LONG, 4, BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
}

static void test_s64(void **state)
{
    (void)state;
    check_ok(WIDTH_S64, 0, BYTES(0x00));
    check_ok(WIDTH_S64, -1, BYTES(0x7F));
    check_ok(WIDTH_S64, INT64_MAX,
             BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00));
    check_ok(WIDTH_S64, INT64_MIN,
             BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F));
    check_ok(WIDTH_S64, -1, BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F));
    check_ok(WIDTH_S64, INT64_C(1) << 32, BYTES(0x80, 0x80, 0x80, 0x80, 0x10));

    /* The tenth byte holds one bit; the other six must repeat it. */
    check_err(WIDTH_S64, TOO_LARGE, 9,
              BYTES(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
    check_err(WIDTH_S64, TOO_LARGE, 9,
              BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x70));
    check_err(WIDTH_S64, TOO_LONG, 9,
              BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
    check_err(WIDTH_S64, END, 9, BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80));
}

/* The limits flag is a 1-bit LEB: 2 is too large, 0x81 0x00 too long. */
static void test_one_bit(void **state)
{
    (void)state;
    check_ok(WIDTH_FLAG1, 0, BYTES(0x00));
    check_ok(WIDTH_FLAG1, 1, BYTES(0x01));
    check_err(WIDTH_FLAG1, TOO_LARGE, 0, BYTES(0x02));
    check_err(WIDTH_FLAG1, TOO_LARGE, 0, BYTES(0x7F));
    check_err(WIDTH_FLAG1, TOO_LONG, 0, BYTES(0x81, 0x00));
    check_err(WIDTH_FLAG1, TOO_LONG, 0, BYTES(0x80, 0x00));
}

/* After an error every read returns 0 and the first error is kept. */
static void test_error_latch(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x05};
    reader r;
    reader_init(&r, bytes, bytes, bytes + sizeof bytes);
    assert_int_equal(read_u32(&r), 127);
    assert_int_equal(read_u32(&r), 0);
    assert_string_equal(r.err, TOO_LARGE);
    assert_int_equal(r.err_offset, 5);
    assert_int_equal(read_u8(&r), 0);
    assert_int_equal(read_u32(&r), 0);
    assert_string_equal(r.err, TOO_LARGE);
    assert_int_equal(r.err_offset, 5);
    assert_true(reader_at_end(&r));
}

/* Offsets are relative to base, not to where the reader starts. */
static void test_offsets_from_base(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {0xAA, 0xAA, 0xAA, 0x80, 0x80};
    reader r;
    reader_init(&r, bytes, bytes + 3, bytes + sizeof bytes);
    assert_int_equal(reader_offset(&r), 3);
    read_u32(&r);
    assert_string_equal(r.err, END);
    assert_int_equal(r.err_offset, 5);
}

static void test_fixed_and_bytes(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
    reader r;
    reader_init(&r, bytes, bytes, bytes + sizeof bytes);
    assert_int_equal(read_fixed32(&r), 0x04030201u);
    assert_int_equal(read_u8(&r), 0x05);
    assert_int_equal(read_fixed32(&r), 0x09080706u);
    assert_null(r.err);

    reader_init(&r, bytes, bytes, bytes + 7);
    assert_int_equal(read_fixed64(&r), 0);
    assert_string_equal(r.err, END);
    assert_int_equal(r.err_offset, 0);

    uint8_t out[4] = {0};
    reader_init(&r, bytes, bytes, bytes + 3);
    assert_false(read_bytes(&r, out, sizeof out));
    assert_string_equal(r.err, END);
    reader_init(&r, bytes, bytes, bytes + 4);
    assert_true(read_bytes(&r, out, sizeof out));
    assert_memory_equal(out, bytes, sizeof out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u32_values),      cmocka_unit_test(test_u32_malformed),
        cmocka_unit_test(test_s32),             cmocka_unit_test(test_s33),
        cmocka_unit_test(test_s64),             cmocka_unit_test(test_one_bit),
        cmocka_unit_test(test_error_latch),     cmocka_unit_test(test_offsets_from_base),
        cmocka_unit_test(test_fixed_and_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
