/* test_yield.c — yielding host functions (weft_call_start/resume): the
 * embedder runs the host function between start and resume; nested calls
 * while suspended; a trap given at resume; the synchronous fallback. The
 * guest is fixtures/yield.wat, whose env.h is the yielding function. */
#include "api_helpers.h"

FIXTURE_GROUP("yield.wasm")
static int g_sync_calls;

/* The fallback, for calls that cannot yield: h(x) = 3x. */
static weft_trap *h_sync(void *env, weft_caller *caller, uint64_t *slots)
{
    (void)env;
    (void)caller;
    g_sync_calls++;
    slots[0] = (uint32_t)(3 * (int32_t)slots[0]);
    return NULL;
}

static int ENV_TAG; /* the host function's env, checked at each yield */

typedef struct fixture {
    weft_func *h;
    weft_instance *inst;
} fixture;

static fixture make(void)
{
    const weft_valkind i32 = WEFT_I32;
    weft_functype *t = weft_functype_new(1, &i32, 1, &i32);
    fixture fx;
    fx.h = weft_func_new_yielding(g_engine, t, h_sync, &ENV_TAG, NULL);
    weft_functype_delete(t);
    assert_non_null(fx.h);
    assert_ptr_equal(weft_func_host_env(fx.h), &ENV_TAG);
    weft_imports *im = weft_imports_new();
    weft_imports_add_func(im, "env", "h", fx.h);
    fx.inst = must_instantiate(g_module, im);
    weft_imports_delete(im);
    static int cookie;
    weft_instance_set_host_data(fx.inst, &cookie);
    return fx;
}

static void destroy(fixture *fx)
{
    weft_instance_delete(fx->inst);
    weft_func_delete(fx->h);
}

static void test_yield_per_host_call(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *sum = weft_instance_export_func(fx.inst, "sum");
    uint64_t slots[1] = {4};
    void *env = NULL, *data = NULL;
    uint64_t *hs = NULL;
    weft_trap *trap = NULL;
    int yields = 0;
    int r = weft_call_start(sum, slots, &env, &hs, &data, &trap);
    while (r == WEFT_CALL_HOST) {
        yields++;
        assert_ptr_equal(env, &ENV_TAG);
        assert_ptr_equal(data, weft_instance_host_data(fx.inst));
        hs[0] = (uint32_t)(3 * (int32_t)hs[0]); /* the embedder runs h */
        /* slots NULL: the results stay in the engine, *hs points at them */
        r = weft_call_resume(sum, NULL, NULL, &env, &hs, &data, &trap);
    }
    assert_int_equal(r, WEFT_CALL_DONE);
    assert_null(trap);
    assert_int_equal(yields, 4);
    assert_int_equal(hs[0], 30);
    assert_int_equal(slots[0], 4); /* not copied */
    assert_int_equal(g_sync_calls, 0);

    /* Calls not begun with weft_call_start use the fallback. */
    weft_val arg = val_i32(2), res;
    assert_null(weft_func_call(sum, &arg, 1, &res, 1));
    assert_int_equal(res.of.i32, 9);
    assert_int_equal(g_sync_calls, 2);
    g_sync_calls = 0;
    destroy(&fx);
}

/* While suspended, the embedder calls into the same instance, itself
 * yielding; then the outer call resumes where it stopped. */
static void test_nested_while_suspended(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *sum = weft_instance_export_func(fx.inst, "sum");
    weft_func *twice = weft_instance_export_func(fx.inst, "twice");
    uint64_t slots[1] = {3};
    void *env, *data;
    uint64_t *hs;
    weft_trap *trap;
    int r = weft_call_start(sum, slots, &env, &hs, &data, &trap);
    while (r == WEFT_CALL_HOST) {
        /* h(x) = twice(x) + inner sum(1): computed by calling the guest */
        uint64_t inner[1] = {hs[0]};
        assert_int_equal(weft_call_start(twice, inner, &env, &hs, &data, &trap), WEFT_CALL_DONE);
        uint64_t *outer_hs = hs; /* unchanged by a call that did not yield */
        uint64_t inner2[1] = {1};
        void *env2, *data2;
        uint64_t *hs2;
        int r2 = weft_call_start(sum, inner2, &env2, &hs2, &data2, &trap);
        while (r2 == WEFT_CALL_HOST) {
            hs2[0] = 100;
            r2 = weft_call_resume(sum, NULL, inner2, &env2, &hs2, &data2, &trap);
        }
        assert_int_equal(r2, WEFT_CALL_DONE);
        assert_int_equal(inner2[0], 100);
        outer_hs[0] = inner[0] + inner2[0];
        r = weft_call_resume(sum, NULL, slots, &env, &hs, &data, &trap);
    }
    assert_int_equal(r, WEFT_CALL_DONE);
    /* sum over 3,2,1 of (2x + 100) */
    assert_int_equal(slots[0], 2 * 6 + 300);
    destroy(&fx);
}

/* A trap given at resume unwinds the suspended call with a backtrace of
 * the frames above the host call. */
static void test_trap_at_resume(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *outer = weft_instance_export_func(fx.inst, "outer");
    uint64_t slots[1] = {5};
    void *env, *data;
    uint64_t *hs;
    weft_trap *trap;
    assert_int_equal(weft_call_start(outer, slots, &env, &hs, &data, &trap), WEFT_CALL_HOST);
    int r = weft_call_resume(outer, weft_trap_new("host refused"), slots, &env, &hs, &data, &trap);
    assert_int_equal(r, WEFT_CALL_TRAP);
    assert_non_null(trap);
    assert_string_equal(weft_trap_message(trap), "host refused");
    assert_int_equal(weft_trap_frame_count(trap), 2); /* inner, outer */
    weft_trap_delete(trap);
    /* The instance is usable afterwards. */
    assert_int_equal(weft_call_start(weft_instance_export_func(fx.inst, "twice"), slots, &env, &hs,
                                     &data, &trap),
                     WEFT_CALL_DONE);
    assert_int_equal(slots[0], 10);
    destroy(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yield_per_host_call),
        cmocka_unit_test(test_nested_while_suspended),
        cmocka_unit_test(test_trap_at_resume),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
