/* watchdog.c — per-call time limit (see watchdog.h).
 *
 * The thread wakes once per tick and compares the clock with the armed
 * deadline, so arming and disarming cost one uncontended lock each and no
 * wake-up: the suite makes ~50,000 calls. */
#define _POSIX_C_SOURCE 200809L
#include "watchdog.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define TICK_SECONDS 1
#define WHERE_SIZE 256

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static int started, stopping;
static unsigned limit_seconds;

/* The armed call, guarded by lock. */
static int armed, fired;
static weft_interrupt_handle *handle;
static time_t deadline;
static char where[WHERE_SIZE];

static time_t now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* Called with the lock held once the deadline has passed. */
static void expire(void)
{
    if (!fired) {
        fired = 1;
        if (handle)
            weft_interrupt(handle);
        deadline = now() + limit_seconds; /* grace period for the interrupt */
        return;
    }
    fprintf(stderr, "spectest: %s: still running after %u s and an interrupt; giving up\n", where,
            2 * limit_seconds);
    fflush(stdout);
    _exit(EXIT_FAILURE);
}

static void *watch(void *unused)
{
    (void)unused;
    pthread_mutex_lock(&lock);
    while (!stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += TICK_SECONDS;
        pthread_cond_timedwait(&wake, &lock, &until);
        if (armed && now() >= deadline)
            expire();
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int watchdog_start(unsigned seconds)
{
    limit_seconds = seconds;
    if (seconds == 0)
        return 1;
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0)
        return 0;
    /* Waits measure the monotonic clock, like the deadlines. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int ok = pthread_cond_init(&wake, &attr) == 0;
    pthread_condattr_destroy(&attr);
    if (ok && pthread_create(&thread, NULL, watch, NULL) != 0) {
        pthread_cond_destroy(&wake);
        ok = 0;
    }
    started = ok;
    if (!ok)
        limit_seconds = 0;
    return ok;
}

void watchdog_stop(void)
{
    if (!started)
        return;
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    pthread_cond_destroy(&wake);
    started = 0;
}

void watchdog_locate(const char *source, long line)
{
    if (!started)
        return;
    pthread_mutex_lock(&lock);
    snprintf(where, sizeof where, "%s:%ld", source, line);
    pthread_mutex_unlock(&lock);
}

void watchdog_arm(weft_instance *inst)
{
    if (!started)
        return;
    weft_interrupt_handle *h = inst ? weft_instance_interrupt_handle(inst) : NULL;
    pthread_mutex_lock(&lock);
    armed = 1;
    fired = 0;
    handle = h;
    deadline = now() + limit_seconds;
    pthread_mutex_unlock(&lock);
}

int watchdog_disarm(void)
{
    if (!started)
        return 0;
    pthread_mutex_lock(&lock);
    int hit = fired;
    /* An interrupt that raced with the end of the call is still pending
     * (requests are sticky): withdraw it so the next call runs. */
    if (hit && handle)
        weft_interrupt_clear(handle);
    armed = 0;
    handle = NULL;
    pthread_mutex_unlock(&lock);
    return hit;
}

unsigned watchdog_limit(void)
{
    return limit_seconds;
}
