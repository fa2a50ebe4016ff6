/* test_serialize.c — weft_module_serialize / weft_module_deserialize:
 * a round trip gives the same code and the same results; blobs that do not
 * apply (damaged, truncated, another module, another engine) are refused.
 * The spec runner's -s mode runs the whole suite through the round trip. */
#include "api_helpers.h"

ENGINE_GROUP()

typedef struct serialized {
    wbuf wasm;
    uint8_t *blob;
    size_t len;
} serialized;

static serialized serialize_fixture(weft_engine *e, const char *name)
{
    serialized s = {load_fixture(name), NULL, 0};
    wbuf copy = {0};
    wb_raw(&copy, s.wasm.data, s.wasm.len);
    weft_module *m = must_compile(e, &copy);
    assert_null(weft_module_serialize(m, &s.blob, &s.len));
    weft_module_delete(m);
    return s;
}

static void serialized_free(serialized *s)
{
    wb_free(&s->wasm);
    weft_bytes_delete(s->blob);
}

static void test_round_trip(void **state)
{
    (void)state;
    serialized s = serialize_fixture(g_engine, "api.wasm");
    weft_module *m = NULL;
    assert_null(weft_module_deserialize(g_engine, s.wasm.data, s.wasm.len, s.blob, s.len, &m));
    /* Serializing the rebuilt module gives the same bytes. */
    uint8_t *again;
    size_t again_len;
    assert_null(weft_module_serialize(m, &again, &again_len));
    assert_int_equal(again_len, s.len);
    assert_memory_equal(again, s.blob, s.len);
    weft_bytes_delete(again);
    /* So does every function's code and what the engine notes of it (the
     * disassembly's headers: whether it is brief). */
    wbuf copy = {0};
    wb_raw(&copy, s.wasm.data, s.wasm.len);
    weft_module *fresh = must_compile(g_engine, &copy);
    uint8_t *text = assert_same_disassembly(m, fresh);
    assert_non_null(strstr((char *)text, ", brief\n"));
    weft_bytes_delete(text);
    weft_module_delete(fresh);

    weft_instance *inst = must_instantiate(m, NULL);
    /* Whether a function makes calls survives the trip. */
    assert_true(weft_func_makes_calls(weft_instance_export_func(inst, "fib")));
    assert_false(weft_func_makes_calls(weft_instance_export_func(inst, "bump")));
    weft_val arg = val_i32(20), r;
    assert_null(weft_func_call(weft_instance_export_func(inst, "fib"), &arg, 1, &r, 1));
    assert_int_equal(r.of.i32, 6765);
    /* Calls through the table (call_indirect's functype operand) work too. */
    weft_instance_delete(inst);
    assert_string_equal(weft_module_func_name(m, 0), "fib");
    weft_module_delete(m);
    serialized_free(&s);
}

static void expect_refused(const uint8_t *wasm, size_t wasm_len, const uint8_t *blob, size_t len,
                           weft_engine *e, const char *why)
{
    weft_module *m = NULL;
    weft_error *err = weft_module_deserialize(e, wasm, wasm_len, blob, len, &m);
    assert_null(m);
    assert_non_null(err);
    assert_int_equal(weft_error_kind_of(err), WEFT_ERROR_ARGUMENT);
    assert_contains(weft_error_message(err), why);
    weft_error_delete(err);
}

static void test_refusals(void **state)
{
    (void)state;
    serialized s = serialize_fixture(g_engine, "api.wasm");

    /* Every single damaged byte is caught by the checksum. */
    uint8_t *copy = malloc(s.len);
    assert_non_null(copy);
    for (size_t i = 0; i < s.len; i += 7) {
        memcpy(copy, s.blob, s.len);
        copy[i] ^= 0x40;
        expect_refused(s.wasm.data, s.wasm.len, copy, s.len, g_engine, "does not apply");
    }
    free(copy);
    expect_refused(s.wasm.data, s.wasm.len, s.blob, s.len / 2, g_engine, "checksum");
    expect_refused(s.wasm.data, s.wasm.len, s.blob, 3, g_engine, "truncated");

    /* The blob of another module. */
    wbuf other = load_fixture("traps.wasm");
    expect_refused(other.data, other.len, s.blob, s.len, g_engine, "another module");
    wb_free(&other);

    /* An engine with fuel compiles different code. */
    weft_config *cfg = weft_config_new();
    weft_config_set_fuel(cfg, 1);
    weft_engine *fuel = weft_engine_new(cfg);
    weft_config_delete(cfg);
    expect_refused(s.wasm.data, s.wasm.len, s.blob, s.len, fuel, "other features or fuel");
    weft_engine_delete(fuel);
    serialized_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
