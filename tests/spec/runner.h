/* runner.h — runs the commands of one wast2json file against the engine. */
#ifndef SPEC_RUNNER_H
#define SPEC_RUNNER_H

typedef struct runner_options {
    int verbose; /* every failure, every skip, the print functions' output */
    int quiet;   /* only failures (and the summary, printed by main) */
    int roundtrip; /* run every module from serialized code (-s) */
} runner_options;

typedef struct spec_counts {
    unsigned long passed, failed, skipped;
} spec_counts;

/* Runs one .json file: prints its failures and its one-line summary
 * ("i32.json: 374 passed, 0 failed, 0 skipped") and adds its counts to
 * *totals. A file that cannot be read or parsed counts as one failure. */
void runner_run_file(const char *path, const runner_options *opt, spec_counts *totals);

#endif /* SPEC_RUNNER_H */
