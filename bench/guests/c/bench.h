/* bench.h — the entry points every C benchmark guest shares.
 *
 * A guest defines `static uint32_t bench(void)` (its fixed, deterministic
 * workload, returning a checksum) and ends with BENCH_ENTRY(bench). That
 * gives it:
 *   - an export `run` (no parameters, returns the checksum as a
 *     non-negative i32) that touches no WASI import, so a runtime without
 *     WASI can call it;
 *   - unless BENCH_NO_MAIN is defined, a `main` that prints the checksum
 *     with printf, for a WASI `_start` (or a native gcc build, which is how
 *     the expected checksums are computed).
 *
 * The checksum is masked to 31 bits so that it prints the same whether a
 * runtime shows i32 results signed or unsigned. Guests use fixed-width
 * integer types only: `long` and `size_t` differ between wasm32 and the
 * native build that computes the expected values. */
#ifndef WEFT_BENCH_H
#define WEFT_BENCH_H

#include <stdint.h>
#include <string.h>

#if defined(__wasm__)
#define BENCH_EXPORT(name) __attribute__((export_name(name)))
#else
#define BENCH_EXPORT(name)
#endif

#ifdef BENCH_NO_MAIN
#define BENCH_MAIN_FN
#else
#include <stdio.h>
#define BENCH_MAIN_FN \
    int main(void) { printf("%d\n", (int)run()); return 0; }
#endif

#define BENCH_ENTRY(fn) \
    BENCH_EXPORT("run") int32_t run(void) { return (int32_t)(fn() & 0x7fffffffu); } \
    BENCH_MAIN_FN

/* xorshift32: the one pseudo-random source, so inputs are the same on
 * every build. */
static inline uint32_t bench_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Folds a value into a running 32-bit checksum (FNV-1a style mixing). */
static inline uint32_t bench_mix(uint32_t h, uint32_t v)
{
    return (h ^ v) * 16777619u;
}

/* Folds the exact bits of a double into a checksum. */
static inline uint32_t bench_mix_f64(uint32_t h, double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bench_mix(bench_mix(h, (uint32_t)bits), (uint32_t)(bits >> 32));
}

#define BENCH_FNV_SEED 2166136261u

#endif
