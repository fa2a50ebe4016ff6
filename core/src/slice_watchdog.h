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

/* This thread's slot: what the watchdog reads of its bounded runs. */
typedef struct run_slot {
    _Atomic(exec *) ex;      /* the bounded run on this thread, or NULL */
    _Atomic uint64_t starts; /* bounded runs begun on this thread */
    uint64_t seen_starts;    /* the watchdog's: starts at its last tick */
    struct run_slot *prev, *next;
} run_slot;

extern __thread run_slot *slice_my_slot;
extern atomic_bool slice_watchdog_resting;

/* The slow paths of slice_run_begin. */
run_slot *slice_register_thread(void);
void slice_wake_watchdog(void);
void slice_clear_flag(exec *ex);

/* A flag left from an earlier run of ex must not cut the one beginning
 * short. */
static inline void slice_clear_stale_flag(exec *ex)
{
    if (UNLIKELY(atomic_load_explicit(&ex->interrupt, memory_order_relaxed) & INTERRUPT_SLICE))
        slice_clear_flag(ex);
}
/* Marks a bounded run of ex on this thread; returns the mark for
 * slice_run_end (NULL: no watchdog, the run goes unsliced). Starts the
 * watchdog on first use. Inline: it is on the path of every Go call. */
static inline run_slot *slice_run_begin(exec *ex)
{
    run_slot *s = slice_my_slot;
    if (UNLIKELY(!s) && !(s = slice_register_thread()))
        return NULL;
    slice_clear_stale_flag(ex);
    uint64_t n = atomic_load_explicit(&s->starts, memory_order_relaxed);
    atomic_store_explicit(&s->starts, n + 1, memory_order_relaxed);
    atomic_store_explicit(&s->ex, ex, memory_order_release);
    if (UNLIKELY(atomic_load_explicit(&slice_watchdog_resting, memory_order_relaxed)))
        slice_wake_watchdog();
    return s;
}

static inline void slice_run_end(run_slot *mark)
{
    if (mark)
        atomic_store_explicit(&mark->ex, NULL, memory_order_release);
}

/* Goes on with a bounded run of ex after a host call in place, mark being
 * its mark from before the call. On the same thread with the mark still
 * the run's (the common case) it does nothing: the watchdog counts the
 * call's time as the run's, so a long call may cost the run a slice soon
 * after, never a hang. Otherwise (the goroutine came back on another
 * thread, or a nested run on this one took the mark) it marks the run
 * afresh; a mark left on the thread the run left goes when that thread's
 * next bounded run begins, or when ex is freed (slice_forget), and till
 * then can only cost ex a slice. */
static inline run_slot *slice_run_resume(exec *ex, run_slot *mark)
{
    run_slot *s = slice_my_slot;
    if (LIKELY(s && s == mark && atomic_load_explicit(&s->ex, memory_order_relaxed) == ex))
        return mark;
    return slice_run_begin(ex);
}

/* Called before ex's memory is freed, if ex ever ran bounded: takes back
 * any mark of ex still on a slot (a run that was abandoned, or that moved
 * threads in a host call) and waits out a watchdog pass that may be about
 * to flag it. */
void slice_forget(exec *ex);

#endif
