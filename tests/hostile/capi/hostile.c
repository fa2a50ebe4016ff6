/* hostile.c — runs the hostile-guest suite (*.cases in this directory, see
 * README.md) through the C API: two worker threads share one engine and
 * split the cases, each case on a fresh instance, while a third thread
 * keeps calling the well-behaved guest (good.wasm) and checks every answer.
 * Prints one line per failure and "hostile: N cases passed, M failed;
 * good guest answered K calls correctly". Exit status 1 on any failure.
 *
 *     weft-hostile tests/hostile    (the directory of the guests and cases) */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dirent.h>

#include "weft.h"

/* The suite's limits (README.md); the cases' expectations depend on them. */
enum {
    SUITE_CALL_DEPTH = 10000,
    SUITE_TABLE_ELEMENTS = 100000,
    SUITE_TOTAL_TABLE_ELEMENTS = 10000000,
    WORKERS = 2,
    GOOD_N = 1000,            /* sum_squares(1000) */
    GOOD_SUM = 332833500,     /* sum of i*i for i < 1000 */
    MAX_CASES = 4096,
    LINE_MAX_LEN = 256,
    PATH_MAX_LEN = 1024,
    WATCHDOG_DELAY_MS = 20    /* when the watchdog interrupts: a trigger, not a bound */
};
#define SUITE_FUEL UINT64_C(10000000) /* per call */

typedef enum expect_kind {
    EXPECT_OK,
    EXPECT_I32,
    EXPECT_I64,
    EXPECT_TRAP,
    EXPECT_INTERRUPTED,
    EXPECT_INSTANTIATE_TRAP,
    EXPECT_INSTANTIATE_RESOURCE,
    EXPECT_COMPILE_ERROR
} expect_kind;

typedef struct hcase {
    char file[64], guest[64], export_name[64];
    int line;
    uint32_t arg;
    expect_kind kind;
    int64_t value;          /* EXPECT_I32 / EXPECT_I64 */
    weft_trap_code trap;    /* EXPECT_TRAP / EXPECT_INSTANTIATE_TRAP */
} hcase;

static const struct {
    const char *name;
    weft_trap_code code;
} trap_names[] = {
    {"oob_memory", WEFT_TRAP_MEMORY_OUT_OF_BOUNDS},
    {"oob_table", WEFT_TRAP_TABLE_OUT_OF_BOUNDS},
    {"undefined_element", WEFT_TRAP_UNDEFINED_ELEMENT},
    {"uninitialized_element", WEFT_TRAP_INDIRECT_CALL_NULL},
    {"indirect_type", WEFT_TRAP_INDIRECT_CALL_TYPE},
    {"stack_exhausted", WEFT_TRAP_CALL_STACK_EXHAUSTED},
    {"out_of_fuel", WEFT_TRAP_OUT_OF_FUEL},
    {"interrupted", WEFT_TRAP_INTERRUPTED},
};

static const char *dir;
static weft_engine *engine;
static hcase cases[MAX_CASES];
static size_t ncases;
static atomic_size_t next_case, passed, failed;
static atomic_bool workers_done;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;

static void report(const hcase *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(const hcase *c, const char *fmt, ...)
{
    pthread_mutex_lock(&print_lock);
    printf("FAIL %s:%d: %s %s 0x%" PRIX32 ": ", c->file, c->line, c->guest, c->export_name, c->arg);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    pthread_mutex_unlock(&print_lock);
    failed++;
}

static int trap_code_by_name(const char *name, weft_trap_code *out)
{
    for (size_t i = 0; i < sizeof trap_names / sizeof trap_names[0]; i++)
        if (strcmp(trap_names[i].name, name) == 0) {
            *out = trap_names[i].code;
            return 1;
        }
    return 0;
}

/* Parses one row; returns 0 on a syntax error. */
static int parse_case(hcase *c, char *line)
{
    char guest[64], exp[64], arg[64], kind[64], extra[64] = "";
    int n = sscanf(line, "%63s %63s %63s %63s %63s", guest, exp, arg, kind, extra);
    if (n < 4)
        return 0;
    snprintf(c->guest, sizeof c->guest, "%s", guest);
    snprintf(c->export_name, sizeof c->export_name, "%s", exp);
    c->arg = strcmp(arg, "-") == 0 ? 0 : (uint32_t)strtoul(arg, NULL, 0);
    if (strcmp(kind, "ok") == 0)
        c->kind = EXPECT_OK;
    else if (strcmp(kind, "i32") == 0 || strcmp(kind, "i64") == 0) {
        c->kind = kind[1] == '3' ? EXPECT_I32 : EXPECT_I64;
        c->value = strtoll(extra, NULL, 0);
        return n == 5;
    } else if (strcmp(kind, "trap") == 0) {
        c->kind = EXPECT_TRAP;
        return n == 5 && trap_code_by_name(extra, &c->trap);
    } else if (strcmp(kind, "interrupted") == 0)
        c->kind = EXPECT_INTERRUPTED;
    else if (strcmp(kind, "instantiate-trap") == 0) {
        c->kind = EXPECT_INSTANTIATE_TRAP;
        return n == 5 && trap_code_by_name(extra, &c->trap);
    } else if (strcmp(kind, "instantiate-error") == 0)
        c->kind = EXPECT_INSTANTIATE_RESOURCE;
    else if (strcmp(kind, "compile-error") == 0)
        c->kind = EXPECT_COMPILE_ERROR;
    else
        return 0;
    return 1;
}

static int load_cases(const char *file)
{
    char path[PATH_MAX_LEN], line[LINE_MAX_LEN];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 0;
    }
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *p = line + strspn(line, " \t");
        if (*p == '#' || *p == '\n' || *p == 0)
            continue;
        if (ncases == MAX_CASES) {
            fprintf(stderr, "%s: more than %d cases\n", path, MAX_CASES);
            fclose(f);
            return 0;
        }
        hcase *c = &cases[ncases];
        snprintf(c->file, sizeof c->file, "%s", file);
        c->line = lineno;
        if (!parse_case(c, p)) {
            fprintf(stderr, "%s:%d: cannot parse: %s", path, lineno, line);
            fclose(f);
            return 0;
        }
        ncases++;
    }
    fclose(f);
    return 1;
}

static uint8_t *read_file(const char *name, size_t *len)
{
    char path[PATH_MAX_LEN];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc(n > 0 ? (size_t)n : 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static void *watchdog(void *h)
{
    sleep_ms(WATCHDOG_DELAY_MS);
    weft_interrupt(h);
    return NULL;
}

/* Calls the case's export with its argument; returns the trap (or NULL)
 * and the result, if any, in *result. */
static weft_trap *call_export(const hcase *c, weft_instance *inst, weft_val *result, int *found)
{
    weft_func *f = weft_instance_export_func(inst, c->export_name);
    *found = f != NULL;
    if (!f)
        return NULL;
    const weft_functype *t = weft_func_type(f);
    weft_val arg;
    memset(&arg, 0, sizeof arg);
    arg.kind = WEFT_I32;
    arg.of.i32 = (int32_t)c->arg;
    memset(result, 0, sizeof *result);
    return weft_func_call(f, &arg, weft_functype_param_count(t), result,
                          weft_functype_result_count(t));
}

static void check_call(const hcase *c, weft_instance *inst)
{
    if (c->kind == EXPECT_INTERRUPTED)
        weft_instance_set_fuel(inst, UINT64_MAX); /* only the interruption stops it */
    pthread_t dog;
    if (c->kind == EXPECT_INTERRUPTED &&
        pthread_create(&dog, NULL, watchdog, weft_instance_interrupt_handle(inst)) != 0) {
        report(c, "cannot start the watchdog");
        return;
    }
    weft_val r;
    int found;
    weft_trap *t = call_export(c, inst, &r, &found);
    if (c->kind == EXPECT_INTERRUPTED)
        pthread_join(dog, NULL);
    if (!found) {
        report(c, "no such export");
        return;
    }
    weft_trap_code want = c->kind == EXPECT_INTERRUPTED ? WEFT_TRAP_INTERRUPTED : c->trap;
    if (c->kind == EXPECT_TRAP || c->kind == EXPECT_INTERRUPTED) {
        if (!t)
            report(c, "returned, want trap %d", want);
        else if (weft_trap_code_of(t) != want)
            report(c, "trap %d \"%s\", want %d", weft_trap_code_of(t), weft_trap_message(t), want);
        else
            passed++;
    } else if (t) {
        report(c, "trapped: %s", weft_trap_message(t));
    } else if (c->kind == EXPECT_I32 && r.of.i32 != (int32_t)c->value) {
        report(c, "returned %" PRId32 ", want %" PRId64, r.of.i32, c->value);
    } else if (c->kind == EXPECT_I64 && r.of.i64 != c->value) {
        report(c, "returned %" PRId64 ", want %" PRId64, r.of.i64, c->value);
    } else {
        passed++;
    }
    weft_trap_delete(t);
}

static void run_case(const hcase *c)
{
    size_t len;
    uint8_t *bytes = read_file(c->guest, &len);
    if (!bytes) {
        report(c, "cannot read the guest");
        return;
    }
    weft_module *m = NULL;
    weft_error *err = weft_module_new(engine, bytes, len, &m);
    free(bytes);
    if (c->kind == EXPECT_COMPILE_ERROR) {
        if (err)
            passed++;
        else
            report(c, "compiled, want a compile error");
        weft_error_delete(err);
        weft_module_delete(m);
        return;
    }
    if (err) {
        report(c, "compile: %s", weft_error_message(err));
        weft_error_delete(err);
        return;
    }
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    err = weft_instance_new_with_fuel(m, NULL, SUITE_FUEL, &inst, &trap);
    if (c->kind == EXPECT_INSTANTIATE_RESOURCE) {
        if (err && weft_error_kind_of(err) == WEFT_ERROR_RESOURCE)
            passed++;
        else
            report(c, "instantiation: %s, want a resource error",
                   err ? weft_error_message(err) : trap ? weft_trap_message(trap) : "succeeded");
    } else if (c->kind == EXPECT_INSTANTIATE_TRAP) {
        if (trap && weft_trap_code_of(trap) == c->trap)
            passed++;
        else
            report(c, "instantiation: %s, want trap %d",
                   err ? weft_error_message(err) : trap ? weft_trap_message(trap) : "succeeded",
                   c->trap);
    } else if (err || trap) {
        report(c, "instantiation: %s", err ? weft_error_message(err) : weft_trap_message(trap));
    } else {
        check_call(c, inst);
    }
    weft_error_delete(err);
    weft_trap_delete(trap);
    weft_instance_delete(inst);
    weft_module_delete(m);
}

static void *worker(void *unused)
{
    (void)unused;
    for (;;) {
        size_t i = next_case++;
        if (i >= ncases)
            return NULL;
        run_case(&cases[i]);
    }
}

/* Keeps calling good.wasm until the workers are done: every answer must be
 * right. Counts them in *(size_t *)out. */
static void *good_guest(void *out)
{
    size_t ok = 0, bad = 0, len;
    uint8_t *bytes = read_file("good.wasm", &len);
    weft_module *m = NULL;
    weft_error *err = bytes ? weft_module_new(engine, bytes, len, &m) : NULL;
    free(bytes);
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    if (m && !err)
        err = weft_instance_new_with_fuel(m, NULL, SUITE_FUEL, &inst, &trap);
    weft_func *f = inst ? weft_instance_export_func(inst, "sum_squares") : NULL;
    while (f) {
        bool last = atomic_load(&workers_done); /* one more call after the end */
        weft_val a, r;
        memset(&a, 0, sizeof a);
        a.kind = WEFT_I32;
        a.of.i32 = GOOD_N;
        weft_instance_set_fuel(inst, SUITE_FUEL);
        weft_trap *t = weft_func_call(f, &a, 1, &r, 1);
        if (t || r.of.i32 != GOOD_SUM) {
            bad++;
            pthread_mutex_lock(&print_lock);
            printf("FAIL good.wasm sum_squares: %s %" PRId32 "\n", t ? weft_trap_message(t) : "returned",
                   r.of.i32);
            pthread_mutex_unlock(&print_lock);
        } else {
            ok++;
        }
        weft_trap_delete(t);
        if (last)
            break;
    }
    if (!f || bad)
        failed++;
    if (!f)
        printf("FAIL good.wasm: %s\n", err ? weft_error_message(err) : "cannot run");
    weft_error_delete(err);
    weft_trap_delete(trap);
    weft_instance_delete(inst);
    weft_module_delete(m);
    *(size_t *)out = ok;
    return NULL;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int main(int argc, char **argv)
{
    dir = argc > 1 ? argv[1] : ".";
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (has_suffix(e->d_name, ".cases") && !load_cases(e->d_name)) {
            closedir(d);
            return 1;
        }
    closedir(d);
    if (ncases == 0) {
        fprintf(stderr, "hostile: no cases in %s\n", dir);
        return 1;
    }

    weft_config *cfg = weft_config_new();
    weft_config_set_fuel(cfg, 1);
    weft_config_set_max_call_depth(cfg, SUITE_CALL_DEPTH);
    weft_config_set_max_table_elements(cfg, SUITE_TABLE_ELEMENTS);
    weft_config_set_max_total_table_elements(cfg, SUITE_TOTAL_TABLE_ELEMENTS);
    engine = weft_engine_new(cfg);
    weft_config_delete(cfg);

    size_t good_calls = 0;
    pthread_t good, workers[WORKERS];
    pthread_create(&good, NULL, good_guest, &good_calls);
    for (int i = 0; i < WORKERS; i++)
        pthread_create(&workers[i], NULL, worker, NULL);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(workers[i], NULL);
    atomic_store(&workers_done, true);
    pthread_join(good, NULL);

    uint64_t pages = weft_engine_memory_pages(engine);
    uint64_t elements = weft_engine_table_elements(engine);
    if (pages != 0 || elements != 0) {
        printf("FAIL %" PRIu64 " memory pages and %" PRIu64
               " table elements still counted after every instance is gone\n",
               pages, elements);
        failed++;
    }
    weft_engine_delete(engine);
    printf("hostile: %zu cases passed, %zu failed; good guest answered %zu calls correctly\n",
           (size_t)passed, (size_t)failed, good_calls);
    return failed ? 1 : 0;
}
