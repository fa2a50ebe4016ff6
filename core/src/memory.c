/* memory.c — linear memories. The whole address range a memory may ever need
 * (its maximum, clamped to the engine's limit) is reserved up front with
 * PROT_NONE and committed page by page on grow, so the base never moves:
 * pointers held by embedders stay valid across memory.grow. Accesses are
 * bounds-checked explicitly by the interpreter; no signal handlers. An
 * instance's memory, once freed, may be kept zeroed in its engine's pool
 * for the next instance (map_pool.h; RATIONALE.md, "Reusing memories and
 * stacks"). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "interp_support.h"
#include "live_objects.h"
#include "runtime.h"

static uint64_t effective_max_pages(const weft_config *cfg, bool has_max, uint64_t max)
{
    uint64_t limit = cfg->max_memory_pages;
    if (limit > WASM_MAX_PAGES)
        limit = WASM_MAX_PAGES;
    return has_max && max < limit ? max : limit;
}

/* The engine's page budget: every committed page of every live memory is
 * counted, so that many instances together stay under
 * max_total_memory_pages (no limit: counted all the same, for
 * weft_engine_memory_pages). */
static bool budget_take(weft_engine *e, uint64_t pages)
{
    uint64_t limit = e->config.max_total_memory_pages;
    uint64_t used = atomic_load(&e->memory_pages);
    do {
        if (pages > limit || used > limit - pages)
            return false;
    } while (!atomic_compare_exchange_weak(&e->memory_pages, &used, used + pages));
    return true;
}

static void budget_give(weft_engine *e, uint64_t pages)
{
    atomic_fetch_sub(&e->memory_pages, pages);
}

/* Makes exactly the first `want` bytes of a reservation accessible, when
 * the first `have` are: an mprotect of the difference only. */
static bool protect_prefix(uint8_t *base, size_t have, size_t want)
{
    if (want > have)
        return mprotect(base + have, want - have, PROT_READ | PROT_WRITE) == 0;
    if (want < have)
        return mprotect(base + want, have - want, PROT_NONE) == 0;
    return true;
}

/* Pooled memories are zeroed with memset up to this many committed bytes:
 * their pages stay resident, so the next instance's data segments and first
 * writes take no page fault. On this VM a fault costs ~4-13 us per 4 KiB
 * page and memset ~0.4 us, so memset wins unless a guest touched less than
 * about a tenth of its memory; a larger memory is likelier to be mostly
 * untouched, and its memset would take milliseconds. A Go guest of 53
 * pages (3.3 MiB, 1.7 MB of data segments) instantiated in 2.5 ms with
 * faults, 0.95 ms without. Larger memories, and those over the pool's
 * resident budget, are zeroed with MADV_DONTNEED instead: one syscall, the
 * pages go back to the kernel and fault in again, zero, when touched. */
#define POOL_MEMSET_MAX_BYTES ((size_t)8 << 20)
/* What an engine's pooled memories may keep resident together. */
#define POOL_RESIDENT_MAX_BYTES ((size_t)32 << 20)

/* Zeroes a memory's committed bytes before another instance may get it:
 * no guest ever sees what the previous one left. *resident: how many of
 * them stay resident, paid from the pool's budget. */
static bool scrub(map_pool *pool, uint8_t *base, size_t committed, size_t *resident)
{
    if (committed <= POOL_MEMSET_MAX_BYTES &&
        map_pool_reserve_resident(pool, committed, POOL_RESIDENT_MAX_BYTES)) {
        memset(base, 0, committed);
        *resident = committed;
        return true;
    }
    *resident = 0;
    return madvise(base, committed, MADV_DONTNEED) == 0;
}

/* A reservation of `reserve` bytes whose first `initial` are accessible
 * and zero: a pooled one of that size, or a new mapping. */
static uint8_t *reservation_new(weft_engine *e, size_t reserve, size_t initial)
{
    pooled_map pm;
    if (e->config.pooling && map_pool_take(&e->memory_pool, reserve, &pm)) {
        if (protect_prefix(pm.base, pm.extra, initial))
            return pm.base;
        munmap(pm.base, pm.size);
    }
    void *base = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    if (!protect_prefix(base, 0, initial)) {
        munmap(base, reserve);
        return NULL;
    }
    return base;
}

/* Gives a memory's reservation back: to the engine's pool when it is an
 * instance's own (a host-made memory's pointer may well be kept by its
 * host) and pooling is on, else to the kernel. */
static void reservation_free(weft_memory *m)
{
    weft_engine *e = m->engine;
    size_t resident;
    if (e->config.pooling && m->hdr.owner && scrub(&e->memory_pool, m->base, m->size, &resident)) {
        map_pool_put(&e->memory_pool, (pooled_map){m->base, m->reserved, m->size, resident});
        return;
    }
    munmap(m->base, m->reserved);
}

weft_memory *memory_create(weft_engine *e, uint64_t min_pages, bool has_max, uint64_t max_pages,
                           memory_refusal *why)
{
    uint64_t max = effective_max_pages(&e->config, has_max, max_pages);
    *why = MEMORY_OVER_LIMIT;
    if (min_pages > max)
        return NULL;
    *why = MEMORY_OVER_TOTAL;
    if (!budget_take(e, min_pages))
        return NULL;
    *why = MEMORY_OUT_OF_MEMORY;
    weft_memory *m = calloc(1, sizeof *m);
    if (!m) {
        budget_give(e, min_pages);
        return NULL;
    }
    size_t reserve = (size_t)(max ? max : 1) * WASM_PAGE_SIZE;
    size_t initial = (size_t)min_pages * WASM_PAGE_SIZE;
    uint8_t *base = reservation_new(e, reserve, initial);
    if (!base) {
        budget_give(e, min_pages);
        free(m);
        return NULL;
    }
    *why = MEMORY_OK;
    atomic_init(&m->hdr.refs, 1);
    engine_retain(e);
    m->engine = e;
    m->base = base;
    m->size = initial;
    m->max_pages = max;
    m->has_max = has_max;
    m->declared_max = has_max ? max_pages : UINT64_MAX;
    m->reserved = reserve;
    live_inc(LIVE_MEMORY);
    return m;
}

void memory_destroy(weft_memory *m)
{
    if (!m)
        return;
    reservation_free(m);
    budget_give(m->engine, m->size / WASM_PAGE_SIZE);
    weft_engine_delete(m->engine);
    live_dec(LIVE_MEMORY);
    free(m);
}

int64_t memory_grow_pages(weft_memory *m, uint64_t delta)
{
    uint64_t old = m->size / WASM_PAGE_SIZE;
    if (delta == 0)
        return (int64_t)old;
    if (delta > m->max_pages - old)
        return -1;
    if (!budget_take(m->engine, delta))
        return -1;
    size_t bytes = (size_t)delta * WASM_PAGE_SIZE;
    if (mprotect(m->base + m->size, bytes, PROT_READ | PROT_WRITE) != 0) {
        budget_give(m->engine, delta);
        return -1;
    }
    m->size += bytes;
    return (int64_t)old;
}

weft_trap_code memory_fill(weft_memory *m, uint32_t dst, uint8_t val, uint32_t n)
{
    if ((uint64_t)dst + n > m->size)
        return WEFT_TRAP_MEMORY_OUT_OF_BOUNDS;
    memset(m->base + dst, val, n);
    return WEFT_TRAP_NONE;
}

weft_trap_code memory_copy(weft_memory *m, uint32_t dst, uint32_t src, uint32_t n)
{
    if ((uint64_t)dst + n > m->size || (uint64_t)src + n > m->size)
        return WEFT_TRAP_MEMORY_OUT_OF_BOUNDS;
    memmove(m->base + dst, m->base + src, n);
    return WEFT_TRAP_NONE;
}

weft_trap_code memory_init(weft_instance *inst, weft_memory *m, uint32_t seg, uint32_t dst,
                           uint32_t src, uint32_t n)
{
    const data_segment *d = &inst->m->datas[seg];
    uint64_t seg_size = inst->data_dropped[seg] ? 0 : d->size;
    if ((uint64_t)src + n > seg_size || (uint64_t)dst + n > m->size)
        return WEFT_TRAP_MEMORY_OUT_OF_BOUNDS;
    if (n)
        memcpy(m->base + dst, d->bytes + src, n);
    return WEFT_TRAP_NONE;
}

/* ------------------------------------------------------------ public API */

weft_memory *weft_memory_new(weft_engine *e, uint32_t min, uint32_t max)
{
    bool has_max = max != UINT32_MAX;
    if (min > WASM_MAX_PAGES || (has_max && (max > WASM_MAX_PAGES || min > max)))
        return NULL;
    memory_refusal why;
    return memory_create(e, min, has_max, max, &why);
}

void weft_memory_delete(weft_memory *m)
{
    if (m && !m->hdr.owner)
        obj_release_memory(m);
}

uint8_t *weft_memory_data(weft_memory *m) { return m->base; }
size_t weft_memory_size(const weft_memory *m) { return (size_t)m->size; }
const uint64_t *weft_memory_size_address(const weft_memory *m) { return &m->size; }
uint32_t weft_memory_pages(const weft_memory *m) { return (uint32_t)(m->size / WASM_PAGE_SIZE); }
int64_t weft_memory_grow(weft_memory *m, uint32_t delta) { return memory_grow_pages(m, delta); }
uint64_t weft_memory_max_pages(const weft_memory *m) { return m->max_pages; }
uint64_t weft_engine_memory_pages(const weft_engine *e)
{
    return atomic_load(&e->memory_pages);
}
