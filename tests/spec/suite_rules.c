/* suite_rules.c — proposal features by suite directory (see suite_rules.h). */
#include "suite_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "weft.h"

typedef struct proposal_rule {
    const char *dir_name; /* basename of the directory holding the .json */
    uint32_t features;
} proposal_rule;

static const proposal_rule PROPOSALS[] = {
    {"tail-call", WEFT_FEATURE_TAIL_CALL},
};
#define PROPOSAL_COUNT (sizeof PROPOSALS / sizeof PROPOSALS[0])

uint32_t suite_extra_features(const char *json_path)
{
    char *dir = path_dir(json_path);
    if (!dir)
        return 0;
    uint32_t features = 0;
    const char *name = path_base(dir);
    for (size_t i = 0; i < PROPOSAL_COUNT; i++)
        if (strcmp(name, PROPOSALS[i].dir_name) == 0)
            features |= PROPOSALS[i].features;
    free(dir);
    return features;
}
