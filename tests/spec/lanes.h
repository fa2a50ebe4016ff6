/* lanes.h — the lane shapes of a v128 (i8x16 ... f64x2): names, widths, and
 * reading or writing one lane of the 16 little-endian bytes. */
#ifndef SPEC_LANES_H
#define SPEC_LANES_H

#include <stdint.h>

#include "json.h"
#include "values.h"

#define V128_BYTES 16

/* Finds a lane shape by its JSON name ("i8", ..., "f64"). */
int spec_lane_by_name(const json_string *name, uint8_t *lane);
const char *spec_lane_name(spec_lane lane);
unsigned spec_lane_bits(spec_lane lane);
unsigned spec_lane_count(spec_lane lane);
int spec_lane_is_float(spec_lane lane);
/* Lane i of a v128 as an unsigned bit pattern, and the reverse. */
uint64_t spec_lane_get(const uint8_t bytes[V128_BYTES], spec_lane lane, unsigned i);
void spec_lane_set(uint8_t bytes[V128_BYTES], spec_lane lane, unsigned i, uint64_t bits);

#endif /* SPEC_LANES_H */
