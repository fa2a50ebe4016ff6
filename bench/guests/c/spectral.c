/* spectral — double-precision floating point with divisions: the
 * spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2+i+1),
 * approximated by power iteration on an N x N section. */
#include "bench.h"

#define SPECTRAL_N 1000
#define SPECTRAL_ITERS 10

static double u[SPECTRAL_N], v[SPECTRAL_N], tmp[SPECTRAL_N];

static inline double eval_a(int i, int j)
{
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_av(const double *x, double *y)
{
    for (int i = 0; i < SPECTRAL_N; i++) {
        double s = 0;
        for (int j = 0; j < SPECTRAL_N; j++)
            s += eval_a(i, j) * x[j];
        y[i] = s;
    }
}

static void mul_atv(const double *x, double *y)
{
    for (int i = 0; i < SPECTRAL_N; i++) {
        double s = 0;
        for (int j = 0; j < SPECTRAL_N; j++)
            s += eval_a(j, i) * x[j];
        y[i] = s;
    }
}

static void mul_atav(const double *x, double *y)
{
    mul_av(x, tmp);
    mul_atv(tmp, y);
}

static uint32_t bench(void)
{
    for (int i = 0; i < SPECTRAL_N; i++)
        u[i] = 1;
    for (int i = 0; i < SPECTRAL_ITERS; i++) {
        mul_atav(u, v);
        mul_atav(v, u);
    }
    double vbv = 0, vv = 0;
    for (int i = 0; i < SPECTRAL_N; i++) {
        vbv += u[i] * v[i];
        vv += v[i] * v[i];
    }
    double norm = __builtin_sqrt(vbv / vv); /* 1.2742241... for large N */
    return bench_mix_f64(BENCH_FNV_SEED, norm);
}

BENCH_ENTRY(bench)
