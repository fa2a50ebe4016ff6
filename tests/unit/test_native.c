/* test_native.c — bindings/: natural-signature host functions (libffi
 * ffi_call), trampolines (libffi closures forwarding to one handler), and
 * Wasm exports as C function pointers. The guest is fixtures/native.wat. */
#include <math.h>

#include "api_helpers.h"

FIXTURE_GROUP("native.wasm")

/* ------------------------------------------------ natural host functions */

/* Wasm's wrapping addition (signed overflow is undefined in C). */
static int32_t add_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static int64_t add_i64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static float mul_f32(float a, float b) { return a * b; }
static double mul_f64(double a, double b) { return a * b; }
static double mixed(int32_t a, int64_t b, float c, double d)
{
    return (double)a * 1000.0 + (double)b * 100.0 + (double)c * 10.0 + d;
}
static int32_t peek(weft_caller *caller, int32_t addr)
{
    return weft_memory_data(weft_caller_memory(caller))[addr];
}
static void divmod(int32_t a, int32_t b, int32_t *q, int32_t *r)
{
    *q = a / b;
    *r = a % b;
}
static void fail_if(int32_t code)
{
    if (code)
        weft_native_trap(weft_trap_new("fail called"));
}
static void *identity(void *p) { return p; }

#define NATIVE(fn) ((weft_native_fn)(void (*)(void))(fn))

typedef struct native_import {
    const char *name;
    weft_native_fn fn;
    uint32_t flags;
    const char *params, *results; /* value-type bytes */
} native_import;

static const native_import IMPORTS[] = {
    {"add_i32", NATIVE(add_i32), 0, "\x7f\x7f", "\x7f"},
    {"add_i64", NATIVE(add_i64), 0, "\x7e\x7e", "\x7e"},
    {"mul_f32", NATIVE(mul_f32), 0, "\x7d\x7d", "\x7d"},
    {"mul_f64", NATIVE(mul_f64), 0, "\x7c\x7c", "\x7c"},
    {"mixed", NATIVE(mixed), 0, "\x7f\x7e\x7d\x7c", "\x7c"},
    {"peek", NATIVE(peek), WEFT_NATIVE_CALLER, "\x7f", "\x7f"},
    {"divmod", NATIVE(divmod), 0, "\x7f\x7f", "\x7f\x7f"},
    {"fail", NATIVE(fail_if), 0, "\x7f", ""},
    {"identity", NATIVE(identity), 0, "\x6f", "\x6f"},
};
#define NIMPORTS (sizeof IMPORTS / sizeof IMPORTS[0])

static weft_functype *type_of(const char *params, const char *results)
{
    return weft_functype_new(strlen(params), (const weft_valkind *)params, strlen(results),
                             (const weft_valkind *)results);
}

static weft_func *must_native(const native_import *ni)
{
    weft_functype *t = type_of(ni->params, ni->results);
    weft_func *f = NULL;
    weft_error *err = weft_func_new_native(g_engine, t, ni->fn, ni->flags, &f);
    weft_functype_delete(t);
    if (err) {
        print_error("%s: %s\n", ni->name, weft_error_message(err));
        weft_error_delete(err);
        fail();
    }
    return f;
}

/* Instantiates native.wasm with every import as a native function. */
static weft_instance *instantiate_native(void)
{
    weft_imports *im = weft_imports_new();
    weft_func *funcs[NIMPORTS];
    for (size_t i = 0; i < NIMPORTS; i++) {
        funcs[i] = must_native(&IMPORTS[i]);
        weft_imports_add_func(im, "env", IMPORTS[i].name, funcs[i]);
    }
    weft_instance *inst = must_instantiate(g_module, im);
    weft_imports_delete(im);
    for (size_t i = 0; i < NIMPORTS; i++)
        weft_func_delete(funcs[i]); /* the instance keeps them */
    return inst;
}

static weft_val fv32(float v)
{
    weft_val x;
    memset(&x, 0, sizeof x);
    x.kind = WEFT_F32;
    x.of.f32 = v;
    return x;
}

static weft_val fv64(double v)
{
    weft_val x;
    memset(&x, 0, sizeof x);
    x.kind = WEFT_F64;
    x.of.f64 = v;
    return x;
}

static weft_val call1(weft_instance *inst, const char *name, const weft_val *args, size_t n)
{
    weft_val result;
    weft_trap *t = weft_func_call(weft_instance_export_func(inst, name), args, n, &result, 1);
    if (t) {
        print_error("%s trapped: %s\n", name, weft_trap_message(t));
        weft_trap_delete(t);
        fail();
    }
    return result;
}

static void test_native_host_functions(void **state)
{
    (void)state;
    weft_instance *inst = instantiate_native();
    weft_val a2[] = {val_i32(-7), val_i32(3)};
    assert_int_equal(call1(inst, "call_add_i32", a2, 2).of.i32, -4);
    weft_val b2[] = {val_i64(INT64_C(1) << 40), val_i64(-1)};
    assert_int_equal(call1(inst, "call_add_i64", b2, 2).of.i64, (INT64_C(1) << 40) - 1);
    weft_val c2[] = {fv32(1.5f), fv32(-4.0f)};
    assert_true(call1(inst, "call_mul_f32", c2, 2).of.f32 == -6.0f);
    weft_val d2[] = {fv64(0.25), fv64(8.0)};
    assert_true(call1(inst, "call_mul_f64", d2, 2).of.f64 == 2.0);
    weft_val m4[] = {val_i32(1), val_i64(2), fv32(3.0f), fv64(4.0)};
    assert_true(call1(inst, "call_mixed", m4, 4).of.f64 == 1234.0);
    weft_val p1[] = {val_i32(17)};
    assert_int_equal(call1(inst, "call_peek", p1, 1).of.i32, 7);
    weft_val q2[] = {val_i32(-17), val_i32(5)};
    assert_int_equal(call1(inst, "call_divmod", q2, 2).of.i32, -3 * 1000 + -2);

    weft_val ok[] = {val_i32(0)};
    assert_null(weft_func_call(weft_instance_export_func(inst, "call_fail"), ok, 1, NULL, 0));
    weft_val bad[] = {val_i32(1)};
    weft_trap *t = weft_func_call(weft_instance_export_func(inst, "call_fail"), bad, 1, NULL, 0);
    assert_non_null(t);
    assert_string_equal(weft_trap_message(t), "fail called");
    weft_trap_delete(t);
    /* The channel was emptied: nothing stale is left for the next call. */
    assert_null(weft_native_take_trap());
    assert_null(weft_func_call(weft_instance_export_func(inst, "call_fail"), ok, 1, NULL, 0));

    int cookie = 0;
    weft_val e1;
    memset(&e1, 0, sizeof e1);
    e1.kind = WEFT_EXTERNREF;
    e1.of.externref = &cookie;
    assert_ptr_equal(call1(inst, "call_identity", &e1, 1).of.externref, &cookie);
    weft_instance_delete(inst);
}

/* An i32 result is zero-extended in its slot even when the C function
 * returns a negative int32_t (libffi widens it with sign). */
static void test_negative_i32_result(void **state)
{
    (void)state;
    weft_instance *inst = instantiate_native();
    weft_val a2[] = {val_i32(INT32_MIN), val_i32(-1)};
    weft_val r = call1(inst, "call_add_i32", a2, 2);
    assert_int_equal(r.of.i32, INT32_MAX); /* wrapped in Wasm semantics */
    weft_instance_delete(inst);
}

static void test_native_refuses_v128(void **state)
{
    (void)state;
    weft_functype *t = type_of("\x7b", "");
    weft_func *f = NULL;
    weft_error *err = weft_func_new_native(g_engine, t, NATIVE(fail_if), 0, &f);
    assert_non_null(err);
    assert_null(f);
    assert_int_equal(weft_error_kind_of(err), WEFT_ERROR_ARGUMENT);
    assert_contains(weft_error_message(err), "v128");
    weft_error_delete(err);
    err = weft_func_new_native(g_engine, t, NATIVE(fail_if), 0x80, &f);
    assert_non_null(err);
    weft_error_delete(err);
    weft_functype_delete(t);
}

/* ------------------------------------------------------------ trampolines */

typedef struct counter {
    int calls;
    weft_caller *last_caller;
} counter;

/* (i32, f64) -> f64: a*1.5 + b, counting calls; traps on a == 99. */
static weft_trap *scaled_sum(void *handle, weft_caller *caller, uint64_t *slots)
{
    counter *c = handle;
    c->calls++;
    c->last_caller = caller;
    int32_t a = (int32_t)(uint32_t)slots[0];
    if (a == 99)
        return weft_trap_new("ninety-nine");
    double b;
    memcpy(&b, &slots[1], sizeof b);
    double r = a * 1.5 + b;
    memcpy(&slots[0], &r, sizeof r);
    return NULL;
}

static void test_trampoline_called_from_c(void **state)
{
    (void)state;
    counter c = {0, NULL};
    weft_functype *t = type_of("\x7f\x7c", "\x7c");
    weft_trampoline *tp = NULL;
    assert_null(weft_trampoline_new(t, 0, scaled_sum, &c, &tp));
    weft_functype_delete(t);
    double (*entry)(int32_t, double) = (double (*)(int32_t, double))weft_trampoline_entry(tp);
    assert_true(entry(4, 0.5) == 6.5);
    assert_true(entry(-2, 10.0) == 7.0);
    assert_int_equal(c.calls, 2);
    assert_null(weft_native_take_trap());
    assert_true(entry(99, 0.0) == 0.0); /* trapped: zero, trap on the channel */
    weft_trap *trap = weft_native_take_trap();
    assert_non_null(trap);
    assert_string_equal(weft_trap_message(trap), "ninety-nine");
    weft_trap_delete(trap);
    weft_trampoline_delete(tp);
}

/* The Go package's path: a trampoline's entry registered as a native host
 * function, so Wasm -> ffi_call -> closure -> handler. */
static weft_trap *peek_handler(void *handle, weft_caller *caller, uint64_t *slots)
{
    counter *c = handle;
    c->calls++;
    c->last_caller = caller;
    if (slots[0] == 99)
        return weft_trap_new("handler trap");
    slots[0] = weft_memory_data(weft_caller_memory(caller))[slots[0]];
    return NULL;
}

static void test_trampoline_as_host_function(void **state)
{
    (void)state;
    counter c = {0, NULL};
    weft_functype *t = type_of("\x7f", "\x7f");
    weft_trampoline *tp = NULL;
    assert_null(weft_trampoline_new(t, WEFT_NATIVE_CALLER, peek_handler, &c, &tp));
    weft_func *f = NULL;
    assert_null(weft_func_new_native(g_engine, t, weft_trampoline_entry(tp), WEFT_NATIVE_CALLER,
                                     &f));
    weft_functype_delete(t);

    weft_imports *im = weft_imports_new();
    weft_func *others[NIMPORTS];
    for (size_t i = 0; i < NIMPORTS; i++) {
        others[i] = must_native(&IMPORTS[i]);
        weft_imports_add_func(im, "env", IMPORTS[i].name, others[i]);
    }
    weft_imports_add_func(im, "env", "peek", f); /* replaces the plain one */
    weft_instance *inst = must_instantiate(g_module, im);
    weft_imports_delete(im);

    weft_val a = val_i32(16);
    assert_int_equal(call1(inst, "call_peek", &a, 1).of.i32, 42);
    assert_int_equal(c.calls, 1);
    assert_non_null(c.last_caller);
    a = val_i32(99);
    weft_val r;
    weft_trap *trap = weft_func_call(weft_instance_export_func(inst, "call_peek"), &a, 1, &r, 1);
    assert_non_null(trap);
    assert_string_equal(weft_trap_message(trap), "handler trap");
    weft_trap_delete(trap);

    weft_instance_delete(inst);
    for (size_t i = 0; i < NIMPORTS; i++)
        weft_func_delete(others[i]);
    weft_func_delete(f);
    weft_trampoline_delete(tp);
}

static void count_finalizer(void *handle) { ((counter *)handle)->calls += 1000; }

/* weft_func_new_trampoline: the trampoline lives and dies with the function,
 * and the finalizer runs once, when the last reference goes. */
static void test_func_new_trampoline(void **state)
{
    (void)state;
    counter c = {0, NULL};
    weft_functype *t = type_of("\x7f", "\x7f");
    weft_func *f = NULL;
    assert_null(weft_func_new_trampoline(g_engine, t, peek_handler, &c, count_finalizer, &f));
    weft_functype_delete(t);
    weft_imports *im = weft_imports_new();
    weft_func *others[NIMPORTS];
    for (size_t i = 0; i < NIMPORTS; i++) {
        others[i] = must_native(&IMPORTS[i]);
        weft_imports_add_func(im, "env", IMPORTS[i].name, others[i]);
    }
    weft_imports_add_func(im, "env", "peek", f);
    weft_instance *inst = must_instantiate(g_module, im);
    weft_imports_delete(im);
    for (size_t i = 0; i < NIMPORTS; i++)
        weft_func_delete(others[i]);
    weft_func_delete(f); /* the instance still holds it */
    assert_int_equal(c.calls, 0);
    weft_val a = val_i32(17);
    assert_int_equal(call1(inst, "call_peek", &a, 1).of.i32, 7);
    assert_int_equal(c.calls, 1);
    weft_instance_delete(inst);
    assert_int_equal(c.calls, 1001); /* finalized with the last reference */
}

/* --------------------------------------------- exports as C function pointers */

static void test_export_as_native(void **state)
{
    (void)state;
    weft_instance *inst = instantiate_native();
    weft_func *sum3 = weft_instance_export_func(inst, "sum3");
    weft_native_fn fn = NULL, again = NULL;
    assert_null(weft_func_as_native(sum3, &fn));
    assert_null(weft_func_as_native(sum3, &again));
    assert_ptr_equal(fn, again); /* one closure per function */
    double (*sum3_c)(int32_t, int64_t, double) = (double (*)(int32_t, int64_t, double))fn;
    assert_true(sum3_c(1, 2, 0.5) == 3.5);
    assert_true(sum3_c(-10, INT64_C(10000000000), 0.0) == 9999999990.0);

    weft_native_fn div_fn;
    assert_null(weft_func_as_native(weft_instance_export_func(inst, "div_u"), &div_fn));
    int32_t (*div_c)(int32_t, int32_t) = (int32_t (*)(int32_t, int32_t))div_fn;
    assert_int_equal(div_c(-1, 2), 0x7FFFFFFF); /* unsigned division of 0xFFFFFFFF */
    assert_null(weft_native_take_trap());
    assert_int_equal(div_c(1, 0), 0);
    weft_trap *t = weft_native_take_trap();
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
    weft_trap_delete(t);

    weft_native_fn swap_fn;
    assert_null(weft_func_as_native(weft_instance_export_func(inst, "swap"), &swap_fn));
    void (*swap_c)(int64_t, float, float *, int64_t *) =
        (void (*)(int64_t, float, float *, int64_t *))swap_fn;
    float f = 0;
    int64_t i = 0;
    swap_c(-5, 2.5f, &f, &i);
    assert_true(f == 2.5f);
    assert_int_equal(i, -5);

    weft_native_fn neg_fn;
    assert_null(weft_func_as_native(weft_instance_export_func(inst, "neg_f32"), &neg_fn));
    float (*neg_c)(float) = (float (*)(float))neg_fn;
    assert_true(neg_c(1.25f) == -1.25f);
    assert_true(signbit(neg_c(0.0f)));

    weft_instance_delete(inst); /* frees the closures with the functions */
}

/* A host-created function can be called through a C pointer too, and its
 * closure goes when the function is deleted. */
static void test_host_func_as_native(void **state)
{
    (void)state;
    weft_func *f = must_native(&IMPORTS[0]); /* add_i32 */
    weft_native_fn fn;
    assert_null(weft_func_as_native(f, &fn));
    int32_t (*add)(int32_t, int32_t) = (int32_t (*)(int32_t, int32_t))fn;
    assert_int_equal(add(40, 2), 42);
    weft_func_delete(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_native_host_functions),
        cmocka_unit_test(test_negative_i32_result),
        cmocka_unit_test(test_native_refuses_v128),
        cmocka_unit_test(test_trampoline_called_from_c),
        cmocka_unit_test(test_trampoline_as_host_function),
        cmocka_unit_test(test_func_new_trampoline),
        cmocka_unit_test(test_export_as_native),
        cmocka_unit_test(test_host_func_as_native),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
