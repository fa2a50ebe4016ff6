/* test_bounded.c — bounded calls (weft_call_start_bounded / _resume_bounded):
 * they stop with WEFT_CALL_SLICE before a native host call (plain and tail),
 * before a bulk operation over 1 MiB (memory, or 2^17 table elements), and
 * in a loop that runs on (br or br_table back-edge; the slice
 * watchdog); a stopped call continues unbounded to the right result, even
 * one stopped at a back-edge that writes its counter; yields
 * and interrupts work as in unbounded calls, and through weft_call_block_run,
 * which can also run them in place (host_call), and weft_call_block_start;
 * and instances deleted while the
 * watchdog runs are never touched after (ASan). The guest is
 * fixtures/bounded.wat. */
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>

#include "api_helpers.h"
#include "runtime.h"

FIXTURE_GROUP("bounded.wasm")

static _Atomic int g_native_calls;

/* env.native(x) = 10x, a plain (non-yielding) host function. */
static weft_trap *native(void *env, weft_caller *caller, uint64_t *slots)
{
    (void)env;
    (void)caller;
    g_native_calls++;
    slots[0] = (uint32_t)(10 * (int32_t)slots[0]);
    return NULL;
}

/* env.yielding's fallback, for calls that cannot yield: never used here. */
static weft_trap *yielding_sync(void *env, weft_caller *caller, uint64_t *slots)
{
    (void)env;
    (void)caller;
    (void)slots;
    return weft_trap_new("the yielding function ran synchronously");
}

typedef struct fixture {
    weft_func *native, *yielding;
    weft_instance *inst;
} fixture;

static fixture make_from(weft_module *m)
{
    const weft_valkind i32 = WEFT_I32;
    weft_functype *t = weft_functype_new(1, &i32, 1, &i32);
    fixture fx;
    fx.native = weft_func_new_unchecked(g_engine, t, native, NULL, NULL);
    fx.yielding = weft_func_new_yielding(g_engine, t, yielding_sync, NULL, NULL);
    weft_functype_delete(t);
    weft_imports *im = weft_imports_new();
    weft_imports_add_func(im, "env", "native", fx.native);
    weft_imports_add_func(im, "env", "yielding", fx.yielding);
    fx.inst = must_instantiate(m, im);
    weft_imports_delete(im);
    return fx;
}

static fixture make(void) { return make_from(g_module); }

static void destroy(fixture *fx)
{
    weft_instance_delete(fx->inst);
    weft_func_delete(fx->native);
    weft_func_delete(fx->yielding);
}

/* What a call returned, with its out-parameters. */
typedef struct outcome {
    int r;
    void *env, *data;
    uint64_t *hs;
    weft_trap *trap;
} outcome;

static outcome start_bounded(weft_func *f, uint64_t *slots)
{
    outcome o = {0};
    o.r = weft_call_start_bounded(f, slots, &o.env, &o.hs, &o.data, &o.trap);
    return o;
}

static outcome resume(weft_func *f, weft_trap *host_trap, uint64_t *slots)
{
    outcome o = {0};
    o.r = weft_call_resume(f, host_trap, slots, &o.env, &o.hs, &o.data, &o.trap);
    return o;
}

static void test_native_call_stops_first(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *f = weft_instance_export_func(fx.inst, "call_native");
    g_native_calls = 0;
    uint64_t slots[1] = {5};
    outcome o = start_bounded(f, slots);
    assert_int_equal(o.r, WEFT_CALL_SLICE);
    assert_int_equal(g_native_calls, 0); /* stopped before the call */
    o = resume(f, NULL, slots);
    assert_int_equal(o.r, WEFT_CALL_DONE);
    assert_null(o.trap);
    assert_int_equal(g_native_calls, 1);
    assert_int_equal(slots[0], 51);
    destroy(&fx);
}

static void test_native_tail_call_stops_first(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *f = weft_instance_export_func(fx.inst, "tail_native");
    g_native_calls = 0;
    uint64_t slots[1] = {5};
    outcome o = start_bounded(f, slots);
    assert_int_equal(o.r, WEFT_CALL_SLICE);
    assert_int_equal(g_native_calls, 0);
    o = resume(f, NULL, slots);
    assert_int_equal(o.r, WEFT_CALL_DONE);
    assert_int_equal(g_native_calls, 1);
    assert_int_equal(slots[0], 70); /* native(5 + 2): the operands survived */
    destroy(&fx);
}

static void test_large_fill_stops_first(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *f = weft_instance_export_func(fx.inst, "fill");
    uint8_t *mem = weft_memory_data(weft_instance_export_memory(fx.inst, "memory"));

    uint64_t at_bound[2] = {1u << 20, 3}; /* exactly 1 MiB: runs bounded */
    outcome o = start_bounded(f, at_bound);
    assert_int_equal(o.r, WEFT_CALL_DONE);
    assert_int_equal(at_bound[0], 3);

    uint64_t past[2] = {(1u << 20) + 1, 7};
    o = start_bounded(f, past);
    assert_int_equal(o.r, WEFT_CALL_SLICE);
    assert_int_equal(mem[0], 3); /* not filled yet */
    o = resume(f, NULL, past);
    assert_int_equal(o.r, WEFT_CALL_DONE);
    assert_int_equal(past[0], 7);
    assert_int_equal(mem[1u << 20], 7);
    destroy(&fx);
}

/* table.fill, .copy and .grow of 2^17 elements (1 MiB of references) run
 * bounded; one more stops the run before the operation, and the resumed,
 * unbounded run does it. */
static void test_large_table_ops_stop_first(void **state)
{
    (void)state;
    enum { AT_BOUND = 1 << 17 };
    static const char *const ops[] = {"table_fill", "table_copy", "table_grow"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        fixture fx = make();
        weft_func *f = weft_instance_export_func(fx.inst, ops[i]);
        weft_table *t = weft_instance_export_table(fx.inst, "table");
        uint64_t at_bound[1] = {AT_BOUND};
        outcome o = start_bounded(f, at_bound);
        assert_int_equal(o.r, WEFT_CALL_DONE);
        if (i < 2)
            assert_int_equal(at_bound[0], 0);
        uint64_t past[1] = {AT_BOUND + 1};
        uint32_t size = weft_table_size(t);
        o = start_bounded(f, past);
        assert_int_equal(o.r, WEFT_CALL_SLICE);
        assert_int_equal(weft_table_size(t), size); /* a grow did not happen yet */
        o = resume(f, NULL, past);
        assert_int_equal(o.r, WEFT_CALL_DONE);
        assert_null(o.trap);
        if (i < 2)
            assert_int_equal(past[0], 0); /* element n-1 is set */
        else
            assert_int_equal(weft_table_size(t), size + AT_BOUND + 1);
        destroy(&fx);
    }
}

/* Starts fx's endless loop `name` bounded: the watchdog slices it; it
 * continues unbounded, and an interrupt ends it at its next check. (The
 * caller finishes only if both stop it.) */
static void expect_sliced_then_interrupted(fixture *fx, const char *name)
{
    weft_func *f = weft_instance_export_func(fx->inst, name);
    uint64_t slots[1] = {0};
    outcome o = start_bounded(f, slots);
    assert_int_equal(o.r, WEFT_CALL_SLICE);
    weft_interrupt(weft_instance_interrupt_handle(fx->inst));
    o = resume(f, NULL, slots);
    assert_int_equal(o.r, WEFT_CALL_TRAP);
    assert_int_equal(weft_trap_code_of(o.trap), WEFT_TRAP_INTERRUPTED);
    weft_trap_delete(o.trap);
}

/* The loop never ends: the test finishes only if the watchdog stops it. */
static void test_endless_loop_is_sliced(void **state)
{
    (void)state;
    fixture fx = make();
    expect_sliced_then_interrupted(&fx, "spin");
    weft_func *f = weft_instance_export_func(fx.inst, "spin");
    uint64_t slots[1] = {0};

    /* A trap given at the resume of a slice ends the call there. */
    outcome o = start_bounded(f, slots);
    assert_int_equal(o.r, WEFT_CALL_SLICE);
    o = resume(f, weft_trap_new_exit(3), slots);
    assert_int_equal(o.r, WEFT_CALL_TRAP);
    assert_int_equal(weft_trap_exit_code(o.trap), 3);
    weft_trap_delete(o.trap);

    /* The instance is usable after both. */
    weft_func *twice = weft_instance_export_func(fx.inst, "twice");
    slots[0] = 21;
    assert_int_equal(start_bounded(twice, slots).r, WEFT_CALL_DONE);
    assert_int_equal(slots[0], 42);
    destroy(&fx);
}

/* A loop whose back-edge is a br_table is sliced and interrupted too
 * (br_table itself does not poll: its entries to a loop go through br_bk). */
static void test_br_table_loop_is_sliced(void **state)
{
    (void)state;
    fixture fx = make();
    expect_sliced_then_interrupted(&fx, "spin_table");
    destroy(&fx);
}

/* So is a Go-shaped loop whose jumps skip the br_table (compile_dispatch.c). */
static void test_dispatch_loop_is_sliced(void **state)
{
    (void)state;
    fixture fx = make();
    expect_sliced_then_interrupted(&fx, "spin_dispatch");
    destroy(&fx);
}

/* A slice at a loop's back-edge must not repeat what the branch did: count
 * increments its counter in the branch itself (br_inc_lt_u_bk). Calls are
 * made until one is sliced (a slice needs the watchdog to run in time, so
 * one call alone could finish first on a loaded machine); every one must
 * count exactly. */
static void test_sliced_loop_counts_exactly(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *f = weft_instance_export_func(fx.inst, "count");
    const uint32_t n = 20 * 1000 * 1000;
    int sliced = 0;
    for (int attempt = 0; attempt < 50 && sliced < 3; attempt++) {
        uint64_t slots[1] = {n};
        outcome o = start_bounded(f, slots);
        if (o.r == WEFT_CALL_SLICE) {
            sliced++;
            o = resume(f, NULL, slots);
        }
        assert_int_equal(o.r, WEFT_CALL_DONE);
        assert_int_equal(slots[0], n);
    }
    assert_true(sliced > 0);
    destroy(&fx);
}

static void test_interrupt_traps_bounded_run(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *f = weft_instance_export_func(fx.inst, "spin");
    weft_interrupt(weft_instance_interrupt_handle(fx.inst)); /* sticky */
    uint64_t slots[1] = {0};
    outcome o = start_bounded(f, slots);
    assert_int_equal(o.r, WEFT_CALL_TRAP);
    assert_int_equal(weft_trap_code_of(o.trap), WEFT_TRAP_INTERRUPTED);
    weft_trap_delete(o.trap);
    destroy(&fx);
}

static void test_yield_in_bounded_run(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *f = weft_instance_export_func(fx.inst, "call_yielding");
    uint64_t slots[1] = {4};
    outcome o = start_bounded(f, slots);
    assert_int_equal(o.r, WEFT_CALL_HOST);
    o.hs[0] = (uint32_t)o.hs[0] + 1; /* the embedder runs yielding(x) = x + 1 */
    o.r = weft_call_resume_bounded(f, NULL, slots, &o.env, &o.hs, &o.data, &o.trap);
    assert_int_equal(o.r, WEFT_CALL_DONE);
    assert_int_equal(slots[0], 10);
    destroy(&fx);
}

/* The same yield through weft_call_block_run: a start that yields with the
 * host function's env and arguments, a resume with slots NULL whose results
 * stay in the engine (at host_slots), and a resume with a host trap. */
static void test_call_block(void **state)
{
    (void)state;
    fixture fx = make();
    weft_func *f = weft_instance_export_func(fx.inst, "call_yielding");
    uint64_t slots[1] = {4};
    weft_call_block b = {.fn = f, .slots = slots};
    assert_int_equal(weft_call_block_run(&b), WEFT_CALL_HOST);
    assert_ptr_equal(b.host_env, weft_func_host_env(fx.yielding));
    assert_int_equal((uint32_t)b.host_slots[0], 4);
    b.host_slots[0] = (uint32_t)b.host_slots[0] + 1;
    b.resume = 1;
    b.slots = NULL;
    assert_int_equal(weft_call_block_run(&b), WEFT_CALL_DONE);
    assert_null(b.trap);
    assert_int_equal((uint32_t)b.host_slots[0], 10);

    weft_call_block t = {.fn = f, .slots = slots};
    slots[0] = 4;
    assert_int_equal(weft_call_block_run(&t), WEFT_CALL_HOST);
    t.resume = 1;
    t.host_trap = weft_trap_new("refused");
    assert_int_equal(weft_call_block_run(&t), WEFT_CALL_TRAP);
    assert_string_equal(weft_trap_message(t.trap), "refused");
    weft_trap_delete(t.trap);
    destroy(&fx);
}

/* Whether function `name` of fx's module is brief (no loop, call or bulk
 * operation: its bounded runs skip the watchdog), from its disassembly. */
static bool is_brief(fixture *fx, const char *name)
{
    uint8_t *text;
    size_t len;
    uint32_t fi = weft_func_index(weft_instance_export_func(fx->inst, name));
    assert_null(weft_module_disassemble(g_module, fi, &text, &len));
    char *eol = strchr((char *)text, '\n');
    bool brief = eol && eol - (char *)text > 7 && strncmp(eol - 7, ", brief", 7) == 0;
    weft_bytes_delete(text);
    return brief;
}

static void test_brief_functions(void **state)
{
    (void)state;
    fixture fx = make();
    assert_true(is_brief(&fx, "twice"));
    assert_false(is_brief(&fx, "spin"));       /* a loop */
    assert_false(is_brief(&fx, "spin_table")); /* a loop by br_table */
    assert_false(is_brief(&fx, "spin_dispatch"));
    assert_false(is_brief(&fx, "call_native"));
    assert_false(is_brief(&fx, "tail_native"));
    assert_false(is_brief(&fx, "fill"));       /* memory.fill */
    assert_false(is_brief(&fx, "table_grow"));
    assert_true(is_brief(&fx, "inside_deep"));  /* calls of brief functions */
    assert_true(is_brief(&fx, "inside_dead_call"));
    assert_false(is_brief(&fx, "inside_cycle")); /* recursion */
    assert_false(is_brief(&fx, "reach_deep"));   /* a host function, deep down */
    /* A brief start runs as any other: done, or trapped by an interrupt. */
    uint64_t slots[1] = {21};
    weft_call_block b = {.fn = weft_instance_export_func(fx.inst, "twice"), .slots = slots};
    assert_int_equal(weft_call_block_start(&b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 42);
    weft_interrupt_handle *h = weft_instance_interrupt_handle(fx.inst);
    weft_interrupt(h);
    assert_int_equal(weft_call_block_start(&b), WEFT_CALL_TRAP);
    assert_int_equal(weft_trap_code_of(b.trap), WEFT_TRAP_INTERRUPTED);
    weft_trap_delete(b.trap);
    weft_interrupt_clear(h);
    destroy(&fx);
}

/* Whether each export of fx may reach a host function is as its name says
 * (bounded.wat): the direct calls of the module's own functions are
 * followed, at any depth, through cycles and tail calls. */
static void expect_host_reach(fixture *fx)
{
    const char *reach[] = {"call_native",   "tail_native",    "call_yielding", "reach_deep",
                           "reach_by_tail", "reach_by_table", "reach_in_cycle"};
    const char *inside[] = {"twice", "spin", "fill", "inside_deep", "inside_cycle", "inside_dead_call"};
    for (size_t i = 0; i < sizeof reach / sizeof *reach; i++) {
        weft_func *f = weft_instance_export_func(fx->inst, reach[i]);
        assert_non_null(f);
        if (!weft_func_may_reach_host(f))
            fail_msg("%s: may reach a host function, but said not", reach[i]);
    }
    for (size_t i = 0; i < sizeof inside / sizeof *inside; i++) {
        weft_func *f = weft_instance_export_func(fx->inst, inside[i]);
        assert_non_null(f);
        if (weft_func_may_reach_host(f))
            fail_msg("%s: runs the module's own code only, but said to reach a host function",
                     inside[i]);
    }
    assert_true(weft_func_may_reach_host(fx->native));
}

/* weft_func_may_reach_host (and brief), as compiled and as loaded from the
 * code cache;
 * and a call that reaches none runs whole without a host call in place. */
static void test_may_reach_host(void **state)
{
    (void)state;
    fixture fx = make();
    expect_host_reach(&fx);
    uint64_t slots[1] = {5};
    weft_call_block b = {.fn = weft_instance_export_func(fx.inst, "inside_cycle"), .slots = slots};
    assert_int_equal(weft_call_block_start(&b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 0); /* 5 is odd */
    destroy(&fx);

    uint8_t *blob;
    size_t len;
    assert_null(weft_module_serialize(g_module, &blob, &len));
    wbuf wasm = load_fixture("bounded.wasm");
    weft_module *loaded;
    assert_null(weft_module_deserialize(g_engine, wasm.data, wasm.len, blob, len, &loaded));
    fx = make_from(loaded);
    expect_host_reach(&fx);
    destroy(&fx);
    /* Brief or not, and the rest of the disassembly's headers, alike. */
    weft_bytes_delete(assert_same_disassembly(loaded, g_module));
    weft_module_delete(loaded);
    weft_bytes_delete(blob);
    wb_free(&wasm);
}

/* weft_call_block_start, for starts whatever resume says: done with the
 * results in slots; a run that goes on long is sliced, and one that calls
 * a yielding host function yields, both resuming through
 * weft_call_block_run; an interrupt's trap, and a host function (not for
 * it), end in WEFT_CALL_TRAP with the trap set. (Host calls in place:
 * test_host_call_in_place.) */
static void test_call_block_start(void **state)
{
    (void)state;
    fixture fx = make();
    uint64_t slots[1] = {21};
    weft_call_block b = {.fn = weft_instance_export_func(fx.inst, "twice"), .slots = slots,
                         .resume = 1};
    assert_int_equal(weft_call_block_start(&b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 42);

    b = (weft_call_block){.fn = weft_instance_export_func(fx.inst, "call_yielding"),
                          .slots = slots};
    slots[0] = 4;
    assert_int_equal(weft_call_block_start(&b), WEFT_CALL_HOST);
    assert_ptr_equal(b.host_env, weft_func_host_env(fx.yielding));
    b.host_slots[0] = (uint32_t)b.host_slots[0] + 1;
    b.resume = 1;
    b.slots = NULL;
    assert_int_equal(weft_call_block_run(&b), WEFT_CALL_DONE);
    assert_int_equal((uint32_t)b.host_slots[0], 10);

    const uint32_t n = 20 * 1000 * 1000;
    int sliced = 0;
    b.fn = weft_instance_export_func(fx.inst, "count");
    for (int attempt = 0; attempt < 50 && sliced < 2; attempt++) {
        slots[0] = n;
        b.slots = slots;
        b.resume = 0;
        int r = weft_call_block_start(&b);
        if (r == WEFT_CALL_SLICE) {
            sliced++;
            b.resume = 1;
            r = weft_call_block_run(&b);
        }
        assert_int_equal(r, WEFT_CALL_DONE);
        assert_int_equal(slots[0], n);
    }
    assert_true(sliced > 0);

    weft_interrupt_handle *h = weft_instance_interrupt_handle(fx.inst);
    weft_interrupt(h);
    b = (weft_call_block){.fn = weft_instance_export_func(fx.inst, "spin"), .slots = slots};
    assert_int_equal(weft_call_block_start(&b), WEFT_CALL_TRAP);
    assert_int_equal(weft_trap_code_of(b.trap), WEFT_TRAP_INTERRUPTED);
    weft_trap_delete(b.trap);
    weft_interrupt_clear(h);

    b = (weft_call_block){.fn = fx.native, .slots = slots};
    assert_int_equal(weft_call_block_start(&b), WEFT_CALL_TRAP);
    assert_non_null(strstr(weft_trap_message(b.trap), "Wasm function"));
    weft_trap_delete(b.trap);
    destroy(&fx);
}

/* host_call for test_host_call_in_place: runs yielding(x) = x + 1 on the
 * block's host_slots; for x == 5, first calls call_yielding(1) (= 4) back
 * on the same instance, itself in place, and adds that; for x == 13, traps. */
typedef struct in_place {
    weft_call_block b;
    weft_func *f;
    int calls;
    jmp_buf *escape; /* for x == 7: the function never returns */
    uint32_t nested_x; /* what x == 5 calls call_yielding with: 1, or 7 */
} in_place;

static weft_trap *in_place_call(void *data)
{
    in_place *p = data;
    p->calls++;
    uint32_t x = (uint32_t)p->b.host_slots[0];
    if (x == 13)
        return weft_trap_new("thirteen");
    if (x == 7)
        longjmp(*p->escape, 1);
    uint32_t extra = 0;
    if (x == 5) {
        uint64_t *outer_slots = p->b.host_slots;
        uint64_t slots[1] = {p->nested_x ? p->nested_x : 1};
        weft_call_block nested = {.fn = p->f, .slots = slots,
                                  .host_call = in_place_call, .host_call_data = p};
        weft_call_block saved = p->b;
        p->b = nested; /* the callback reads p->b: the nested run's block */
        jmp_buf escape, *outer_escape = p->escape;
        p->escape = &escape;
        if (!setjmp(escape)) {
            assert_int_equal(weft_call_block_run(&p->b), WEFT_CALL_DONE);
            extra = (uint32_t)slots[0];
        } else { /* the nested run's host call escaped */
            weft_call_block_abandon(&p->b, NULL);
            extra = 100;
        }
        p->escape = outer_escape;
        p->b = saved;
        assert_ptr_equal(p->b.host_slots, outer_slots);
    }
    p->b.host_slots[0] = x + 1 + extra;
    return NULL;
}

/* With host_call, a yielding host function runs in place: the run ends
 * done, not at WEFT_CALL_HOST; the function may call back into Wasm; its
 * trap ends the run with that trap. */
static void test_host_call_in_place(void **state)
{
    (void)state;
    fixture fx = make();
    in_place p = {.f = weft_instance_export_func(fx.inst, "call_yielding")};
    uint64_t slots[1] = {4};
    p.b = (weft_call_block){.fn = p.f, .slots = slots, .host_call = in_place_call,
                            .host_call_data = &p};
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 10);
    assert_int_equal(p.calls, 1);

    slots[0] = 5; /* 2 * (5 + 1 + call_yielding(1)) */
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 20);
    assert_int_equal(p.calls, 3);

    slots[0] = 13;
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_TRAP);
    assert_string_equal(weft_trap_message(p.b.trap), "thirteen");
    weft_trap_delete(p.b.trap);

    slots[0] = 2; /* the instance is sound after the trap */
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 6);

    slots[0] = 5; /* the same through weft_call_block_start, nested call and all */
    assert_int_equal(weft_call_block_start(&p.b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 20);
    slots[0] = 13;
    assert_int_equal(weft_call_block_start(&p.b), WEFT_CALL_TRAP);
    assert_string_equal(weft_trap_message(p.b.trap), "thirteen");
    weft_trap_delete(p.b.trap);

    /* A start calls in place only for a function that may reach a host
     * function: one said not to (were call_graph.c wrong) yields instead. */
    cfunc *cf = (cfunc *)p.f->cf;
    cf->reaches_host = false;
    int calls = p.calls;
    slots[0] = 4;
    assert_int_equal(weft_call_block_start(&p.b), WEFT_CALL_HOST);
    assert_int_equal(p.calls, calls);
    p.b.host_slots[0] = (uint32_t)p.b.host_slots[0] + 1;
    p.b.resume = 1;
    p.b.slots = NULL;
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_DONE);
    assert_int_equal((uint32_t)p.b.host_slots[0], 10);
    cf->reaches_host = true;
    destroy(&fx);
}

/* A host_call that never returns (as a Go panic leaves the run's frames):
 * weft_call_block_abandon ends the run, at top level and nested in an
 * outer run's host call, and the instance goes on working. */
static void test_abandoned_block_run(void **state)
{
    (void)state;
    fixture fx = make();
    jmp_buf escape;
    in_place p = {.f = weft_instance_export_func(fx.inst, "call_yielding"), .escape = &escape};
    uint64_t slots[1] = {7};
    p.b = (weft_call_block){.fn = p.f, .slots = slots, .host_call = in_place_call,
                            .host_call_data = &p};
    if (!setjmp(escape)) {
        weft_call_block_run(&p.b);
        fail_msg("the host call returned");
    }
    weft_trap *t = weft_trap_new("abandoned");
    weft_call_block_abandon(&p.b, t);
    assert_true(weft_trap_frame_count(t) >= 1);
    weft_trap_delete(t);
    slots[0] = 4;
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 10);

    /* Nested: the outer run's host call (x = 5) calls call_yielding(7)
     * back, whose host call escapes; the outer host call goes on. */
    p.nested_x = 7;
    slots[0] = 5; /* 2 * (5 + 1 + 100) */
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 212);
    slots[0] = 4;
    assert_int_equal(weft_call_block_run(&p.b), WEFT_CALL_DONE);
    assert_int_equal(slots[0], 10);
    /* makes_calls: call_yielding calls; twice does not. */
    assert_true(weft_func_makes_calls(p.f));
    assert_false(weft_func_makes_calls(weft_instance_export_func(fx.inst, "twice")));
    assert_true(weft_func_makes_calls(fx.yielding));
    destroy(&fx);
}

static void test_host_function_refused(void **state)
{
    (void)state;
    fixture fx = make();
    g_native_calls = 0;
    uint64_t slots[1] = {1};
    outcome o = start_bounded(fx.native, slots);
    assert_int_equal(o.r, WEFT_CALL_TRAP);
    assert_int_equal(weft_trap_code_of(o.trap), WEFT_TRAP_BAD_ARGUMENTS);
    assert_int_equal(g_native_calls, 0);
    weft_trap_delete(o.trap);
    destroy(&fx);
}

/* Threads that each make instances, slice their endless loop, and delete
 * them, while the watchdog looks at their runs: under ASan, a watchdog
 * touching a deleted instance would be reported. */
static void *slice_and_delete(void *arg)
{
    (void)arg;
    for (int i = 0; i < 30; i++) {
        fixture fx = make();
        weft_func *f = weft_instance_export_func(fx.inst, "spin");
        uint64_t slots[1] = {0};
        outcome o = start_bounded(f, slots);
        if (o.r != WEFT_CALL_SLICE)
            return "spin did not slice";
        o = resume(f, weft_trap_new_exit(0), slots);
        if (o.r != WEFT_CALL_TRAP)
            return "the resume with a trap did not trap";
        weft_trap_delete(o.trap);
        weft_func *twice = weft_instance_export_func(fx.inst, "twice");
        slots[0] = 4;
        /* It may be sliced at once: with this thread held up long enough
         * in the resume above (4 threads on a loaded machine), the
         * watchdog's flag for that run can land as this one begins, which
         * costs it a slice (slice_watchdog.h), never its result. */
        o = start_bounded(twice, slots);
        if (o.r == WEFT_CALL_SLICE)
            o = resume(twice, NULL, slots);
        if (o.r != WEFT_CALL_DONE || slots[0] != 8)
            return "twice(4) != 8";
        destroy(&fx);
    }
    return NULL;
}

static void test_threads_slice_and_delete(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, slice_and_delete, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *err;
        pthread_join(t[i], &err);
        if (err) {
            print_error("%s\n", (const char *)err);
            fail();
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_native_call_stops_first),
        cmocka_unit_test(test_native_tail_call_stops_first),
        cmocka_unit_test(test_large_fill_stops_first),
        cmocka_unit_test(test_large_table_ops_stop_first),
        cmocka_unit_test(test_endless_loop_is_sliced),
        cmocka_unit_test(test_br_table_loop_is_sliced),
        cmocka_unit_test(test_dispatch_loop_is_sliced),
        cmocka_unit_test(test_sliced_loop_counts_exactly),
        cmocka_unit_test(test_interrupt_traps_bounded_run),
        cmocka_unit_test(test_yield_in_bounded_run),
        cmocka_unit_test(test_call_block),
        cmocka_unit_test(test_call_block_start),
        cmocka_unit_test(test_brief_functions),
        cmocka_unit_test(test_may_reach_host),
        cmocka_unit_test(test_host_call_in_place),
        cmocka_unit_test(test_abandoned_block_run),
        cmocka_unit_test(test_host_function_refused),
        cmocka_unit_test(test_threads_slice_and_delete),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
