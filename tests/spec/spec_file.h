/* spec_file.h — the state of one spec file while its commands run, shared
 * by the runner and the command handlers. */
#ifndef SPEC_SPEC_FILE_H
#define SPEC_SPEC_FILE_H

#include "json.h"
#include "registry.h"
#include "runner.h"
#include "spectest_host.h"
#include "text.h"
#include "weft.h"

/* What a command amounts to in the counts. */
typedef enum outcome {
    OUTCOME_NONE, /* not an assertion and nothing went wrong */
    OUTCOME_PASS,
    OUTCOME_FAIL, /* details in spec_file.message */
    OUTCOME_SKIP  /* reason in spec_file.skip_reason */
} outcome;

/* Distinct skip reasons tallied per file; there are only a handful. */
#define MAX_SKIP_REASONS 8
#define SPEC_MESSAGE_SIZE 2048
#define SPEC_SOURCE_SIZE 256

typedef struct skip_tally {
    const char *reason; /* static string: tallied by pointer */
    unsigned long count;
} skip_tally;

typedef struct spec_file {
    const char *path;   /* the .json as given */
    char source[SPEC_SOURCE_SIZE]; /* the .wast it came from, for messages */
    char *dir;          /* where the .wasm files are */
    const runner_options *opt;
    weft_engine *engine;
    spectest_host *host;
    registry reg;
    spec_counts counts;
    unsigned long failures_hidden;
    unsigned long known_message_diffs; /* passes whose message differs, documented */
    skip_tally skips[MAX_SKIP_REASONS];
    size_t nskips;
    const char *skip_reason;
    long line;         /* of the command being run */
    const char *ctype; /* its type, e.g. "assert_return" */
    char message[SPEC_MESSAGE_SIZE];
} spec_file;

/* Writes the failure details of the current command and returns
 * OUTCOME_FAIL, so handlers can `return spec_fail(f, ...)`. */
outcome spec_fail(spec_file *f, const char *fmt, ...) SPEC_PRINTF_LIKE(2, 3);
/* With -v, prints a remark about the current command that does not change
 * its outcome (e.g. a rejected module whose error text differs). */
void spec_note(spec_file *f, const char *fmt, ...) SPEC_PRINTF_LIKE(2, 3);
/* The engine rejected a module as expected, saying `got`: a pass when it
 * contains the spec's text `want` (or the difference is a documented one,
 * known_messages.c), else a failure. */
outcome spec_expect_message(spec_file *f, const char *want, const char *got);
/* Records a skip reason (a static string) and returns OUTCOME_SKIP. */
outcome spec_skip(spec_file *f, const char *reason);

#endif /* SPEC_SPEC_FILE_H */
