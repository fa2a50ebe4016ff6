/* live_objects.h — how many of the engine's objects are alive, by kind: a
 * leak check for long-running hosts (tests/soak reads the counts through
 * live_objects_read after closing everything and expects them back at their
 * baseline; an engine's pooled mappings, map_pool.h, go with it). Internal: not declared in weft.h and, like every name without
 * the weft_ prefix, not exported from libweft.so. Counting costs one relaxed
 * atomic add per create and per free. */
#ifndef WEFT_LIVE_OBJECTS_H
#define WEFT_LIVE_OBJECTS_H

#include <stdatomic.h>
#include <stdint.h>

/* X(KIND, "name"): one per counted object type, counted where it is
 * allocated and where it is freed. */
#define LIVE_OBJECT_KINDS(X)          \
    X(LIVE_ENGINE, "engine")          \
    X(LIVE_MODULE, "module")          \
    X(LIVE_INSTANCE, "instance")      \
    X(LIVE_FUNC, "func")              \
    X(LIVE_MEMORY, "memory")          \
    X(LIVE_TABLE, "table")            \
    X(LIVE_GLOBAL, "global")          \
    X(LIVE_FUNCTYPE, "functype")      \
    X(LIVE_TRAP, "trap")              \
    X(LIVE_ERROR, "error")            \
    X(LIVE_WASI, "wasi")              \
    X(LIVE_TRAMPOLINE, "trampoline")  \
    X(LIVE_POOLED_MAPPING, "pooled mapping")

#define LIVE_ENUM(kind, name) kind,
typedef enum live_kind { LIVE_OBJECT_KINDS(LIVE_ENUM) LIVE_KINDS } live_kind;
#undef LIVE_ENUM

extern atomic_long live_objects[LIVE_KINDS];

static inline void live_inc(live_kind k) { atomic_fetch_add_explicit(&live_objects[k], 1, memory_order_relaxed); }
static inline void live_dec(live_kind k) { atomic_fetch_sub_explicit(&live_objects[k], 1, memory_order_relaxed); }

/* live_objects_read stores the count of each kind, in enum order, into
 * out[0..n) and returns how many kinds there are (LIVE_KINDS). */
int live_objects_read(int64_t *out, int n);

/* live_objects_name is the name of kind k ("engine", "module", ...), or NULL
 * when k is out of range. */
const char *live_objects_name(int k);

#endif
