/* wasi_setup.h — the WASI state `weft run` gives a guest, from its options:
 * args, env, host stdio, mounts, TCP listeners and call logging. */
#ifndef WEFT_CLI_WASI_SETUP_H
#define WEFT_CLI_WASI_SETUP_H

#include "run_args.h"
#include "weft.h"

/* Builds the WASI state; prints why and returns NULL on failure. */
weft_wasi *wasi_setup(const run_args *ra);

#endif /* WEFT_CLI_WASI_SETUP_H */
