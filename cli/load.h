/* load.h — reading and compiling the module a CLI command works on. */
#ifndef WEFT_CLI_LOAD_H
#define WEFT_CLI_LOAD_H

#include <stddef.h>

#include "weft.h"

typedef struct loaded_module {
    weft_engine *engine;
    weft_module *module;
    size_t size; /* bytes in the file */
} loaded_module;

/* Reads and compiles `path` with an engine of configuration `cfg` (NULL:
 * the defaults). On failure prints why (with the byte offset of a decode
 * or validation error) and returns 0. */
int load_module_file(const char *path, const weft_config *cfg, loaded_module *out);
void unload_module(loaded_module *lm);

#endif /* WEFT_CLI_LOAD_H */
