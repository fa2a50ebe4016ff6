/* slice_watchdog.h — keeps bounded runs short (weft_call_start_bounded).
 *
 * A bounded run marks itself on its thread's slot as it starts and clears
 * the mark as it returns. A watchdog thread looks at every slot once per
 * tick: a run still marked with the same start count as at the last tick
 * has run for at least a tick, and gets INTERRUPT_SLICE, which stops it at
 * its next loop back-edge or function entry (interp.c, poll_flagged). The
 * hot path pays nothing beyond the interrupt check it already has. */
#ifndef WEFT_SLICE_WATCHDOG_H
#define WEFT_SLICE_WATCHDOG_H

#include "runtime.h"

/* Marks a bounded run of ex on this thread; returns the mark for
 * slice_run_end. Starts the watchdog on first use. */
void *slice_run_begin(exec *ex);
void slice_run_end(void *mark);

/* Called before ex's memory is freed, if ex ever ran bounded: waits out a
 * watchdog pass that may be about to flag it. */
void slice_forget(exec *ex);

#endif
