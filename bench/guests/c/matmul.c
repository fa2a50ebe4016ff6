/* matmul — double-precision floating point and 2-D array indexing:
 * C = A * B for square matrices (i-k-j loop order), repeated with the
 * result fed back so no pass can be skipped. */
#include "bench.h"

#define MAT_N 160
#define MAT_ROUNDS 12

static double a[MAT_N][MAT_N], b[MAT_N][MAT_N], c[MAT_N][MAT_N];

static void multiply(void)
{
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++)
            c[i][j] = 0;
        for (int k = 0; k < MAT_N; k++) {
            double aik = a[i][k];
            for (int j = 0; j < MAT_N; j++)
                c[i][j] += aik * b[k][j];
        }
    }
}

static uint32_t bench(void)
{
    uint32_t seed = 0x2545f491u;
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            a[i][j] = (double)(bench_rand(&seed) % 1000) / 1000.0 - 0.5;
            b[i][j] = (double)(bench_rand(&seed) % 1000) / 1000.0 - 0.5;
        }
    uint32_t h = BENCH_FNV_SEED;
    for (int r = 0; r < MAT_ROUNDS; r++) {
        multiply();
        /* Feed C back as the next A, scaled to keep values bounded. */
        double sum = 0;
        for (int i = 0; i < MAT_N; i++)
            for (int j = 0; j < MAT_N; j++)
                sum += c[i][j] < 0 ? -c[i][j] : c[i][j];
        double scale = (double)MAT_N / sum;
        for (int i = 0; i < MAT_N; i++)
            for (int j = 0; j < MAT_N; j++)
                a[i][j] = c[i][j] * scale;
        h = bench_mix_f64(h, sum);
    }
    return h;
}

BENCH_ENTRY(bench)
