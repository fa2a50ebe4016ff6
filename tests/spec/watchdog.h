/* watchdog.h — a time limit per guest call. A guest stuck in a loop (in
 * practice an engine bug) is interrupted and reported as a failure instead
 * of hanging the whole run; if even the interrupt does not stop it, the
 * runner names the command and exits. */
#ifndef SPEC_WATCHDOG_H
#define SPEC_WATCHDOG_H

#include "weft.h"

/* Environment variable with the limit in seconds (0 turns it off). */
#define WATCHDOG_ENV "WEFT_SPECTEST_TIMEOUT"
#define WATCHDOG_DEFAULT_SECONDS 60u

/* Starts the watchdog thread. Returns 0 if it could not be started (the
 * run then goes on without a limit). */
int watchdog_start(unsigned seconds);
void watchdog_stop(void);
/* Where the next calls come from, for the fatal message ("i32.wast:12"). */
void watchdog_locate(const char *source, long line);
/* Brackets one call on `inst` (NULL while instantiating: then only the
 * last-resort exit applies). disarm returns 1 if the limit was hit. */
void watchdog_arm(weft_instance *inst);
int watchdog_disarm(void);
/* The limit in force, in seconds (0 when off). */
unsigned watchdog_limit(void);

#endif /* SPEC_WATCHDOG_H */
