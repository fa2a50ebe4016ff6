/* exec_harness.h — what the fuzz targets and the differential driver do
 * with a module once they have one: instantiate it (with dummy host
 * imports), call every exported function with zero arguments, and write
 * down everything observable as a transcript, one line per event.
 *
 * The transcript format is shared with tests/fuzz/diff (the second engine),
 * so that two engines can be compared with `cmp`:
 *
 *   compile: ok | compile: error
 *   instantiate: ok | instantiate: trap CATEGORY | instantiate: error
 *   call export[I]: ok VALUE... | call export[I]: trap CATEGORY
 *   global export[I] = VALUE        (after each call, every exported global)
 *   memory export[I] pages=N hash=H (after each call, every exported memory)
 *
 * VALUE is KIND:HEX of the value's bits (i32:0000002a, f64:..., v128:HI LO
 * as 32 hex digits), funcref:null|ref, externref:null|ref. CATEGORY is the
 * trap's kind as both engines can tell it (see fx_trap_category). H is
 * fx_hash of the memory's bytes. Exports are named by index, never by their
 * (arbitrary) names. */
#ifndef WEFT_FUZZ_EXEC_HARNESS_H
#define WEFT_FUZZ_EXEC_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "weft.h"

/* The fuzzing limits: memories of at most 256 pages (16 MiB: the smith
 * generator stays under it) and tables of at most 100,000 elements, so one
 * input cannot take the process' memory. */
#define FX_MAX_MEMORY_PAGES 256u
#define FX_MAX_TABLE_ELEMENTS 100000u

typedef struct fx_opts {
    /* Fuel for each call (the engine must have fuel on), or 0 for an engine
     * without fuel whose modules terminate by themselves. */
    uint64_t fuel;
    /* A new instance for each exported function's call (the differential:
     * wasm-smith's own fuel counter restarts with each instance), else one
     * instance for all calls in export order. */
    bool fresh_instance;
    /* At most this many calls (0: no limit). */
    unsigned max_calls;
} fx_opts;

/* A growing text buffer. */
typedef struct fx_text {
    char *p;
    size_t len, cap;
} fx_text;

void fx_text_free(fx_text *t);

/* An engine with the fuzzing limits; fuel on or off. Caller owns. */
weft_engine *fx_engine_new(bool fuel);

/* Runs a compiled module as described above and appends the transcript
 * (without the compile line) to *out. */
void fx_run_module(weft_engine *e, weft_module *m, const fx_opts *o, fx_text *out);

/* Compiles then runs; the transcript starts with the compile line. */
void fx_run_wasm(weft_engine *e, const uint8_t *wasm, size_t len, const fx_opts *o, fx_text *out);

/* The checks fuzz_exec makes on a (valid) module: it compiles; it runs the
 * same when compiled and when rebuilt from its serialized code. Aborts
 * (a crash for libFuzzer) with both transcripts on stderr otherwise. */
void fx_check_wasm(weft_engine *fuel_engine, const uint8_t *wasm, size_t len);

/* The trap categories both engines can tell apart ("memory", "table",
 * "unreachable", ...); "code-N" for codes outside the spec's traps. */
const char *fx_trap_category(weft_trap_code code);

/* The memory hash of the transcript: over 8-byte little-endian words,
 * h = (h ^ w) * 0x100000001b3, rotated left by 5, from 0xcbf29ce484222325. */
uint64_t fx_hash(const uint8_t *p, size_t n);

#endif
