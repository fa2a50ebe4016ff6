/* slice_watchdog.c — the thread that stops bounded runs after about a tick
 * (see slice_watchdog.h for the scheme).
 *
 * Why: the Go package starts bounded runs without cgo's syscall transition
 * (a plain switch to the thread's system stack, as Go's runtime does for
 * its own C calls). While such a run lasts, Go cannot stop the goroutine,
 * so a garbage collection waits for it. A tick bounds that wait; the rest
 * of a long call runs unbounded, through an ordinary cgo call. */
#include "slice_watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

/* A bounded run is flagged once it has been seen at two ticks in a row, so
 * it lasts one to two ticks. */
#define TICK_NS 1000000L
/* With no bounded run for this many ticks, the watchdog ticks slowly until
 * one wakes it (slice_run_begin); one that starts as it goes to rest may
 * run that long before it is flagged. */
#define QUIET_TICKS_BEFORE_REST 200
#define REST_NS 100000000L

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cv;
static run_slot *slots; /* every registered thread's, under registry_mu */
static atomic_bool watchdog_started;
atomic_bool slice_watchdog_resting;
static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static pthread_key_t slot_key;

__thread run_slot *slice_my_slot;

/* Flags every run seen at the last tick too. True if any run was seen. */
static bool flag_long_runs(void)
{
    bool active = false;
    for (run_slot *s = slots; s; s = s->next) {
        exec *ex = atomic_load_explicit(&s->ex, memory_order_acquire);
        uint64_t starts = atomic_load_explicit(&s->starts, memory_order_relaxed);
        if (ex && starts == s->seen_starts)
            atomic_fetch_or_explicit(&ex->interrupt, INTERRUPT_SLICE, memory_order_relaxed);
        active |= ex != NULL || starts != s->seen_starts;
        s->seen_starts = starts;
    }
    return active;
}

static void *watchdog_main(void *unused)
{
    (void)unused;
    unsigned quiet = 0;
    pthread_mutex_lock(&registry_mu);
    for (;;) {
        quiet = flag_long_runs() ? 0 : quiet + 1;
        bool rest = quiet >= QUIET_TICKS_BEFORE_REST;
        atomic_store_explicit(&slice_watchdog_resting, rest, memory_order_relaxed);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        long ns = until.tv_nsec + (rest ? REST_NS : TICK_NS);
        until.tv_sec += ns / 1000000000L;
        until.tv_nsec = ns % 1000000000L;
        pthread_cond_timedwait(&wake_cv, &registry_mu, &until);
    }
    return NULL;
}

static void slot_unregister(void *p)
{
    run_slot *s = p;
    pthread_mutex_lock(&registry_mu);
    if (s->prev)
        s->prev->next = s->next;
    else
        slots = s->next;
    if (s->next)
        s->next->prev = s->prev;
    pthread_mutex_unlock(&registry_mu);
    free(s);
}

static void start_watchdog(void)
{
    if (pthread_key_create(&slot_key, slot_unregister) != 0)
        return;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&wake_cv, &ca);
    pthread_condattr_destroy(&ca);
    /* The watchdog takes no process signals: they belong to the embedder's
     * threads (Go's runtime among them). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    if (pthread_create(&t, &attr, watchdog_main, NULL) == 0)
        atomic_store(&watchdog_started, true);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* This thread's slot, registered on first use; NULL if there is no
 * watchdog (its thread could not start): runs then go unsliced. */
run_slot *slice_register_thread(void)
{
    pthread_once(&start_once, start_watchdog);
    if (!atomic_load(&watchdog_started))
        return NULL;
    run_slot *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pthread_mutex_lock(&registry_mu);
    s->next = slots;
    if (slots)
        slots->prev = s;
    slots = s;
    pthread_mutex_unlock(&registry_mu);
    pthread_setspecific(slot_key, s); /* unregistered when the thread exits */
    slice_my_slot = s;
    return s;
}

void slice_wake_watchdog(void)
{
    pthread_mutex_lock(&registry_mu);
    atomic_store_explicit(&slice_watchdog_resting, false, memory_order_relaxed);
    pthread_cond_signal(&wake_cv);
    pthread_mutex_unlock(&registry_mu);
}

void slice_clear_flag(exec *ex)
{
    atomic_fetch_and_explicit(&ex->interrupt, ~INTERRUPT_SLICE, memory_order_relaxed);
}

void slice_forget(exec *ex)
{
    if (!atomic_load(&watchdog_started))
        return;
    /* The watchdog flags only under the lock; once ex's marks are gone
     * from the slots (its runs cleared theirs as they ended, but for the
     * cases slice_run_resume leaves), no pass holds ex. */
    pthread_mutex_lock(&registry_mu);
    for (run_slot *s = slots; s; s = s->next) {
        exec *mine = ex;
        atomic_compare_exchange_strong(&s->ex, &mine, NULL);
    }
    pthread_mutex_unlock(&registry_mu);
}
