/* test_link.c — linking (instance.c): imports resolved by module/name with
 * type matching for every extern kind, limits subtyping, the errors' text,
 * and host functions seeing their caller. The guest is fixtures/link.wat:
 *   env.f (func (param i32) (result i32)), env.mem (memory 2 4),
 *   env.tab (table 1 funcref), env.g (global (mut i64)). */
#include "api_helpers.h"

FIXTURE_GROUP("link.wasm")

/* env.f: doubles its argument, or traps "boom" on 13; byte 0 of the
 * caller's memory is added, to show the caller is reachable. */
static weft_trap *host_f(void *env, weft_caller *caller, const weft_val *args, weft_val *results)
{
    (void)env;
    if (args[0].of.i32 == 13)
        return weft_trap_new("boom");
    weft_memory *mem = weft_caller_memory(caller);
    assert_non_null(mem);
    results[0] = val_i32(args[0].of.i32 * 2 + weft_memory_data(mem)[0]);
    return NULL;
}

static weft_functype *functype(size_t np, const weft_valkind *p, size_t nr,
                               const weft_valkind *r)
{
    return weft_functype_new(np, p, nr, r);
}

/* The externs one test offers; any may be replaced before instantiating. */
typedef struct offer {
    weft_func *f;
    weft_memory *mem;
    weft_table *tab;
    weft_global *g;
} offer;

static offer good_offer(void)
{
    const weft_valkind i32 = WEFT_I32;
    weft_functype *t = functype(1, &i32, 1, &i32);
    weft_val g0 = val_i64(7);
    offer o = {
        weft_func_new(g_engine, t, host_f, NULL, NULL),
        weft_memory_new(g_engine, 2, 4),
        weft_table_new(g_engine, WEFT_FUNCREF, 1, UINT32_MAX, NULL),
        weft_global_new(g_engine, &g0, WEFT_VAR),
    };
    weft_functype_delete(t);
    return o;
}

static void offer_free(offer *o)
{
    weft_func_delete(o->f);
    weft_memory_delete(o->mem);
    weft_table_delete(o->tab);
    weft_global_delete(o->g);
}

static weft_imports *imports_of(const offer *o)
{
    weft_imports *im = weft_imports_new();
    if (o->f)
        weft_imports_add_func(im, "env", "f", o->f);
    if (o->mem)
        weft_imports_add_memory(im, "env", "mem", o->mem);
    if (o->tab)
        weft_imports_add_table(im, "env", "tab", o->tab);
    if (o->g)
        weft_imports_add_global(im, "env", "g", o->g);
    return im;
}

/* Instantiating with `o` fails with a link error containing each of
 * `needles` (NULL-terminated). */
static void expect_link_error(const offer *o, const char *const *needles)
{
    weft_imports *im = imports_of(o);
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    weft_error *err = weft_instance_new(g_module, im, &inst, &trap);
    weft_imports_delete(im);
    assert_null(inst);
    assert_null(trap);
    assert_non_null(err);
    assert_int_equal(weft_error_kind_of(err), WEFT_ERROR_LINK);
    for (; *needles; needles++)
        assert_contains(weft_error_message(err), *needles);
    weft_error_delete(err);
}

static void test_all_imports_satisfied(void **state)
{
    (void)state;
    offer o = good_offer();
    weft_memory_data(o.mem)[0] = 1;
    weft_imports *im = imports_of(&o);
    weft_instance *inst = must_instantiate(g_module, im);
    weft_imports_delete(im);

    weft_val arg = val_i32(20), result;
    assert_null(weft_func_call(weft_instance_export_func(inst, "call_f"), &arg, 1, &result, 1));
    assert_int_equal(result.of.i32, 41);
    assert_null(weft_func_call(weft_instance_export_func(inst, "get_g"), NULL, 0, &result, 1));
    assert_int_equal(result.of.i64, 7);

    /* A trap from the host function carries its message. */
    arg = val_i32(13);
    weft_trap *t = weft_func_call(weft_instance_export_func(inst, "call_f"), &arg, 1, &result, 1);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_HOST);
    assert_string_equal(weft_trap_message(t), "boom");
    weft_trap_delete(t);

    weft_instance_delete(inst);
    offer_free(&o);
}

static void test_unknown_imports(void **state)
{
    (void)state;
    struct {
        size_t drop; /* which extern to leave out */
        const char *needles[3];
    } cases[] = {
        {0, {"unknown import", "\"env\" \"f\"", "func [i32] -> [i32]"}},
        {1, {"unknown import", "\"env\" \"mem\"", "memory {min 2, max 4}"}},
        {2, {"unknown import", "\"env\" \"tab\"", "table funcref {min 1}"}},
        {3, {"unknown import", "\"env\" \"g\"", "global (mut i64)"}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        offer o = good_offer();
        offer partial = o;
        void **slot[] = {(void **)&partial.f, (void **)&partial.mem, (void **)&partial.tab,
                         (void **)&partial.g};
        *slot[cases[i].drop] = NULL;
        const char *needles[] = {cases[i].needles[0], cases[i].needles[1], cases[i].needles[2],
                                 NULL};
        expect_link_error(&partial, needles);
        offer_free(&o);
    }
}

static void test_incompatible_imports(void **state)
{
    (void)state;
    const weft_valkind i32 = WEFT_I32, i64 = WEFT_I64;
    weft_val gi32;
    memset(&gi32, 0, sizeof gi32);
    gi32.kind = WEFT_I32;
    weft_val gi64 = val_i64(0);
    enum { F, MEM, TAB, G };
    struct {
        const char *name;
        int which;
        const char *needle;
    } cases[] = {
        {"function of another type", F, "expected func [i32] -> [i32], got func [i64] -> [i32]"},
        {"memory below the minimum", MEM, "expected memory {min 2, max 4}, got memory {min 1"},
        {"memory without a maximum", MEM, "got memory {min 2}"},
        {"memory above the maximum", MEM, "got memory {min 2, max 5}"},
        {"table of externref", TAB, "got table externref {min 1}"},
        {"immutable global", G, "expected global (mut i64), got global i64"},
        {"global of another type", G, "got global (mut i32)"},
        {"a global offered for a function", F, "got global (mut i64)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        offer o = good_offer();
        offer bad = o;
        weft_functype *t = functype(1, &i64, 1, &i32);
        weft_func *f = weft_func_new(g_engine, t, host_f, NULL, NULL);
        weft_functype_delete(t);
        weft_memory *mem = NULL;
        weft_table *tab = NULL;
        weft_global *g = NULL;
        weft_imports *im = NULL;
        switch (i) {
        case 0: bad.f = f; break;
        case 1: bad.mem = mem = weft_memory_new(g_engine, 1, 4); break;
        case 2: bad.mem = mem = weft_memory_new(g_engine, 2, UINT32_MAX); break;
        case 3: bad.mem = mem = weft_memory_new(g_engine, 2, 5); break;
        case 4: bad.tab = tab = weft_table_new(g_engine, WEFT_EXTERNREF, 1, UINT32_MAX, NULL); break;
        case 5: bad.g = g = weft_global_new(g_engine, &gi64, WEFT_CONST); break;
        case 6: bad.g = g = weft_global_new(g_engine, &gi32, WEFT_VAR); break;
        case 7:
            /* offer env.g's global under env.f as well */
            bad.f = NULL;
            im = imports_of(&bad);
            weft_imports_add_global(im, "env", "f", o.g);
            break;
        }
        if (im) {
            weft_instance *inst = NULL;
            weft_trap *trap = NULL;
            weft_error *err = weft_instance_new(g_module, im, &inst, &trap);
            weft_imports_delete(im);
            assert_non_null(err);
            assert_contains(weft_error_message(err), cases[i].needle);
            weft_error_delete(err);
        } else {
            const char *needles[] = {"incompatible import type", cases[i].needle, NULL};
            expect_link_error(&bad, needles);
        }
        weft_func_delete(f);
        weft_memory_delete(mem);
        weft_table_delete(tab);
        weft_global_delete(g);
        offer_free(&o);
    }
}

/* Limits subtyping: a memory of 3 pages with maximum 3 fits (min 2, max 4). */
static void test_limits_subtyping(void **state)
{
    (void)state;
    offer o = good_offer();
    weft_memory *narrow = weft_memory_new(g_engine, 3, 3);
    offer sub = o;
    sub.mem = narrow;
    weft_imports *im = imports_of(&sub);
    weft_instance *inst = must_instantiate(g_module, im);
    weft_imports_delete(im);
    weft_instance_delete(inst);
    weft_memory_delete(narrow);
    offer_free(&o);
}

/* weft_imports_add_instance offers every export of an instance; the imported
 * memory is shared, not copied. */
static void test_import_from_instance(void **state)
{
    (void)state;
    offer o = good_offer();
    weft_imports *im = imports_of(&o);
    weft_instance *first = must_instantiate(g_module, im);
    weft_imports_delete(im);

    /* A second module importing "first"'s export call_f as env.f. */
    wbuf mod = wb_module();
    wbuf sec = {0};
    WB_BYTES(&sec, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F);
    wb_section(&mod, 1, &sec);
    wb_u32(&sec, 1);
    wb_name(&sec, "first");
    wb_name(&sec, "call_f");
    WB_BYTES(&sec, 0x00, 0x00);
    wb_section(&mod, 2, &sec);
    wb_u32(&sec, 1);
    wb_name(&sec, "g");
    WB_BYTES(&sec, 0x00, 0x00); /* re-export the import */
    wb_section(&mod, 7, &sec);
    weft_module *m2 = must_compile(g_engine, &mod);
    weft_imports *im2 = weft_imports_new();
    weft_imports_add_instance(im2, "first", first);
    weft_instance *second = must_instantiate(m2, im2);
    weft_imports_delete(im2);

    weft_memory_data(o.mem)[0] = 5;
    weft_val arg = val_i32(1), result;
    assert_null(weft_func_call(weft_instance_export_func(second, "g"), &arg, 1, &result, 1));
    assert_int_equal(result.of.i32, 7);

    /* `second` keeps `first` alive after the caller's reference goes. */
    weft_instance_delete(first);
    assert_null(weft_func_call(weft_instance_export_func(second, "g"), &arg, 1, &result, 1));
    assert_int_equal(result.of.i32, 7);
    weft_instance_delete(second);
    weft_module_delete(m2);
    offer_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_imports_satisfied),
        cmocka_unit_test(test_unknown_imports),
        cmocka_unit_test(test_incompatible_imports),
        cmocka_unit_test(test_limits_subtyping),
        cmocka_unit_test(test_import_from_instance),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
