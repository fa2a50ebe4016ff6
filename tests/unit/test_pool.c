/* test_pool.c — the engine's pools of freed memories and stacks
 * (core/src/map_pool.h): a reused memory reads all zero whatever the
 * previous instance left, its size, growth and bounds are those of its new
 * instance, the engine's page counter is unchanged by pooling, pooled
 * mappings go when the engine goes, and instances made and freed from
 * several threads at once each see a clean memory. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "api_helpers.h"
#include "live_objects.h"
#include "runtime.h"
#include "wasm_builder.h"
#include "weft.h"

/* ------------------------------------------------------------ helpers */

/* A module of one memory (min..max pages, exported as "mem") and two
 * functions of type (i32) -> i32: "load" (i32.load8_u of its address) and
 * "depth" (n nested calls of itself, returning n). */
static wbuf pool_module(uint32_t min, uint32_t max)
{
    wbuf mod = wb_module(), sec = {0};
    WB_BYTES(&sec, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F);
    wb_section(&mod, 1, &sec);
    WB_BYTES(&sec, 0x02, 0x00, 0x00);
    wb_section(&mod, 3, &sec);
    WB_BYTES(&sec, 0x01, 0x01);
    wb_u32(&sec, min);
    wb_u32(&sec, max);
    wb_section(&mod, 5, &sec);
    wb_u32(&sec, 3);
    wb_name(&sec, "mem");
    WB_BYTES(&sec, 0x02, 0x00);
    wb_name(&sec, "load");
    WB_BYTES(&sec, 0x00, 0x00);
    wb_name(&sec, "depth");
    WB_BYTES(&sec, 0x00, 0x01);
    wb_section(&mod, 7, &sec);
    static const uint8_t load[] = {0x00, 0x20, 0x00, 0x2D, 0x00, 0x00, 0x0B};
    static const uint8_t depth[] = {0x00, 0x20, 0x00, 0x45, 0x04, 0x7F, 0x41, 0x00, 0x05,
                                    0x20, 0x00, 0x41, 0x01, 0x6B, 0x10, 0x01, 0x41, 0x01,
                                    0x6A, 0x0B, 0x0B};
    wb_u32(&sec, 2);
    wb_u32(&sec, sizeof load);
    wb_raw(&sec, load, sizeof load);
    wb_u32(&sec, sizeof depth);
    wb_raw(&sec, depth, sizeof depth);
    wb_section(&mod, 10, &sec);
    return mod;
}

static weft_module *compile_pool_module(weft_engine *e, uint32_t min, uint32_t max)
{
    wbuf mod = pool_module(min, max);
    return must_compile(e, &mod);
}

static weft_engine *engine_pooling(int on)
{
    weft_config *c = weft_config_new();
    weft_config_set_pooling(c, on);
    weft_engine *e = weft_engine_new(c);
    weft_config_delete(c);
    assert_non_null(e);
    return e;
}

/* Calls the (i32) -> i32 export `name`; *trap_code gets its trap, if any. */
static int32_t call_i32(weft_instance *inst, const char *name, int32_t arg,
                        weft_trap_code *trap_code)
{
    weft_val a = val_i32(arg), r;
    weft_trap *t = weft_func_call(weft_instance_export_func(inst, name), &a, 1, &r, 1);
    *trap_code = t ? weft_trap_code_of(t) : WEFT_TRAP_NONE;
    weft_trap_delete(t);
    return t ? 0 : r.of.i32;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Whether the process may read the byte at p, asked of the kernel (write
 * from p to a pipe: EFAULT when it is not readable) instead of a fault. */
static bool readable(const uint8_t *p)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    ssize_t n = write(fds[1], p, 1);
    int err = errno;
    close(fds[0]);
    close(fds[1]);
    if (n < 0)
        assert_int_equal(err, EFAULT);
    return n == 1;
}

static int64_t pooled_mappings(void)
{
    int64_t counts[LIVE_KINDS];
    live_objects_read(counts, LIVE_KINDS);
    return counts[LIVE_POOLED_MAPPING];
}

/* ------------------------------------------------------------ memory */

/* Whether the page at p (page-aligned) is backed by memory. */
static bool resident(uint8_t *p)
{
    unsigned char v = 0;
    assert_int_equal(mincore(p, 1, &v), 0);
    return v & 1;
}


/* The previous instance filled its memory, grown beyond its minimum; the
 * next gets the same reservation back, zero, at its own size. Once with a
 * memory small enough to be zeroed by memset, once with one zeroed by
 * MADV_DONTNEED. */
static void reuse_reads_zero(uint32_t grown_pages)
{
    weft_engine *e = engine_pooling(1);
    weft_module *m = compile_pool_module(e, 1, 256);

    weft_instance *a = must_instantiate(m, NULL);
    weft_memory *ma = weft_instance_memory(a);
    assert_int_equal(weft_memory_grow(ma, grown_pages - 1), 1);
    uint8_t *base = weft_memory_data(ma);
    memset(base, 0xAB, weft_memory_size(ma));
    weft_instance_delete(a);

    weft_instance *b = must_instantiate(m, NULL);
    weft_memory *mb = weft_instance_memory(b);
    assert_ptr_equal(weft_memory_data(mb), base); /* reused, not a new mapping */
    assert_int_equal(weft_memory_pages(mb), 1);
    assert_true(all_zero(base, WASM_PAGE_SIZE));
    /* The pages it grows into again were the last instance's: zero too. */
    assert_int_equal(weft_memory_grow(mb, grown_pages + 1), 1);
    assert_true(all_zero(base, weft_memory_size(mb)));
    weft_instance_delete(b);

    weft_module_delete(m);
    weft_engine_delete(e);
}

static void test_reused_memory_reads_zero(void **state)
{
    (void)state;
    reuse_reads_zero(3);   /* memset */
    reuse_reads_zero(160); /* 10 MiB: MADV_DONTNEED */
}

/* A reservation of the same size freed by a module of a larger minimum:
 * the new instance's size, grow and bounds are its own, and the pages
 * beyond its size are inaccessible again. */
static void test_reused_memory_size_and_bounds(void **state)
{
    (void)state;
    weft_engine *e = engine_pooling(1);
    weft_module *big = compile_pool_module(e, 3, 8), *small = compile_pool_module(e, 1, 8);

    weft_instance *a = must_instantiate(big, NULL);
    uint8_t *base = weft_memory_data(weft_instance_memory(a));
    memset(base, 0x5A, 3 * WASM_PAGE_SIZE);
    weft_instance_delete(a);

    weft_instance *b = must_instantiate(small, NULL);
    weft_memory *mb = weft_instance_memory(b);
    assert_ptr_equal(weft_memory_data(mb), base);
    assert_int_equal(weft_memory_pages(mb), 1);
    assert_int_equal(weft_memory_max_pages(mb), 8);
    assert_true(readable(base + WASM_PAGE_SIZE - 1));
    assert_false(readable(base + WASM_PAGE_SIZE)); /* PROT_NONE beyond the size */

    weft_trap_code code;
    assert_int_equal(call_i32(b, "load", WASM_PAGE_SIZE - 1, &code), 0);
    assert_int_equal(code, WEFT_TRAP_NONE);
    call_i32(b, "load", WASM_PAGE_SIZE, &code);
    assert_int_equal(code, WEFT_TRAP_MEMORY_OUT_OF_BOUNDS);

    assert_int_equal(weft_memory_grow(mb, 7), 1);
    assert_int_equal(weft_memory_grow(mb, 1), -1); /* the maximum holds */
    assert_int_equal(call_i32(b, "load", 8 * WASM_PAGE_SIZE - 1, &code), 0);
    assert_int_equal(code, WEFT_TRAP_NONE);
    call_i32(b, "load", 8 * WASM_PAGE_SIZE, &code);
    assert_int_equal(code, WEFT_TRAP_MEMORY_OUT_OF_BOUNDS);
    weft_instance_delete(b);

    /* And back to the larger minimum: 3 pages accessible, zero. */
    weft_instance *c = must_instantiate(big, NULL);
    weft_memory *mc = weft_instance_memory(c);
    assert_ptr_equal(weft_memory_data(mc), base);
    assert_int_equal(weft_memory_pages(mc), 3);
    assert_true(all_zero(base, 3 * WASM_PAGE_SIZE));
    assert_false(readable(base + 3 * WASM_PAGE_SIZE));
    weft_instance_delete(c);

    weft_module_delete(big);
    weft_module_delete(small);
    weft_engine_delete(e);
}

/* The engine's page counter counts live memories only, pooled or not. */
static void test_page_counter(void **state)
{
    (void)state;
    weft_engine *e = engine_pooling(1);
    weft_module *m = compile_pool_module(e, 2, 8);
    weft_instance *a = must_instantiate(m, NULL), *b = must_instantiate(m, NULL);
    assert_int_equal(weft_memory_grow(weft_instance_memory(a), 3), 2);
    assert_int_equal(weft_engine_memory_pages(e), 7);
    weft_instance_delete(a);
    assert_int_equal(weft_engine_memory_pages(e), 2);
    weft_instance *c = must_instantiate(m, NULL); /* a's reservation */
    assert_int_equal(weft_engine_memory_pages(e), 4);
    weft_instance_delete(b);
    weft_instance_delete(c);
    assert_int_equal(weft_engine_memory_pages(e), 0);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* Pooled mappings are counted while the engine keeps them and unmapped
 * when it is deleted (the count is back at its baseline); the pool holds
 * at most MAP_POOL_SLOTS of each kind; a host-made memory and an engine
 * with pooling off add nothing to it. */
static void test_pool_bounded_and_freed(void **state)
{
    (void)state;
    int64_t before = pooled_mappings();
    weft_engine *e = engine_pooling(1);
    weft_module *m = compile_pool_module(e, 1, 2);
    enum { N = MAP_POOL_SLOTS + 3 };
    weft_instance *insts[N];
    weft_trap_code code;
    for (int i = 0; i < N; i++) {
        insts[i] = must_instantiate(m, NULL);
        call_i32(insts[i], "depth", 1, &code); /* gives it its stacks */
        assert_int_equal(code, WEFT_TRAP_NONE);
    }
    for (int i = 0; i < N; i++)
        weft_instance_delete(insts[i]);
    assert_int_equal(pooled_mappings() - before, 2 * MAP_POOL_SLOTS); /* memories + stacks */

    /* A host memory may take a pooled reservation, but is not pooled itself:
     * its host may well keep its pointer. */
    weft_memory *hm = weft_memory_new(e, 1, 2);
    assert_true(all_zero(weft_memory_data(hm), weft_memory_size(hm)));
    weft_memory_delete(hm);
    assert_int_equal(pooled_mappings() - before, 2 * MAP_POOL_SLOTS - 1);
    weft_module_delete(m);
    weft_engine_delete(e);
    assert_int_equal(pooled_mappings(), before);

    e = engine_pooling(0);
    m = compile_pool_module(e, 1, 2);
    weft_instance *a = must_instantiate(m, NULL);
    call_i32(a, "depth", 1, &code);
    weft_instance_delete(a);
    assert_int_equal(pooled_mappings(), before);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* Freed memories are kept resident (zeroed by memset) only up to the
 * pool's budget of 32 MiB: of eight 5 MiB memories, the first six; the
 * others were given back to the kernel (MADV_DONTNEED). */
static void test_pool_resident_budget(void **state)
{
    (void)state;
    weft_engine *e = engine_pooling(1);
    weft_module *m = compile_pool_module(e, 80, 80);
    enum { N = 8 };
    weft_instance *insts[N];
    uint8_t *bases[N];
    for (int i = 0; i < N; i++) {
        insts[i] = must_instantiate(m, NULL);
        bases[i] = weft_memory_data(weft_instance_memory(insts[i]));
        memset(bases[i], 0x77, 80 * WASM_PAGE_SIZE);
    }
    for (int i = 0; i < N; i++)
        weft_instance_delete(insts[i]);
    int kept_resident = 0;
    for (int i = 0; i < N; i++)
        kept_resident += resident(bases[i]);
    assert_int_equal(kept_resident, 6);
    /* Taking them back frees the budget: all eight again, then freed. */
    for (int i = 0; i < N; i++) {
        insts[i] = must_instantiate(m, NULL);
        assert_true(all_zero(weft_memory_data(weft_instance_memory(insts[i])), 80 * WASM_PAGE_SIZE));
    }
    for (int i = 0; i < N; i++)
        weft_instance_delete(insts[i]);
    kept_resident = 0;
    for (int i = 0; i < N; i++)
        kept_resident += resident(bases[i]);
    assert_int_equal(kept_resident, 6);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* ------------------------------------------------------------ stacks */

/* A reused stack serves a deep recursion (beyond the part kept resident)
 * and then shallow calls of a new instance, with results as fresh. */
static void test_reused_stack(void **state)
{
    (void)state;
    weft_engine *e = engine_pooling(1);
    weft_module *m = compile_pool_module(e, 1, 1);
    weft_trap_code code;
    weft_instance *a = must_instantiate(m, NULL);
    assert_int_equal(call_i32(a, "depth", 50000, &code), 50000);
    assert_int_equal(code, WEFT_TRAP_NONE);
    uint64_t *stack = a->ex.stack;
    uint8_t *beyond_kept = (uint8_t *)stack + ((size_t)64 << 10); /* STACK_KEEP_BYTES */
    assert_true(resident(beyond_kept));
    weft_instance_delete(a);
    assert_false(resident(beyond_kept)); /* pooled without the deep pages */

    weft_instance *b = must_instantiate(m, NULL);
    assert_int_equal(call_i32(b, "depth", 3, &code), 3);
    assert_ptr_equal(b->ex.stack, stack);
    assert_int_equal(call_i32(b, "depth", 50000, &code), 50000);
    assert_int_equal(code, WEFT_TRAP_NONE);
    weft_instance_delete(b);
    weft_module_delete(m);
    weft_engine_delete(e);
}

/* ------------------------------------------------------------ threads */

enum { THREADS = 4, ROUNDS = 300 };

typedef struct worker {
    weft_module *m;
    int id;
    bool ok;
} worker;

/* Instantiates and frees over and over; every new memory must be zero
 * although the other threads' instances write their own marks. */
static void *churn(void *arg)
{
    worker *w = arg;
    w->ok = true;
    for (int r = 0; r < ROUNDS && w->ok; r++) {
        weft_instance *inst = NULL;
        weft_trap *trap = NULL;
        weft_error *err = weft_instance_new(w->m, NULL, &inst, &trap);
        if (err || trap) {
            weft_error_delete(err);
            weft_trap_delete(trap);
            w->ok = false;
            break;
        }
        weft_memory *mem = weft_instance_memory(inst);
        if (weft_memory_grow(mem, (uint32_t)(r % 3)) < 0)
            w->ok = false;
        uint8_t *p = weft_memory_data(mem);
        if (!all_zero(p, weft_memory_size(mem)))
            w->ok = false;
        memset(p, 0x10 + w->id, weft_memory_size(mem));
        weft_trap_code code;
        if (call_i32(inst, "load", 7, &code) != 0x10 + w->id || code != WEFT_TRAP_NONE)
            w->ok = false;
        weft_instance_delete(inst);
    }
    return NULL;
}

static void test_concurrent_instantiate(void **state)
{
    (void)state;
    weft_engine *e = engine_pooling(1);
    weft_module *m = compile_pool_module(e, 1, 4);
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.m = m, .id = i};
        assert_int_equal(pthread_create(&threads[i], NULL, churn, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        assert_true(workers[i].ok);
    }
    assert_int_equal(weft_engine_memory_pages(e), 0);
    weft_module_delete(m);
    weft_engine_delete(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reused_memory_reads_zero),
        cmocka_unit_test(test_reused_memory_size_and_bounds),
        cmocka_unit_test(test_page_counter),
        cmocka_unit_test(test_pool_bounded_and_freed),
        cmocka_unit_test(test_pool_resident_budget),
        cmocka_unit_test(test_reused_stack),
        cmocka_unit_test(test_concurrent_instantiate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
