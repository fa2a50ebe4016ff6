/* test_decode.c — the binary decoder (decode.c, functype.c, utf8.c).
 *
 * - malformed inputs: one table of hand-assembled binaries, each with the
 *   message prefix, byte offset and error kind it must produce;
 * - well-formed modules: the decoded fields of every section, element
 *   segment form, data segment form, constant expression, the name section
 *   and custom sections;
 * - implementation limits and allocation bounds;
 * - robustness: every prefix and many single-byte mutations of a module
 *   decode or fail cleanly (run under ASan/UBSan to make that mean something);
 * - the spec suite: every .wasm decodes or fails as its .json says. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "module.h"
#include "utf8.h"
#include "wasm_builder.h"

#define DECODE WEFT_ERROR_DECODE
#define INVALID WEFT_ERROR_VALIDATE

/* The 8-byte preamble: magic and version. */
#define H 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00
/* A type section with () -> () and a function section with one function. */
#define TYPE0 0x01, 0x04, 0x01, 0x60, 0x00, 0x00
#define FUNC1 0x03, 0x02, 0x01, 0x00

static const char END_IN[] = "unexpected end of section or function";
static const char TOO_LONG[] = "integer representation too long";
static const char TOO_LARGE[] = "integer too large";
static const char BAD_UTF8[] = "malformed UTF-8 encoding";
static const char AFTER_LAST[] = "unexpected content after last section";

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void must_decode(wmodule *m, const uint8_t *bytes, size_t len)
{
    weft_error *e = wmodule_decode(m, bytes, len);
    if (e) {
        print_error("unexpected decode error: %s\n", weft_error_message(e));
        weft_error_delete(e);
        fail();
    }
}

static void must_decode_buf(wmodule *m, const wbuf *b) { must_decode(m, b->data, b->len); }

/* Decoding fails with a message starting with `prefix`; returns the offset. */
static int64_t must_fail(const uint8_t *bytes, size_t len, const char *prefix)
{
    wmodule m;
    weft_error *e = wmodule_decode(&m, bytes, len);
    if (!e) {
        wmodule_free(&m);
        print_error("decoded, expected \"%s\"\n", prefix);
        fail();
    }
    if (!starts_with(weft_error_message(e), prefix)) {
        print_error("got \"%s\", expected \"%s\"\n", weft_error_message(e), prefix);
        weft_error_delete(e);
        fail();
    }
    int64_t offset = weft_error_offset(e);
    weft_error_delete(e);
    return offset;
}

/* ------------------------------------------------------------------------ */
/* Malformed binaries                                                       */

typedef struct malformed_case {
    const char *name;
    const uint8_t *bytes;
    size_t len;
    const char *prefix;
    int64_t offset;
    weft_error_kind kind;
} malformed_case;

#define CASE(name, prefix, offset, kind, ...)                                         \
    {name, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), prefix, \
     offset, kind}

/* Offsets: the preamble takes bytes 0-7, so a first section's id is at 8, its
 * size at 9 and its contents start at 10. */
static const malformed_case malformed_cases[] = {
    /* Preamble */
    CASE("truncated magic", "unexpected end", 0, DECODE, 0x00, 0x61, 0x73),
    CASE("wrong magic", "magic header not detected", 0, DECODE, 0x61, 0x73, 0x6D, 0x00),
    CASE("UTF-8 BOM before magic", "magic header not detected", 0, DECODE, 0xEF, 0xBB, 0xBF, H),
    CASE("truncated version", "unexpected end", 4, DECODE, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00),
    CASE("version 2", "unknown binary version", 4, DECODE, 0x00, 0x61, 0x73, 0x6D, 0x02, 0x00,
         0x00, 0x00),
    /* Section framing */
    CASE("section id 13", "malformed section id", 8, DECODE, H, 0x0D, 0x00),
    CASE("section id 0x80", "malformed section id", 8, DECODE, H, 0x80, 0x01, 0x00),
    CASE("section size missing", END_IN, 9, DECODE, H, 0x01),
    CASE("section size overlong", TOO_LONG, 13, DECODE, H, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80,
         0x00),
    CASE("section size beyond module", "length out of bounds", 9, DECODE, H, 0x01, 0x05, 0x00),
    CASE("section larger than contents", "section size mismatch", 10, DECODE, H, 0x01, 0x02,
         0x00, 0x00),
    CASE("section smaller than contents", "section size mismatch", 10, DECODE, H, 0x01, 0x01,
         0x01, 0x60, 0x00, 0x00),
    CASE("type after function", AFTER_LAST, 11, DECODE, H, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00),
    CASE("type section twice", AFTER_LAST, 11, DECODE, H, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00),
    CASE("data count after code", AFTER_LAST, 11, DECODE, H, 0x0A, 0x01, 0x00, 0x0C, 0x01,
         0x00),
    CASE("start section twice", AFTER_LAST, 11, DECODE, H, 0x08, 0x01, 0x00, 0x08, 0x01, 0x00),
    CASE("section id without size at end", END_IN, 12, DECODE, H, 0x01, 0x01, 0x00, 0x03),
    CASE("repeated section with bad size", AFTER_LAST, 11, DECODE, H, 0x01, 0x01, 0x00, 0x01,
         0xFF),
    /* Types */
    CASE("function type form 0x61", "malformed function type", 11, DECODE, H, 0x01, 0x04, 0x01,
         0x61, 0x00, 0x00),
    CASE("function type form overlong", TOO_LONG, 12, DECODE, H, 0x01, 0x05, 0x01, 0xE0, 0x7F,
         0x00, 0x00),
    CASE("parameter type 0x7A", "malformed value type", 13, DECODE, H, 0x01, 0x05, 0x01, 0x60,
         0x01, 0x7A, 0x00),
    CASE("result count beyond module", "length out of bounds", 13, DECODE, H, 0x01, 0x04, 0x01,
         0x60, 0x00, 0x05),
    CASE("type count beyond module", "length out of bounds", 10, DECODE, H, 0x01, 0x06, 0xFF,
         0xFF, 0xFF, 0xFF, 0x0F, 0x00),
    /* Imports and exports */
    CASE("import kind 4", "malformed import kind", 13, DECODE, H, 0x02, 0x04, 0x01, 0x00, 0x00,
         0x04),
    CASE("import kind 0x80", "malformed import kind", 13, DECODE, H, 0x02, 0x04, 0x01, 0x00,
         0x00, 0x80),
    CASE("overlong UTF-8 in module name", BAD_UTF8, 11, DECODE, H, 0x02, 0x07, 0x01, 0x02, 0xC0,
         0x80, 0x00, 0x00, 0x00),
    CASE("surrogate in field name", BAD_UTF8, 12, DECODE, H, 0x02, 0x08, 0x01, 0x00, 0x03, 0xED,
         0xA0, 0x80, 0x00, 0x00),
    CASE("export name above U+10FFFF", BAD_UTF8, 11, DECODE, H, 0x07, 0x08, 0x01, 0x04, 0xF4,
         0x90, 0x80, 0x80, 0x00, 0x00),
    CASE("export name with truncated sequence", BAD_UTF8, 11, DECODE, H, 0x07, 0x06, 0x01,
         0x02, 0xE2, 0x82, 0x00, 0x00),
    CASE("export kind 4", "malformed export kind", 12, DECODE, H, 0x07, 0x04, 0x01, 0x00, 0x04,
         0x00),
    CASE("imported global mutability 0xff", "malformed mutability", 15, DECODE, H, 0x02, 0x06,
         0x01, 0x00, 0x00, 0x03, 0x7F, 0xFF),
    /* Tables, memories, globals */
    CASE("memory limits flag 2", TOO_LARGE, 11, DECODE, H, 0x05, 0x02, 0x01, 0x02),
    CASE("table limits flag overlong", TOO_LONG, 12, DECODE, H, 0x04, 0x04, 0x01, 0x70, 0x81,
         0x00),
    CASE("table element type i32", "malformed reference type", 11, DECODE, H, 0x04, 0x04, 0x01,
         0x7F, 0x00, 0x00),
    CASE("memory minimum above u32", TOO_LARGE, 16, DECODE, H, 0x05, 0x07, 0x01, 0x00, 0xFF,
         0xFF, 0xFF, 0xFF, 0x1F),
    CASE("function type index above u32", TOO_LARGE, 15, DECODE, H, 0x03, 0x06, 0x01, 0x80,
         0x80, 0x80, 0x80, 0x10),
    CASE("global mutability 2", "malformed mutability", 12, DECODE, H, 0x06, 0x06, 0x01, 0x7F,
         0x02, 0x41, 0x00, 0x0B),
    /* Constant expressions */
    CASE("i32.add in constant expression", "constant expression required", 15, INVALID, H,
         0x06, 0x07, 0x01, 0x7F, 0x00, 0x41, 0x00, 0x6A, 0x0B),
    CASE("nop as constant expression", "constant expression required", 13, INVALID, H, 0x06,
         0x05, 0x01, 0x7F, 0x00, 0x01, 0x0B),
    CASE("two constants", "type mismatch", 13, INVALID, H, 0x06, 0x08, 0x01, 0x7F, 0x00, 0x41,
         0x00, 0x41, 0x00, 0x0B),
    CASE("empty constant expression", "type mismatch", 13, INVALID, H, 0x06, 0x04, 0x01, 0x7F,
         0x00, 0x0B),
    CASE("illegal opcode in constant expression", "illegal opcode", 13, DECODE, H, 0x06, 0x05,
         0x01, 0x7F, 0x00, 0x06, 0x0B),
    CASE("constant expression without end", END_IN, 15, DECODE, H, 0x06, 0x05, 0x01, 0x7F,
         0x00, 0x41, 0x00),
    CASE("overlong i32.const", TOO_LONG, 18, DECODE, H, 0x06, 0x0B, 0x01, 0x7F, 0x00, 0x41,
         0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B),
    CASE("ref.null i32", "malformed reference type", 14, DECODE, H, 0x06, 0x06, 0x01, 0x70,
         0x00, 0xD0, 0x7F, 0x0B),
    /* Segments */
    CASE("element segment form 8", "malformed elements segment kind", 11, DECODE, H, 0x09,
         0x02, 0x01, 0x08),
    CASE("element kind 1", "malformed element kind", 12, DECODE, H, 0x09, 0x04, 0x01, 0x01,
         0x01, 0x00),
    CASE("element expression type i32", "malformed reference type", 12, DECODE, H, 0x09, 0x04,
         0x01, 0x05, 0x7F, 0x00),
    CASE("data segment form 3", "malformed data segment kind", 11, DECODE, H, 0x0B, 0x02, 0x01,
         0x03),
    CASE("data longer than module", "length out of bounds", 12, DECODE, H, 0x0B, 0x06, 0x01,
         0x01, 0x05, 0x61, 0x62, 0x63),
    CASE("data truncated by a byte", END_IN, 13, DECODE, H, 0x0B, 0x06, 0x01, 0x01, 0x04, 0x61,
         0x62, 0x63),
    CASE("data count above data", "data count and data section have inconsistent lengths", 13,
         DECODE, H, 0x0C, 0x01, 0x01, 0x0B, 0x01, 0x00),
    CASE("data count without data", "data count and data section have inconsistent lengths",
         10, DECODE, H, 0x0C, 0x01, 0x02),
    /* Code */
    CASE("function section without code", "function and code section have inconsistent lengths",
         16, DECODE, H, TYPE0, FUNC1),
    CASE("code section without functions",
         "function and code section have inconsistent lengths", 10, DECODE, H, 0x0A, 0x04, 0x01,
         0x02, 0x00, 0x0B),
    CASE("locals count 2^32-1", "too many locals", 23, DECODE, H, TYPE0, FUNC1, 0x0A, 0x0A,
         0x01, 0x08, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x0B),
    CASE("locals summing past the limit", "too many locals", 27, DECODE, H, TYPE0, FUNC1, 0x0A,
         0x0C, 0x01, 0x0A, 0x02, 0xB0, 0xEA, 0x01, 0x7F, 0xB0, 0xEA, 0x01, 0x7E, 0x0B),
    CASE("local type 0x40", "malformed value type", 24, DECODE, H, TYPE0, FUNC1, 0x0A, 0x06,
         0x01, 0x04, 0x01, 0x01, 0x40, 0x0B),
    CASE("body without end at module end", END_IN, 24, DECODE, H, TYPE0, FUNC1, 0x0A, 0x04,
         0x01, 0x02, 0x00, 0x01),
    CASE("body without end before the next", "END opcode expected", 25, DECODE, H, TYPE0, 0x03,
         0x03, 0x02, 0x00, 0x00, 0x0A, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x00, 0x0B),
    CASE("body one byte short of its end", "section size mismatch", 21, DECODE, H, TYPE0, FUNC1,
         0x0A, 0x04, 0x01, 0x02, 0x00, 0x01, 0x0B, 0x01, 0x00),
    CASE("body shorter than its locals", "section size mismatch", 21, DECODE, H, TYPE0, FUNC1,
         0x0A, 0x05, 0x01, 0x01, 0x01, 0x01, 0x7F),
    /* Custom sections */
    CASE("custom section name overruns it", END_IN, 10, DECODE, H, 0x00, 0x00, 0x00, 0x05, 0x01,
         0x00, 0x07, 0x00, 0x00),
    CASE("custom section name not UTF-8", BAD_UTF8, 10, DECODE, H, 0x00, 0x03, 0x02, 0xC3,
         0x28),
    CASE("concatenated modules", "length out of bounds", 9, DECODE, H, H),
};

static void test_malformed(void **state)
{
    (void)state;
    static const wmodule zero;
    int failures = 0;
    for (size_t i = 0; i < sizeof malformed_cases / sizeof *malformed_cases; i++) {
        const malformed_case *c = &malformed_cases[i];
        wmodule m;
        weft_error *e = wmodule_decode(&m, c->bytes, c->len);
        if (!e) {
            print_error("%s: decoded, expected \"%s\"\n", c->name, c->prefix);
            wmodule_free(&m);
            failures++;
            continue;
        }
        const char *msg = weft_error_message(e);
        if (!starts_with(msg, c->prefix) || weft_error_offset(e) != c->offset ||
            weft_error_kind_of(e) != c->kind) {
            print_error("%s: got \"%s\" (kind %d, offset %lld), expected \"%s\" (kind %d, offset "
                        "%lld)\n",
                        c->name, msg, weft_error_kind_of(e), (long long)weft_error_offset(e),
                        c->prefix, c->kind, (long long)c->offset);
            failures++;
        }
        if (memcmp(&m, &zero, sizeof m) != 0) { /* "On failure *m is freed" */
            print_error("%s: module not cleared after the error\n", c->name);
            failures++;
        }
        weft_error_delete(e);
    }
    assert_int_equal(failures, 0);
}

static void test_empty_input(void **state)
{
    (void)state;
    assert_int_equal(must_fail((const uint8_t *)"", 0, "unexpected end"), 0);
    assert_int_equal(must_fail(NULL, 0, "unexpected end"), 0);
}

/* ------------------------------------------------------------------------ */
/* Well-formed modules                                                      */

static void test_empty_module(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {H};
    wmodule m;
    must_decode(&m, bytes, sizeof bytes);
    assert_int_equal(m.len, sizeof bytes);
    assert_memory_equal(m.bytes, bytes, sizeof bytes);
    assert_true(m.bytes != bytes); /* an owned copy */
    assert_int_equal(m.ntypes + m.nimports + m.nfuncs + m.ntables + m.nmems + m.nglobals, 0);
    assert_int_equal(m.nexports + m.nelems + m.ndatas + m.ncustoms, 0);
    assert_false(m.has_start);
    assert_false(m.has_data_count);
    assert_null(m.module_name);
    wmodule_free(&m);
}

/* Appends a function type to a type section under construction. */
static void add_functype(wbuf *s, const valtype *params, uint32_t np, const valtype *results,
                         uint32_t nr)
{
    wb_byte(s, 0x60);
    wb_u32(s, np);
    wb_raw(s, params, np);
    wb_u32(s, nr);
    wb_raw(s, results, nr);
}

static void test_types(void **state)
{
    (void)state;
    valtype many[20];
    memset(many, VT_I32, sizeof many);
    valtype many_i64_last[20];
    memset(many_i64_last, VT_I32, sizeof many_i64_last);
    many_i64_last[19] = VT_I64;

    wbuf mod = wb_module(), s = {0};
    wb_u32(&s, 6);
    add_functype(&s, NULL, 0, NULL, 0);
    add_functype(&s, (const valtype[]){VT_I32, VT_I64}, 2, (const valtype[]){VT_F32}, 1);
    add_functype(&s, (const valtype[]){VT_V128, VT_FUNCREF, VT_EXTERNREF, VT_F64}, 4,
                 (const valtype[]){VT_V128}, 1);
    add_functype(&s, many, 20, NULL, 0);
    add_functype(&s, many, 20, NULL, 0);
    add_functype(&s, many_i64_last, 20, NULL, 0);
    wb_section(&mod, 1, &s);

    wmodule m;
    must_decode_buf(&m, &mod);
    assert_int_equal(m.ntypes, 6);
    const functype *t = m.types;
    assert_int_equal(t[0].nparams, 0);
    assert_int_equal(t[0].nresults, 0);
    assert_int_equal(t[0].key, 0);

    assert_int_equal(t[1].nparams, 2);
    assert_int_equal(t[1].nresults, 1);
    assert_int_equal(functype_params(&t[1])[1], VT_I64);
    assert_int_equal(functype_results(&t[1])[0], VT_F32);
    /* nparams | nresults << 5 | codes (i32=1, i64=2, f32=3) from bit 10. */
    assert_int_equal(t[1].key, 2 | 1 << 5 | 1 << 10 | 2 << 13 | 3 << 16);
    assert_int_equal(t[1].param_slots, 2);
    assert_int_equal(t[1].result_slots, 1);

    assert_int_equal(t[2].param_slots, 5); /* v128 takes two slots */
    assert_int_equal(t[2].result_slots, 2);
    assert_int_equal(functype_params(&t[2])[2], VT_EXTERNREF);

    assert_true(t[3].key >> 63); /* 20 types: hashed */
    assert_true(functype_equal(&t[3], &t[4]));
    assert_false(functype_equal(&t[3], &t[5]));
    assert_false(functype_equal(&t[0], &t[1]));
    assert_true(functype_equal(&t[1], &t[1]));
    wmodule_free(&m);
    wb_free(&mod);
}

/* functype keys at the edges of the exact encoding. */
static void test_functype_keys(void **state)
{
    (void)state;
    valtype a[40], b[40];
    memset(a, VT_F64, sizeof a);
    memset(b, VT_F64, sizeof b);
    functype x = {.types = a}, y = {.types = b};

    x.nparams = 10, x.nresults = 7; /* 17 types: still exact */
    functype_finish(&x);
    assert_false(x.key >> 63);
    x.nparams = 10, x.nresults = 8; /* 18: hashed */
    functype_finish(&x);
    assert_true(x.key >> 63);
    x.nparams = 32, x.nresults = 0; /* count beyond 5 bits: hashed */
    functype_finish(&x);
    assert_true(x.key >> 63);

    /* Same counts, one type differs, hashed: structurally unequal. */
    x.nparams = y.nparams = 30;
    x.nresults = y.nresults = 2;
    b[31] = VT_I32;
    functype_finish(&x);
    functype_finish(&y);
    assert_false(functype_equal(&x, &y));
    b[31] = VT_F64;
    functype_finish(&y);
    assert_true(functype_equal(&x, &y));
    assert_int_equal(x.param_slots, 30);

    /* Same types, split differently between params and results. */
    x.nparams = 2, x.nresults = 1;
    y.nparams = 1, y.nresults = 2;
    functype_finish(&x);
    functype_finish(&y);
    assert_false(functype_equal(&x, &y));
}

static void test_imports_and_index_spaces(void **state)
{
    (void)state;
    wbuf mod = wb_module(), s = {0};
    wb_u32(&s, 1);
    add_functype(&s, NULL, 0, NULL, 0);
    wb_section(&mod, 1, &s);

    wb_u32(&s, 5);
    wb_name(&s, "env"), wb_name(&s, "f"), WB_BYTES(&s, 0x00, 0x00);
    wb_name(&s, "env"), wb_name(&s, "t"), WB_BYTES(&s, 0x01, 0x6F, 0x01, 0x01, 0x0A);
    wb_name(&s, "env"), wb_name(&s, "m"), WB_BYTES(&s, 0x02, 0x00, 0x01);
    wb_name(&s, "env"), wb_name(&s, "g"), WB_BYTES(&s, 0x03, 0x7E, 0x01);
    wb_name(&s, "\xE2\x82\xAC"), wb_name_n(&s, "a\0b", 3), WB_BYTES(&s, 0x00, 0x80, 0x00);
    wb_section(&mod, 2, &s);

    WB_BYTES(&s, 0x01, 0x00); /* one function of type 0 */
    wb_section(&mod, 3, &s);
    WB_BYTES(&s, 0x01, 0x70, 0x00, 0x02); /* funcref table, min 2 */
    wb_section(&mod, 4, &s);
    WB_BYTES(&s, 0x01, 0x7F, 0x00, 0x41, 0x05, 0x0B); /* i32 global = 5 */
    wb_section(&mod, 6, &s);
    WB_BYTES(&s, 0x01, 0x02, 0x00, 0x0B); /* body: no locals, end */
    wb_section(&mod, 10, &s);

    wmodule m;
    must_decode_buf(&m, &mod);
    assert_int_equal(m.nimports, 5);
    assert_string_equal(m.imports[0].module, "env");
    assert_int_equal(m.imports[0].module_len, 3);
    assert_string_equal(m.imports[0].name, "f");
    assert_int_equal(m.imports[0].kind, WEFT_EXTERN_FUNC);
    assert_int_equal(m.imports[0].desc.type_index, 0);

    assert_int_equal(m.imports[1].kind, WEFT_EXTERN_TABLE);
    assert_int_equal(m.imports[1].desc.table.elem, VT_EXTERNREF);
    assert_int_equal(m.imports[1].desc.table.lim.min, 1);
    assert_true(m.imports[1].desc.table.lim.has_max);
    assert_int_equal(m.imports[1].desc.table.lim.max, 10);

    assert_int_equal(m.imports[2].kind, WEFT_EXTERN_MEMORY);
    assert_int_equal(m.imports[2].desc.mem.lim.min, 1);
    assert_false(m.imports[2].desc.mem.lim.has_max);
    assert_int_equal(m.imports[2].desc.mem.lim.max, UINT64_MAX);

    assert_int_equal(m.imports[3].kind, WEFT_EXTERN_GLOBAL);
    assert_int_equal(m.imports[3].desc.global.type, VT_I64);
    assert_true(m.imports[3].desc.global.mut);

    assert_string_equal(m.imports[4].module, "\xE2\x82\xAC");
    assert_int_equal(m.imports[4].name_len, 3);
    assert_memory_equal(m.imports[4].name, "a\0b", 4); /* NUL kept, NUL-terminated */
    assert_int_equal(m.imports[4].desc.type_index, 0); /* non-minimal LEB */

    /* Index spaces: imports first. */
    assert_int_equal(m.nfunc_imports, 2);
    assert_int_equal(m.nfuncs, 3);
    assert_int_equal(m.func_type_indices[2], 0);
    assert_int_equal(wmodule_func_type(&m, 1)->nparams, 0);
    assert_int_equal(m.ntable_imports, 1);
    assert_int_equal(m.ntables, 2);
    assert_int_equal(m.tables[0].elem, VT_EXTERNREF);
    assert_int_equal(m.tables[0].lim.max, 10);
    assert_int_equal(m.tables[1].elem, VT_FUNCREF);
    assert_int_equal(m.tables[1].lim.min, 2);
    assert_int_equal(m.nmem_imports, 1); /* no memory section: imports only */
    assert_int_equal(m.nmems, 1);
    assert_int_equal(m.mems[0].lim.min, 1);
    assert_int_equal(m.nglobal_imports, 1);
    assert_int_equal(m.nglobals, 2);
    assert_int_equal(m.globals[0].type.type, VT_I64);
    assert_true(m.globals[0].type.mut);
    assert_int_equal(m.globals[1].type.type, VT_I32);
    assert_false(m.globals[1].type.mut);
    assert_int_equal(m.globals[1].init.value.u64, 5);
    wmodule_free(&m);
    wb_free(&mod);
}

static void test_exports_and_start(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {
        H, TYPE0, FUNC1,
        0x07, 0x0D, 0x03,              /* export section, 3 entries */
        0x01, 'f', 0x00, 0x00,         /* "f" func 0 */
        0x01, 'm', 0x02, 0x00,         /* "m" memory 0 */
        0x00, 0x03, 0x81, 0x01,        /* "" global 129 */
        0x08, 0x01, 0x00,              /* start: function 0 */
        0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B,
    };
    wmodule m;
    must_decode(&m, bytes, sizeof bytes);
    assert_int_equal(m.nexports, 3);
    assert_string_equal(m.exports[0].name, "f");
    assert_int_equal(m.exports[0].kind, WEFT_EXTERN_FUNC);
    assert_int_equal(m.exports[1].kind, WEFT_EXTERN_MEMORY);
    assert_string_equal(m.exports[2].name, "");
    assert_int_equal(m.exports[2].name_len, 0);
    assert_int_equal(m.exports[2].kind, WEFT_EXTERN_GLOBAL);
    assert_int_equal(m.exports[2].index, 129);
    assert_true(m.has_start);
    assert_int_equal(m.start, 0);
    wmodule_free(&m);
}

static void test_constant_expressions(void **state)
{
    (void)state;
    wbuf mod = wb_module(), s = {0};
    wb_u32(&s, 8);
    WB_BYTES(&s, 0x7F, 0x00, 0x41, 0x7F, 0x0B); /* i32.const -1 */
    WB_BYTES(&s, 0x7E, 0x01, 0x42);             /* i64.const INT64_MIN */
    wb_s64(&s, INT64_MIN);
    wb_byte(&s, 0x0B);
    WB_BYTES(&s, 0x7D, 0x00, 0x43, 0x00, 0x00, 0x80, 0x3F, 0x0B); /* f32.const 1.0 */
    WB_BYTES(&s, 0x7C, 0x00, 0x44, 0x18, 0x2D, 0x44, 0x54, 0xFB, 0x21, 0x09, 0x40,
             0x0B);                                               /* f64.const pi */
    WB_BYTES(&s, 0x7B, 0x00, 0xFD, 0x0C);                         /* v128.const */
    for (uint8_t i = 0; i < 16; i++)
        wb_byte(&s, i);
    wb_byte(&s, 0x0B);
    WB_BYTES(&s, 0x6F, 0x00, 0xD0, 0x6F, 0x0B);       /* ref.null extern */
    WB_BYTES(&s, 0x70, 0x00, 0xD2, 0x07, 0x0B);       /* ref.func 7 */
    WB_BYTES(&s, 0x7F, 0x00, 0x23, 0x80, 0x01, 0x0B); /* global.get 128 */
    wb_section(&mod, 6, &s);

    wmodule m;
    must_decode_buf(&m, &mod);
    assert_int_equal(m.nglobals, 8);
    const global_def *g = m.globals;
    assert_int_equal(g[0].init.op, CE_I32_CONST);
    assert_int_equal(g[0].init.type, VT_I32);
    assert_int_equal(g[0].init.value.u64, 0xFFFFFFFFu); /* zero-extended */
    assert_int_equal(g[0].init.offset, 13);
    assert_int_equal(g[1].init.op, CE_I64_CONST);
    assert_int_equal(g[1].init.value.u64, UINT64_C(1) << 63);
    assert_true(g[1].type.mut);
    assert_int_equal(g[2].init.op, CE_F32_CONST);
    assert_int_equal(g[2].init.value.u64, 0x3F800000u);
    assert_int_equal(g[3].init.op, CE_F64_CONST);
    assert_int_equal(g[3].init.value.u64, UINT64_C(0x400921FB54442D18));
    assert_int_equal(g[4].init.op, CE_V128_CONST);
    assert_int_equal(g[4].init.type, VT_V128);
    for (int i = 0; i < 16; i++)
        assert_int_equal(g[4].init.value.v128[i], i);
    assert_int_equal(g[5].init.op, CE_REF_NULL);
    assert_int_equal(g[5].init.type, VT_EXTERNREF);
    assert_int_equal(g[6].init.op, CE_REF_FUNC);
    assert_int_equal(g[6].init.index, 7);
    assert_int_equal(g[7].init.op, CE_GLOBAL_GET);
    assert_int_equal(g[7].init.index, 128);
    wmodule_free(&m);
    wb_free(&mod);
}

/* All eight element segment forms in one section. */
static void test_element_forms(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {
        H, 0x09, 0x39, 0x08,
        0x00, 0x41, 0x01, 0x0B, 0x02, 0x00, 0x01,        /* 0: active t0, funcs [0 1] */
        0x01, 0x00, 0x01, 0x01,                          /* 1: passive, funcs [1] */
        0x02, 0x01, 0x41, 0x02, 0x0B, 0x00, 0x01, 0x00,  /* 2: active t1, funcs [0] */
        0x03, 0x00, 0x01, 0x01,                          /* 3: declarative, funcs [1] */
        0x04, 0x41, 0x03, 0x0B, 0x02, 0xD2, 0x00, 0x0B,  /* 4: active t0, exprs */
        0xD0, 0x70, 0x0B,                                /*    [ref.func 0, ref.null func] */
        0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B,              /* 5: passive extern [null] */
        0x06, 0x01, 0x23, 0x00, 0x0B, 0x70, 0x01, 0xD2,  /* 6: active t1 at global 0, */
        0x01, 0x0B,                                      /*    [ref.func 1] */
        0x07, 0x70, 0x01, 0xD2, 0x00, 0x0B,              /* 7: declarative [ref.func 0] */
    };
    wmodule m;
    must_decode(&m, bytes, sizeof bytes);
    assert_int_equal(m.nelems, 8);
    const elem_segment *e = m.elems;
    static const uint8_t modes[8] = {SEG_ACTIVE,  SEG_PASSIVE, SEG_ACTIVE,  SEG_DECLARATIVE,
                                     SEG_ACTIVE,  SEG_PASSIVE, SEG_ACTIVE,  SEG_DECLARATIVE};
    static const uint32_t tables[8] = {0, 0, 1, 0, 0, 0, 1, 0};
    static const uint32_t counts[8] = {2, 1, 1, 1, 2, 1, 1, 1};
    for (int i = 0; i < 8; i++) {
        assert_int_equal(e[i].mode, modes[i]);
        assert_int_equal(e[i].table, tables[i]);
        assert_int_equal(e[i].count, counts[i]);
        assert_int_equal(e[i].type, i == 5 ? VT_EXTERNREF : VT_FUNCREF);
    }
    assert_int_equal(e[0].offset.op, CE_I32_CONST);
    assert_int_equal(e[0].offset.value.u64, 1);
    assert_int_equal(e[0].items[1].op, CE_REF_FUNC);
    assert_int_equal(e[0].items[1].index, 1);
    assert_int_equal(e[0].items[1].type, VT_FUNCREF);
    assert_int_equal(e[2].offset.value.u64, 2);
    assert_int_equal(e[4].offset.value.u64, 3);
    assert_int_equal(e[4].items[0].op, CE_REF_FUNC);
    assert_int_equal(e[4].items[1].op, CE_REF_NULL);
    assert_int_equal(e[4].items[1].type, VT_FUNCREF);
    assert_int_equal(e[5].items[0].type, VT_EXTERNREF);
    assert_int_equal(e[6].offset.op, CE_GLOBAL_GET);
    assert_int_equal(e[6].items[0].index, 1);
    assert_int_equal(e[7].items[0].op, CE_REF_FUNC);
    wmodule_free(&m);
}

static void test_data_forms(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {
        H,
        0x05, 0x03, 0x01, 0x00, 0x01,                   /* memory, min 1 */
        0x0C, 0x01, 0x03,                               /* data count 3 */
        0x0B, 0x13, 0x03,
        0x00, 0x41, 0x08, 0x0B, 0x02, 'h', 'i',         /* active, mem 0, at 8 */
        0x01, 0x03, 'x', 'y', 'z',                      /* passive */
        0x02, 0x00, 0x41, 0x10, 0x0B, 0x00,             /* active, explicit mem 0, empty */
    };
    wmodule m;
    must_decode(&m, bytes, sizeof bytes);
    assert_true(m.has_data_count);
    assert_int_equal(m.data_count, 3);
    assert_int_equal(m.ndatas, 3);
    assert_int_equal(m.datas[0].mode, SEG_ACTIVE);
    assert_int_equal(m.datas[0].offset.value.u64, 8);
    assert_int_equal(m.datas[0].size, 2);
    assert_memory_equal(m.datas[0].bytes, "hi", 2);
    assert_true(m.datas[0].bytes >= m.bytes && m.datas[0].bytes < m.bytes + m.len);
    assert_int_equal(m.datas[1].mode, SEG_PASSIVE);
    assert_memory_equal(m.datas[1].bytes, "xyz", 3);
    assert_int_equal(m.datas[2].mode, SEG_ACTIVE);
    assert_int_equal(m.datas[2].memory, 0);
    assert_int_equal(m.datas[2].offset.value.u64, 16);
    assert_int_equal(m.datas[2].size, 0);
    wmodule_free(&m);
}

static void test_code_bodies(void **state)
{
    (void)state;
    static const uint8_t bytes[] = {
        H, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7F, 0x00,  /* (i32) -> () */
        0x03, 0x03, 0x02, 0x00, 0x00,
        0x0A, 0x0E, 0x02,
        0x09, 0x02, 0x02, 0x7F, 0x01, 0x7B,           /* locals: 2 i32, 1 v128 */
        0x20, 0x00, 0x1A, 0x0B,                       /* local.get 0, drop, end */
        0x02, 0x00, 0x0B,                             /* no locals, end */
    };
    wmodule m;
    must_decode(&m, bytes, sizeof bytes);
    assert_int_equal(m.nfuncs, 2);
    const func_body *b = m.bodies;
    assert_int_equal(b[0].body_offset, 23);
    assert_int_equal(b[0].offset, 29);
    assert_int_equal(b[0].end, 33);
    assert_int_equal(m.bytes[b[0].end - 1], 0x0B);
    assert_int_equal(b[0].nlocals, 3);
    assert_int_equal(b[0].local_types[0], VT_I32);
    assert_int_equal(b[0].local_types[1], VT_I32);
    assert_int_equal(b[0].local_types[2], VT_V128);
    assert_int_equal(b[1].body_offset, 33);
    assert_int_equal(b[1].offset, 35);
    assert_int_equal(b[1].end, 36);
    assert_int_equal(b[1].nlocals, 0);
    assert_null(b[1].local_types);
    wmodule_free(&m);
}

static void test_custom_sections(void **state)
{
    (void)state;
    wbuf mod = wb_module(), s = {0};
    wb_custom(&mod, "first", "\x01\x02", 2);
    wb_u32(&s, 0);
    wb_section(&mod, 1, &s);
    wb_custom(&mod, "", NULL, 0);
    wb_u32(&s, 0);
    wb_section(&mod, 3, &s);
    wb_custom(&mod, "\xC3\xA9t\xC3\xA9", "payload", 7);

    wmodule m;
    must_decode_buf(&m, &mod);
    assert_int_equal(m.ncustoms, 3);
    assert_string_equal(m.customs[0].name, "first");
    assert_int_equal(m.customs[0].size, 2);
    assert_memory_equal(m.customs[0].data, "\x01\x02", 2);
    assert_int_equal(m.customs[0].data - m.bytes, 16);
    assert_string_equal(m.customs[1].name, "");
    assert_int_equal(m.customs[1].size, 0);
    assert_string_equal(m.customs[2].name, "\xC3\xA9t\xC3\xA9");
    assert_int_equal(m.customs[2].name_len, 5);
    assert_memory_equal(m.customs[2].data, "payload", 7);
    assert_null(m.module_name);
    wmodule_free(&m);
    wb_free(&mod);
}

/* Appends a name-section subsection. */
static void add_subsection(wbuf *payload, uint8_t id, wbuf *contents)
{
    wb_section(payload, id, contents);
}

/* A module with three functions and a custom section named "name". */
static wbuf module_with_names(const wbuf *payload)
{
    wbuf mod = wb_module();
    WB_BYTES(&mod, TYPE0, 0x03, 0x04, 0x03, 0x00, 0x00, 0x00);
    WB_BYTES(&mod, 0x0A, 0x0A, 0x03, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B);
    wb_custom(&mod, "name", payload->data, payload->len);
    return mod;
}

static void test_name_section(void **state)
{
    (void)state;
    wbuf payload = {0}, sub = {0};
    wb_name(&sub, "my module");
    add_subsection(&payload, 0, &sub);
    wb_u32(&sub, 2); /* function names, deliberately unsorted */
    wb_u32(&sub, 2), wb_name(&sub, "third");
    wb_u32(&sub, 0), wb_name(&sub, "first");
    add_subsection(&payload, 1, &sub);
    WB_BYTES(&sub, 0x00); /* local names: skipped */
    add_subsection(&payload, 2, &sub);
    wbuf mod = module_with_names(&payload);

    wmodule m;
    must_decode_buf(&m, &mod);
    assert_string_equal(m.module_name, "my module");
    assert_int_equal(m.nfunc_names, 2);
    assert_int_equal(m.func_names[0].index, 0);
    assert_int_equal(m.func_names[1].index, 2);
    assert_string_equal(wmodule_func_name(&m, 0), "first");
    assert_null(wmodule_func_name(&m, 1));
    assert_string_equal(wmodule_func_name(&m, 2), "third");
    assert_null(wmodule_func_name(&m, 3));
    assert_int_equal(m.ncustoms, 1); /* still listed as a custom section */
    wmodule_free(&m);
    wb_free(&mod);
    wb_free(&payload);
}

/* A broken name section is ignored, never an error. */
static void test_malformed_name_sections(void **state)
{
    (void)state;
    wbuf cases[6] = {{0}};
    wbuf sub = {0};
    /* 0: module name not UTF-8 */
    WB_BYTES(&sub, 0x01, 0xFF);
    add_subsection(&cases[0], 0, &sub);
    /* 1: duplicate function index */
    WB_BYTES(&sub, 0x02, 0x00, 0x01, 'a', 0x00, 0x01, 'b');
    add_subsection(&cases[1], 1, &sub);
    /* 2: subsections out of order */
    WB_BYTES(&sub, 0x00);
    add_subsection(&cases[2], 1, &sub);
    wb_name(&sub, "m");
    add_subsection(&cases[2], 0, &sub);
    /* 3: subsection size beyond the section */
    WB_BYTES(&cases[3], 0x00, 0x10, 0x01, 'm');
    /* 4: trailing bytes inside the module-name subsection */
    WB_BYTES(&sub, 0x01, 'm', 0x00);
    add_subsection(&cases[4], 0, &sub);
    /* 5: a name map count far beyond its bytes */
    WB_BYTES(&sub, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    add_subsection(&cases[5], 1, &sub);

    for (int i = 0; i < 6; i++) {
        wbuf mod = module_with_names(&cases[i]);
        wmodule m;
        must_decode_buf(&m, &mod);
        assert_null(m.module_name);
        assert_int_equal(m.nfunc_names, 0);
        assert_null(wmodule_func_name(&m, 0));
        wmodule_free(&m);
        wb_free(&mod);
        wb_free(&cases[i]);
    }
}

static void test_utf8(void **state)
{
    (void)state;
#define VALID(s) assert_true(utf8_valid((const uint8_t *)(s), sizeof(s) - 1))
#define INVALID_UTF8(s) assert_false(utf8_valid((const uint8_t *)(s), sizeof(s) - 1))
    VALID("");
    VALID("plain ascii");
    VALID("\x00");                /* U+0000 */
    VALID("\xC2\x80");            /* U+0080 */
    VALID("\xDF\xBF");            /* U+07FF */
    VALID("\xE0\xA0\x80");        /* U+0800 */
    VALID("\xED\x9F\xBF");        /* U+D7FF */
    VALID("\xEE\x80\x80");        /* U+E000 */
    VALID("\xEF\xBF\xBF");        /* U+FFFF */
    VALID("\xF0\x90\x80\x80");    /* U+10000 */
    VALID("\xF4\x8F\xBF\xBF");    /* U+10FFFF */
    INVALID_UTF8("\x80");         /* stray continuation */
    INVALID_UTF8("\xC0\x80");     /* overlong NUL */
    INVALID_UTF8("\xC1\xBF");     /* overlong U+007F */
    INVALID_UTF8("\xE0\x9F\xBF"); /* overlong U+07FF */
    INVALID_UTF8("\xF0\x8F\xBF\xBF"); /* overlong U+FFFF */
    INVALID_UTF8("\xED\xA0\x80");     /* U+D800 */
    INVALID_UTF8("\xED\xBF\xBF");     /* U+DFFF */
    INVALID_UTF8("\xF4\x90\x80\x80"); /* U+110000 */
    INVALID_UTF8("\xF5\x80\x80\x80");
    INVALID_UTF8("\xF8\x88\x80\x80\x80");
    INVALID_UTF8("\xFF");
    INVALID_UTF8("\xE2\x82");         /* truncated */
    INVALID_UTF8("a\xF0\x90\x80");    /* truncated at the end */
    INVALID_UTF8("\xE2\x28\xA1");     /* bad continuation */
#undef VALID
#undef INVALID_UTF8
}

/* ------------------------------------------------------------------------ */
/* Limits and allocation bounds                                             */

static void test_limit_exports(void **state)
{
    (void)state;
    wbuf mod = wb_module(), s = {0};
    wb_u32(&s, LIMIT_EXPORTS + 1);
    for (uint32_t i = 0; i <= LIMIT_EXPORTS; i++)
        WB_BYTES(&s, 0x00, 0x00, 0x00);
    wb_section(&mod, 7, &s);
    assert_int_equal(must_fail(mod.data, mod.len, "too many exports"), 12);
    wb_free(&mod);
}

static void test_limit_params(void **state)
{
    (void)state;
    wbuf mod = wb_module(), s = {0};
    WB_BYTES(&s, 0x01, 0x60);
    wb_u32(&s, LIMIT_PARAMS + 1);
    for (uint32_t i = 0; i <= LIMIT_PARAMS; i++)
        wb_byte(&s, VT_I32);
    wb_byte(&s, 0x00);
    wb_section(&mod, 1, &s);
    assert_int_equal(must_fail(mod.data, mod.len, "too many parameters"), 13);
    wb_free(&mod);
}

/* Each body declares LIMIT_LOCALS locals in a few bytes; the module as a
 * whole must not expand into unbounded memory. */
static void test_limit_total_locals(void **state)
{
    (void)state;
    enum { NFUNCS = 400 }; /* 400 * 50000 = 20M locals, beyond the module cap */
    wbuf mod = wb_module(), s = {0};
    WB_BYTES(&s, 0x01, 0x60, 0x00, 0x00);
    wb_section(&mod, 1, &s);
    wb_u32(&s, NFUNCS);
    for (int i = 0; i < NFUNCS; i++)
        wb_byte(&s, 0x00);
    wb_section(&mod, 3, &s);
    wb_u32(&s, NFUNCS);
    for (int i = 0; i < NFUNCS; i++) {
        wbuf body = {0};
        wb_byte(&body, 0x01);
        wb_u32(&body, LIMIT_LOCALS);
        WB_BYTES(&body, 0x7F, 0x0B);
        wb_u32(&s, body.len);
        wb_raw(&s, body.data, body.len);
        wb_free(&body);
    }
    wb_section(&mod, 10, &s);
    must_fail(mod.data, mod.len, "too many locals");
    wb_free(&mod);
}

/* ------------------------------------------------------------------------ */
/* Robustness                                                               */

/* A module touching every section, for truncation and mutation sweeps. */
static wbuf rich_module(void)
{
    wbuf mod = wb_module(), s = {0};
    wb_custom(&mod, "lead", "x", 1);
    WB_BYTES(&s, 0x02, 0x60, 0x01, 0x7F, 0x01, 0x7E, 0x60, 0x00, 0x00);
    wb_section(&mod, 1, &s);
    wb_u32(&s, 2);
    wb_name(&s, "env"), wb_name(&s, "f"), WB_BYTES(&s, 0x00, 0x01);
    wb_name(&s, "env"), wb_name(&s, "g"), WB_BYTES(&s, 0x03, 0x7F, 0x00);
    wb_section(&mod, 2, &s);
    WB_BYTES(&s, 0x02, 0x00, 0x01);
    wb_section(&mod, 3, &s);
    WB_BYTES(&s, 0x01, 0x70, 0x01, 0x02, 0x04);
    wb_section(&mod, 4, &s);
    WB_BYTES(&s, 0x01, 0x01, 0x01, 0x02);
    wb_section(&mod, 5, &s);
    WB_BYTES(&s, 0x02, 0x7E, 0x01, 0x42, 0x7F, 0x0B, 0x7B, 0x00, 0xFD, 0x0C);
    for (int i = 0; i < 16; i++)
        wb_byte(&s, 0xAA);
    wb_byte(&s, 0x0B);
    wb_section(&mod, 6, &s);
    wb_u32(&s, 2);
    wb_name(&s, "run"), WB_BYTES(&s, 0x00, 0x01);
    wb_name(&s, "mem"), WB_BYTES(&s, 0x02, 0x00);
    wb_section(&mod, 7, &s);
    WB_BYTES(&s, 0x02);
    wb_section(&mod, 8, &s);
    WB_BYTES(&s, 0x03, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x01, 0x05, 0x70, 0x01, 0xD0, 0x70, 0x0B,
             0x06, 0x00, 0x23, 0x00, 0x0B, 0x70, 0x01, 0xD2, 0x02, 0x0B);
    wb_section(&mod, 9, &s);
    WB_BYTES(&s, 0x02);
    wb_section(&mod, 12, &s);
    WB_BYTES(&s, 0x02, 0x07, 0x01, 0x02, 0x7F, 0x20, 0x00, 0x1A, 0x0B, 0x04, 0x00, 0x42, 0x00,
             0x0B);
    wb_section(&mod, 10, &s);
    WB_BYTES(&s, 0x02, 0x00, 0x41, 0x04, 0x0B, 0x02, 'h', 'i', 0x01, 0x01, 'z');
    wb_section(&mod, 11, &s);
    wbuf names = {0}, sub = {0};
    wb_name(&sub, "rich");
    wb_section(&names, 0, &sub);
    WB_BYTES(&sub, 0x01, 0x02), wb_name(&sub, "run");
    wb_section(&names, 1, &sub);
    wb_custom(&mod, "name", names.data, names.len);
    wb_free(&names);
    return mod;
}

static void test_rich_module(void **state)
{
    (void)state;
    wbuf mod = rich_module();
    wmodule m;
    must_decode_buf(&m, &mod);
    assert_int_equal(m.nfuncs, 3);
    assert_int_equal(m.nglobals, 3);
    assert_int_equal(m.nelems, 3);
    assert_int_equal(m.ndatas, 2);
    assert_int_equal(m.ncustoms, 2);
    assert_true(m.has_start);
    assert_int_equal(m.start, 2);
    assert_string_equal(m.module_name, "rich");
    assert_string_equal(wmodule_func_name(&m, 2), "run");
    wmodule_free(&m);
    wb_free(&mod);
}

/* Every prefix of a module decodes or fails; none crashes or leaks. */
static void test_truncations(void **state)
{
    (void)state;
    wbuf mod = rich_module();
    for (size_t len = 0; len < mod.len; len++) {
        uint8_t *copy = malloc(len ? len : 1); /* exact size: ASan sees overreads */
        memcpy(copy, mod.data, len);
        wmodule m;
        weft_error *e = wmodule_decode(&m, copy, len);
        if (e)
            weft_error_delete(e);
        else
            wmodule_free(&m);
        free(copy);
    }
    wb_free(&mod);
}

/* Every byte replaced by a few interesting values. */
static void test_mutations(void **state)
{
    (void)state;
    static const uint8_t values[] = {0x00, 0x01, 0x0B, 0x41, 0x70, 0x7F, 0x80, 0xFF};
    wbuf mod = rich_module();
    uint8_t *copy = malloc(mod.len);
    int decoded = 0, failed = 0;
    for (size_t i = 0; i < mod.len; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            memcpy(copy, mod.data, mod.len);
            copy[i] = values[v];
            wmodule m;
            weft_error *e = wmodule_decode(&m, copy, mod.len);
            if (e) {
                assert_true(weft_error_offset(e) >= 0);
                assert_true(weft_error_offset(e) <= (int64_t)mod.len);
                weft_error_delete(e);
                failed++;
            } else {
                wmodule_free(&m);
                decoded++;
            }
        }
    }
    assert_true(decoded > 0 && failed > 0);
    free(copy);
    wb_free(&mod);
}

/* ------------------------------------------------------------------------ */
/* The spec test suite                                                      */

/* Malformed binaries the decoder accepts because the defect is inside a
 * function body, which only the validator walks; keyed by .json file and the
 * .wast line of the assertion. */
typedef struct known_case {
    const char *json;
    int line;
    const char *why;
} known_case;

static const known_case left_to_validator[] = {
    {"binary.json", 126, "memory.grow reserved byte"},
    {"binary.json", 146, "memory.grow reserved byte"},
    {"binary.json", 166, "memory.grow reserved byte"},
    {"binary.json", 185, "memory.grow reserved byte"},
    {"binary.json", 204, "memory.grow reserved byte"},
    {"binary.json", 224, "memory.size reserved byte"},
    {"binary.json", 243, "memory.size reserved byte"},
    {"binary.json", 262, "memory.size reserved byte"},
    {"binary.json", 280, "memory.size reserved byte"},
    {"binary.json", 298, "memory.size reserved byte"},
    {"binary.json", 474, "memory.init without data count"},
    {"binary.json", 496, "data.drop without data count"},
    {"binary.json", 1086, "br_table target count"},
    {"binary-leb128.json", 424, "memarg alignment LEB"},
    {"binary-leb128.json", 443, "memarg offset LEB"},
    {"binary-leb128.json", 771, "memarg alignment LEB"},
    {"binary-leb128.json", 789, "memarg alignment LEB"},
    {"binary-leb128.json", 808, "memarg offset LEB"},
    {"binary-leb128.json", 827, "memarg offset LEB"},
    {"binary-leb128.json", 990, "0xFC sub-opcode LEB"},
};

/* Malformed binaries rejected with another message than the suite's: a
 * body's declared size ends before its instructions do, and the reference
 * interpreter reports the bad LEB it meets while reading past that end;
 * without walking instructions we report the missing `end`. */
static const known_case other_message[] = {
    {"binary-leb128.json", 405, "END opcode expected"},
    {"binary-leb128.json", 462, "END opcode expected"},
    {"binary-leb128.json", 731, "END opcode expected"},
    {"binary-leb128.json", 751, "END opcode expected"},
    {"binary-leb128.json", 846, "END opcode expected"},
    {"binary-leb128.json", 866, "END opcode expected"},
};

static const known_case *find_known(const known_case *list, size_t n, const char *json, int line)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].json, json) == 0 && list[i].line == line)
            return &list[i];
    return NULL;
}

#define FIND_KNOWN(list, json, line) find_known(list, sizeof list / sizeof *list, json, line)

static bool dir_exists(const char *path)
{
    DIR *d = opendir(path);
    if (d)
        closedir(d);
    return d != NULL;
}

/* The suite's directory of .json and .wasm files: $WEFT_SPECTEST_DIR (or its
 * v2/ subdirectory), else ../shared/spectest/v2 next to the repository. */
static bool spectest_dir(char *out, size_t n)
{
    const char *env = getenv("WEFT_SPECTEST_DIR");
    if (env && *env) {
        snprintf(out, n, "%s/v2", env);
        if (dir_exists(out))
            return true;
        snprintf(out, n, "%s", env);
        return dir_exists(out);
    }
    /* __FILE__ is .../tests/unit/test_decode.c */
    const char *file = __FILE__;
    const char *slash = strrchr(file, '/');
    int dirlen = slash ? (int)(slash - file) : 0;
    snprintf(out, n, "%.*s%s../../../shared/spectest/v2", dirlen, file, slash ? "/" : "");
    return dir_exists(out);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        rewind(f);
        buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
        if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
        *len = size >= 0 ? (size_t)size : 0;
    }
    fclose(f);
    return buf;
}

/* Copies the string value of "key": "..." in a .json command line. */
static bool json_string(const char *line, const char *key, char *out, size_t n)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\": \"", key);
    const char *p = strstr(line, pattern);
    if (!p)
        return false;
    p += strlen(pattern);
    size_t i = 0;
    for (; *p && *p != '"' && i + 1 < n; p++) {
        if (*p == '\\' && p[1])
            p++; /* the texts we compare have no escapes worth decoding */
        out[i++] = *p;
    }
    out[i] = '\0';
    return true;
}

static int json_int(const char *line, const char *key)
{
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\": ", key);
    const char *p = strstr(line, pattern);
    return p ? atoi(p + strlen(pattern)) : -1;
}

typedef struct spec_stats {
    int files, modules, malformed, invalid, known, failures;
} spec_stats;

/* Checks one command of a .json file against the decoder. */
static void check_command(const char *dir, const char *json, const char *line, spec_stats *st)
{
    char type[32], file[256], text[256] = "", module_type[16] = "binary";
    if (!json_string(line, "type", type, sizeof type) ||
        !json_string(line, "filename", file, sizeof file))
        return;
    json_string(line, "text", text, sizeof text);
    json_string(line, "module_type", module_type, sizeof module_type);
    if (strcmp(module_type, "binary") != 0)
        return; /* text modules are the text parser's business */
    int wast_line = json_int(line, "line");

    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    size_t len = 0;
    uint8_t *bytes = read_file(path, &len);
    if (!bytes) {
        print_error("%s: cannot read\n", path);
        st->failures++;
        return;
    }
    wmodule m;
    weft_error *e = wmodule_decode(&m, bytes, len);
    const char *msg = e ? weft_error_message(e) : NULL;
    bool is_malformed = strcmp(type, "assert_malformed") == 0;
    bool is_invalid = strcmp(type, "assert_invalid") == 0;

    if (is_malformed) {
        st->malformed++;
        const known_case *k = FIND_KNOWN(left_to_validator, json, wast_line);
        const known_case *other = FIND_KNOWN(other_message, json, wast_line);
        if (!e && k) {
            st->known++;
        } else if (e && other && starts_with(msg, other->why)) {
            st->known++;
        } else if (!e || !starts_with(msg, text) || weft_error_kind_of(e) != WEFT_ERROR_DECODE) {
            print_error("%s (%s:%d): expected malformed \"%s\", got %s\n", file, json, wast_line,
                        text, e ? msg : "success");
            st->failures++;
        }
    } else if (is_invalid) {
        /* The decoder may reject an invalid module only for its constant
         * expressions, and then as a validation error with the right text. */
        st->invalid++;
        if (e && (weft_error_kind_of(e) != WEFT_ERROR_VALIDATE || !starts_with(msg, text))) {
            print_error("%s (%s:%d): expected invalid \"%s\", decoder said \"%s\"\n", file, json,
                        wast_line, text, msg);
            st->failures++;
        }
    } else {
        st->modules++;
        if (e) {
            print_error("%s (%s:%d, %s): %s\n", file, json, wast_line, type, msg);
            st->failures++;
        }
    }
    if (e)
        weft_error_delete(e);
    else
        wmodule_free(&m);
    free(bytes);
}

static void check_json(const char *dir, const char *json, spec_stats *st)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, json);
    size_t len = 0;
    char *text = (char *)read_file(path, &len);
    if (!text) {
        print_error("%s: cannot read\n", path);
        st->failures++;
        return;
    }
    text[len] = '\0';
    /* wast2json writes one command per line. */
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
        check_command(dir, json, line, st);
    free(text);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Every .wasm file: decoding must not crash, whatever it is. */
static void decode_every_wasm(const char *dir, DIR *d, spec_stats *st)
{
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (!has_suffix(ent->d_name, ".wasm"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        size_t len = 0;
        uint8_t *bytes = read_file(path, &len);
        if (!bytes)
            continue;
        wmodule m;
        weft_error *e = wmodule_decode(&m, bytes, len);
        if (e)
            weft_error_delete(e);
        else
            wmodule_free(&m);
        free(bytes);
        st->files++;
    }
}

static void test_spec_suite(void **state)
{
    (void)state;
    char dir[768];
    if (!spectest_dir(dir, sizeof dir)) {
        print_message("spec suite not found (set WEFT_SPECTEST_DIR): skipped\n");
        skip();
    }
    spec_stats st = {0};
    DIR *d = opendir(dir);
    assert_non_null(d);
    decode_every_wasm(dir, d, &st);
    rewinddir(d);
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL)
        if (has_suffix(ent->d_name, ".json"))
            check_json(dir, ent->d_name, &st);
    closedir(d);
    print_message("spec suite %s: %d .wasm files; %d modules decoded, %d malformed rejected "
                  "(%d known exceptions), %d invalid checked\n",
                  dir, st.files, st.modules, st.malformed, st.known, st.invalid);
    assert_true(st.files > 0);
    assert_int_equal(st.failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_empty_module),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_functype_keys),
        cmocka_unit_test(test_imports_and_index_spaces),
        cmocka_unit_test(test_exports_and_start),
        cmocka_unit_test(test_constant_expressions),
        cmocka_unit_test(test_element_forms),
        cmocka_unit_test(test_data_forms),
        cmocka_unit_test(test_code_bodies),
        cmocka_unit_test(test_custom_sections),
        cmocka_unit_test(test_name_section),
        cmocka_unit_test(test_malformed_name_sections),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_limit_exports),
        cmocka_unit_test(test_limit_params),
        cmocka_unit_test(test_limit_total_locals),
        cmocka_unit_test(test_rich_module),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_spec_suite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
