/* sieve — integer loops and branches: the sieve of Eratosthenes over a
 * byte array, repeated. Checksum: prime count and a hash of the primes. */
#include "bench.h"

#define SIEVE_LIMIT (1u << 21)
#define SIEVE_ROUNDS 8

static uint8_t composite[SIEVE_LIMIT];

static uint32_t sieve_once(uint32_t *hash)
{
    memset(composite, 0, sizeof composite);
    uint32_t count = 0;
    for (uint32_t i = 2; i < SIEVE_LIMIT; i++) {
        if (composite[i])
            continue;
        count++;
        *hash = bench_mix(*hash, i);
        for (uint32_t j = i * 2; j < SIEVE_LIMIT; j += i)
            composite[j] = 1;
    }
    return count;
}

static uint32_t bench(void)
{
    uint32_t hash = BENCH_FNV_SEED, total = 0;
    for (int r = 0; r < SIEVE_ROUNDS; r++)
        total += sieve_once(&hash);
    return bench_mix(hash, total);
}

BENCH_ENTRY(bench)
