/* functype.c — function type keys and equality.
 *
 * call_indirect compares the callee's type with the expected one on every
 * call, so equality must usually be a single integer compare. Small types
 * (the vast majority) get a key that encodes them exactly; larger ones get a
 * hash with the top bit set, and only those need the structural compare. */
#include <string.h>

#include "module.h"

enum {
    KEY_COUNT_BITS = 5,            /* nparams and nresults fields */
    KEY_MAX_COUNT = (1 << KEY_COUNT_BITS) - 1,
    KEY_TYPES_SHIFT = 2 * KEY_COUNT_BITS,
    KEY_TYPE_BITS = 3,             /* one code per value type, see type_code */
    KEY_MAX_TYPES = 17             /* 10 + 3*17 = 61 bits: below the hash flag */
};

#define KEY_HASHED (UINT64_C(1) << 63)

/* FNV-1a parameters (64-bit): simple, and good enough to spread types that
 * will then be compared structurally anyway. */
#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

/* A 3-bit code per value type; 0 is never produced by a decoded module. */
static uint64_t type_code(valtype t)
{
    switch (t) {
    case VT_I32: return 1;
    case VT_I64: return 2;
    case VT_F32: return 3;
    case VT_F64: return 4;
    case VT_V128: return 5;
    case VT_FUNCREF: return 6;
    case VT_EXTERNREF: return 7;
    default: return 0;
    }
}

static uint64_t fnv_byte(uint64_t h, uint8_t b) { return (h ^ b) * FNV_PRIME; }

static uint64_t fnv_u32(uint64_t h, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        h = fnv_byte(h, (uint8_t)(v >> (8 * i)));
    return h;
}

static bool key_is_exact(const functype *t)
{
    return t->nparams <= KEY_MAX_COUNT && t->nresults <= KEY_MAX_COUNT &&
           t->nparams + t->nresults <= KEY_MAX_TYPES;
}

static uint64_t compute_key(const functype *t)
{
    uint32_t n = t->nparams + t->nresults;
    if (key_is_exact(t)) {
        uint64_t key = t->nparams | (uint64_t)t->nresults << KEY_COUNT_BITS;
        for (uint32_t i = 0; i < n; i++)
            key |= type_code(t->types[i]) << (KEY_TYPES_SHIFT + KEY_TYPE_BITS * i);
        return key;
    }
    uint64_t h = fnv_u32(fnv_u32(FNV_OFFSET, t->nparams), t->nresults);
    for (uint32_t i = 0; i < n; i++)
        h = fnv_byte(h, t->types[i]);
    return h | KEY_HASHED;
}

static uint32_t count_slots(const valtype *types, uint32_t first, uint32_t n)
{
    uint32_t slots = 0;
    for (uint32_t i = first; i < first + n; i++)
        slots += valtype_slots(types[i]);
    return slots;
}

void functype_finish(functype *t)
{
    /* Index from types rather than functype_results(): types may be NULL
     * for () -> () in hand-made types, and NULL + 0 is undefined. */
    t->param_slots = count_slots(t->types, 0, t->nparams);
    t->result_slots = count_slots(t->types, t->nparams, t->nresults);
    t->call_slots = t->param_slots > t->result_slots ? t->param_slots : t->result_slots;
    t->key = compute_key(t);
}

bool functype_equal(const functype *a, const functype *b)
{
    if (a->key != b->key)
        return false;
    if (!(a->key & KEY_HASHED))
        return true; /* the key is the type */
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           memcmp(a->types, b->types, (size_t)a->nparams + a->nresults) == 0;
}
