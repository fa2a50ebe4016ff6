/* memops — memory-bound code: memcpy, memmove and memset of mixed sizes
 * over a buffer, plus a hand-written byte-copy loop.
 *
 * Built twice from this one source (see build.sh): `memops` as plain
 * wasm32, where memcpy/memset are wasi-libc's loops, and `bulkmem` with
 * -mbulk-memory, where clang lowers them to memory.copy / memory.fill. */
#include "bench.h"

#define MEM_BUF_SIZE (4u << 20)
#define MEM_OPS 60000
#define MEM_MAX_LEN 16384

static uint8_t buf[MEM_BUF_SIZE];

/* A byte loop the compiler must not turn into a memcpy call. */
__attribute__((noinline)) static void copy_bytes(volatile uint8_t *dst, const uint8_t *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
}

static uint32_t bench(void)
{
    uint32_t seed = 0xdeadbeefu;
    for (uint32_t i = 0; i < MEM_BUF_SIZE; i += 4) {
        uint32_t r = bench_rand(&seed);
        memcpy(buf + i, &r, 4);
    }
    uint32_t h = BENCH_FNV_SEED;
    for (uint32_t op = 0; op < MEM_OPS; op++) {
        uint32_t r = bench_rand(&seed);
        uint32_t len = r % MEM_MAX_LEN;
        uint32_t src = bench_rand(&seed) % (MEM_BUF_SIZE - MEM_MAX_LEN);
        uint32_t dst = bench_rand(&seed) % (MEM_BUF_SIZE - MEM_MAX_LEN);
        switch (op & 3) {
        case 0:
            if (dst + len <= src || src + len <= dst)
                memcpy(buf + dst, buf + src, len);
            else
                memmove(buf + dst, buf + src, len);
            break;
        case 1: memmove(buf + dst, buf + src, len); break;
        case 2: memset(buf + dst, (int)(r >> 24), len); break;
        case 3: copy_bytes(buf + dst, buf + src, len / 16); break;
        }
        h = bench_mix(h, buf[(dst + len / 2) % MEM_BUF_SIZE]);
    }
    for (uint32_t i = 0; i < MEM_BUF_SIZE; i += 4093)
        h = bench_mix(h, buf[i]);
    return h;
}

BENCH_ENTRY(bench)
