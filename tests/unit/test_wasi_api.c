/* test_wasi_api.c — the WASI embedding API (weft_wasi_config_*, weft_wasi_*)
 * with the test guest tests/wasi/wasi_suite.wasm: stdio through callbacks,
 * custom clocks, sleeper and random source, the call logger, exit codes,
 * configuration errors, and the lifetime rules (one state per instance,
 * deleting the state while an instance still holds its functions). */
#define _GNU_SOURCE
#include <unistd.h>

#include "api_helpers.h"

#define SUITE WEFT_TEST_FIXTURES "/../../wasi/wasi_suite.wasm"
#define NS_PER_SEC 1000000000ll

static weft_engine *g_engine;
static weft_module *g_suite;

static int setup(void **state)
{
    (void)state;
    g_engine = test_engine();
    FILE *f = fopen(SUITE, "rb");
    assert_non_null(f);
    wbuf b = {0};
    uint8_t chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        wb_raw(&b, chunk, n);
    fclose(f);
    g_suite = must_compile(g_engine, &b);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    weft_module_delete(g_suite);
    weft_engine_delete(g_engine);
    return 0;
}

/* A growing text buffer that write callbacks append to. */
typedef struct text {
    char buf[8192];
    size_t len;
} text;

static int append(void *env, const uint8_t *p, size_t n)
{
    text *t = env;
    if (t->len + n >= sizeof t->buf)
        return WEFT_WASI_ENOSPC;
    memcpy(t->buf + t->len, p, n);
    t->len += n;
    t->buf[t->len] = '\0';
    return 0;
}

/* Serves a fixed string in 3-byte pieces. */
typedef struct reader {
    const char *s;
    size_t pos;
} reader;

static int read_piece(void *env, uint8_t *p, size_t n, size_t *nread)
{
    reader *r = env;
    size_t left = strlen(r->s) - r->pos;
    size_t k = left < 3 ? left : 3;
    if (k > n)
        k = n;
    memcpy(p, r->s + r->pos, k);
    r->pos += k;
    *nread = k;
    return 0;
}

static weft_wasi *must_wasi(weft_wasi_config *c)
{
    weft_wasi *w = NULL;
    weft_error *err = weft_wasi_new(c, &w);
    if (err) {
        print_error("weft_wasi_new: %s\n", weft_error_message(err));
        weft_error_delete(err);
        fail();
    }
    weft_wasi_config_delete(c);
    return w;
}

static weft_wasi_config *config_with_args(size_t argc, const char *const *argv)
{
    weft_wasi_config *c = weft_wasi_config_new();
    assert_non_null(c);
    assert_true(weft_wasi_config_set_args(c, argc, argv));
    return c;
}

/* Instantiates the suite with `w` and runs _start. Returns the trap (or NULL). */
static weft_trap *run_start(weft_wasi *w, weft_instance **keep)
{
    weft_imports *im = weft_imports_new();
    assert_true(weft_wasi_add_to_imports(w, g_engine, im));
    weft_instance *inst = must_instantiate(g_suite, im);
    weft_imports_delete(im);
    weft_trap *t = weft_func_call(weft_instance_export_func(inst, "_start"), NULL, 0, NULL, 0);
    if (keep)
        *keep = inst;
    else
        weft_instance_delete(inst);
    return t;
}

static void test_config_errors(void **state)
{
    (void)state;
    weft_wasi_config *c = weft_wasi_config_new();
    assert_false(weft_wasi_config_add_env(c, "", "x"));
    assert_false(weft_wasi_config_add_env(c, "A=B", "x"));
    assert_true(weft_wasi_config_add_env(c, "A", NULL));
    assert_false(weft_wasi_config_mount(c, "", "/x", 0));
    assert_false(weft_wasi_config_mount(c, "/tmp", "", 0));
    assert_false(weft_wasi_config_preopen_socket(c, -1));
    assert_true(weft_wasi_config_mount(c, "/nonexistent/weft-test", "/data", 0));
    weft_wasi *w = NULL;
    weft_error *err = weft_wasi_new(c, &w);
    assert_non_null(err);
    assert_null(w);
    assert_non_null(strstr(weft_error_message(err), "cannot open host directory"));
    weft_error_delete(err);
    weft_wasi_config_delete(c);

    int p[2];
    assert_int_equal(pipe(p), 0);
    c = weft_wasi_config_new();
    assert_true(weft_wasi_config_preopen_socket(c, p[0]));
    err = weft_wasi_new(c, &w);
    assert_non_null(err);
    assert_non_null(strstr(weft_error_message(err), "not a usable socket"));
    weft_error_delete(err);
    weft_wasi_config_delete(c);
    close(p[0]);
    close(p[1]);

    err = weft_wasi_new(NULL, &w);
    assert_non_null(err);
    weft_error_delete(err);
    weft_wasi_delete(NULL);
    weft_wasi_config_delete(NULL);
}

static void test_stdio_callbacks(void **state)
{
    (void)state;
    const char *argv[] = {"suite", "stdio"};
    weft_wasi_config *c = config_with_args(2, argv);
    text out = {0}, err = {0};
    reader in = {"line one\nline two\n", 0};
    weft_wasi_config_set_stdin_reader(c, read_piece, &in);
    weft_wasi_config_set_stdout_writer(c, append, &out);
    weft_wasi_config_set_stderr_writer(c, append, &err);
    weft_wasi *w = must_wasi(c);
    weft_trap *t = run_start(w, NULL);
    if (t) {
        print_error("trap: %s\nstdout: %s\n", weft_trap_message(t), out.buf);
        fail();
    }
    assert_non_null(strstr(out.buf, "stdout: hello\n"));
    assert_non_null(strstr(out.buf, "wasi-suite stdio: "));
    assert_non_null(strstr(out.buf, " passed, 0 failed"));
    assert_string_equal(err.buf, "stderr: hello\n");
    int32_t code = -1;
    assert_false(weft_wasi_exit_code(w, &code)); /* main returned 0: no proc_exit */
    weft_wasi_delete(w);
}

static void test_default_stdio_is_empty(void **state)
{
    (void)state;
    /* With nothing configured, stdin is empty and output is dropped: the
     * stdio group then fails its stdin check and exits 1. */
    const char *argv[] = {"suite", "stdio"};
    weft_wasi *w = must_wasi(config_with_args(2, argv));
    weft_trap *t = run_start(w, NULL);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_EXIT);
    assert_int_equal(weft_trap_exit_code(t), 1);
    weft_trap_delete(t);
    int32_t code = 0;
    assert_true(weft_wasi_exit_code(w, &code));
    assert_int_equal(code, 1);
    weft_wasi_delete(w);
}

static void test_exit_code(void **state)
{
    (void)state;
    const char *argv[] = {"suite", "exit", "42"};
    weft_wasi *w = must_wasi(config_with_args(3, argv));
    weft_trap *t = run_start(w, NULL);
    assert_non_null(t);
    assert_int_equal(weft_trap_code_of(t), WEFT_TRAP_EXIT);
    assert_int_equal(weft_trap_exit_code(t), 42);
    weft_trap_delete(t);
    int32_t code = 0;
    assert_true(weft_wasi_exit_code(w, &code));
    assert_int_equal(code, 42);
    weft_wasi_delete(w);
}

/* A fake clock that only moves when the guest sleeps (or reads it). */
typedef struct fake_time {
    int64_t wall, mono;
    int64_t slept;
    int reads, randoms;
    uint64_t seed;
} fake_time;

static int64_t fake_wall(void *env)
{
    fake_time *f = env;
    f->reads++;
    return f->wall += 1000;
}

static int64_t fake_mono(void *env)
{
    fake_time *f = env;
    f->reads++;
    return f->mono += 1000;
}

static void fake_sleep(void *env, int64_t ns)
{
    fake_time *f = env;
    f->slept += ns;
    f->mono += ns;
}

static int fake_random(void *env, uint8_t *p, size_t n)
{
    fake_time *f = env;
    f->randoms++;
    for (size_t i = 0; i < n; i++) {
        f->seed ^= f->seed << 13;
        f->seed ^= f->seed >> 7;
        f->seed ^= f->seed << 17;
        p[i] = (uint8_t)f->seed;
    }
    return 0;
}

static void test_clock_sleep_random_hooks(void **state)
{
    (void)state;
    fake_time ft = {.wall = 1700000000 * NS_PER_SEC, .mono = 5, .seed = 88172645463325252ull};
    const char *groups[] = {"clock", "random", "sleep"};
    for (size_t g = 0; g < 3; g++) {
        const char *argv[] = {"suite", groups[g]};
        weft_wasi_config *c = config_with_args(2, argv);
        weft_wasi_config_set_walltime(c, fake_wall, &ft, 1000);
        weft_wasi_config_set_nanotime(c, fake_mono, &ft, 1);
        weft_wasi_config_set_nanosleep(c, fake_sleep, &ft);
        weft_wasi_config_set_random(c, fake_random, &ft);
        weft_wasi *w = must_wasi(c);
        weft_trap *t = run_start(w, NULL);
        if (t) {
            print_error("%s: trap %s (exit %d)\n", groups[g], weft_trap_message(t),
                        weft_trap_exit_code(t));
            fail();
        }
        weft_wasi_delete(w);
    }
    assert_true(ft.reads > 0);
    assert_true(ft.randoms >= 3);
    assert_int_equal(ft.slept, 60 * NS_PER_SEC); /* the "sleep" group's minute, at once */
}

static void log_line(void *env, const char *line)
{
    text *t = env;
    append(t, (const uint8_t *)line, strlen(line));
    append(t, (const uint8_t *)"\n", 1);
}

static void test_logger(void **state)
{
    (void)state;
    const char *argv[] = {"suite", "proc"};
    weft_wasi_config *c = config_with_args(2, argv);
    text log = {0};
    weft_wasi_config_set_logger(c, log_line, &log);
    weft_wasi *w = must_wasi(c);
    weft_trap *t = run_start(w, NULL);
    assert_null(t);
    assert_non_null(strstr(log.buf, "wasi_snapshot_preview1.sched_yield() => ESUCCESS\n"));
    assert_non_null(strstr(log.buf, "wasi_snapshot_preview1.proc_raise(sig=0) => EINVAL\n"));
    assert_non_null(strstr(log.buf, "wasi_snapshot_preview1.proc_raise(sig=18) => ENOTSUP\n"));
    weft_wasi_delete(w);
}

static void test_one_state_per_instance(void **state)
{
    (void)state;
    const char *argv[] = {"suite", "random"};
    weft_wasi *w = must_wasi(config_with_args(2, argv));
    weft_instance *first = NULL;
    weft_trap *t = run_start(w, &first);
    assert_null(t);
    t = run_start(w, NULL); /* another instance, same state */
    assert_non_null(t);
    assert_non_null(strstr(weft_trap_message(t), "belongs to another instance"));
    weft_trap_delete(t);
    weft_instance_delete(first);
    weft_wasi_delete(w);
}

static void test_delete_state_first(void **state)
{
    (void)state;
    const char *argv[] = {"suite", "random"};
    weft_wasi *w = must_wasi(config_with_args(2, argv));
    weft_imports *im = weft_imports_new();
    assert_true(weft_wasi_add_to_imports(w, g_engine, im));
    weft_instance *inst = must_instantiate(g_suite, im);
    weft_imports_delete(im);
    weft_wasi_delete(w); /* fds closed now; the memory lives on with the functions */
    weft_trap *t = weft_func_call(weft_instance_export_func(inst, "_start"), NULL, 0, NULL, 0);
    assert_non_null(t);
    assert_non_null(strstr(weft_trap_message(t), "deleted"));
    weft_trap_delete(t);
    weft_instance_delete(inst); /* frees the state (ASan checks) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_stdio_callbacks),
        cmocka_unit_test(test_default_stdio_is_empty),
        cmocka_unit_test(test_exit_code),
        cmocka_unit_test(test_clock_sleep_random_hooks),
        cmocka_unit_test(test_logger),
        cmocka_unit_test(test_one_state_per_instance),
        cmocka_unit_test(test_delete_state_first),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
