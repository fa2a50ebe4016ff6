/* op_profile.c — see op_profile.h. Not thread-safe (a profiling run is one
 * guest on one thread); empty in ordinary builds. */
#include "op_profile.h"

#ifdef WEFT_OP_PROFILE
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

static uint64_t singles[OP_COUNT];
static uint64_t pairs[OP_COUNT][OP_COUNT]; /* [previous][this] */
static uint32_t previous = OP_COUNT;       /* none yet */

/* One line per instruction and per pair seen: "op COUNT NAME" and
 * "pair COUNT FIRST SECOND", unsorted (bench/op-profile.sh sorts). */
static void write_profile(void)
{
    const char *path = getenv("WEFT_OP_PROFILE");
    FILE *out = path && *path ? fopen(path, "w") : stderr;
    if (!out)
        return;
    for (uint32_t a = 0; a < OP_COUNT; a++) {
        if (singles[a])
            fprintf(out, "op %llu %s\n", (unsigned long long)singles[a], op_names[a]);
        for (uint32_t b = 0; b < OP_COUNT; b++)
            if (pairs[a][b])
                fprintf(out, "pair %llu %s %s\n", (unsigned long long)pairs[a][b], op_names[a],
                        op_names[b]);
    }
    if (out != stderr)
        fclose(out);
}

void op_profile_count(uint32_t op)
{
    if (previous == OP_COUNT)
        atexit(write_profile);
    else
        pairs[previous][op]++;
    singles[op]++;
    previous = op;
}
#endif
