/* test_validate.c — the function-body validator's error paths (compile_body.c,
 * compile_emit.c): each invalid body is rejected with the spec's message, the
 * function index, and the byte offset of the offending instruction; each
 * valid tricky body (polymorphic stack, typed select) is accepted. */
#include "api_helpers.h"

/* Value-type strings for WB_FUNC. */
#define NONE ""
#define I32 "\x7f"
#define I32_I32 "\x7f\x7f"

typedef struct body_case {
    const char *name;
    const char *params, *results;
    const uint8_t *body; /* local declarations (0x00: none), code, 0x0B */
    size_t body_len;
    const char *message; /* NULL: the body is valid */
    int opcode_at;       /* index in the body of the instruction at fault */
} body_case;

#define BODY(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static const body_case CASES[] = {
    {"i32.add of an i64", NONE, NONE, BODY(0x00, 0x41, 0x01, 0x42, 0x01, 0x6A, 0x1A, 0x0B),
     "type mismatch", 5},
    {"unknown local", NONE, NONE, BODY(0x00, 0x20, 0x05, 0x1A, 0x0B), "unknown local 5", 1},
    {"unknown label", NONE, NONE, BODY(0x00, 0x0C, 0x01, 0x0B), "unknown label", 1},
    {"stack underflow", NONE, NONE, BODY(0x00, 0x6A, 0x1A, 0x0B), "type mismatch", 1},
    {"missing result", NONE, I32, BODY(0x00, 0x0B), "type mismatch", 1},
    {"value left on the stack", NONE, NONE, BODY(0x00, 0x41, 0x00, 0x0B), "type mismatch", 3},
    {"else without if", NONE, NONE, BODY(0x00, 0x05, 0x0B), "else without matching if", 1},
    {"select of i32 and i64", NONE, NONE,
     BODY(0x00, 0x41, 0x00, 0x42, 0x00, 0x41, 0x01, 0x1B, 0x1A, 0x0B), "type mismatch", 7},
    {"typed select with two types", NONE, NONE,
     BODY(0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0x1C, 0x02, 0x7F, 0x7F, 0x1A, 0x0B),
     "invalid result arity", 7},
    {"unknown function", NONE, NONE, BODY(0x00, 0x10, 0x05, 0x0B), "unknown function 5", 1},
    {"load without memory", NONE, NONE, BODY(0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x0B),
     "unknown memory 0", 3},
    {"call_indirect without table", NONE, NONE, BODY(0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0B),
     "unknown table 0", 3},
    /* block (result i32) i64.const 0 i32.const 1 br_if 0 end drop */
    {"br_if with a wrong value", NONE, NONE,
     BODY(0x00, 0x02, 0x7F, 0x42, 0x00, 0x41, 0x01, 0x0D, 0x00, 0x0B, 0x1A, 0x0B),
     "type mismatch", 7},
    /* i32.const 1 if (result i32) i32.const 2 end: a result needs an else */
    {"if with result and no else", NONE, I32,
     BODY(0x00, 0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x0B, 0x0B), "type mismatch", 7},
    {"unknown global", NONE, NONE, BODY(0x00, 0x23, 0x00, 0x1A, 0x0B), "unknown global 0", 1},
    /* Valid bodies that a naive validator rejects. */
    {"unreachable makes the stack polymorphic", NONE, NONE, BODY(0x00, 0x00, 0x6A, 0x1A, 0x0B),
     NULL, 0},
    /* block (result i32) i32.const 1 br 0 f64.neg drop end: after br anything goes */
    {"br makes the stack polymorphic", NONE, I32,
     BODY(0x00, 0x02, 0x7F, 0x41, 0x01, 0x0C, 0x00, 0x9A, 0x1A, 0x0B, 0x0B), NULL, 0},
    /* ref.func 0 drop: an exported function counts as declared */
    {"ref.func of an exported function", NONE, NONE, BODY(0x00, 0xD2, 0x00, 0x1A, 0x0B), NULL, 0},
    {"typed select", I32_I32, I32,
     BODY(0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x01, 0x1C, 0x01, 0x7F, 0x0B), NULL, 0},
    /* block (type 0: [i32 i32] -> [i32]) i32.add end */
    {"multi-value block with params", I32_I32, I32,
     BODY(0x00, 0x20, 0x00, 0x20, 0x01, 0x02, 0x00, 0x6A, 0x0B, 0x0B), NULL, 0},
};

static void check_case(weft_engine *e, const body_case *tc)
{
    wbuf mod = wb_func_module(tc->params, tc->results, tc->body, tc->body_len);
    /* The code section comes last, so the body is the module's tail. */
    int64_t want_offset = (int64_t)(mod.len - tc->body_len) + tc->opcode_at;

    weft_error *verr = weft_module_validate(e, mod.data, mod.len);
    weft_module *m = NULL;
    weft_error *err = weft_module_new(e, mod.data, mod.len, &m);
    wb_free(&mod);
    if (!tc->message) {
        if (err || verr)
            print_error("%s: %s\n", tc->name, weft_error_message(err ? err : verr));
        assert_null(err);
        assert_null(verr);
        weft_module_delete(m);
        return;
    }
    if (!err) {
        print_error("%s: accepted, expected \"%s\"\n", tc->name, tc->message);
        weft_module_delete(m);
        fail();
    }
    /* weft_module_validate and weft_module_new agree. */
    assert_non_null(verr);
    assert_string_equal(weft_error_message(verr), weft_error_message(err));
    weft_error_delete(verr);

    const char *msg = weft_error_message(err);
    assert_int_equal(weft_error_kind_of(err), WEFT_ERROR_VALIDATE);
    assert_int_equal(weft_error_func_index(err), 0);
    assert_contains(msg, tc->message);
    assert_contains(msg, "in function 0");
    if (weft_error_offset(err) != want_offset) {
        print_error("%s: \"%s\": offset %lld, expected %lld\n", tc->name, msg,
                    (long long)weft_error_offset(err), (long long)want_offset);
        fail();
    }
    weft_error_delete(err);
}

static void test_bodies(void **state)
{
    (void)state;
    weft_engine *e = test_engine();
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        check_case(e, &CASES[i]);
    weft_engine_delete(e);
}

/* The error names the function by its index in the function index space,
 * counting imports. */
static void test_func_index_counts_imports(void **state)
{
    (void)state;
    wbuf mod = wb_module();
    wbuf sec = {0};
    WB_BYTES(&sec, 0x01, 0x60, 0x00, 0x00);
    wb_section(&mod, 1, &sec);
    wb_u32(&sec, 2); /* two imported functions */
    wb_name(&sec, "env");
    wb_name(&sec, "a");
    WB_BYTES(&sec, 0x00, 0x00);
    wb_name(&sec, "env");
    wb_name(&sec, "b");
    WB_BYTES(&sec, 0x00, 0x00);
    wb_section(&mod, 2, &sec);
    WB_BYTES(&sec, 0x02, 0x00, 0x00);
    wb_section(&mod, 3, &sec);
    WB_BYTES(&sec, 0x02, 0x02, 0x00, 0x0B, 0x03, 0x00, 0x6A, 0x0B); /* 2nd body invalid */
    wb_section(&mod, 10, &sec);

    weft_engine *e = test_engine();
    weft_module *m = NULL;
    weft_error *err = weft_module_new(e, mod.data, mod.len, &m);
    wb_free(&mod);
    assert_non_null(err);
    assert_int_equal(weft_error_func_index(err), 3);
    assert_contains(weft_error_message(err), "in function 3");
    weft_error_delete(err);
    weft_engine_delete(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bodies),
        cmocka_unit_test(test_func_index_counts_imports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
