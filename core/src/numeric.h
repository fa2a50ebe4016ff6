/* numeric.h — WebAssembly numeric semantics where plain C differs:
 * bit-exact float sign operations, min/max with NaN and signed zeros,
 * round-to-nearest-even, and the range checks of float-to-int truncation. */
#ifndef WEFT_NUMERIC_H
#define WEFT_NUMERIC_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static inline float f32_from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}
static inline uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}
static inline double f64_from_bits(uint64_t u)
{
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}
static inline uint64_t f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* x, rounded where it stands: an empty asm the compiler cannot see
 * through, so a product passed through it is never contracted with a
 * following add into one FMA (GNU C's default -ffp-contract=fast does that
 * on targets with FMA; cgo does not accept -ffp-contract=off). Costs no
 * instruction. */
static inline double f64_rounded(double x)
{
#if defined(__x86_64__) && defined(__SSE2__)
    __asm__("" : "+x"(x));
#elif defined(__aarch64__)
    __asm__("" : "+w"(x));
#else
    volatile double v = x;
    x = v;
#endif
    return x;
}

/* Unsigned 32-bit division by a constant k (2 <= k < 2^32) as
 * multiplications: with m = ceil(2^64 / k), n / k is the high 64 bits of
 * m * n, and n % k the high 64 bits of (m * n mod 2^64) * k, exact for
 * every 32-bit n (Lemire, Kaser and Kurz, "Faster Remainder by Direct
 * Computation", 2019). A multiply is a few cycles where a divide is tens,
 * and C compilers leave the constant divisions of their Wasm output to the
 * engine. */
static inline uint64_t div_u32_reciprocal(uint32_t k) { return UINT64_MAX / k + 1; }

/* The high 64 bits of a * b: with 32-bit halves, for compilers without a
 * 128-bit type (and for the test that checks the two agree). */
static inline uint64_t mulhi64_portable(uint64_t a, uint64_t b)
{
    uint64_t alo = (uint32_t)a, ahi = a >> 32, blo = (uint32_t)b, bhi = b >> 32;
    uint64_t lo = alo * blo, mid1 = ahi * blo, mid2 = alo * bhi;
    uint64_t carry = ((lo >> 32) + (uint32_t)mid1 + (uint32_t)mid2) >> 32;
    return ahi * bhi + (mid1 >> 32) + (mid2 >> 32) + carry;
}

static inline uint64_t mulhi64(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
#else
    return mulhi64_portable(a, b);
#endif
}

static inline uint32_t div_u32_by_reciprocal(uint32_t n, uint64_t m)
{
    return (uint32_t)mulhi64(m, n);
}

static inline uint32_t rem_u32_by_reciprocal(uint32_t n, uint32_t k, uint64_t m)
{
    return (uint32_t)mulhi64(m * n, k);
}

#define F32_SIGN 0x80000000u
#define F64_SIGN 0x8000000000000000ull

/* min/max: a NaN operand gives a NaN (the sum propagates and quiets it);
 * min(-0, +0) is -0 and max(-0, +0) is +0, which C's comparisons miss. */
static inline float wasm_fminf(float a, float b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return f32_from_bits(f32_bits(a) | f32_bits(b));
    return a < b ? a : b;
}
static inline float wasm_fmaxf(float a, float b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return f32_from_bits(f32_bits(a) & f32_bits(b));
    return a > b ? a : b;
}
static inline double wasm_fmin(double a, double b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return f64_from_bits(f64_bits(a) | f64_bits(b));
    return a < b ? a : b;
}
static inline double wasm_fmax(double a, double b)
{
    if (a != a || b != b)
        return a + b;
    if (a == b)
        return f64_from_bits(f64_bits(a) & f64_bits(b));
    return a > b ? a : b;
}

/* Rounding: libm may hand a signalling NaN back unchanged, but Wasm wants
 * an arithmetic (quiet) NaN; x + x quiets it. */
static inline float wasm_ceilf(float x) { return x != x ? x + x : ceilf(x); }
static inline float wasm_floorf(float x) { return x != x ? x + x : floorf(x); }
static inline float wasm_truncf(float x) { return x != x ? x + x : truncf(x); }
static inline double wasm_ceil(double x) { return x != x ? x + x : ceil(x); }
static inline double wasm_floor(double x) { return x != x ? x + x : floor(x); }
static inline double wasm_trunc(double x) { return x != x ? x + x : trunc(x); }

/* Round half to even (rint in the default rounding mode). */
static inline float wasm_nearestf(float x)
{
    if (x != x)
        return x + x;
    float r = rintf(x);
    return r == 0.0f ? copysignf(0.0f, x) : r;
}
static inline double wasm_nearest(double x)
{
    if (x != x)
        return x + x;
    double r = rint(x);
    return r == 0.0 ? copysign(0.0, x) : r;
}

/* Truncation range checks: the input must lie strictly between the bounds
 * below after truncation toward zero, i.e. in (lo, hi) as reals. */
static inline bool in_range_i32_s(double x) { return x > -2147483649.0 && x < 2147483648.0; }
static inline bool in_range_u32(double x) { return x > -1.0 && x < 4294967296.0; }
static inline bool in_range_i64_s(double x)
{
    return x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}
static inline bool in_range_u64(double x) { return x > -1.0 && x < 18446744073709551616.0; }

/* Saturating truncations: NaN -> 0, out of range -> the nearest bound. */
static inline int32_t sat_i32_s(double x)
{
    if (x != x)
        return 0;
    if (x <= -2147483648.0)
        return INT32_MIN;
    if (x >= 2147483647.0)
        return INT32_MAX;
    return (int32_t)x;
}
static inline uint32_t sat_u32(double x)
{
    if (x != x || x <= 0.0)
        return 0;
    if (x >= 4294967295.0)
        return UINT32_MAX;
    return (uint32_t)x;
}
static inline int64_t sat_i64_s(double x)
{
    if (x != x)
        return 0;
    if (x <= -9223372036854775808.0)
        return INT64_MIN;
    if (x >= 9223372036854775808.0)
        return INT64_MAX;
    return (int64_t)x;
}
static inline uint64_t sat_u64(double x)
{
    if (x != x || x <= 0.0)
        return 0;
    if (x >= 18446744073709551616.0)
        return UINT64_MAX;
    return (uint64_t)x;
}

static inline uint32_t rotl32(uint32_t x, uint32_t n)
{
    n &= 31;
    return (x << n) | (x >> ((32 - n) & 31));
}
static inline uint32_t rotr32(uint32_t x, uint32_t n)
{
    n &= 31;
    return (x >> n) | (x << ((32 - n) & 31));
}
static inline uint64_t rotl64(uint64_t x, uint64_t n)
{
    n &= 63;
    return (x << n) | (x >> ((64 - n) & 63));
}
static inline uint64_t rotr64(uint64_t x, uint64_t n)
{
    n &= 63;
    return (x >> n) | (x << ((64 - n) & 63));
}

#endif
