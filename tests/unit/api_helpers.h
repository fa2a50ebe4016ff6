/* api_helpers.h — small helpers for unit tests that drive libweft through its
 * public API (compile, instantiate, call). Test-only: failures fail() the
 * running cmocka test. */
#ifndef WEFT_TEST_API_HELPERS_H
#define WEFT_TEST_API_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wasm_builder.h"
#include "weft.h"

static inline weft_engine *test_engine(void)
{
    weft_config *cfg = weft_config_new();
    weft_engine *e = weft_engine_new(cfg);
    weft_config_delete(cfg);
    assert_non_null(e);
    return e;
}

/* Compiles `mod` (and frees it); the test fails on an error. */
static inline weft_module *must_compile(weft_engine *e, wbuf *mod)
{
    weft_module *m = NULL;
    weft_error *err = weft_module_new(e, mod->data, mod->len, &m);
    if (err) {
        print_error("compile: %s\n", weft_error_message(err));
        weft_error_delete(err);
        wb_free(mod);
        fail();
    }
    wb_free(mod);
    return m;
}

/* Reads tests/unit/fixtures/NAME (built from NAME's .wat by build.sh). */
static inline wbuf load_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", WEFT_TEST_FIXTURES, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_error("cannot open fixture %s\n", path);
        fail();
    }
    wbuf b = {0};
    uint8_t chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        wb_raw(&b, chunk, n);
    fclose(f);
    return b;
}

static inline weft_module *compile_fixture(weft_engine *e, const char *name)
{
    wbuf b = load_fixture(name);
    return must_compile(e, &b);
}

/* A cmocka group's setup and teardown (pass them to cmocka_run_group_tests)
 * for tests that share one engine, g_engine... */
#define ENGINE_GROUP()                  \
    static weft_engine *g_engine;       \
    static int setup(void **state)      \
    {                                   \
        (void)state;                    \
        g_engine = test_engine();       \
        return 0;                       \
    }                                   \
    static int teardown(void **state)   \
    {                                   \
        (void)state;                    \
        weft_engine_delete(g_engine);   \
        return 0;                       \
    }

/* ...or one engine and one compiled fixture, g_module. */
#define FIXTURE_GROUP(fixture)                              \
    static weft_engine *g_engine;                           \
    static weft_module *g_module;                           \
    static int setup(void **state)                          \
    {                                                       \
        (void)state;                                        \
        g_engine = test_engine();                           \
        g_module = compile_fixture(g_engine, (fixture));    \
        return 0;                                           \
    }                                                       \
    static int teardown(void **state)                       \
    {                                                       \
        (void)state;                                        \
        weft_module_delete(g_module);                       \
        weft_engine_delete(g_engine);                       \
        return 0;                                           \
    }

/* Instantiates with `imports` (may be NULL); the test fails on error or trap. */
static inline weft_instance *must_instantiate(weft_module *m, const weft_imports *imports)
{
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    weft_error *err = weft_instance_new(m, imports, &inst, &trap);
    if (err) {
        print_error("instantiate: %s\n", weft_error_message(err));
        weft_error_delete(err);
        fail();
    }
    if (trap) {
        print_error("instantiate trapped: %s\n", weft_trap_message(trap));
        weft_trap_delete(trap);
        fail();
    }
    return inst;
}

static inline weft_val val_i32(int32_t v)
{
    weft_val x;
    memset(&x, 0, sizeof x);
    x.kind = WEFT_I32;
    x.of.i32 = v;
    return x;
}

static inline weft_val val_i64(int64_t v)
{
    weft_val x;
    memset(&x, 0, sizeof x);
    x.kind = WEFT_I64;
    x.of.i64 = v;
    return x;
}

/* Asserts that `haystack` contains `needle`, printing both if not. */
/* Asserts that a and b disassemble alike, every function with its header
 * (what the engine notes of it: brief, reaches host); returns a's text,
 * for weft_bytes_delete. */
static inline uint8_t *assert_same_disassembly(weft_module *a, weft_module *b)
{
    uint8_t *a_text, *b_text;
    size_t a_len, b_len;
    assert_null(weft_module_disassemble(a, UINT32_MAX, &a_text, &a_len));
    assert_null(weft_module_disassemble(b, UINT32_MAX, &b_text, &b_len));
    assert_string_equal((char *)a_text, (char *)b_text);
    weft_bytes_delete(b_text);
    return a_text;
}

static inline void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle)) {
        print_error("\"%s\" does not contain \"%s\"\n", haystack, needle);
        fail();
    }
}

#endif
