/* hostcall_bench.c — the cost of one Wasm -> host call through each of
 * weft's host-function paths, in one binary and one run:
 *
 *   generic     weft_func_new            (weft_val arrays)
 *   raw-slots   weft_func_new_unchecked  (uint64 slots, no conversion)
 *   libffi      weft_func_new_native     (ffi_call to a plain C function)
 *   trampoline  weft_func_new_native over a weft_trampoline entry
 *               (ffi_call -> libffi closure -> generic handler)
 *   yielding    weft_func_new_yielding, run by a bounded start and one
 *               bounded resume per host call (the path Go host functions
 *               took, less the Go side: what C costs per cycle)
 *   in place    the same function called in place by a block run
 *               (weft_call_block.host_call), as the Go package's fast
 *               calls now do, less the switch to Go and back
 *
 * The guest (built in, see LOOP_WASM) calls env.f(i32) -> i32 N times.
 * Prints ns per call, the median of RUNS runs, for each path.
 *
 *   usage: weft-bench-hostcall [N]      (default 2,000,000) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "weft.h"

enum { RUNS = 7 };

/* (module
 *   (import "env" "f" (func $f (param i32) (result i32)))
 *   (func (export "loop") (param $n i32) (result i32)
 *     (local $acc i32)
 *     (block $done (loop $next
 *       (br_if $done (i32.eqz (local.get $n)))
 *       (local.set $acc (i32.add (local.get $acc) (call $f (local.get $n))))
 *       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
 *       (br $next)))
 *     (local.get $acc))) */
static const unsigned char LOOP_WASM[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00, 0x03, 0x02, 0x01,
    0x00, 0x07, 0x08, 0x01, 0x04, 0x6c, 0x6f, 0x6f, 0x70, 0x00, 0x01, 0x0a, 0x25, 0x01, 0x23,
    0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x01, 0x20,
    0x00, 0x10, 0x00, 0x6a, 0x21, 0x01, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00,
    0x0b, 0x0b, 0x20, 0x01, 0x0b};

static weft_trap *generic_f(void *env, weft_caller *c, const weft_val *args, weft_val *results)
{
    (void)env;
    (void)c;
    results[0].kind = WEFT_I32;
    results[0].of.i32 = args[0].of.i32 & 1;
    return NULL;
}

static weft_trap *raw_f(void *env, weft_caller *c, uint64_t *slots)
{
    (void)env;
    (void)c;
    slots[0] &= 1;
    return NULL;
}

static int32_t native_f(int32_t x) { return x & 1; }

static weft_trap *trampoline_handler(void *handle, weft_caller *c, uint64_t *slots)
{
    (void)handle;
    (void)c;
    slots[0] &= 1;
    return NULL;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Runs loop on slots as the Go package does: a bounded start, then per
 * yielded host call the host function's work and a bounded resume. */
static weft_trap *call_yielding(weft_func *loop, uint64_t *slots)
{
    void *env, *caller_data;
    uint64_t *host_slots;
    weft_trap *trap;
    int r = weft_call_start_bounded(loop, slots, &env, &host_slots, &caller_data, &trap);
    while (r == WEFT_CALL_HOST || r == WEFT_CALL_SLICE) {
        if (r == WEFT_CALL_HOST)
            host_slots[0] &= 1;
        r = weft_call_resume_bounded(loop, NULL, slots, &env, &host_slots, &caller_data, &trap);
    }
    return trap;
}

/* The yielding function's work, called in place (call_in_place). */
static weft_trap *in_place_f(void *data)
{
    weft_call_block *b = data;
    b->host_slots[0] &= 1;
    return NULL;
}

/* Runs loop on slots as the Go package's fast calls do: a block run that
 * calls the yielding function in place; when the watchdog stops it, on
 * unbounded to the next host call, which is run as a yield, and a block
 * run again. */
static weft_trap *call_in_place(weft_func *loop, uint64_t *slots)
{
    weft_call_block b = {.fn = loop, .slots = slots, .host_call = in_place_f};
    b.host_call_data = &b;
    int r = weft_call_block_run(&b);
    for (;;) {
        if (r == WEFT_CALL_SLICE) {
            r = weft_call_resume(loop, NULL, slots, &b.host_env, &b.host_slots,
                                 &b.host_caller_data, &b.trap);
        } else if (r == WEFT_CALL_HOST) {
            b.host_slots[0] &= 1;
            b.resume = 1;
            r = weft_call_block_run(&b);
        } else {
            return b.trap;
        }
    }
}

enum mode { PLAIN, YIELDING, IN_PLACE };

/* Median ns per host call of `loop(n)` with `f` as env.f; YIELDING and
 * IN_PLACE: f is a yielding function, run by call_yielding or
 * call_in_place. */
static double measure(weft_module *m, weft_func *f, enum mode mode, int32_t n)
{
    weft_imports *im = weft_imports_new();
    weft_imports_add_func(im, "env", "f", f);
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    weft_error *err = weft_instance_new(m, im, &inst, &trap);
    weft_imports_delete(im);
    if (err || trap) {
        fprintf(stderr, "instantiate failed\n");
        exit(1);
    }
    weft_func *loop = weft_instance_export_func(inst, "loop");
    double per_call[RUNS];
    for (int r = 0; r < RUNS; r++) {
        uint64_t slots[1] = {(uint32_t)n};
        double t0 = now_ns();
        trap = mode == YIELDING   ? call_yielding(loop, slots)
               : mode == IN_PLACE ? call_in_place(loop, slots)
                                  : weft_func_call_unchecked(loop, slots);
        double t1 = now_ns();
        if (trap || slots[0] != (uint32_t)(n / 2 + n % 2)) {
            fprintf(stderr, "wrong result\n");
            exit(1);
        }
        per_call[r] = (t1 - t0) / n;
    }
    weft_instance_delete(inst);
    qsort(per_call, RUNS, sizeof per_call[0], cmp_double);
    return per_call[RUNS / 2];
}

int main(int argc, char **argv)
{
    int32_t n = argc > 1 ? atoi(argv[1]) : 2000000;
    weft_config *cfg = weft_config_new();
    weft_engine *e = weft_engine_new(cfg);
    weft_config_delete(cfg);
    weft_module *m = NULL;
    if (weft_module_new(e, LOOP_WASM, sizeof LOOP_WASM, &m))
        return 1;
    const weft_valkind i32 = WEFT_I32;
    weft_functype *t = weft_functype_new(1, &i32, 1, &i32);

    weft_func *generic = weft_func_new(e, t, generic_f, NULL, NULL);
    weft_func *raw = weft_func_new_unchecked(e, t, raw_f, NULL, NULL);
    weft_func *native = NULL, *via_trampoline = NULL;
    weft_trampoline *tp = NULL;
    if (weft_func_new_native(e, t, (weft_native_fn)(void (*)(void))native_f, 0, &native) ||
        weft_trampoline_new(t, 0, trampoline_handler, NULL, &tp) ||
        weft_func_new_native(e, t, weft_trampoline_entry(tp), 0, &via_trampoline))
        return 1;

    /* raw_f is its fallback, for calls that cannot yield (none here). */
    weft_func *yielding = weft_func_new_yielding(e, t, raw_f, NULL, NULL);

    measure(m, raw, PLAIN, n / 10); /* warm-up */
    printf("host call cost, median of %d runs of %d calls (ns per call):\n", RUNS, n);
    printf("  generic (weft_val)        %6.2f\n", measure(m, generic, PLAIN, n));
    printf("  raw slots                 %6.2f\n", measure(m, raw, PLAIN, n));
    printf("  libffi (ffi_call)         %6.2f\n", measure(m, native, PLAIN, n));
    printf("  libffi trampoline         %6.2f\n", measure(m, via_trampoline, PLAIN, n));
    printf("  yielding, bounded         %6.2f\n", measure(m, yielding, YIELDING, n));
    printf("  yielding, in place        %6.2f\n", measure(m, yielding, IN_PLACE, n));

    weft_func_delete(generic);
    weft_func_delete(raw);
    weft_func_delete(native);
    weft_func_delete(via_trampoline);
    weft_func_delete(yielding);
    weft_trampoline_delete(tp);
    weft_functype_delete(t);
    weft_module_delete(m);
    weft_engine_delete(e);
    return 0;
}
