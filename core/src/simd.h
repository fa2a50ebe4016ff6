/* simd.h — WebAssembly 128-bit SIMD lane semantics on GCC/Clang vector types.
 *
 * A v128 lives in two 8-byte frame slots; v_get/v_put move it in and out of
 * a vector register. Plain vector operators (+, <, &, <<) already have Wasm's
 * lane-wise meaning for wrapping integer arithmetic, comparisons (all-ones
 * lanes for true) and IEEE float arithmetic, so the C compiler emits SSE/AVX
 * for them. The helpers below cover what C's operators do not say exactly:
 * saturation, NaN and signed-zero rules of min/max, round-half-even,
 * saturating float-to-int conversion, narrowing and widening, and the lane
 * permutations. Each helper reads all of its inputs before it builds the
 * result, so a destination may alias a source. */
#ifndef WEFT_SIMD_H
#define WEFT_SIMD_H

#include <stdint.h>
#include <string.h>

#include "numeric.h"

#if !defined(__GNUC__)
#error "weft's SIMD support needs GCC or Clang vector extensions"
#endif

#define V128_BYTES 16

typedef int8_t vi8 __attribute__((vector_size(V128_BYTES)));
typedef uint8_t vu8 __attribute__((vector_size(V128_BYTES)));
typedef int16_t vi16 __attribute__((vector_size(V128_BYTES)));
typedef uint16_t vu16 __attribute__((vector_size(V128_BYTES)));
typedef int32_t vi32 __attribute__((vector_size(V128_BYTES)));
typedef uint32_t vu32 __attribute__((vector_size(V128_BYTES)));
typedef int64_t vi64 __attribute__((vector_size(V128_BYTES)));
typedef uint64_t vu64 __attribute__((vector_size(V128_BYTES)));
typedef float vf32 __attribute__((vector_size(V128_BYTES)));
typedef double vf64 __attribute__((vector_size(V128_BYTES)));

/* Half vectors (64 bits): the inputs of widening operations. */
typedef int8_t hi8 __attribute__((vector_size(8)));
typedef uint8_t hu8 __attribute__((vector_size(8)));
typedef int16_t hi16 __attribute__((vector_size(8)));
typedef uint16_t hu16 __attribute__((vector_size(8)));
typedef int32_t hi32 __attribute__((vector_size(8)));
typedef uint32_t hu32 __attribute__((vector_size(8)));
typedef float hf32 __attribute__((vector_size(8)));

/* ------------------------------------------------------------ slots */

static inline vu64 v_get(const uint64_t *slots)
{
    vu64 v;
    memcpy(&v, slots, sizeof v);
    return v;
}

static inline void v_put(uint64_t *slots, vu64 v) { memcpy(slots, &v, sizeof v); }

/* Lane-wise m ? a : b, where every lane of m is all ones or all zeros. */
static inline vu64 v_sel(vu64 m, vu64 a, vu64 b) { return (a & m) | (b & ~m); }

/* True if any bit is set. */
static inline bool v_any(vu64 v) { return (v[0] | v[1]) != 0; }

/* Every lane = x. Floats are splatted through their bit patterns. */
static inline vu8 v8_splat(uint8_t x) { return (vu8){0} + x; }
static inline vu16 v16_splat(uint16_t x) { return (vu16){0} + x; }
static inline vu32 v32_splat(uint32_t x) { return (vu32){0} + x; }
static inline vu64 v64_splat(uint64_t x) { return (vu64){0} + x; }

/* ------------------------------------------------------------ integers */

/* Saturating add/sub. Unsigned: the wrapped result is compared with an
 * operand to detect the carry. Signed: overflow happened when the result's
 * sign differs from both (add) or the operands' signs differ and the result's
 * differs from a's (sub); the bound is then chosen by a's sign. */
static inline vu8 u8_add_sat(vu8 a, vu8 b)
{
    vu8 r = a + b;
    return r | (vu8)(r < a);
}
static inline vu8 u8_sub_sat(vu8 a, vu8 b) { return (a - b) & (vu8)(a >= b); }
static inline vu16 u16_add_sat(vu16 a, vu16 b)
{
    vu16 r = a + b;
    return r | (vu16)(r < a);
}
static inline vu16 u16_sub_sat(vu16 a, vu16 b) { return (a - b) & (vu16)(a >= b); }

static inline vi8 i8_add_sat(vi8 a, vi8 b)
{
    vi8 r = (vi8)((vu8)a + (vu8)b);
    vi8 overflow = ((a ^ r) & (b ^ r)) < 0;
    vi8 bound = (a >> 7) ^ INT8_MAX;
    return (vi8)v_sel((vu64)overflow, (vu64)bound, (vu64)r);
}
static inline vi8 i8_sub_sat(vi8 a, vi8 b)
{
    vi8 r = (vi8)((vu8)a - (vu8)b);
    vi8 overflow = ((a ^ b) & (a ^ r)) < 0;
    vi8 bound = (a >> 7) ^ INT8_MAX;
    return (vi8)v_sel((vu64)overflow, (vu64)bound, (vu64)r);
}
static inline vi16 i16_add_sat(vi16 a, vi16 b)
{
    vi16 r = (vi16)((vu16)a + (vu16)b);
    vi16 overflow = ((a ^ r) & (b ^ r)) < 0;
    vi16 bound = (a >> 15) ^ INT16_MAX;
    return (vi16)v_sel((vu64)overflow, (vu64)bound, (vu64)r);
}
static inline vi16 i16_sub_sat(vi16 a, vi16 b)
{
    vi16 r = (vi16)((vu16)a - (vu16)b);
    vi16 overflow = ((a ^ b) & (a ^ r)) < 0;
    vi16 bound = (a >> 15) ^ INT16_MAX;
    return (vi16)v_sel((vu64)overflow, (vu64)bound, (vu64)r);
}

/* |a| with wrap-around (abs of the minimum is the minimum): (a ^ s) - s
 * where s is all ones for negative lanes. */
static inline vu8 i8_abs(vi8 a) { return (vu8)(a ^ (a >> 7)) - (vu8)(a >> 7); }
static inline vu16 i16_abs(vi16 a) { return (vu16)(a ^ (a >> 15)) - (vu16)(a >> 15); }
static inline vu32 i32_abs(vi32 a) { return (vu32)(a ^ (a >> 31)) - (vu32)(a >> 31); }
static inline vu64 i64_abs(vi64 a) { return (vu64)(a ^ (a >> 63)) - (vu64)(a >> 63); }

/* Rounding average (a + b + 1) >> 1 without the wider intermediate. */
static inline vu8 u8_avgr(vu8 a, vu8 b) { return (a | b) - ((a ^ b) >> 1); }
static inline vu16 u16_avgr(vu16 a, vu16 b) { return (a | b) - ((a ^ b) >> 1); }

/* Bit count of each byte (the classic SWAR reduction). */
static inline vu8 u8_popcnt(vu8 x)
{
    x = x - ((x >> 1) & 0x55);
    x = (x & 0x33) + ((x >> 2) & 0x33);
    return (x + (x >> 4)) & 0x0F;
}

/* One bit per lane: the lane's sign bit. */
static inline uint32_t i8_bitmask(vi8 a)
{
    uint32_t m = 0;
    for (int i = 0; i < 16; i++)
        m |= (uint32_t)(a[i] < 0) << i;
    return m;
}
static inline uint32_t i16_bitmask(vi16 a)
{
    uint32_t m = 0;
    for (int i = 0; i < 8; i++)
        m |= (uint32_t)(a[i] < 0) << i;
    return m;
}
static inline uint32_t i32_bitmask(vi32 a)
{
    uint32_t m = 0;
    for (int i = 0; i < 4; i++)
        m |= (uint32_t)(a[i] < 0) << i;
    return m;
}
static inline uint32_t i64_bitmask(vi64 a) { return (uint32_t)(a[0] < 0) | (uint32_t)(a[1] < 0) << 1; }

/* ------------------------------------------------------------ narrowing */

/* Lanes of a then lanes of b, each saturated into the narrower type (the
 * inputs are signed in both the _s and _u forms): clamp in the wide lanes,
 * then truncate and concatenate. */
static inline vu8 i8_narrow_i16(vi16 a, vi16 b, int16_t lo, int16_t hi)
{
    vi16 vlo = (vi16){0} + lo, vhi = (vi16){0} + hi;
    a = (vi16)v_sel((vu64)(a < vlo), (vu64)vlo, (vu64)a);
    a = (vi16)v_sel((vu64)(a > vhi), (vu64)vhi, (vu64)a);
    b = (vi16)v_sel((vu64)(b < vlo), (vu64)vlo, (vu64)b);
    b = (vi16)v_sel((vu64)(b > vhi), (vu64)vhi, (vu64)b);
    hu8 na = __builtin_convertvector(a, hu8), nb = __builtin_convertvector(b, hu8);
    return __builtin_shufflevector(na, nb, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline vu16 i16_narrow_i32(vi32 a, vi32 b, int32_t lo, int32_t hi)
{
    vi32 vlo = (vi32){0} + lo, vhi = (vi32){0} + hi;
    a = (vi32)v_sel((vu64)(a < vlo), (vu64)vlo, (vu64)a);
    a = (vi32)v_sel((vu64)(a > vhi), (vu64)vhi, (vu64)a);
    b = (vi32)v_sel((vu64)(b < vlo), (vu64)vlo, (vu64)b);
    b = (vi32)v_sel((vu64)(b > vhi), (vu64)vhi, (vu64)b);
    hu16 na = __builtin_convertvector(a, hu16), nb = __builtin_convertvector(b, hu16);
    return __builtin_shufflevector(na, nb, 0, 1, 2, 3, 4, 5, 6, 7);
}

/* ------------------------------------------------------------ widening */

/* The low or high half of a vector, as a half vector. */
static inline hi8 i8_low(vi8 a) { return __builtin_shufflevector(a, a, 0, 1, 2, 3, 4, 5, 6, 7); }
static inline hi8 i8_high(vi8 a)
{
    return __builtin_shufflevector(a, a, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline hu8 u8_low(vu8 a) { return __builtin_shufflevector(a, a, 0, 1, 2, 3, 4, 5, 6, 7); }
static inline hu8 u8_high(vu8 a)
{
    return __builtin_shufflevector(a, a, 8, 9, 10, 11, 12, 13, 14, 15);
}
static inline hi16 i16_low(vi16 a) { return __builtin_shufflevector(a, a, 0, 1, 2, 3); }
static inline hi16 i16_high(vi16 a) { return __builtin_shufflevector(a, a, 4, 5, 6, 7); }
static inline hu16 u16_low(vu16 a) { return __builtin_shufflevector(a, a, 0, 1, 2, 3); }
static inline hu16 u16_high(vu16 a) { return __builtin_shufflevector(a, a, 4, 5, 6, 7); }
static inline hi32 i32_low(vi32 a) { return __builtin_shufflevector(a, a, 0, 1); }
static inline hi32 i32_high(vi32 a) { return __builtin_shufflevector(a, a, 2, 3); }
static inline hu32 u32_low(vu32 a) { return __builtin_shufflevector(a, a, 0, 1); }
static inline hu32 u32_high(vu32 a) { return __builtin_shufflevector(a, a, 2, 3); }

static inline hf32 f32_low(vf32 a) { return __builtin_shufflevector(a, a, 0, 1); }

/* Products of widened lanes (they cannot overflow the wider lane; the
 * multiplication is done unsigned all the same, so C sees no overflow). */
static inline vu16 i16_mul_wide(hi8 a, hi8 b)
{
    return (vu16)__builtin_convertvector(a, vi16) * (vu16)__builtin_convertvector(b, vi16);
}
static inline vu16 u16_mul_wide(hu8 a, hu8 b)
{
    return __builtin_convertvector(a, vu16) * __builtin_convertvector(b, vu16);
}
static inline vu32 i32_mul_wide(hi16 a, hi16 b)
{
    return (vu32)__builtin_convertvector(a, vi32) * (vu32)__builtin_convertvector(b, vi32);
}
static inline vu32 u32_mul_wide(hu16 a, hu16 b)
{
    return __builtin_convertvector(a, vu32) * __builtin_convertvector(b, vu32);
}
static inline vu64 i64_mul_wide(hi32 a, hi32 b)
{
    return (vu64)__builtin_convertvector(a, vi64) * (vu64)__builtin_convertvector(b, vi64);
}
static inline vu64 u64_mul_wide(hu32 a, hu32 b)
{
    return __builtin_convertvector(a, vu64) * __builtin_convertvector(b, vu64);
}

/* Even and odd lanes, as half vectors. */
static inline hi8 i8_even(vi8 a) { return __builtin_shufflevector(a, a, 0, 2, 4, 6, 8, 10, 12, 14); }
static inline hi8 i8_odd(vi8 a) { return __builtin_shufflevector(a, a, 1, 3, 5, 7, 9, 11, 13, 15); }
static inline hu8 u8_even(vu8 a) { return __builtin_shufflevector(a, a, 0, 2, 4, 6, 8, 10, 12, 14); }
static inline hu8 u8_odd(vu8 a) { return __builtin_shufflevector(a, a, 1, 3, 5, 7, 9, 11, 13, 15); }
static inline hi16 i16_even(vi16 a) { return __builtin_shufflevector(a, a, 0, 2, 4, 6); }
static inline hi16 i16_odd(vi16 a) { return __builtin_shufflevector(a, a, 1, 3, 5, 7); }
static inline hu16 u16_even(vu16 a) { return __builtin_shufflevector(a, a, 0, 2, 4, 6); }
static inline hu16 u16_odd(vu16 a) { return __builtin_shufflevector(a, a, 1, 3, 5, 7); }

/* Sum of adjacent lane pairs, widened (cannot overflow the wide lane). */
static inline vi16 i16_extadd_i8(vi8 a)
{
    return __builtin_convertvector(i8_even(a), vi16) + __builtin_convertvector(i8_odd(a), vi16);
}
static inline vu16 u16_extadd_u8(vu8 a)
{
    return __builtin_convertvector(u8_even(a), vu16) + __builtin_convertvector(u8_odd(a), vu16);
}
static inline vi32 i32_extadd_i16(vi16 a)
{
    return __builtin_convertvector(i16_even(a), vi32) + __builtin_convertvector(i16_odd(a), vi32);
}
static inline vu32 u32_extadd_u16(vu16 a)
{
    return __builtin_convertvector(u16_even(a), vu32) + __builtin_convertvector(u16_odd(a), vu32);
}

/* Sum of the products of adjacent signed 16-bit lane pairs, wrapping
 * (2 * -32768 * -32768 is 2^31). */
static inline vi32 i32_dot_i16(vi16 a, vi16 b)
{
    return (vi32)(i32_mul_wide(i16_even(a), i16_even(b)) + i32_mul_wide(i16_odd(a), i16_odd(b)));
}

/* (a * b + 2^14) >> 15 (arithmetic), saturated: only -32768 * -32768
 * overflows. */
static inline vi16 i16_q15mulr_sat(vi16 a, vi16 b)
{
    vi32 lo = (vi32)(i32_mul_wide(i16_low(a), i16_low(b)) + 0x4000) >> 15;
    vi32 hi = (vi32)(i32_mul_wide(i16_high(a), i16_high(b)) + 0x4000) >> 15;
    return (vi16)i16_narrow_i32(lo, hi, INT16_MIN, INT16_MAX);
}

/* ------------------------------------------------------------ floats */

/* min/max: NaN if either lane is NaN (a + b yields a quiet NaN), and
 * -0 < +0: equal lanes are or'ed (min) or and'ed (max) bitwise. */
static inline vf32 f32_vmin(vf32 a, vf32 b)
{
    vu64 ai = (vu64)a, bi = (vu64)b;
    vu64 r = v_sel((vu64)(a < b), ai, bi);
    r = v_sel((vu64)(a == b), ai | bi, r);
    return (vf32)v_sel((vu64)((a != a) | (b != b)), (vu64)(a + b), r);
}
static inline vf32 f32_vmax(vf32 a, vf32 b)
{
    vu64 ai = (vu64)a, bi = (vu64)b;
    vu64 r = v_sel((vu64)(a > b), ai, bi);
    r = v_sel((vu64)(a == b), ai & bi, r);
    return (vf32)v_sel((vu64)((a != a) | (b != b)), (vu64)(a + b), r);
}
static inline vf64 f64_vmin(vf64 a, vf64 b)
{
    vu64 ai = (vu64)a, bi = (vu64)b;
    vu64 r = v_sel((vu64)(a < b), ai, bi);
    r = v_sel((vu64)(a == b), ai | bi, r);
    return (vf64)v_sel((vu64)((a != a) | (b != b)), (vu64)(a + b), r);
}
static inline vf64 f64_vmax(vf64 a, vf64 b)
{
    vu64 ai = (vu64)a, bi = (vu64)b;
    vu64 r = v_sel((vu64)(a > b), ai, bi);
    r = v_sel((vu64)(a == b), ai & bi, r);
    return (vf64)v_sel((vu64)((a != a) | (b != b)), (vu64)(a + b), r);
}

/* Pseudo-min/max: exactly b < a ? b : a and a < b ? b : a, bits untouched
 * (a NaN in a is returned, one in b is not). */
static inline vf32 f32_pmin(vf32 a, vf32 b) { return (vf32)v_sel((vu64)(b < a), (vu64)b, (vu64)a); }
static inline vf32 f32_pmax(vf32 a, vf32 b) { return (vf32)v_sel((vu64)(a < b), (vu64)b, (vu64)a); }
static inline vf64 f64_pmin(vf64 a, vf64 b) { return (vf64)v_sel((vu64)(b < a), (vu64)b, (vu64)a); }
static inline vf64 f64_pmax(vf64 a, vf64 b) { return (vf64)v_sel((vu64)(a < b), (vu64)b, (vu64)a); }

/* Lane-wise scalar functions (rounding, sqrt): the scalar helpers of
 * numeric.h already give Wasm's NaN and signed-zero results. */
static inline vf32 f32_map(vf32 a, float (*f)(float))
{
    vf32 r = {0};
    for (int i = 0; i < 4; i++)
        r[i] = f(a[i]);
    return r;
}
static inline vf64 f64_map(vf64 a, double (*f)(double))
{
    vf64 r = {0};
    for (int i = 0; i < 2; i++)
        r[i] = f(a[i]);
    return r;
}

/* ------------------------------------------------------------ conversions */

/* Saturating truncation: NaN -> 0, out of range -> the nearest bound. The
 * f64x2 forms fill the upper two lanes with zeros. */
#define TWO_POW_31_F 2147483648.0f
#define TWO_POW_32_F 4294967296.0f

/* The f32 forms clamp in the float domain first, so the conversion proper
 * only sees values it can represent. */
static inline vi32 i32_trunc_sat_f32_s(vf32 a)
{
    const vf32 zero = {0}, lo = zero - TWO_POW_31_F;
    vi32 big = a >= TWO_POW_31_F, bad = (a != a) | big;
    vf32 c = (vf32)v_sel((vu64)(a < lo), (vu64)lo, (vu64)a);
    c = (vf32)v_sel((vu64)bad, (vu64)zero, (vu64)c);
    vi32 r = __builtin_convertvector(c, vi32);
    return (vi32)v_sel((vu64)big, (vu64)((vi32){0} + INT32_MAX), (vu64)r);
}
static inline vu32 u32_trunc_sat_f32(vf32 a)
{
    const vf32 zero = {0};
    vi32 big = a >= TWO_POW_32_F;
    vf32 c = (vf32)v_sel((vu64)((a > zero) & ~big), (vu64)a, (vu64)zero); /* NaN fails > */
    vu32 r = __builtin_convertvector(c, vu32);
    return (vu32)v_sel((vu64)big, (vu64)((vu32){0} + UINT32_MAX), (vu64)r);
}
static inline vi32 i32_trunc_sat_f64_s_zero(vf64 a)
{
    vi32 r = {sat_i32_s(a[0]), sat_i32_s(a[1]), 0, 0};
    return r;
}
static inline vu32 u32_trunc_sat_f64_zero(vf64 a)
{
    vu32 r = {sat_u32(a[0]), sat_u32(a[1]), 0, 0};
    return r;
}

/* f64 -> f32 rounds to nearest (NaNs stay NaNs, quieted); upper lanes 0. */
static inline vf32 f32_demote_f64_zero(vf64 a)
{
    vf32 r = {(float)a[0], (float)a[1], 0.0f, 0.0f};
    return r;
}

/* ------------------------------------------------------------ permutations */

/* r[i] = a[s[i]] for indices below 16, else 0 (assembled like shuffle). */
static inline vu8 u8_swizzle(vu8 a, vu8 s)
{
    uint8_t src[V128_BYTES], sel[V128_BYTES];
    memcpy(src, &a, V128_BYTES);
    memcpy(sel, &s, V128_BYTES);
    uint64_t lo = 0, hi = 0;
    for (int i = 0; i < 8; i++) {
        uint64_t l = sel[i] < 16 ? src[sel[i] & 15] : 0;
        uint64_t h = sel[i + 8] < 16 ? src[sel[i + 8] & 15] : 0;
        lo |= l << (8 * i);
        hi |= h << (8 * i);
    }
    return (vu8)(vu64){lo, hi};
}

/* r[i] = (a ++ b)[idx[i]], idx[i] < 32 (checked by the validator). The
 * result is assembled in two 64-bit registers: writing it byte by byte to
 * memory and reading it back as a vector stalls store forwarding. */
static inline vu8 u8_shuffle(vu8 a, vu8 b, const uint8_t idx[V128_BYTES])
{
    uint8_t both[2 * V128_BYTES];
    memcpy(both, &a, V128_BYTES);
    memcpy(both + V128_BYTES, &b, V128_BYTES);
    uint64_t lo = 0, hi = 0;
    for (int i = 0; i < 8; i++) {
        lo |= (uint64_t)both[idx[i] & 31] << (8 * i);
        hi |= (uint64_t)both[idx[i + 8] & 31] << (8 * i);
    }
    return (vu8)(vu64){lo, hi};
}

#endif
