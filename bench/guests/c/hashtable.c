/* hashtable — memory-bound code with pointer chasing: an open-addressing
 * (linear probing) hash table from uint32 keys to counters, on heap memory
 * from malloc; inserts, lookups (hits and misses) and deletions. */
#include "bench.h"
#include <stdlib.h>

#define HT_BITS 20
#define HT_CAP (1u << HT_BITS)
#define HT_KEYS 600000u
#define HT_ROUNDS 3
#define HT_EMPTY 0u
#define HT_TOMBSTONE 1u /* keys 0 and 1 are reserved markers */
/* At most HT_KEYS distinct keys ever live in a table of HT_CAP slots, and a
 * deleted key re-inserted reuses a tombstone on its own probe path, so
 * empty slots never run out and every probe ends. */

typedef struct {
    uint32_t key;
    uint32_t value;
} slot;

static uint32_t hash_key(uint32_t k)
{
    k ^= k >> 16;
    k *= 0x7feb352du;
    k ^= k >> 15;
    k *= 0x846ca68bu;
    k ^= k >> 16;
    return k & (HT_CAP - 1);
}

static void ht_add(slot *t, uint32_t key, uint32_t inc)
{
    uint32_t i = hash_key(key), grave = HT_CAP;
    for (;;) {
        if (t[i].key == key) {
            t[i].value += inc;
            return;
        }
        if (t[i].key == HT_TOMBSTONE && grave == HT_CAP)
            grave = i;
        if (t[i].key == HT_EMPTY)
            break;
        i = (i + 1) & (HT_CAP - 1);
    }
    if (grave != HT_CAP)
        i = grave;
    t[i].key = key;
    t[i].value = inc;
}

static slot *ht_find(slot *t, uint32_t key)
{
    for (uint32_t i = hash_key(key);; i = (i + 1) & (HT_CAP - 1)) {
        if (t[i].key == key)
            return &t[i];
        if (t[i].key == HT_EMPTY)
            return 0;
    }
}

static uint32_t bench(void)
{
    slot *t = calloc(HT_CAP, sizeof *t);
    if (!t)
        return 0;
    uint32_t seed = 0x1b873593u, h = BENCH_FNV_SEED;
    for (int r = 0; r < HT_ROUNDS; r++) {
        uint32_t start = seed;
        for (uint32_t i = 0; i < HT_KEYS; i++)
            ht_add(t, (bench_rand(&seed) % HT_KEYS) + 2, i & 7);
        seed = start; /* replay the same keys: all hits */
        uint32_t hits = 0, sum = 0;
        for (uint32_t i = 0; i < HT_KEYS; i++) {
            slot *s = ht_find(t, (bench_rand(&seed) % HT_KEYS) + 2);
            if (s) {
                hits++;
                sum += s->value;
            }
        }
        for (uint32_t i = 0; i < HT_KEYS / 2; i++) { /* half misses; deletes some hits */
            slot *s = ht_find(t, (bench_rand(&seed) % (HT_KEYS * 2)) + 2);
            if (s && (s->value & 1))
                s->key = HT_TOMBSTONE;
        }
        h = bench_mix(bench_mix(h, hits), sum);
    }
    free(t);
    return h;
}

BENCH_ENTRY(bench)
