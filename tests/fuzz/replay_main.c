/* replay_main.c — a main for a fuzz target without libFuzzer: feeds each
 * input file (or every file of a directory) to LLVMFuzzerTestOneInput once.
 * ctest replays the committed regression corpus this way (gcc or clang, no
 * sanitizer needed); a bug the corpus caught aborts the run. */
#include <stdio.h>
#include <stdlib.h>

#include "files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void replay(const char *path, void *env)
{
    size_t len;
    uint8_t *data = fx_read_file(path, &len);
    if (!data)
        exit(1);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    ++*(long *)env;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    long done = 0;
    long n = fx_each_file(argc - 1, argv + 1, replay, &done);
    if (n < 0)
        return 1;
    printf("replay: %ld inputs, none failed\n", done);
    return 0;
}
