/* interp_support.h — the out-of-line work of the dispatch loop: bulk memory
 * and table operations (memory.c, table.c) and signature checks; host calls
 * are host_call.h's. Each returns a trap code (WEFT_TRAP_NONE on success) so
 * the loop decides how to unwind. */
#ifndef WEFT_INTERP_SUPPORT_H
#define WEFT_INTERP_SUPPORT_H

#include <string.h>

#include "runtime.h"

weft_trap_code memory_fill(weft_memory *m, uint32_t dst, uint8_t val, uint32_t n);
weft_trap_code memory_copy(weft_memory *m, uint32_t dst, uint32_t src, uint32_t n);
weft_trap_code memory_init(weft_instance *inst, weft_memory *m, uint32_t seg, uint32_t dst,
                           uint32_t src, uint32_t n);

weft_trap_code table_fill(weft_table *t, uint32_t i, void *val, uint32_t n);
weft_trap_code table_copy(weft_table *dst, weft_table *src, uint32_t d, uint32_t s, uint32_t n);
weft_trap_code table_init(weft_instance *inst, weft_table *t, uint32_t seg, uint32_t d,
                          uint32_t s, uint32_t n);

/* True if f's type equals the expected one (key first, then structure). */
static inline bool signature_matches(const weft_func *f, uint64_t key, const uint32_t *type_ptr)
{
    if (f->type->key != key)
        return false;
    if (!(key >> 63))
        return true;
    const functype *want;
    memcpy(&want, type_ptr, sizeof want);
    return functype_equal(f->type, want);
}

weft_trap *trap_new_message(weft_trap_code code, const char *message);

#endif
