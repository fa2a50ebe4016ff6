/* instantiate_bench.c — times instantiating and deleting a small module
 * through the C API, for modules that differ only in their memory: none, one
 * page untouched, one page written by a data segment, and the last again
 * with one call of an export (which gives the instance its stacks). Prints
 * the median ns per instantiate+delete of RUNS runs. Public API only, so
 * that the same source builds against an older libweft (see README.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "weft.h"

#define RUNS 7
#define ITERATIONS 20000

typedef struct bytes {
    uint8_t b[256];
    size_t n;
} bytes;

static void put(bytes *m, const uint8_t *p, size_t n)
{
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

#define PUT(m, ...) put((m), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* A module exporting "f" () -> () (a nop); with_memory: a memory of one
 * page and no maximum (as C and Rust toolchains emit); with_data: a 16-byte
 * active data segment at address 1024. */
static bytes small_module(int with_memory, int with_data)
{
    bytes m = {.n = 0};
    PUT(&m, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
    PUT(&m, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00);       /* type () -> () */
    PUT(&m, 0x03, 0x02, 0x01, 0x00);                   /* one function */
    if (with_memory)
        PUT(&m, 0x05, 0x03, 0x01, 0x00, 0x01);         /* memory 1 page */
    PUT(&m, 0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00);  /* export "f" */
    PUT(&m, 0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B);       /* body: end */
    if (with_data) {
        PUT(&m, 0x0B, 0x17, 0x01, 0x00, 0x41, 0x80, 0x08, 0x0B, 0x10);
        put(&m, (const uint8_t *)"sixteen bytes!!!", 16);
    }
    return m;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* One run: ITERATIONS instantiate(+call)+delete; ns per iteration. */
static double run_once(weft_module *mod, int call)
{
    double t0 = now_ns();
    for (int i = 0; i < ITERATIONS; i++) {
        weft_instance *inst = NULL;
        weft_trap *trap = NULL;
        weft_error *err = weft_instance_new(mod, NULL, &inst, &trap);
        if (err || trap) {
            fprintf(stderr, "instantiate failed\n");
            exit(1);
        }
        if (call) {
            weft_trap *t = weft_func_call(weft_instance_export_func(inst, "f"), NULL, 0, NULL, 0);
            if (t) {
                fprintf(stderr, "call trapped: %s\n", weft_trap_message(t));
                exit(1);
            }
        }
        weft_instance_delete(inst);
    }
    return (now_ns() - t0) / ITERATIONS;
}

int main(void)
{
    static const struct {
        const char *name;
        int memory, data, call;
    } cases[] = {
        {"no memory", 0, 0, 0},
        {"1 page, untouched", 1, 0, 0},
        {"1 page + data segment", 1, 1, 0},
        {"1 page + data + one call", 1, 1, 1},
    };
    weft_engine *e = weft_engine_new(NULL);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        bytes b = small_module(cases[c].memory, cases[c].data);
        weft_module *mod = NULL;
        weft_error *err = weft_module_new(e, b.b, b.n, &mod);
        if (err) {
            fprintf(stderr, "%s: %s\n", cases[c].name, weft_error_message(err));
            return 1;
        }
        double runs[RUNS];
        run_once(mod, cases[c].call); /* warm-up */
        for (int r = 0; r < RUNS; r++)
            runs[r] = run_once(mod, cases[c].call);
        qsort(runs, RUNS, sizeof runs[0], cmp_double);
        printf("%-26s %9.0f ns   (min %.0f, max %.0f)\n", cases[c].name, runs[RUNS / 2], runs[0],
               runs[RUNS - 1]);
        weft_module_delete(mod);
    }
    weft_engine_delete(e);
    return 0;
}
