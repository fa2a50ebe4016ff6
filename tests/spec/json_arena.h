/* json_arena.h — bump allocator that owns every node of a JSON document.
 *
 * A spec file has tens of thousands of small nodes that all die together, so
 * one arena per document makes parsing cheap and freeing a single walk. */
#ifndef SPEC_JSON_ARENA_H
#define SPEC_JSON_ARENA_H

#include <stddef.h>

typedef struct json_arena json_arena;

json_arena *json_arena_new(void);
/* `size` bytes aligned for any object, or NULL when out of memory. */
void *json_arena_alloc(json_arena *a, size_t size);
void json_arena_free(json_arena *a);

#endif /* SPEC_JSON_ARENA_H */
