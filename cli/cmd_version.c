/* cmd_version.c — `weft version`: the library's version and ABI version. */
#include <stdio.h>

#include "cli.h"
#include "weft.h"

int cmd_version(int argc, char **argv)
{
    (void)argv;
    if (argc != 0) {
        fprintf(stderr, "usage: weft version\n");
        return CLI_EXIT_USAGE;
    }
    printf("weft %s (ABI version %u)\n", weft_version(), (unsigned)weft_abi_version());
    return CLI_EXIT_OK;
}
