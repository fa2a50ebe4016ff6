/* main.c — weft-spectest: runs the WebAssembly spec suite (wast2json
 * output) against libweft. Arguments, directory walking and the summary. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "runner.h"
#include "suite_rules.h"
#include "values.h"
#include "watchdog.h"

#define SUITE_DIR_ENV "WEFT_SPECTEST_DIR"
#define DEFAULT_SUITE_DIR "../shared/spectest/v2"

#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fprintf(out,
            "usage: weft-spectest [-v | -q] [-s] [FILE.json | DIR]...\n"
            "Runs WebAssembly spec tests (wast2json output). A DIR runs every *.json in it.\n"
            "With no FILE or DIR: $%s, else %s.\n"
            "  -v  print every failure and skip, and the spectest print functions' output\n"
            "  -q  print only failures and the summary\n"
            "  -s  run every module from its serialized code (weft_module_serialize,\n"
            "      then weft_module_deserialize), testing the compilation cache's path\n",
            SUITE_DIR_ENV, DEFAULT_SUITE_DIR);
}

static void run_dir(const char *dir, const runner_options *opt, spec_counts *totals)
{
    char **names;
    long n = path_list_json(dir, &names);
    if (n < 0) {
        printf("spectest: cannot list %s\n", dir);
        totals->failed++;
        return;
    }
    for (long i = 0; i < n; i++) {
        char *path = path_join(dir, names[i]);
        if (path)
            runner_run_file(path, opt, totals);
        else
            totals->failed++;
        free(path);
    }
    path_list_free(names, n);
}

static void run_path(const char *path, const runner_options *opt, spec_counts *totals)
{
    switch (path_kind(path)) {
    case 1: run_dir(path, opt, totals); break;
    case 0: runner_run_file(path, opt, totals); break;
    default:
        printf("spectest: %s: no such file or directory\n", path);
        totals->failed++;
        break;
    }
}

/* The per-call time limit: $WEFT_SPECTEST_TIMEOUT seconds, else the
 * default. Returns 0 (and complains) if the variable is not a number. */
static int read_timeout(unsigned *seconds)
{
    const char *v = getenv(WATCHDOG_ENV);
    *seconds = WATCHDOG_DEFAULT_SECONDS;
    if (!v || !*v)
        return 1;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end != '\0' || n > UINT_MAX) {
        fprintf(stderr, "weft-spectest: %s must be a number of seconds\n", WATCHDOG_ENV);
        return 0;
    }
    *seconds = (unsigned)n;
    return 1;
}

static void print_totals(const spec_counts *t)
{
    printf("spectest: %lu passed, %lu failed, %lu skipped\n", t->passed, t->failed, t->skipped);
}

/* Reads the options; returns the index of the first path, or -1 to exit
 * with *status. */
static int parse_options(int argc, char **argv, runner_options *opt, int *status)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        if (strcmp(argv[i], "-v") == 0) {
            opt->verbose = 1;
        } else if (strcmp(argv[i], "-q") == 0) {
            opt->quiet = 1;
        } else if (strcmp(argv[i], "-s") == 0) {
            opt->roundtrip = 1;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            *status = EXIT_SUCCESS;
            return -1;
        } else {
            fprintf(stderr, "weft-spectest: unknown option %s\n", argv[i]);
            usage(stderr);
            *status = EXIT_USAGE;
            return -1;
        }
    }
    if (opt->verbose && opt->quiet) {
        fprintf(stderr, "weft-spectest: -v and -q exclude each other\n");
        *status = EXIT_USAGE;
        return -1;
    }
    return i;
}

/* The suite directory used when no path is given. */
static const char *default_suite_dir(void)
{
    const char *dir = getenv(SUITE_DIR_ENV);
    return dir && *dir ? dir : DEFAULT_SUITE_DIR;
}

int main(int argc, char **argv)
{
    /* Line-buffered so that, if the engine crashes, the output up to the
     * crash says where it happened. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    runner_options opt = {0};
    int status = EXIT_SUCCESS;
    unsigned timeout;
    int first = parse_options(argc, argv, &opt, &status);
    if (first < 0)
        return status;
    if (!read_timeout(&timeout))
        return EXIT_USAGE;
    const char *suite = default_suite_dir();
    if (first == argc && path_kind(suite) != 1) {
        /* Never fake a pass: say plainly that nothing ran. */
        printf("spectest: the spec suite is absent (%s): everything is skipped\n", suite);
        printf("spectest: 0 passed, 0 failed, 0 skipped (suite not found at %s)\n", suite);
        return EXIT_SUCCESS;
    }
    if (!watchdog_start(timeout))
        fprintf(stderr, "weft-spectest: cannot start the watchdog: calls have no time limit\n");

    spec_counts totals = {0};
    if (first == argc)
        run_dir(suite, &opt, &totals);
    for (int i = first; i < argc; i++)
        run_path(argv[i], &opt, &totals);
    watchdog_stop();
    print_totals(&totals);
    spec_externref_cleanup();
    return totals.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
