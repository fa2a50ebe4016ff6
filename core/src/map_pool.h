/* map_pool.h — a few freed anonymous mappings an engine keeps for reuse.
 *
 * Instantiating and closing a small module used to cost tens of
 * microseconds, nearly all of it in the kernel: mmap of the memory's
 * reservation and of the instance's stacks, mprotect, munmap, and a page
 * fault on the first write. An engine that instantiates the same modules
 * again and again (a request per instance) can hand the next instance the
 * mappings the last one freed instead. What a mapping must look like when
 * it is put back (zeroed, protected) is the caller's policy (memory.c,
 * instance.c); this only keeps them: bounded, thread-safe, and unmapped
 * when the engine goes. */
#ifndef WEFT_MAP_POOL_H
#define WEFT_MAP_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* Entries per pool. A host that closes instances as fast as it makes them
 * needs one or two per thread; 8 covers a handful of threads, and what the
 * pool holds is mostly address space, not memory (see the callers). */
#define MAP_POOL_SLOTS 8

typedef struct pooled_map {
    void *base;
    size_t size;  /* bytes mapped: only a request of exactly this size takes it */
    size_t extra; /* the caller's own (memory.c: bytes readable and writable) */
    size_t resident; /* bytes it keeps resident, paid from map_pool.resident */
} pooled_map;

/* A plain mutex: taken twice per instance lifetime, uncontended it costs
 * tens of nanoseconds against the microseconds of the syscalls it saves,
 * and unlike a lock-free stack it needs no ABA care. */
typedef struct map_pool {
    pthread_mutex_t lock;
    unsigned n;
    pooled_map slot[MAP_POOL_SLOTS]; /* slot[n - 1] is the newest */
    /* Bytes the entries keep resident, and those reserved for entries
     * about to be put (map_pool_reserve_resident). */
    size_t resident;
} map_pool;

void map_pool_init(map_pool *p);
/* Moves a pooled mapping of exactly `size` bytes (the newest such) into
 * *out; false when there is none. */
bool map_pool_take(map_pool *p, size_t size, pooled_map *out);
/* Reserves `bytes` of resident memory for an entry about to be put,
 * within a total of `limit` for the pool; false when it would exceed it.
 * The entry's put passes the bytes on (pooled_map.resident); they are
 * freed when it is taken or unmapped. */
bool map_pool_reserve_resident(map_pool *p, size_t bytes, size_t limit);
/* Keeps `m` for a later take. When the pool is full, its oldest entry is
 * unmapped to make room: the newest freed is the likeliest asked for next. */
void map_pool_put(map_pool *p, pooled_map m);
/* Unmaps every pooled mapping; the pool is unusable afterwards. */
void map_pool_destroy(map_pool *p);

#endif
