/* suite_rules.c — skip rules and proposal features (see suite_rules.h).
 * Every rule has a reason that is printed, so a skip is never silent. */
#include "suite_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "weft.h"

typedef struct file_skip_rule {
    const char *prefix;       /* file names starting with this */
    const char *enable_env;   /* setting this variable to "1" runs them */
    const char *reason;
} file_skip_rule;

static const file_skip_rule FILE_SKIPS[] = {
    {"simd_", "WEFT_SPECTEST_SIMD", "SIMD not implemented yet (issue 7)"},
};
#define FILE_SKIP_COUNT (sizeof FILE_SKIPS / sizeof FILE_SKIPS[0])

typedef struct proposal_rule {
    const char *dir_name; /* basename of the directory holding the .json */
    uint32_t features;
} proposal_rule;

static const proposal_rule PROPOSALS[] = {
    {"tail-call", WEFT_FEATURE_TAIL_CALL},
};
#define PROPOSAL_COUNT (sizeof PROPOSALS / sizeof PROPOSALS[0])

static int env_enabled(const char *name)
{
    const char *v = getenv(name);
    return v && strcmp(v, "1") == 0;
}

const char *suite_file_skip_reason(const char *base)
{
    for (size_t i = 0; i < FILE_SKIP_COUNT; i++) {
        const file_skip_rule *r = &FILE_SKIPS[i];
        if (strncmp(base, r->prefix, strlen(r->prefix)) == 0 && !env_enabled(r->enable_env))
            return r->reason;
    }
    return NULL;
}

void suite_print_rules(void)
{
    for (size_t i = 0; i < FILE_SKIP_COUNT; i++) {
        const file_skip_rule *r = &FILE_SKIPS[i];
        if (!env_enabled(r->enable_env))
            printf("spectest: skipping %s*.json: %s (set %s=1 to run them)\n", r->prefix,
                   r->reason, r->enable_env);
    }
}

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
