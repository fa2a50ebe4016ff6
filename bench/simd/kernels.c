/* kernels.c — the SIMD benchmark guest: a byte scan (memchr-style count),
 * a 16-bit dot product, a rounding byte average and a byte maximum over
 * 64 KiB of pseudo-random data. The loops are plain C; clang's
 * autovectorizer turns them into i8x16/i16x8/i32x4 code under -msimd128
 * (i8x16.eq, i32x4.extmul/i32x4.add, i8x16.avgr_u, i8x16.max_u), so the
 * same source measures the interpreter's scalar and vector paths.
 *
 * `run` (no parameters, no imports) returns a 31-bit checksum; built
 * natively (gcc -O2), main prints the same checksum, which build.sh uses to
 * check both Wasm builds. Fixed-width types only: wasm32 and the native
 * build must agree. */
#include <stdint.h>

#define BUF_BYTES 65536u
#define VEC_LEN 8192u
#define ROUNDS 400u
#define SAMPLE_RANGE 511u /* |x * y| * VEC_LEN stays below 2^31 */

static uint8_t text[BUF_BYTES];
static uint8_t mixed[BUF_BYTES];
static int16_t xs[VEC_LEN], ys[VEC_LEN];

static uint32_t next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

__attribute__((noinline)) static uint32_t count_byte(const uint8_t *p, uint32_t n, uint8_t c)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        k += p[i] == c;
    return k;
}

__attribute__((noinline)) static int32_t dot_i16(const int16_t *x, const int16_t *y, uint32_t n)
{
    int32_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += (int32_t)x[i] * y[i];
    return s;
}

__attribute__((noinline)) static void average(uint8_t *restrict d, const uint8_t *restrict a,
                                              const uint8_t *restrict b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        d[i] = (uint8_t)((a[i] + b[i] + 1u) >> 1);
}

__attribute__((noinline)) static uint8_t max_byte(const uint8_t *p, uint32_t n)
{
    uint8_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        m = p[i] > m ? p[i] : m;
    return m;
}

static uint32_t bench(void)
{
    uint32_t seed = 12345u;
    for (uint32_t i = 0; i < BUF_BYTES; i++)
        text[i] = (uint8_t)next(&seed);
    for (uint32_t i = 0; i < VEC_LEN; i++) {
        xs[i] = (int16_t)(next(&seed) % (2 * SAMPLE_RANGE + 1) - SAMPLE_RANGE);
        ys[i] = (int16_t)(next(&seed) % (2 * SAMPLE_RANGE + 1) - SAMPLE_RANGE);
    }
    uint32_t sum = 0;
    for (uint32_t r = 0; r < ROUNDS; r++) {
        sum = sum * 31u + count_byte(text, BUF_BYTES, (uint8_t)r);
        sum = sum * 31u + (uint32_t)dot_i16(xs, ys, VEC_LEN);
        average(mixed, text, text + BUF_BYTES / 2, BUF_BYTES / 2);
        sum = sum * 31u + max_byte(mixed, BUF_BYTES / 2);
        sum += mixed[(r * 977u) % (BUF_BYTES / 2)];
        /* change the inputs so no round repeats the previous one */
        text[(r * 7919u) % BUF_BYTES] ^= (uint8_t)(r | 1u);
        xs[r % VEC_LEN] = (int16_t)(xs[r % VEC_LEN] / 2);
    }
    return sum & 0x7fffffffu;
}

#if defined(__wasm__)
__attribute__((export_name("run"))) int32_t run(void) { return (int32_t)bench(); }
#else
#include <stdio.h>
int main(void)
{
    printf("%d\n", (int)bench());
    return 0;
}
#endif
