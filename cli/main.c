/* main.c — `weft`: dispatches to one subcommand per file (cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} subcommand;

static const subcommand SUBCOMMANDS[] = {
    {"version", cmd_version, "weft version"},
    {"inspect", cmd_inspect, "weft inspect [--code[=FUNC]] FILE.wasm"},
    {"run", cmd_run,
     "weft run [-env K=V]... [-env-inherit] [-mount HOST[:GUEST][:ro]]... [-listen HOST:PORT]...\n"
     "           [-timeout D] [-fuel N] [-max-memory-pages N] [-hostlogging] [--invoke NAME]\n"
     "           FILE.wasm [ARGS...]"},
};
#define SUBCOMMAND_COUNT (sizeof SUBCOMMANDS / sizeof SUBCOMMANDS[0])

static void usage(FILE *out)
{
    fprintf(out, "usage:\n");
    for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
        fprintf(out, "  %s\n", SUBCOMMANDS[i].usage);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
        if (strcmp(argv[1], SUBCOMMANDS[i].name) == 0)
            return SUBCOMMANDS[i].run(argc - 2, argv + 2);
    fprintf(stderr, "weft: unknown command \"%s\"\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
