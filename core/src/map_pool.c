/* map_pool.c — the bounded pool of freed mappings of map_pool.h. */
#include <string.h>
#include <sys/mman.h>

#include "live_objects.h"
#include "map_pool.h"

void map_pool_init(map_pool *p)
{
    pthread_mutex_init(&p->lock, NULL);
    p->n = 0;
    p->resident = 0;
}

static void unmap(pooled_map m)
{
    munmap(m.base, m.size);
    live_dec(LIVE_POOLED_MAPPING);
}

bool map_pool_take(map_pool *p, size_t size, pooled_map *out)
{
    bool found = false;
    pthread_mutex_lock(&p->lock);
    for (unsigned i = p->n; i-- > 0;) {
        if (p->slot[i].size != size)
            continue;
        *out = p->slot[i];
        p->resident -= out->resident;
        memmove(&p->slot[i], &p->slot[i + 1], (p->n - i - 1) * sizeof p->slot[0]);
        p->n--;
        found = true;
        break;
    }
    pthread_mutex_unlock(&p->lock);
    if (found)
        live_dec(LIVE_POOLED_MAPPING);
    return found;
}

bool map_pool_reserve_resident(map_pool *p, size_t bytes, size_t limit)
{
    pthread_mutex_lock(&p->lock);
    bool fits = bytes <= limit && p->resident <= limit - bytes;
    if (fits)
        p->resident += bytes;
    pthread_mutex_unlock(&p->lock);
    return fits;
}

void map_pool_put(map_pool *p, pooled_map m)
{
    live_inc(LIVE_POOLED_MAPPING);
    pooled_map evicted = {0};
    pthread_mutex_lock(&p->lock);
    if (p->n == MAP_POOL_SLOTS) {
        evicted = p->slot[0];
        p->resident -= evicted.resident;
        memmove(&p->slot[0], &p->slot[1], (MAP_POOL_SLOTS - 1) * sizeof p->slot[0]);
        p->n--;
    }
    p->slot[p->n++] = m;
    pthread_mutex_unlock(&p->lock);
    if (evicted.base) /* outside the lock: munmap is the slow part */
        unmap(evicted);
}

void map_pool_destroy(map_pool *p)
{
    for (unsigned i = 0; i < p->n; i++)
        unmap(p->slot[i]);
    p->n = 0;
    pthread_mutex_destroy(&p->lock);
}
