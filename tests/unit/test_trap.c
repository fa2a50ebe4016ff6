/* test_trap.c — traps raised by Wasm code: each kind's code and spec message,
 * backtraces (names from the name section, the cap on deep recursion), the
 * instance staying usable after a trap, and interruption from another
 * thread. The guest is fixtures/traps.wat. */
#include <math.h>
#include <pthread.h>
#include <time.h>

#include "api_helpers.h"

typedef struct trap_case {
    const char *name;
    const char *export;
    weft_val args[2];
    size_t nargs;
    weft_trap_code code;
    const char *message;
} trap_case;

static weft_val f32v(float v)
{
    weft_val x;
    memset(&x, 0, sizeof x);
    x.kind = WEFT_F32;
    x.of.f32 = v;
    return x;
}

#define ARGS1(a) {a}, 1
#define ARGS2(a, b) {a, b}, 2

FIXTURE_GROUP("traps.wasm")

/* Calls export `name`; returns the trap (NULL on success). */
static weft_trap *call(weft_instance *inst, const char *name, const weft_val *args, size_t nargs,
                       weft_val *results, size_t nresults)
{
    weft_func *f = weft_instance_export_func(inst, name);
    assert_non_null(f);
    return weft_func_call(f, args, nargs, results, nresults);
}

static void test_trap_kinds(void **state)
{
    (void)state;
    const trap_case cases[] = {
        {"unreachable", "unreachable", {{0}}, 0, WEFT_TRAP_UNREACHABLE, "unreachable"},
        {"divide by zero", "div_s", ARGS2(val_i32(1), val_i32(0)),
         WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO, "integer divide by zero"},
        {"INT_MIN / -1", "div_s", ARGS2(val_i32(INT32_MIN), val_i32(-1)),
         WEFT_TRAP_INTEGER_OVERFLOW, "integer overflow"},
        {"trunc of NaN", "trunc", ARGS1(f32v(NAN)), WEFT_TRAP_INVALID_CONVERSION,
         "invalid conversion to integer"},
        {"trunc of 2^31", "trunc", ARGS1(f32v(2147483648.0f)), WEFT_TRAP_INTEGER_OVERFLOW,
         "integer overflow"},
        /* offset 4 + address 65532 reaches one byte past the page */
        {"load past the end", "load", ARGS1(val_i32(65529)), WEFT_TRAP_MEMORY_OUT_OF_BOUNDS,
         "out of bounds memory access"},
        /* the effective address must not wrap at 32 bits */
        {"load at 2^32-4 + 4", "load", ARGS1(val_i32(-4)), WEFT_TRAP_MEMORY_OUT_OF_BOUNDS,
         "out of bounds memory access"},
        {"store8 at the size", "store8", ARGS1(val_i32(65536)), WEFT_TRAP_MEMORY_OUT_OF_BOUNDS,
         "out of bounds memory access"},
        {"call_indirect type mismatch", "call_indirect", ARGS1(val_i32(0)),
         WEFT_TRAP_INDIRECT_CALL_TYPE, "indirect call type mismatch"},
        {"call_indirect null", "call_indirect", ARGS1(val_i32(1)), WEFT_TRAP_INDIRECT_CALL_NULL,
         "uninitialized element"},
        {"call_indirect past the table", "call_indirect", ARGS1(val_i32(2)),
         WEFT_TRAP_UNDEFINED_ELEMENT, "undefined element"},
        {"unbounded recursion", "recurse", ARGS1(val_i64(0)), WEFT_TRAP_CALL_STACK_EXHAUSTED,
         "call stack exhausted"},
    };
    weft_instance *inst = must_instantiate(g_module, NULL);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const trap_case *tc = &cases[i];
        weft_val results[1];
        weft_func *f = weft_instance_export_func(inst, tc->export);
        assert_non_null(f);
        size_t nresults = weft_functype_result_count(weft_func_type(f));
        weft_trap *t = weft_func_call(f, tc->args, tc->nargs, results, nresults);
        if (!t) {
            print_error("%s: no trap\n", tc->name);
            fail();
        }
        if (weft_trap_code_of(t) != tc->code || strcmp(weft_trap_message(t), tc->message) != 0) {
            print_error("%s: got code %d \"%s\", want %d \"%s\"\n", tc->name,
                        (int)weft_trap_code_of(t), weft_trap_message(t), (int)tc->code,
                        tc->message);
            fail();
        }
        assert_true(weft_trap_frame_count(t) >= 1);
        weft_trap_delete(t);
    }
    /* In bounds: the last readable i32 (address 65528 + offset 4). */
    weft_val arg = val_i32(65528), result;
    assert_null(call(inst, "load", &arg, 1, &result, 1));
    assert_int_equal(result.of.i32, 0);
    weft_instance_delete(inst);
}

static void test_backtrace_names(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    weft_trap *t = call(inst, "outer", NULL, 0, NULL, 0);
    assert_non_null(t);
    assert_int_equal(weft_trap_frame_count(t), 3);
    assert_int_equal(weft_trap_frames_omitted(t), 0);
    assert_string_equal(weft_trap_frame_func_name(t, 0), "inner"); /* innermost first */
    assert_string_equal(weft_trap_frame_func_name(t, 1), "middle");
    assert_true(weft_trap_frame_func_index(t, 0) < weft_trap_frame_func_index(t, 2));
    assert_int_equal(weft_trap_frame_func_index(t, 3), UINT32_MAX); /* out of range */
    assert_null(weft_trap_frame_func_name(t, 3));
    weft_trap_delete(t);
    weft_instance_delete(inst);
}

/* A call-stack-exhausted trap keeps the innermost 256 frames and counts the
 * rest, rather than copying thousands of names. */
static void test_backtrace_cap(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    weft_val arg = val_i64(0), result;
    weft_trap *t = call(inst, "recurse", &arg, 1, &result, 1);
    assert_non_null(t);
    assert_int_equal(weft_trap_frame_count(t), 256);
    assert_true(weft_trap_frames_omitted(t) > 0);
    assert_string_equal(weft_trap_frame_func_name(t, 255), "recurse");
    weft_trap_delete(t);
    weft_instance_delete(inst);
}

/* After any trap the instance's stacks are unwound: it runs normally. */
static void test_usable_after_trap(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    for (int round = 0; round < 3; round++) {
        weft_val arg = val_i64(0), result;
        weft_trap *t = call(inst, "recurse", &arg, 1, &result, 1);
        assert_non_null(t);
        weft_trap_delete(t);
        weft_val args[2] = {val_i32(42), val_i32(5)};
        assert_null(call(inst, "div_s", args, 2, &result, 1));
        assert_int_equal(result.of.i32, 8);
    }
    weft_instance_delete(inst);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    weft_val args[2] = {val_i32(1), val_i64(2)}, result;
    weft_trap *t = call(inst, "div_s", args, 2, &result, 1); /* i64 for an i32 */
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_BAD_ARGUMENTS);
    weft_trap_delete(t);
    t = call(inst, "div_s", args, 1, &result, 1); /* too few */
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_BAD_ARGUMENTS);
    weft_trap_delete(t);
    weft_instance_delete(inst);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

typedef struct interrupter {
    weft_interrupt_handle *handle;
    double sent_at_ms;
} interrupter;

static void *interrupt_after_delay(void *arg)
{
    interrupter *it = arg;
    struct timespec delay = {0, 50 * 1000 * 1000};
    nanosleep(&delay, NULL);
    it->sent_at_ms = now_ms();
    weft_interrupt(it->handle);
    return NULL;
}

/* weft_interrupt from another thread stops (loop (br 0)). The latency is
 * printed (it is microseconds: a back-edge polls a flag), not asserted
 * tightly: unit tests carry no timing thresholds, and a loaded machine can
 * deschedule either thread. The loose bound only tells "stopped by the
 * interrupt" from "not stopped". */
static void test_interrupt_from_another_thread(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    interrupter it = {weft_instance_interrupt_handle(inst), 0};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, interrupt_after_delay, &it), 0);
    weft_trap *t = call(inst, "loop_forever", NULL, 0, NULL, 0);
    double stopped_at_ms = now_ms();
    pthread_join(th, NULL);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_INTERRUPTED);
    assert_string_equal(weft_trap_message(t), "interrupted");
    weft_trap_delete(t);
    double latency = stopped_at_ms - it.sent_at_ms;
    print_message("interrupt latency: %.3f ms\n", latency);
    assert_true(latency < 1000.0);

    /* The request was consumed: the next call runs normally. */
    weft_val args[2] = {val_i32(9), val_i32(3)}, result;
    assert_null(call(inst, "div_s", args, 2, &result, 1));
    assert_int_equal(result.of.i32, 3);
    weft_instance_delete(inst);
}

/* An interrupt sent while nothing runs is sticky until cleared. */
static void test_interrupt_sticky_and_clear(void **state)
{
    (void)state;
    weft_instance *inst = must_instantiate(g_module, NULL);
    weft_interrupt_handle *h = weft_instance_interrupt_handle(inst);
    weft_interrupt(h);
    weft_trap *t = call(inst, "loop_forever", NULL, 0, NULL, 0);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_INTERRUPTED);
    weft_trap_delete(t);

    weft_interrupt(h);
    weft_interrupt_clear(h);
    weft_val args[2] = {val_i32(9), val_i32(3)}, result;
    assert_null(call(inst, "div_s", args, 2, &result, 1));
    weft_instance_delete(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trap_kinds),
        cmocka_unit_test(test_backtrace_names),
        cmocka_unit_test(test_backtrace_cap),
        cmocka_unit_test(test_usable_after_trap),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_interrupt_from_another_thread),
        cmocka_unit_test(test_interrupt_sticky_and_clear),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
