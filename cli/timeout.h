/* timeout.h — `weft run -timeout D`: a timer thread that interrupts the
 * guest (weft_interrupt) when D has passed. */
#ifndef WEFT_CLI_TIMEOUT_H
#define WEFT_CLI_TIMEOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "weft.h"

typedef struct run_timer run_timer;

/* Starts the timer; NULL (and a message) if no thread could be made. */
run_timer *timer_start(weft_interrupt_handle *h, uint64_t ns);
/* Stops and frees the timer; returns true if it fired. NULL is fine. */
bool timer_stop(run_timer *t);

#endif /* WEFT_CLI_TIMEOUT_H */
