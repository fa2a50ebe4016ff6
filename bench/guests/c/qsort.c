/* qsort — memory-bound integer code with unpredictable branches: an
 * in-place quicksort (median of three, insertion sort for small runs) of
 * pseudo-random ints, repeated on fresh data. */
#include "bench.h"

#define QS_COUNT 300000
#define QS_ROUNDS 6
#define QS_SMALL 16

static int32_t data[QS_COUNT];

static void insertion_sort(int32_t *v, int32_t n)
{
    for (int32_t i = 1; i < n; i++) {
        int32_t x = v[i], j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void swap(int32_t *a, int32_t *b) { int32_t t = *a; *a = *b; *b = t; }

static void quicksort(int32_t *v, int32_t n)
{
    while (n > QS_SMALL) {
        int32_t mid = n / 2;
        if (v[mid] < v[0]) swap(&v[mid], &v[0]);
        if (v[n - 1] < v[0]) swap(&v[n - 1], &v[0]);
        if (v[n - 1] < v[mid]) swap(&v[n - 1], &v[mid]);
        int32_t pivot = v[mid];
        int32_t i = 0, j = n - 1;
        for (;;) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i >= j) break;
            swap(&v[i], &v[j]);
            i++;
            j--;
        }
        /* Recurse on the smaller side, loop on the larger: O(log n) depth. */
        int32_t left = j + 1;
        if (left < n - left) {
            quicksort(v, left);
            v += left;
            n -= left;
        } else {
            quicksort(v + left, n - left);
            n = left;
        }
    }
    insertion_sort(v, n);
}

static uint32_t bench(void)
{
    uint32_t seed = 0x7f4a7c15u, h = BENCH_FNV_SEED;
    for (int r = 0; r < QS_ROUNDS; r++) {
        for (int32_t i = 0; i < QS_COUNT; i++)
            data[i] = (int32_t)(bench_rand(&seed) % 1000000u) - 500000;
        quicksort(data, QS_COUNT);
        for (int32_t i = 1; i < QS_COUNT; i++)
            if (data[i - 1] > data[i])
                return 0; /* not sorted: a wrong checksum, never a silent pass */
        for (int32_t i = 0; i < QS_COUNT; i += 997)
            h = bench_mix(h, (uint32_t)data[i]);
    }
    return h;
}

BENCH_ENTRY(bench)
