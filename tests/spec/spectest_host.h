/* spectest_host.h — the "spectest" host module the spec suite imports:
 * print functions, four constant globals, a table and a memory. */
#ifndef SPEC_SPECTEST_HOST_H
#define SPEC_SPECTEST_HOST_H

#include "weft.h"

typedef struct spectest_host spectest_host;

/* Creates the host objects on engine e. The print functions print their
 * arguments only when `verbose` is set. NULL if any object cannot be made.
 * Caller owns. */
spectest_host *spectest_host_new(weft_engine *e, int verbose);
/* Offers every object under the module name "spectest". */
void spectest_host_add_to(const spectest_host *h, weft_imports *im);
/* Releases the host's references (instances that import an object keep it). */
void spectest_host_delete(spectest_host *h);

#endif /* SPEC_SPECTEST_HOST_H */
