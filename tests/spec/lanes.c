/* lanes.c — v128 lane shapes (see lanes.h). */
#include "lanes.h"

#include <string.h>

#define BITS_PER_BYTE 8u

static const struct {
    const char *name;
    unsigned bytes;
    int is_float;
} SHAPES[] = {
    [LANE_I8] = {"i8", 1, 0},  [LANE_I16] = {"i16", 2, 0}, [LANE_I32] = {"i32", 4, 0},
    [LANE_I64] = {"i64", 8, 0}, [LANE_F32] = {"f32", 4, 1}, [LANE_F64] = {"f64", 8, 1},
};
#define SHAPE_COUNT (sizeof SHAPES / sizeof SHAPES[0])

int spec_lane_by_name(const json_string *name, uint8_t *lane)
{
    for (unsigned i = 0; i < SHAPE_COUNT; i++) {
        if (json_string_is(name, SHAPES[i].name)) {
            *lane = (uint8_t)i;
            return 1;
        }
    }
    return 0;
}

const char *spec_lane_name(spec_lane lane) { return SHAPES[lane].name; }
unsigned spec_lane_bits(spec_lane lane) { return SHAPES[lane].bytes * BITS_PER_BYTE; }
unsigned spec_lane_count(spec_lane lane) { return V128_BYTES / SHAPES[lane].bytes; }
int spec_lane_is_float(spec_lane lane) { return SHAPES[lane].is_float; }

/* Byte by byte so the result does not depend on the host's endianness:
 * Wasm lanes are little-endian. */
uint64_t spec_lane_get(const uint8_t bytes[V128_BYTES], spec_lane lane, unsigned i)
{
    unsigned n = SHAPES[lane].bytes;
    uint64_t v = 0;
    for (unsigned b = n; b-- > 0;)
        v = (v << BITS_PER_BYTE) | bytes[i * n + b];
    return v;
}

void spec_lane_set(uint8_t bytes[V128_BYTES], spec_lane lane, unsigned i, uint64_t bits)
{
    unsigned n = SHAPES[lane].bytes;
    for (unsigned b = 0; b < n; b++, bits >>= BITS_PER_BYTE)
        bytes[i * n + b] = (uint8_t)bits;
}
