/* live_objects.c — the live-object counters of live_objects.h. */
#include <stddef.h>

#include "live_objects.h"

atomic_long live_objects[LIVE_KINDS];

#define LIVE_NAME(kind, name) name,
static const char *const live_names[LIVE_KINDS] = {LIVE_OBJECT_KINDS(LIVE_NAME)};
#undef LIVE_NAME

int live_objects_read(int64_t *out, int n)
{
    for (int k = 0; k < n && k < LIVE_KINDS; k++)
        out[k] = atomic_load_explicit(&live_objects[k], memory_order_relaxed);
    return LIVE_KINDS;
}

const char *live_objects_name(int k) { return k >= 0 && k < LIVE_KINDS ? live_names[k] : NULL; }
