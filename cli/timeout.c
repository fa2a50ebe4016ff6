/* timeout.c — see timeout.h. The thread sleeps on a condition variable
 * bound to CLOCK_MONOTONIC, so stopping the timer early wakes it at once. */
#include "timeout.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NS_PER_SEC 1000000000ull

struct run_timer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct timespec deadline;
    bool stop, fired;
    weft_interrupt_handle *handle;
};

static void *timer_main(void *arg)
{
    run_timer *t = arg;
    pthread_mutex_lock(&t->mu);
    while (!t->stop) {
        int rc = pthread_cond_timedwait(&t->cv, &t->mu, &t->deadline);
        if (rc == ETIMEDOUT && !t->stop) {
            t->fired = true;
            weft_interrupt(t->handle);
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

run_timer *timer_start(weft_interrupt_handle *h, uint64_t ns)
{
    run_timer *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->handle = h;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cv, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&t->mu, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t->deadline);
    uint64_t at = (uint64_t)t->deadline.tv_nsec + ns % NS_PER_SEC;
    t->deadline.tv_sec += (time_t)(ns / NS_PER_SEC + at / NS_PER_SEC);
    t->deadline.tv_nsec = (long)(at % NS_PER_SEC);
    if (pthread_create(&t->thread, NULL, timer_main, t) != 0) {
        fprintf(stderr, "weft run: cannot start the timeout thread\n");
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        free(t);
        return NULL;
    }
    return t;
}

bool timer_stop(run_timer *t)
{
    if (!t)
        return false;
    pthread_mutex_lock(&t->mu);
    t->stop = true;
    pthread_cond_signal(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    bool fired = t->fired;
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t);
    return fired;
}
