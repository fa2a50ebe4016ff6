/* fib — recursive calls: the naive doubly recursive Fibonacci.
 * Measures call/return cost and small-frame handling. */
#include "bench.h"

#define FIB_N 37

/* The argument comes through a volatile so the compiler cannot fold the
 * whole computation at build time. */
static volatile int32_t fib_n = FIB_N;

__attribute__((noinline)) static uint32_t fib(int32_t n)
{
    if (n < 2)
        return (uint32_t)n;
    return fib(n - 1) + fib(n - 2);
}

static uint32_t bench(void)
{
    return fib(fib_n);
}

BENCH_ENTRY(bench)
