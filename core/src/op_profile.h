/* op_profile.h — counts of executed instructions and instruction pairs, for
 * choosing fusions (docs/RATIONALE.md, "What made the interpreter fast").
 * Only in a profiling build: -DWEFT_SWITCH_DISPATCH -DWEFT_OP_PROFILE (see
 * bench/op-profile.sh); the interpreter then counts each instruction it
 * dispatches, and the counts are written at exit to $WEFT_OP_PROFILE. */
#ifndef WEFT_OP_PROFILE_H
#define WEFT_OP_PROFILE_H

#include <stdint.h>

#ifdef WEFT_OP_PROFILE
void op_profile_count(uint32_t op);
#endif

#endif
