/* test_call_graph.c — call_graph_finish: what direct calls make of a
 * function (reaches_host, brief), on call graphs made by hand. (From
 * compiled and cached code: test_bounded.c, test_may_reach_host and
 * test_brief_functions.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "call_graph.h"

enum { N = 12 };

/* A function as the compiler leaves it: its own calls out (reaches_host),
 * brief but for its direct calls, and its length. */
static cfunc own(bool calls_out, bool brief, uint32_t words)
{
    cfunc cf;
    memset(&cf, 0, sizeof cf);
    cf.reaches_host = calls_out;
    cf.makes_calls = calls_out;
    cf.brief = brief;
    cf.words = words;
    return cf;
}

static void calls(call_graph *g, cfunc *cfuncs, uint32_t caller, uint32_t callee)
{
    cfuncs[caller].makes_calls = true;
    call_graph_add(g, caller, callee);
}

static void test_reach_follows_direct_calls(void **state)
{
    (void)state;
    cfunc f[N];
    for (int i = 0; i < N; i++)
        f[i] = own(false, true, 10);
    f[2] = own(true, false, 10); /* calls an import */
    call_graph g = {0};
    calls(&g, f, 0, 1); /* 0 -> 1 -> 2: both reach it */
    calls(&g, f, 1, 2);
    calls(&g, f, 3, 4); /* 3 -> 4: neither */
    calls(&g, f, 5, 6); /* 5 <-> 6: a cycle that reaches none */
    calls(&g, f, 6, 5);
    calls(&g, f, 7, 8); /* 7 <-> 8 -> 2: a cycle that reaches one */
    calls(&g, f, 8, 7);
    calls(&g, f, 8, 2);
    call_graph_finish(&g, f, N);
    assert_null(g.edges);
    const bool reach[N] = {true, true, true, false, false, false, false, true, true};
    for (int i = 0; i < N; i++)
        if (f[i].reaches_host != reach[i])
            fail_msg("function %d: reaches_host %d, want %d", i, f[i].reaches_host, reach[i]);
    /* Brief: 3 and 4 (4's cost added to 3's); not the cycles, nor what
     * calls out or calls what does. */
    const bool brief[N] = {false, false, false, true, true, false, false, false, false,
                           true,  true,  true};
    for (int i = 0; i < N; i++)
        if (f[i].brief != brief[i])
            fail_msg("function %d: brief %d, want %d", i, f[i].brief, brief[i]);
}

/* A call site adds its callee's cost: the code a function may run is its
 * own and, per call site, its callee's, at most BRIEF_MAX_WORDS. */
static void test_brief_counts_each_call_site(void **state)
{
    (void)state;
    cfunc f[N];
    for (int i = 0; i < N; i++)
        f[i] = own(false, true, 100);
    f[0].words = 400;
    call_graph g = {0};
    for (int k = 0; k < 2; k++) /* 1: 100 + 2 * 400 = 900 */
        calls(&g, f, 1, 0);
    for (int k = 0; k < 3; k++) /* 2: 100 + 3 * 400 = 1300 */
        calls(&g, f, 2, 0);
    calls(&g, f, 3, 1); /* 3: 100 + 900 = 1000 */
    calls(&g, f, 4, 3); /* 4: 100 + 1000 = 1100 */
    f[5].brief = false; /* 5: a loop, say */
    calls(&g, f, 6, 5); /* 6: calls 5 */
    calls(&g, f, 7, 6);
    call_graph_finish(&g, f, N);
    assert_int_equal(BRIEF_MAX_WORDS, 1024);
    const bool brief[N] = {true, true, false, true, false, false, false, false,
                           true, true, true,  true};
    for (int i = 0; i < N; i++) {
        if (f[i].brief != brief[i])
            fail_msg("function %d: brief %d, want %d", i, f[i].brief, brief[i]);
        assert_false(f[i].reaches_host);
    }
}

/* Out of memory noting a call: every function with a call may reach a host
 * function, and none is brief. */
static void test_incomplete_graph_errs_safe(void **state)
{
    (void)state;
    cfunc f[3] = {own(false, true, 10), own(false, true, 10), own(false, true, 10)};
    call_graph g = {0};
    calls(&g, f, 0, 1);
    g.incomplete = true;
    call_graph_finish(&g, f, 3);
    assert_true(f[0].reaches_host);
    assert_false(f[0].brief);
    assert_false(f[1].reaches_host);
    assert_true(f[1].brief);
    assert_true(f[2].brief);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reach_follows_direct_calls),
        cmocka_unit_test(test_brief_counts_each_call_site),
        cmocka_unit_test(test_incomplete_graph_errs_safe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
