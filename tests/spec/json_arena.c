/* json_arena.c — bump allocator for JSON documents (see json_arena.h). */
#include "json_arena.h"

#include <stdalign.h>
#include <stdlib.h>

/* Big enough that a typical spec file needs only a few dozen blocks. */
#define ARENA_BLOCK_SIZE (256u * 1024u)

typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} arena_block;

struct json_arena {
    arena_block *head;
};

json_arena *json_arena_new(void)
{
    return calloc(1, sizeof(json_arena));
}

static arena_block *block_new(size_t size)
{
    arena_block *b = malloc(sizeof *b + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

static size_t align_up(size_t n)
{
    const size_t a = alignof(max_align_t);
    return (n + a - 1) / a * a;
}

void *json_arena_alloc(json_arena *a, size_t size)
{
    size = align_up(size ? size : 1);
    arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        /* Oversized requests get a block of their own, kept behind the
         * current one so the current block's free space is not wasted. */
        if (b && size > ARENA_BLOCK_SIZE / 4) {
            arena_block *big = block_new(size);
            if (!big)
                return NULL;
            big->used = size;
            big->next = b->next;
            b->next = big;
            return big->data;
        }
        b = block_new(size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

void json_arena_free(json_arena *a)
{
    if (!a)
        return;
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}
