/* run_args.c — parsing `weft run`'s options (see run_args.h). */
#include "run_args.h"

#include <stdio.h>
#include <string.h>

#define INVOKE_FLAG "--invoke"

void run_args_usage(void)
{
    fprintf(stderr, "usage: weft run [--invoke NAME] FILE.wasm [ARGS...]\n"
                    "  --invoke NAME  call export NAME (default " RUN_DEFAULT_ENTRY ")\n");
}

/* Accepts "--invoke NAME" and "--invoke=NAME"; returns the words used. */
static int parse_invoke(int argc, char **argv, int i, run_args *out)
{
    const char *arg = argv[i];
    size_t n = strlen(INVOKE_FLAG);
    if (arg[n] == '=') {
        out->invoke = arg + n + 1;
        return 1;
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "weft run: %s needs a function name\n", INVOKE_FLAG);
        return 0;
    }
    out->invoke = argv[i + 1];
    return 2;
}

int run_args_parse(int argc, char **argv, run_args *out)
{
    memset(out, 0, sizeof *out);
    out->invoke = RUN_DEFAULT_ENTRY;
    int i = 0;
    while (i < argc && argv[i][0] == '-') {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        size_t n = strlen(INVOKE_FLAG);
        if (strncmp(arg, INVOKE_FLAG, n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
            int used = parse_invoke(argc, argv, i, out);
            if (!used)
                return 0;
            i += used;
            continue;
        }
        fprintf(stderr, "weft run: unknown option %s\n", arg);
        run_args_usage();
        return 0;
    }
    if (i >= argc) {
        run_args_usage();
        return 0;
    }
    out->file = argv[i];
    out->nargs = argc - i - 1;
    out->args = argv + i + 1;
    if (out->invoke[0] == '\0') {
        fprintf(stderr, "weft run: empty function name\n");
        return 0;
    }
    return 1;
}
