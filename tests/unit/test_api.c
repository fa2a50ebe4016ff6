/* test_api.c — the public C API beyond calls and traps: version, config
 * limits, module introspection, exports by index, raw-slot calls, memory,
 * table and global objects, fuel, and one compiled module shared by
 * threads. The guest is fixtures/api.wat (plus link.wat for imports). */
#include <pthread.h>

#include "api_helpers.h"

FIXTURE_GROUP("api.wasm")

static void test_version(void **state)
{
    (void)state;
    assert_string_equal(weft_version(), WEFT_VERSION_STRING);
    assert_int_equal(weft_abi_version(), WEFT_ABI_VERSION);
}

static void test_module_exports(void **state)
{
    (void)state;
    struct {
        const char *name;
        weft_externkind kind;
    } want[] = {
        {"memory", WEFT_EXTERN_MEMORY}, {"table", WEFT_EXTERN_TABLE},
        {"counter", WEFT_EXTERN_GLOBAL}, {"pi", WEFT_EXTERN_GLOBAL},
        {"fib", WEFT_EXTERN_FUNC},       {"count", WEFT_EXTERN_FUNC},
        {"depth", WEFT_EXTERN_FUNC},     {"bump", WEFT_EXTERN_FUNC},
    };
    size_t n = weft_module_export_count(g_module);
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        assert_string_equal(weft_module_export_name(g_module, i, &len), want[i].name);
        assert_int_equal(len, strlen(want[i].name));
        assert_int_equal(weft_module_export_kind(g_module, i), want[i].kind);
    }
    uint64_t min, max;
    assert_true(weft_module_export_limits(g_module, 0, &min, &max));
    assert_int_equal(min, 1);
    assert_int_equal(max, 3);
    assert_true(weft_module_export_limits(g_module, 1, &min, &max));
    assert_int_equal(min, 2);
    assert_int_equal(max, 10);
    assert_false(weft_module_export_limits(g_module, 4, &min, &max)); /* a func */
    weft_valkind kind;
    int mut;
    assert_true(weft_module_export_globaltype(g_module, 2, &kind, &mut));
    assert_int_equal(kind, WEFT_I32);
    assert_int_equal(mut, WEFT_VAR);
    assert_true(weft_module_export_globaltype(g_module, 3, &kind, &mut));
    assert_int_equal(kind, WEFT_F64);
    assert_int_equal(mut, WEFT_CONST);
    const weft_functype *ft = weft_module_export_functype(g_module, 4);
    assert_non_null(ft);
    assert_int_equal(weft_functype_param_count(ft), 1);
    assert_int_equal(weft_functype_param(ft, 0), WEFT_I32);
    assert_int_equal(weft_functype_result_count(ft), 1);
    assert_int_equal(weft_functype_result(ft, 0), WEFT_I32);
    assert_null(weft_module_export_functype(g_module, 0));
    assert_int_equal(weft_module_export_index(g_module, 4), 0); /* fib is function 0 */
    assert_int_equal(weft_module_export_index(g_module, 6), 2); /* depth */
    assert_int_equal(weft_module_export_index(g_module, 99), UINT32_MAX);
    /* Names from the name section. */
    assert_string_equal(weft_module_name(g_module), "api_module");
    assert_string_equal(weft_module_func_name(g_module, 0), "fib");
    assert_int_equal(weft_module_import_count(g_module), 0);
}

static void test_module_imports(void **state)
{
    (void)state;
    weft_module *m = compile_fixture(g_engine, "link.wasm");
    assert_int_equal(weft_module_import_count(m), 4);
    size_t len;
    assert_string_equal(weft_module_import_module(m, 0, &len), "env");
    assert_string_equal(weft_module_import_name(m, 0, &len), "f");
    assert_int_equal(weft_module_import_kind(m, 0), WEFT_EXTERN_FUNC);
    assert_int_equal(weft_functype_param(weft_module_import_functype(m, 0), 0), WEFT_I32);
    uint64_t min, max;
    assert_int_equal(weft_module_import_kind(m, 1), WEFT_EXTERN_MEMORY);
    assert_true(weft_module_import_limits(m, 1, &min, &max));
    assert_int_equal(min, 2);
    assert_int_equal(max, 4);
    assert_true(weft_module_import_limits(m, 2, &min, &max));
    assert_int_equal(min, 1);
    assert_int_equal(max, UINT64_MAX); /* no maximum */
    weft_valkind kind;
    int mut;
    assert_true(weft_module_import_globaltype(m, 3, &kind, &mut));
    assert_int_equal(kind, WEFT_I64);
    assert_int_equal(mut, WEFT_VAR);
    weft_module_delete(m);
}

static void test_custom_sections(void **state)
{
    (void)state;
    wbuf mod = wb_module();
    wb_custom(&mod, "first", "\x01\x02\x03", 3);
    wb_custom(&mod, "second", "", 0);
    weft_module *m = must_compile(g_engine, &mod);
    assert_int_equal(weft_module_custom_section_count(m), 2);
    size_t len;
    assert_string_equal(weft_module_custom_section_name(m, 0, &len), "first");
    const uint8_t *data = weft_module_custom_section_data(m, 0, &len);
    assert_int_equal(len, 3);
    assert_memory_equal(data, "\x01\x02\x03", 3);
    assert_string_equal(weft_module_custom_section_name(m, 1, &len), "second");
    weft_module_custom_section_data(m, 1, &len);
    assert_int_equal(len, 0);
    weft_module_delete(m);
}

static void test_exports_by_index_and_raw_calls(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    assert_ptr_equal(weft_instance_module(inst), g_module);
    int cookie;
    assert_null(weft_instance_host_data(inst));
    weft_instance_set_host_data(inst, &cookie);
    assert_ptr_equal(weft_instance_host_data(inst), &cookie);
    assert_int_equal(weft_instance_export_kind(inst, 4), WEFT_EXTERN_FUNC);
    weft_func *fib = weft_instance_export_at(inst, 4);
    assert_ptr_equal(fib, weft_instance_export_func(inst, "fib"));
    assert_null(weft_instance_export_at(inst, 99));
    assert_null(weft_instance_export_func(inst, "memory")); /* wrong kind */
    assert_null(weft_instance_export_func(inst, "nope"));
    assert_int_equal(weft_func_index(fib), 0);
    assert_int_equal(weft_func_slot_count(fib), 1);
    uint64_t slots[1] = {20};
    assert_null(weft_func_call_unchecked(fib, slots));
    assert_int_equal(slots[0], 6765);
    weft_instance_delete(inst);
}

static void test_memory_object(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    weft_memory *mem = weft_instance_export_memory(inst, "memory");
    assert_ptr_equal(mem, weft_instance_memory(inst));
    assert_int_equal(weft_memory_pages(mem), 1);
    assert_int_equal(weft_memory_size(mem), 65536);
    assert_int_equal(weft_memory_max_pages(mem), 3);
    uint8_t *base = weft_memory_data(mem);
    base[65535] = 0xAB;
    const uint64_t *live_size = weft_memory_size_address(mem);
    assert_int_equal(*live_size, 65536);
    assert_int_equal(weft_memory_grow(mem, 2), 1);
    assert_int_equal(*live_size, 3 * 65536); /* updated in place */
    assert_ptr_equal(weft_memory_data(mem), base); /* the base never moves */
    assert_int_equal(base[65535], 0xAB);
    assert_int_equal(base[3 * 65536 - 1], 0);      /* new pages are zero */
    assert_int_equal(weft_memory_grow(mem, 1), -1); /* past the maximum */
    assert_int_equal(weft_memory_pages(mem), 3);
    assert_int_equal(weft_memory_grow(mem, 0), 3);
    weft_instance_delete(inst);

    weft_memory *host = weft_memory_new(g_engine, 0, UINT32_MAX);
    assert_non_null(host);
    assert_int_equal(weft_memory_size(host), 0);
    assert_int_equal(weft_memory_grow(host, 1), 0);
    assert_int_equal(weft_memory_size(host), 65536);
    weft_memory_delete(host);
    assert_null(weft_memory_new(g_engine, 2, 1)); /* min > max */
}

static void test_table_object(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    weft_table *t = weft_instance_export_table(inst, "table");
    assert_int_equal(weft_table_kind(t), WEFT_FUNCREF);
    assert_int_equal(weft_table_size(t), 2);
    weft_val v;
    assert_true(weft_table_get(t, 0, &v));
    assert_int_equal(v.kind, WEFT_FUNCREF);
    assert_ptr_equal(v.of.funcref, weft_instance_export_func(inst, "fib"));
    assert_true(weft_table_get(t, 1, &v));
    assert_null(v.of.funcref);
    assert_false(weft_table_get(t, 2, &v));
    weft_val fib;
    memset(&fib, 0, sizeof fib);
    fib.kind = WEFT_FUNCREF;
    fib.of.funcref = weft_instance_export_func(inst, "fib");
    assert_true(weft_table_set(t, 1, &fib));
    assert_false(weft_table_set(t, 2, &fib));
    weft_val wrong = val_i32(1);
    assert_false(weft_table_set(t, 0, &wrong));
    assert_int_equal(weft_table_grow(t, 3, &fib), 2);
    assert_int_equal(weft_table_size(t), 5);
    assert_true(weft_table_get(t, 4, &v));
    assert_ptr_equal(v.of.funcref, fib.of.funcref);
    assert_int_equal(weft_table_grow(t, 6, NULL), -1); /* past the maximum of 10 */
    weft_instance_delete(inst);

    weft_table *ext = weft_table_new(g_engine, WEFT_EXTERNREF, 1, 4, NULL);
    assert_non_null(ext);
    int cookie;
    weft_val e;
    memset(&e, 0, sizeof e);
    e.kind = WEFT_EXTERNREF;
    e.of.externref = &cookie;
    assert_true(weft_table_set(ext, 0, &e));
    assert_true(weft_table_get(ext, 0, &v));
    assert_ptr_equal(v.of.externref, &cookie);
    weft_table_delete(ext);
}

static void test_global_object(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    weft_global *counter = weft_instance_export_global(inst, "counter");
    weft_global *pi = weft_instance_export_global(inst, "pi");
    assert_int_equal(weft_global_kind(counter), WEFT_I32);
    assert_int_equal(weft_global_mutability(counter), WEFT_VAR);
    weft_val v;
    weft_global_get(counter, &v);
    assert_int_equal(v.of.i32, 5);
    assert_null(weft_func_call(weft_instance_export_func(inst, "bump"), NULL, 0, NULL, 0));
    weft_global_get(counter, &v);
    assert_int_equal(v.of.i32, 6);
    weft_val nv = val_i32(100);
    assert_true(weft_global_set(counter, &nv));
    assert_null(weft_func_call(weft_instance_export_func(inst, "bump"), NULL, 0, NULL, 0));
    weft_global_get(counter, &v);
    assert_int_equal(v.of.i32, 101);
    weft_val wrong = val_i64(1);
    assert_false(weft_global_set(counter, &wrong)); /* kind differs */
    weft_global_get(pi, &v);
    assert_true(v.of.f64 == 3.25);
    assert_false(weft_global_set(pi, &v)); /* immutable */
    weft_instance_delete(inst);
}

static weft_engine *engine_with(void (*configure)(weft_config *))
{
    weft_config *cfg = weft_config_new();
    configure(cfg);
    weft_engine *e = weft_engine_new(cfg);
    weft_config_delete(cfg);
    assert_non_null(e);
    return e;
}

static void small_call_depth(weft_config *c) { weft_config_set_max_call_depth(c, 100); }

static void test_call_depth_limit(void **state)
{
    (void)state;
    weft_engine *e = engine_with(small_call_depth);
    weft_module *m = compile_fixture(e, "api.wasm");
    weft_instance *inst = must_instantiate(m, NULL);
    weft_func *depth = weft_instance_export_func(inst, "depth");
    weft_val arg = val_i32(98), r;
    assert_null(weft_func_call(depth, &arg, 1, &r, 1)); /* 99 frames fit */
    assert_int_equal(r.of.i32, 98);
    arg = val_i32(100);
    weft_trap *t = weft_func_call(depth, &arg, 1, &r, 1);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_CALL_STACK_EXHAUSTED);
    weft_trap_delete(t);
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
}

static void one_page(weft_config *c) { weft_config_set_max_memory_pages(c, 1); }

static void test_memory_limit(void **state)
{
    (void)state;
    weft_engine *e = engine_with(one_page);
    weft_module *m = compile_fixture(e, "api.wasm"); /* memory 1 3 */
    weft_instance *inst = must_instantiate(m, NULL);
    weft_memory *mem = weft_instance_memory(inst);
    assert_int_equal(weft_memory_grow(mem, 1), -1); /* the engine caps it at 1 page */
    weft_instance_delete(inst);
    weft_module_delete(m);
    assert_null(weft_memory_new(e, 2, 2));
    weft_engine_delete(e);
}

static void with_fuel(weft_config *c) { weft_config_set_fuel(c, 1); }

static void test_fuel(void **state)
{
    (void)state;
    weft_engine *e = engine_with(with_fuel);
    weft_module *m = compile_fixture(e, "api.wasm");
    weft_instance *inst = must_instantiate(m, NULL);
    weft_func *count = weft_instance_export_func(inst, "count");
    weft_val arg = val_i32(10), r;
    /* Fuel starts empty. */
    weft_trap *t = weft_func_call(count, &arg, 1, &r, 1);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_OUT_OF_FUEL);
    assert_string_equal(weft_trap_message(t), "all fuel consumed");
    weft_trap_delete(t);
    /* One unit for the call, one per loop iteration (11 loop entries). */
    weft_instance_set_fuel(inst, 100);
    assert_null(weft_func_call(count, &arg, 1, &r, 1));
    assert_int_equal(r.of.i32, 10);
    assert_int_equal(weft_instance_fuel(inst), 100 - 12);
    /* An endless loop ends when the fuel does. */
    arg = val_i32(-1);
    t = weft_func_call(count, &arg, 1, &r, 1);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_OUT_OF_FUEL);
    weft_trap_delete(t);
    assert_int_equal(weft_instance_fuel(inst), 0);
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* One compiled module, many threads each instantiating and calling it. */
enum { THREADS = 4, ROUNDS = 20 };

static void *instantiate_and_run(void *arg)
{
    intptr_t failures = 0;
    (void)arg;
    for (int round = 0; round < ROUNDS; round++) {
        weft_instance *inst = NULL;
        weft_trap *trap = NULL;
        weft_error *err = weft_instance_new(g_module, NULL, &inst, &trap);
        if (err || trap) {
            failures++;
            weft_error_delete(err);
            weft_trap_delete(trap);
            continue;
        }
        weft_val a = val_i32(18 + round % 3), r;
        weft_trap *t = weft_func_call(weft_instance_export_func(inst, "fib"), &a, 1, &r, 1);
        static const int32_t fibs[] = {2584, 4181, 6765};
        if (t || r.of.i32 != fibs[round % 3])
            failures++;
        weft_trap_delete(t);
        weft_instance_delete(inst);
    }
    return (void *)failures;
}

static void test_threads_share_a_module(void **state)
{
    (void)state;
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, instantiate_and_run, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        void *failures;
        pthread_join(th[i], &failures);
        assert_int_equal((intptr_t)failures, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_module_exports),
        cmocka_unit_test(test_module_imports),
        cmocka_unit_test(test_custom_sections),
        cmocka_unit_test(test_exports_by_index_and_raw_calls),
        cmocka_unit_test(test_memory_object),
        cmocka_unit_test(test_table_object),
        cmocka_unit_test(test_global_object),
        cmocka_unit_test(test_call_depth_limit),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_fuel),
        cmocka_unit_test(test_threads_share_a_module),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
