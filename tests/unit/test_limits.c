/* test_limits.c — the engine's resource limits, each at its edge (exactly
 * at the limit works, one beyond fails with the documented trap or error):
 * memory pages per memory and per engine, table elements, call depth,
 * value stack, fuel, module size; and the decoder's limits against hostile
 * binaries, checking both the error (what, where) and that compiling them
 * allocates little. Allocation is counted by wrapping malloc, calloc and
 * realloc at link time (CMakeLists.txt: -Wl,--wrap for this test only). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api_helpers.h"
#include "module.h"
#include "wasm_builder.h"
#include "weft.h"

/* ------------------------------------------------------------ allocation */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);

/* Bytes requested since the last reset: an upper bound on the peak. */
static _Atomic size_t requested;

void *__wrap_malloc(size_t n)
{
    requested += n;
    return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (size && n <= SIZE_MAX / size)
        requested += n * size;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    requested += n;
    return __real_realloc(p, n);
}

/* What compiling a hostile module may request: a few MiB of bookkeeping,
 * nowhere near what its declared counts would take. */
#define HOSTILE_ALLOC_BOUND ((size_t)16 << 20)

/* ------------------------------------------------------------ helpers */

typedef struct limit_cfg {
    uint32_t max_pages, table_elements, call_depth, stack_slots;
    uint64_t total_pages, total_elements;
    int fuel;
} limit_cfg;

static weft_engine *engine_with(limit_cfg l)
{
    weft_config *c = weft_config_new();
    if (l.max_pages)
        weft_config_set_max_memory_pages(c, l.max_pages);
    if (l.total_pages)
        weft_config_set_max_total_memory_pages(c, l.total_pages);
    if (l.table_elements)
        weft_config_set_max_table_elements(c, l.table_elements);
    if (l.total_elements)
        weft_config_set_max_total_table_elements(c, l.total_elements);
    if (l.call_depth)
        weft_config_set_max_call_depth(c, l.call_depth);
    if (l.stack_slots)
        weft_config_set_value_stack_slots(c, l.stack_slots);
    weft_config_set_fuel(c, l.fuel);
    weft_engine *e = weft_engine_new(c);
    weft_config_delete(c);
    assert_non_null(e);
    return e;
}

/* Calls export `name` (i32 -> i32 or () -> i32); returns its trap (result
 * in *out) . */
static weft_trap *call_i32(weft_instance *inst, const char *name, int nargs, int32_t arg,
                           int32_t *out)
{
    weft_func *f = weft_instance_export_func(inst, name);
    assert_non_null(f);
    weft_val a = val_i32(arg), r;
    memset(&r, 0, sizeof r);
    weft_trap *t = weft_func_call(f, &a, (size_t)nargs, &r, 1);
    if (!t && out)
        *out = r.of.i32;
    return t;
}

static int32_t must_call_i32(weft_instance *inst, const char *name, int nargs, int32_t arg)
{
    int32_t v = 0;
    weft_trap *t = call_i32(inst, name, nargs, arg, &v);
    if (t) {
        print_error("%s(%d) trapped: %s\n", name, arg, weft_trap_message(t));
        weft_trap_delete(t);
        fail();
    }
    return v;
}

static void expect_trap(weft_trap *t, weft_trap_code code)
{
    assert_non_null(t);
    if (weft_trap_code_of(t) != code)
        print_error("trap %d \"%s\", want %d\n", weft_trap_code_of(t), weft_trap_message(t), code);
    assert_int_equal(weft_trap_code_of(t), code);
    weft_trap_delete(t);
}

/* A module of one memory (min pages, no maximum) and nothing else. */
static wbuf memory_module(uint32_t min)
{
    wbuf mod = wb_module(), sec = {0};
    WB_BYTES(&sec, 0x01, 0x00);
    wb_u32(&sec, min);
    wb_section(&mod, 5, &sec);
    return mod;
}

/* A module of n funcref tables of min elements each. */
static wbuf tables_module(uint32_t n, uint32_t min)
{
    wbuf mod = wb_module(), sec = {0};
    wb_u32(&sec, n);
    for (uint32_t i = 0; i < n; i++) {
        WB_BYTES(&sec, 0x70, 0x00);
        wb_u32(&sec, min);
    }
    wb_section(&mod, 4, &sec);
    return mod;
}

static wbuf table_module(uint32_t min) { return tables_module(1, min); }

/* Instantiates; returns the error (caller frees) and sets *out. */
static weft_error *try_instantiate(weft_module *m, weft_instance **out)
{
    weft_trap *trap = NULL;
    weft_error *err = weft_instance_new(m, NULL, out, &trap);
    assert_null(trap);
    return err;
}

static void expect_resource_error(weft_error *err, const char *text)
{
    assert_non_null(err);
    assert_int_equal(weft_error_kind_of(err), WEFT_ERROR_RESOURCE);
    assert_contains(weft_error_message(err), text);
    weft_error_delete(err);
}

/* ------------------------------------------------------------ memory */

static void test_memory_pages_per_memory(void **state)
{
    (void)state;
    weft_engine *e = engine_with((limit_cfg){.max_pages = 4});
    wbuf at = memory_module(4), over = memory_module(5);
    weft_module *m_at = must_compile(e, &at), *m_over = must_compile(e, &over);
    weft_instance *inst = NULL;
    assert_null(try_instantiate(m_at, &inst));
    assert_int_equal(weft_memory_pages(weft_instance_memory(inst)), 4);
    weft_instance_delete(inst);
    expect_resource_error(try_instantiate(m_over, &inst), "exceeds the limit of 4 pages");
    assert_null(inst);

    /* memory.grow: to the limit, then -1 with the size unchanged. */
    weft_module *g = compile_fixture(e, "limits.wasm");
    inst = must_instantiate(g, NULL);
    assert_int_equal(must_call_i32(inst, "grow", 1, 3), 1);
    assert_int_equal(must_call_i32(inst, "grow", 1, 1), -1);
    assert_int_equal(must_call_i32(inst, "grow", 1, 0x7FFFFFFF), -1);
    assert_int_equal(must_call_i32(inst, "pages", 0, 0), 4);
    assert_int_equal(weft_memory_max_pages(weft_instance_memory(inst)), 4);
    weft_instance_delete(inst);

    /* A host memory: min at the limit works, one beyond is refused. */
    weft_memory *hm = weft_memory_new(e, 4, UINT32_MAX);
    assert_non_null(hm);
    assert_int_equal(weft_memory_grow(hm, 1), -1);
    weft_memory_delete(hm);
    assert_null(weft_memory_new(e, 5, UINT32_MAX));

    weft_module_delete(g);
    weft_module_delete(m_at);
    weft_module_delete(m_over);
    weft_engine_delete(e);
}

/* The engine-wide total: instances' memories together, grows included;
 * pages come back when a memory is freed. */
static void test_memory_pages_total(void **state)
{
    (void)state;
    weft_engine *e = engine_with((limit_cfg){.total_pages = 10});
    wbuf four = memory_module(4), three = memory_module(3);
    weft_module *m4 = must_compile(e, &four), *m3 = must_compile(e, &three);
    weft_instance *a = NULL, *b = NULL, *c = NULL;
    assert_null(try_instantiate(m4, &a));
    assert_null(try_instantiate(m4, &b));
    assert_int_equal(weft_engine_memory_pages(e), 8);
    weft_error *err = try_instantiate(m3, &c);
    assert_non_null(err);
    assert_string_equal(weft_error_message(err),
                        "memory of 3 pages exceeds the engine's total memory limit: "
                        "8 of 10 pages in use");
    weft_error_delete(err);
    assert_null(c);
    assert_int_equal(weft_engine_memory_pages(e), 8); /* the failure took nothing */

    /* Growing up to exactly the total works; one more page does not. */
    weft_memory *ma = weft_instance_memory(a);
    assert_int_equal(weft_memory_grow(ma, 2), 4);
    assert_int_equal(weft_engine_memory_pages(e), 10);
    assert_int_equal(weft_memory_grow(ma, 1), -1);
    assert_int_equal(weft_memory_grow(weft_instance_memory(b), 1), -1);
    assert_null(weft_memory_new(e, 1, UINT32_MAX));
    weft_memory *zero = weft_memory_new(e, 0, UINT32_MAX); /* 0 pages fit */
    assert_non_null(zero);
    weft_memory_delete(zero);

    /* Freeing b returns its 4 pages: c (3) fits now, and a grow of 1. */
    weft_instance_delete(b);
    assert_int_equal(weft_engine_memory_pages(e), 6);
    assert_null(try_instantiate(m3, &c));
    assert_int_equal(weft_memory_grow(ma, 1), 6);
    assert_int_equal(weft_engine_memory_pages(e), 10);
    assert_int_equal(weft_memory_grow(weft_instance_memory(c), 1), -1);

    /* Guest memory.grow sees the same budget. */
    weft_instance_delete(c);
    weft_module *g = compile_fixture(e, "limits.wasm"); /* memory of 1 page */
    weft_instance *gi = must_instantiate(g, NULL);
    assert_int_equal(weft_engine_memory_pages(e), 8);
    assert_int_equal(must_call_i32(gi, "grow", 1, 2), 1);
    assert_int_equal(must_call_i32(gi, "grow", 1, 1), -1);
    assert_int_equal(must_call_i32(gi, "pages", 0, 0), 3);

    weft_instance_delete(gi);
    weft_instance_delete(a);
    assert_int_equal(weft_engine_memory_pages(e), 0);
    weft_module_delete(g);
    weft_module_delete(m4);
    weft_module_delete(m3);
    weft_engine_delete(e);
}

/* Without a total limit, pages are counted all the same. */
static void test_memory_pages_counted(void **state)
{
    (void)state;
    weft_engine *e = test_engine();
    wbuf two = memory_module(2);
    weft_module *m = must_compile(e, &two);
    weft_instance *inst = must_instantiate(m, NULL);
    weft_memory *hm = weft_memory_new(e, 1, 3);
    assert_int_equal(weft_engine_memory_pages(e), 3);
    assert_int_equal(weft_memory_grow(hm, 2), 1);
    assert_int_equal(weft_memory_grow(hm, 1), -1); /* its own maximum */
    assert_int_equal(weft_engine_memory_pages(e), 5);
    weft_memory_delete(hm);
    weft_instance_delete(inst);
    assert_int_equal(weft_engine_memory_pages(e), 0);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* ------------------------------------------------------------ tables */

static void test_table_elements(void **state)
{
    (void)state;
    weft_engine *e = engine_with((limit_cfg){.table_elements = 10});
    wbuf at = table_module(10), over = table_module(11);
    weft_module *m_at = must_compile(e, &at), *m_over = must_compile(e, &over);
    weft_instance *inst = NULL;
    assert_null(try_instantiate(m_at, &inst));
    weft_instance_delete(inst);
    expect_resource_error(try_instantiate(m_over, &inst), "11 elements exceed the limit of 10");
    assert_null(inst);

    weft_module *g = compile_fixture(e, "limits.wasm"); /* a table of 1 */
    inst = must_instantiate(g, NULL);
    assert_int_equal(must_call_i32(inst, "table_grow", 1, 9), 1);
    assert_int_equal(must_call_i32(inst, "table_grow", 1, 1), -1);
    assert_int_equal(must_call_i32(inst, "table_grow", 1, -1), -1);
    assert_int_equal(must_call_i32(inst, "table_size", 0, 0), 10);
    weft_instance_delete(inst);

    weft_table *t = weft_table_new(e, WEFT_FUNCREF, 10, UINT32_MAX, NULL);
    assert_non_null(t);
    assert_int_equal(weft_table_grow(t, 1, NULL), -1);
    weft_table_delete(t);
    assert_null(weft_table_new(e, WEFT_FUNCREF, 11, UINT32_MAX, NULL));

    weft_module_delete(g);
    weft_module_delete(m_at);
    weft_module_delete(m_over);
    weft_engine_delete(e);
}

/* The engine-wide total of table elements: a module's many tables
 * together, and every instance's. */
static void test_table_elements_total(void **state)
{
    (void)state;
    weft_engine *e = engine_with((limit_cfg){.table_elements = 100, .total_elements = 1000});
    wbuf ten = tables_module(10, 100), eleven = tables_module(11, 100);
    weft_module *m10 = must_compile(e, &ten), *m11 = must_compile(e, &eleven);
    weft_instance *a = NULL, *b = NULL;
    assert_null(try_instantiate(m10, &a)); /* exactly the total */
    assert_int_equal(weft_engine_table_elements(e), 1000);
    weft_instance_delete(a);
    assert_int_equal(weft_engine_table_elements(e), 0);
    weft_error *err = try_instantiate(m11, &a);
    assert_non_null(err);
    assert_string_equal(weft_error_message(err),
                        "tables: 1100 elements in all exceed the engine's total table limit: "
                        "0 of 1000 elements in use"); /* refused before any table is made */
    weft_error_delete(err);
    assert_null(a);
    assert_int_equal(weft_engine_table_elements(e), 0); /* the failure kept nothing */

    /* table.grow and weft_table_grow see the same budget. */
    weft_module *g = compile_fixture(e, "limits.wasm"); /* a table of 1 */
    wbuf nine = tables_module(9, 100);
    weft_module *m9 = must_compile(e, &nine);
    assert_null(try_instantiate(m9, &b));
    err = try_instantiate(m10, &a); /* under the total alone, not beside b */
    assert_non_null(err);
    assert_string_equal(weft_error_message(err),
                        "tables: 1000 elements in all exceed the engine's total table limit: "
                        "900 of 1000 elements in use");
    weft_error_delete(err);
    assert_int_equal(weft_engine_table_elements(e), 900);
    a = must_instantiate(g, NULL);
    assert_int_equal(weft_engine_table_elements(e), 901);
    assert_int_equal(must_call_i32(a, "table_grow", 1, 99), 1);
    assert_int_equal(must_call_i32(a, "table_grow", 1, 1), -1); /* at the per-table limit */
    weft_table *t = weft_table_new(e, WEFT_FUNCREF, 0, UINT32_MAX, NULL);
    assert_non_null(t);
    assert_int_equal(weft_table_grow(t, 1, NULL), -1); /* at the total */
    weft_instance_delete(b);
    assert_int_equal(weft_table_grow(t, 100, NULL), 0);
    assert_null(weft_table_new(e, WEFT_FUNCREF, 801, UINT32_MAX, NULL));
    weft_table_delete(t);
    weft_instance_delete(a);
    assert_int_equal(weft_engine_table_elements(e), 0);
    weft_module_delete(g);
    weft_module_delete(m9);
    weft_module_delete(m10);
    weft_module_delete(m11);
    weft_engine_delete(e);
}

/* ------------------------------------------------------------ call stack */

enum { DEPTH_LIMIT = 50 };

static void test_call_depth(void **state)
{
    (void)state;
    weft_engine *e = engine_with((limit_cfg){.call_depth = DEPTH_LIMIT});
    weft_module *m = compile_fixture(e, "limits.wasm");
    weft_instance *inst = must_instantiate(m, NULL);
    /* depth(n) is n + 1 frames. */
    assert_int_equal(must_call_i32(inst, "depth", 1, DEPTH_LIMIT - 1), DEPTH_LIMIT - 1);
    weft_trap *t = call_i32(inst, "depth", 1, DEPTH_LIMIT, NULL);
    assert_non_null(t);
    assert_string_equal(weft_trap_message(t), "call stack exhausted");
    assert_int_equal(weft_trap_frame_count(t), DEPTH_LIMIT);
    expect_trap(t, WEFT_TRAP_CALL_STACK_EXHAUSTED);
    /* The instance is usable after the trap, at the limit again too. */
    assert_int_equal(must_call_i32(inst, "depth", 1, 3), 3);
    assert_int_equal(must_call_i32(inst, "depth", 1, DEPTH_LIMIT - 1), DEPTH_LIMIT - 1);
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* The deepest depth(n) that runs on a value stack of `slots`. */
static int32_t deepest_on_stack(uint32_t slots)
{
    weft_engine *e = engine_with((limit_cfg){.stack_slots = slots, .call_depth = 1u << 20});
    weft_module *m = compile_fixture(e, "limits.wasm");
    weft_instance *inst = must_instantiate(m, NULL);
    int32_t lo = 0, hi = (int32_t)slots; /* each frame takes at least a slot */
    while (lo < hi) {
        int32_t mid = lo + (hi - lo + 1) / 2;
        weft_trap *t = call_i32(inst, "depth", 1, mid, NULL);
        if (t) {
            expect_trap(t, WEFT_TRAP_CALL_STACK_EXHAUSTED);
            hi = mid - 1;
        } else {
            lo = mid;
        }
    }
    /* The edge: lo runs, lo + 1 is exhausted. */
    assert_int_equal(must_call_i32(inst, "depth", 1, lo), lo);
    expect_trap(call_i32(inst, "depth", 1, lo + 1, NULL), WEFT_TRAP_CALL_STACK_EXHAUSTED);
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
    return lo;
}

static void test_value_stack(void **state)
{
    (void)state;
    int32_t small = deepest_on_stack(1024), large = deepest_on_stack(4096);
    print_message("value stack: 1024 slots: depth %d, 4096 slots: depth %d\n", small, large);
    assert_true(small > 0 && large > small);
    /* Each level takes the same slots (a callee's frame starts at its
     * arguments in the caller's), so the extra stack is whole levels. */
    assert_int_equal((4096 - 1024) % (large - small), 0);

    /* A stack too small for even the first frame traps, never overruns. */
    weft_engine *e = engine_with((limit_cfg){.stack_slots = 1});
    weft_module *m = compile_fixture(e, "limits.wasm");
    weft_instance *inst = must_instantiate(m, NULL);
    expect_trap(call_i32(inst, "count", 1, 5, NULL), WEFT_TRAP_CALL_STACK_EXHAUSTED);
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* ------------------------------------------------------------ fuel */

static void test_fuel(void **state)
{
    (void)state;
    weft_engine *e = engine_with((limit_cfg){.fuel = 1});
    weft_module *m = compile_fixture(e, "limits.wasm");
    weft_instance *inst = must_instantiate(m, NULL);

    /* What count(100) costs, measured... */
    enum { PLENTY = 1000000 };
    weft_instance_set_fuel(inst, PLENTY);
    assert_int_equal(must_call_i32(inst, "count", 1, 100), 100);
    uint64_t cost = PLENTY - weft_instance_fuel(inst);
    assert_true(cost >= 100); /* one unit per iteration at least */
    /* ...is enough exactly: 0 left. */
    weft_instance_set_fuel(inst, cost);
    assert_int_equal(must_call_i32(inst, "count", 1, 100), 100);
    assert_int_equal(weft_instance_fuel(inst), 0);
    /* One unit less traps, and leaves 0. */
    weft_instance_set_fuel(inst, cost - 1);
    weft_trap *t = call_i32(inst, "count", 1, 100, NULL);
    assert_non_null(t);
    assert_string_equal(weft_trap_message(t), "all fuel consumed");
    expect_trap(t, WEFT_TRAP_OUT_OF_FUEL);
    assert_int_equal(weft_instance_fuel(inst), 0);
    /* With no fuel, any call traps; an endless loop ends. */
    expect_trap(call_i32(inst, "count", 1, 1, NULL), WEFT_TRAP_OUT_OF_FUEL);
    weft_instance_set_fuel(inst, PLENTY);
    weft_func *spin = weft_instance_export_func(inst, "spin");
    expect_trap(weft_func_call(spin, NULL, 0, NULL, 0), WEFT_TRAP_OUT_OF_FUEL);
    /* Refuelled, the instance works. */
    weft_instance_set_fuel(inst, PLENTY);
    assert_int_equal(must_call_i32(inst, "count", 1, 7), 7);
    weft_instance_set_fuel(inst, UINT64_MAX); /* saturates */
    assert_true(weft_instance_fuel(inst) >= (uint64_t)INT64_MAX - 1);
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* A start function runs on the fuel given to weft_instance_new_with_fuel;
 * weft_instance_new gives none. */
static void test_fuel_start_function(void **state)
{
    (void)state;
    weft_engine *e = engine_with((limit_cfg){.fuel = 1});
    weft_module *m = compile_fixture(e, "limits_start.wasm");
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    assert_null(weft_instance_new(m, NULL, &inst, &trap));
    assert_null(inst);
    expect_trap(trap, WEFT_TRAP_OUT_OF_FUEL);
    trap = NULL;
    assert_null(weft_instance_new_with_fuel(m, NULL, 5, &inst, &trap));
    assert_null(inst);
    expect_trap(trap, WEFT_TRAP_OUT_OF_FUEL);
    trap = NULL;
    assert_null(weft_instance_new_with_fuel(m, NULL, 1000, &inst, &trap));
    assert_null(trap);
    assert_non_null(inst);
    uint64_t left = weft_instance_fuel(inst);
    assert_true(left < 1000 && left > 1000 - 100);
    weft_val g;
    weft_global_get(weft_instance_export_global(inst, "g"), &g);
    assert_int_equal(g.of.i32, 10);
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* Interruption from another thread ends an endless loop (no fuel). */
static void *interrupt_soon(void *h)
{
    weft_interrupt(h);
    return NULL;
}

static void test_interrupt_endless_loop(void **state)
{
    (void)state;
    weft_engine *e = test_engine();
    weft_module *m = compile_fixture(e, "limits.wasm");
    weft_instance *inst = must_instantiate(m, NULL);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, interrupt_soon, weft_instance_interrupt_handle(inst)), 0);
    /* Whether the request lands before or during the call, it stops it. */
    weft_trap *t = weft_func_call(weft_instance_export_func(inst, "spin"), NULL, 0, NULL, 0);
    pthread_join(th, NULL);
    expect_trap(t, WEFT_TRAP_INTERRUPTED);
    assert_int_equal(must_call_i32(inst, "count", 1, 3), 3); /* consumed */
    weft_instance_delete(inst);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* ------------------------------------------------------------ module size */

static void test_module_size(void **state)
{
    (void)state;
    wbuf mod = memory_module(1);
    weft_config *c = weft_config_new();
    weft_config_set_max_module_size(c, mod.len);
    weft_engine *at = weft_engine_new(c);
    weft_config_set_max_module_size(c, mod.len - 1);
    weft_engine *below = weft_engine_new(c);
    weft_config_delete(c);

    weft_module *m = NULL;
    assert_null(weft_module_new(at, mod.data, mod.len, &m));
    weft_module_delete(m);
    m = NULL;
    weft_error *err = weft_module_new(below, mod.data, mod.len, &m);
    assert_null(m);
    assert_non_null(err);
    assert_int_equal(weft_error_kind_of(err), WEFT_ERROR_RESOURCE);
    char want[96];
    snprintf(want, sizeof want, "module too large: %zu bytes, the limit is %zu", mod.len,
             mod.len - 1);
    assert_string_equal(weft_error_message(err), want);
    weft_error_delete(err);
    err = weft_module_validate(below, mod.data, mod.len);
    expect_resource_error(err, "module too large");
    wb_free(&mod);
    weft_engine_delete(at);
    weft_engine_delete(below);
}

/* ------------------------------------------------------------ decoder */

typedef struct hostile {
    const char *name;
    wbuf (*build)(void);
    weft_error_kind kind;
    const char *message; /* part of the error's message */
    int64_t offset;      /* -1: not checked */
} hostile;

/* One function () -> () whose code entry is `body` (locals and code). */
static wbuf func_with_body(const wbuf *body)
{
    return wb_func_module("", "", body->data, body->len);
}

/* A function declaring 2^32-1 locals in one group. */
static wbuf locals_2_32(void)
{
    wbuf body = {0};
    wb_u32(&body, 1);
    wb_u32(&body, UINT32_MAX);
    WB_BYTES(&body, 0x7F, 0x0B);
    wbuf mod = func_with_body(&body);
    wb_free(&body);
    return mod;
}

/* Groups summing past 2^32 (each within u32). */
static wbuf locals_overflow(void)
{
    wbuf body = {0};
    wb_u32(&body, 3);
    for (int i = 0; i < 3; i++) {
        wb_u32(&body, 0x80000000u);
        wb_byte(&body, 0x7E);
    }
    wb_byte(&body, 0x0B);
    wbuf mod = func_with_body(&body);
    wb_free(&body);
    return mod;
}

/* A br_table of LIMIT_BR_TABLE + 1 targets, every byte present. */
static wbuf br_table(uint32_t targets)
{
    wbuf body = {0};
    WB_BYTES(&body, 0x00, 0x02, 0x40, 0x41, 0x00, 0x0E);
    wb_u32(&body, targets);
    for (uint32_t i = 0; i <= targets; i++)
        wb_byte(&body, 0x00);
    WB_BYTES(&body, 0x0B, 0x0B);
    wbuf mod = func_with_body(&body);
    wb_free(&body);
    return mod;
}
static wbuf br_table_at_limit(void) { return br_table(LIMIT_BR_TABLE); }
static wbuf br_table_over_limit(void) { return br_table(LIMIT_BR_TABLE + 1); }

/* A br_table claiming 2^32-1 targets in a few bytes. */
static wbuf br_table_claimed(void)
{
    wbuf body = {0};
    WB_BYTES(&body, 0x00, 0x02, 0x40, 0x41, 0x00, 0x0E);
    wb_u32(&body, UINT32_MAX);
    WB_BYTES(&body, 0x00, 0x00, 0x0B, 0x0B);
    wbuf mod = func_with_body(&body);
    wb_free(&body);
    return mod;
}

/* n nested blocks inside the function's own. */
static wbuf nested(uint32_t n)
{
    wbuf body = {0};
    wb_byte(&body, 0x00);
    for (uint32_t i = 0; i < n; i++)
        WB_BYTES(&body, 0x02, 0x40);
    for (uint32_t i = 0; i < n; i++)
        wb_byte(&body, 0x0B);
    wb_byte(&body, 0x0B);
    wbuf mod = func_with_body(&body);
    wb_free(&body);
    return mod;
}
static wbuf nesting_at_limit(void) { return nested(LIMIT_NESTING - 1); }
static wbuf nesting_over_limit(void) { return nested(LIMIT_NESTING); }

/* A section whose vector claims `count` entries and holds one byte. */
static wbuf claimed_vector(uint8_t section, uint32_t count)
{
    wbuf mod = wb_module(), sec = {0};
    wb_u32(&sec, count);
    wb_byte(&sec, 0x00);
    wb_section(&mod, section, &sec);
    return mod;
}
static wbuf types_2_32(void) { return claimed_vector(1, UINT32_MAX); }
static wbuf funcs_2_32(void) { return claimed_vector(3, UINT32_MAX); }
static wbuf globals_2_32(void) { return claimed_vector(6, UINT32_MAX); }
static wbuf datas_2_32(void) { return claimed_vector(11, UINT32_MAX); }
static wbuf elems_2_32(void) { return claimed_vector(9, UINT32_MAX); }
/* LIMIT_TYPES + 1 entries' worth of bytes: the count limit, not the
 * length check, refuses it. */
static wbuf types_over_limit(void)
{
    wbuf mod = wb_module(), sec = {0};
    wb_u32(&sec, LIMIT_TYPES + 1);
    for (uint32_t i = 0; i <= LIMIT_TYPES; i++)
        wb_byte(&sec, 0x60);
    wb_section(&mod, 1, &sec);
    return mod;
}

/* A data segment claiming 4 GiB - 16 bytes and holding 3. */
static wbuf data_longer_than_module(void)
{
    wbuf mod = memory_module(1), sec = {0};
    WB_BYTES(&sec, 0x01, 0x00, 0x41, 0x00, 0x0B);
    wb_u32(&sec, 0xFFFFFFF0u);
    WB_BYTES(&sec, 1, 2, 3);
    wb_section(&mod, 11, &sec);
    return mod;
}

/* A passive element segment claiming 2^32-1 function indices. */
static wbuf elem_items_2_32(void)
{
    wbuf mod = wb_module(), sec = {0};
    WB_BYTES(&sec, 0x01, 0x01, 0x00);
    wb_u32(&sec, UINT32_MAX);
    WB_BYTES(&sec, 0x00);
    wb_section(&mod, 9, &sec);
    return mod;
}

/* LIMIT_TABLES + 1 tables of 10,000,000 elements (the engine's default
 * table limit), 600 KB of bytes. */
static wbuf many_huge_tables(void)
{
    wbuf mod = wb_module(), sec = {0};
    wb_u32(&sec, LIMIT_TABLES + 1);
    for (uint32_t i = 0; i <= LIMIT_TABLES; i++)
        WB_BYTES(&sec, 0x70, 0x00, 0x80, 0xAD, 0xE2, 0x04);
    wb_section(&mod, 4, &sec);
    return mod;
}

/* A function body of `size` bytes, all present: no locals, nops, end. */
static wbuf body_of_size(uint32_t size)
{
    wbuf body = {0};
    wb_byte(&body, 0x00);
    for (uint32_t i = 2; i < size; i++)
        wb_byte(&body, 0x01);
    wb_byte(&body, 0x0B);
    wbuf mod = func_with_body(&body);
    wb_free(&body);
    return mod;
}
static wbuf body_over_limit(void) { return body_of_size(LIMIT_BODY_SIZE + 1); }
static wbuf body_at_limit(void) { return body_of_size(LIMIT_BODY_SIZE); }

/* A function body over LIMIT_BODY_SIZE, claimed in its size field. */
static wbuf body_too_large(void)
{
    wbuf mod = wb_module(), sec = {0};
    WB_BYTES(&sec, 0x01, 0x60, 0x00, 0x00);
    wb_section(&mod, 1, &sec);
    WB_BYTES(&sec, 0x01, 0x00);
    wb_section(&mod, 3, &sec);
    wb_u32(&sec, 1);
    wb_u32(&sec, LIMIT_BODY_SIZE + 1);
    WB_BYTES(&sec, 0x00, 0x0B);
    wb_section(&mod, 10, &sec);
    return mod;
}

static const hostile hostiles[] = {
    {"2^32-1 locals", locals_2_32, WEFT_ERROR_DECODE, "too many locals: 4294967295, the limit is 50000", -1},
    {"locals summing past 2^32", locals_overflow, WEFT_ERROR_DECODE, "too many locals", -1},
    {"br_table over the limit", br_table_over_limit, WEFT_ERROR_VALIDATE, "br_table too large", -1},
    {"br_table claiming 2^32-1 targets", br_table_claimed, WEFT_ERROR_VALIDATE, "br_table too large", -1},
    {"nesting over the limit", nesting_over_limit, WEFT_ERROR_VALIDATE, "nesting too deep", -1},
    {"2^32-1 types", types_2_32, WEFT_ERROR_DECODE, "length out of bounds", 10},
    {"types over the limit", types_over_limit, WEFT_ERROR_DECODE, "too many types: 1000001", 12},
    {"2^32-1 functions", funcs_2_32, WEFT_ERROR_DECODE, "length out of bounds", 10},
    {"2^32-1 globals", globals_2_32, WEFT_ERROR_DECODE, "length out of bounds", 10},
    {"2^32-1 element segments", elems_2_32, WEFT_ERROR_DECODE, "length out of bounds", 10},
    {"2^32-1 data segments", datas_2_32, WEFT_ERROR_DECODE, "length out of bounds", 10},
    {"element segment of 2^32-1 items", elem_items_2_32, WEFT_ERROR_DECODE, "length out of bounds", 13},
    {"data segment longer than the module", data_longer_than_module, WEFT_ERROR_DECODE, "length out of bounds", -1},
    {"tables over the limit", many_huge_tables, WEFT_ERROR_DECODE, "too many tables", -1},
    {"body claiming more bytes than the module", body_too_large, WEFT_ERROR_DECODE, "length out of bounds: 7654322 bytes, 6 left", 21},
    {"body over the size limit", body_over_limit, WEFT_ERROR_DECODE, "function body too large: 7654322 bytes, the limit is 7654321", -1},
};

static void test_hostile_modules(void **state)
{
    (void)state;
    weft_engine *e = test_engine();
    for (size_t i = 0; i < sizeof hostiles / sizeof hostiles[0]; i++) {
        const hostile *h = &hostiles[i];
        wbuf mod = h->build();
        weft_module *m = NULL;
        requested = 0;
        weft_error *err = weft_module_new(e, mod.data, mod.len, &m);
        size_t used = requested;
        if (!err || m) {
            print_error("%s: compiled\n", h->name);
            fail();
        }
        const char *msg = weft_error_message(err);
        if (weft_error_kind_of(err) != h->kind || !strstr(msg, h->message) ||
            (h->offset >= 0 && weft_error_offset(err) != h->offset)) {
            print_error("%s: kind %d \"%s\" at %lld, want kind %d \"%s\" at %lld\n", h->name,
                        weft_error_kind_of(err), msg, (long long)weft_error_offset(err), h->kind,
                        h->message, (long long)h->offset);
            fail();
        }
        /* Every error says where: a byte offset (module-wide limits aside). */
        assert_true(weft_error_offset(err) >= 0 && (size_t)weft_error_offset(err) <= mod.len);
        print_message("%-40s %8zu bytes: compile requested %zu bytes\n", h->name, mod.len, used);
        if (used > HOSTILE_ALLOC_BOUND + 64 * mod.len) {
            print_error("%s: compiling %zu bytes requested %zu bytes\n", h->name, mod.len, used);
            fail();
        }
        weft_error_delete(err);
        wb_free(&mod);
    }
    weft_engine_delete(e);
}

/* The same shapes one step inside the limits compile. */
static void test_limits_at_edge_compile(void **state)
{
    (void)state;
    weft_engine *e = test_engine();
    wbuf (*const ok[])(void) = {br_table_at_limit, nesting_at_limit, body_at_limit};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        wbuf mod = ok[i]();
        weft_module *m = must_compile(e, &mod);
        weft_module_delete(m);
    }
    /* LIMIT_LOCALS locals exactly. */
    wbuf body = {0};
    WB_BYTES(&body, 0x01);
    wb_u32(&body, LIMIT_LOCALS);
    WB_BYTES(&body, 0x7F, 0x0B);
    wbuf mod = func_with_body(&body);
    wb_free(&body);
    weft_module *m = must_compile(e, &mod);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* Valid modules of many small things: what compiling them requests per
 * byte of module stays bounded. */
enum { MANY = 100000 };

static wbuf many_customs(void)
{
    wbuf mod = wb_module();
    for (int i = 0; i < MANY; i++)
        WB_BYTES(&mod, 0x00, 0x01, 0x00); /* an empty custom section, empty name */
    return mod;
}

static wbuf many_functions(void)
{
    wbuf mod = wb_module(), sec = {0};
    WB_BYTES(&sec, 0x01, 0x60, 0x00, 0x00);
    wb_section(&mod, 1, &sec);
    wb_u32(&sec, MANY);
    for (int i = 0; i < MANY; i++)
        wb_byte(&sec, 0x00);
    wb_section(&mod, 3, &sec);
    wb_u32(&sec, MANY);
    for (int i = 0; i < MANY; i++)
        WB_BYTES(&sec, 0x02, 0x00, 0x0B);
    wb_section(&mod, 10, &sec);
    return mod;
}

static wbuf many_elem_items(void)
{
    wbuf mod = wb_module(), sec = {0};
    WB_BYTES(&sec, 0x01, 0x60, 0x00, 0x00);
    wb_section(&mod, 1, &sec);
    WB_BYTES(&sec, 0x01, 0x00);
    wb_section(&mod, 3, &sec);
    WB_BYTES(&sec, 0x01, 0x01, 0x00); /* one passive segment of funcref indices */
    wb_u32(&sec, MANY);
    for (int i = 0; i < MANY; i++)
        wb_byte(&sec, 0x00);
    wb_section(&mod, 9, &sec);
    WB_BYTES(&sec, 0x01, 0x02, 0x00, 0x0B);
    wb_section(&mod, 10, &sec);
    return mod;
}

static wbuf many_globals(void)
{
    wbuf mod = wb_module(), sec = {0};
    wb_u32(&sec, MANY);
    for (int i = 0; i < MANY; i++)
        WB_BYTES(&sec, 0x7F, 0x00, 0x41, 0x00, 0x0B); /* (global i32 (i32.const 0)) */
    wb_section(&mod, 6, &sec);
    return mod;
}

static wbuf many_types(void)
{
    wbuf mod = wb_module(), sec = {0};
    wb_u32(&sec, MANY);
    for (int i = 0; i < MANY; i++)
        WB_BYTES(&sec, 0x60, 0x00, 0x00);
    wb_section(&mod, 1, &sec);
    return mod;
}

/* A name section naming 100,000 functions (that need not exist). */
static wbuf many_names(void)
{
    wbuf mod = wb_module(), sub = {0}, payload = {0};
    wb_u32(&sub, MANY);
    for (int i = 0; i < MANY; i++) {
        wb_u32(&sub, (uint32_t)i);
        wb_name(&sub, "f");
    }
    wb_byte(&payload, 0x01); /* function names */
    wb_u32(&payload, sub.len);
    wb_raw(&payload, sub.data, sub.len);
    wb_custom(&mod, "name", payload.data, payload.len);
    wb_free(&sub);
    wb_free(&payload);
    return mod;
}

/* Bytes compiling may request per byte of module: the worst shape here
 * (nested blocks: a control frame per two bytes) takes about 80. */
#define ALLOC_PER_BYTE 128

static void test_allocation_per_byte(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        wbuf (*build)(void);
    } shapes[] = {
        {"100,000 empty custom sections", many_customs},
        {"100,000 empty functions", many_functions},
        {"an element segment of 100,000 items", many_elem_items},
        {"100,000 globals", many_globals},
        {"100,000 types", many_types},
        {"100,000 function names", many_names},
        {"9,999 nested blocks", nesting_at_limit},
        {"a br_table of 65,520 targets", br_table_at_limit},
    };
    weft_engine *e = test_engine();
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        wbuf mod = shapes[i].build();
        size_t len = mod.len;
        requested = 0;
        weft_module *m = must_compile(e, &mod);
        size_t used = requested;
        print_message("%-40s %8zu bytes: compile requested %zu bytes (%zu per byte)\n",
                      shapes[i].name, len, used, used / len);
        if (used > ALLOC_PER_BYTE * len + HOSTILE_ALLOC_BOUND) {
            print_error("%s: %zu bytes requested for %zu\n", shapes[i].name, used, len);
            fail();
        }
        weft_module_delete(m);
    }
    weft_engine_delete(e);
}

/* Allocation follows the bytes: the counting works (a sanity check of the
 * wrappers, so the bound above means something). */
static void test_allocation_counted(void **state)
{
    (void)state;
    weft_engine *e = test_engine();
    wbuf mod = br_table_at_limit();
    requested = 0;
    weft_module *m = must_compile(e, &mod);
    assert_true(requested >= LIMIT_BR_TABLE); /* the targets were read */
    weft_module_delete(m);
    weft_engine_delete(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_pages_per_memory),
        cmocka_unit_test(test_memory_pages_total),
        cmocka_unit_test(test_memory_pages_counted),
        cmocka_unit_test(test_table_elements),
        cmocka_unit_test(test_table_elements_total),
        cmocka_unit_test(test_call_depth),
        cmocka_unit_test(test_value_stack),
        cmocka_unit_test(test_fuel),
        cmocka_unit_test(test_fuel_start_function),
        cmocka_unit_test(test_interrupt_endless_loop),
        cmocka_unit_test(test_module_size),
        cmocka_unit_test(test_hostile_modules),
        cmocka_unit_test(test_limits_at_edge_compile),
        cmocka_unit_test(test_allocation_per_byte),
        cmocka_unit_test(test_allocation_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
