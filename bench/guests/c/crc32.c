/* crc32 — integer loops: table-driven CRC-32 (IEEE, reflected) and a
 * 32-bit FNV-1a hash over a pseudo-random buffer, several passes. */
#include "bench.h"

#define CRC_BUF_SIZE (1u << 20)
#define CRC_PASSES 24

static uint8_t buf[CRC_BUF_SIZE];
static uint32_t crc_table[256];

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
    crc = ~crc;
    for (uint32_t i = 0; i < n; i++)
        crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t fnv1a(uint32_t h, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static uint32_t bench(void)
{
    uint32_t seed = 0x12345678u;
    for (uint32_t i = 0; i < CRC_BUF_SIZE; i++)
        buf[i] = (uint8_t)bench_rand(&seed);
    crc_init();
    uint32_t crc = 0, h = BENCH_FNV_SEED;
    for (int pass = 0; pass < CRC_PASSES; pass++) {
        crc = crc32(crc, buf, CRC_BUF_SIZE);
        h = fnv1a(h, buf, CRC_BUF_SIZE);
        buf[pass] ^= (uint8_t)crc; /* each pass sees different data */
    }
    return bench_mix(crc, h);
}

BENCH_ENTRY(bench)
