/* proc.c — proc_exit, proc_raise and sched_yield.
 *
 * proc_raise: a guest has no signal handlers, so a signal does what its
 * default action says. Terminating signals end the guest as a shell reports
 * a process killed by a signal: exit code 128 + the signal's (Linux) number.
 * Signals whose default is to be ignored return success. A guest cannot be
 * stopped and continued: stop signals are ENOTSUP. 0 ("none", reserved)
 * and unknown numbers are EINVAL. */
#include <sched.h>

#include "wasi_impl.h"

#define EXIT_CODE_SIGNAL_BASE 128

enum sig_action { SIGACT_TERMINATE, SIGACT_IGNORE, SIGACT_STOP };

typedef struct wasi_signal {
    uint8_t linux_number;
    uint8_t action;
} wasi_signal;

/* Indexed by WASI signal number (witx order). */
static const wasi_signal SIGNALS[WASI_SIGNAL_MAX + 1] = {
    [1] = {1, SIGACT_TERMINATE},   /* hup */
    [2] = {2, SIGACT_TERMINATE},   /* int */
    [3] = {3, SIGACT_TERMINATE},   /* quit */
    [4] = {4, SIGACT_TERMINATE},   /* ill */
    [5] = {5, SIGACT_TERMINATE},   /* trap */
    [6] = {6, SIGACT_TERMINATE},   /* abrt */
    [7] = {7, SIGACT_TERMINATE},   /* bus */
    [8] = {8, SIGACT_TERMINATE},   /* fpe */
    [9] = {9, SIGACT_TERMINATE},   /* kill */
    [10] = {10, SIGACT_TERMINATE}, /* usr1 */
    [11] = {11, SIGACT_TERMINATE}, /* segv */
    [12] = {12, SIGACT_TERMINATE}, /* usr2 */
    [13] = {13, SIGACT_IGNORE},    /* pipe: witx says "ignored" */
    [14] = {14, SIGACT_TERMINATE}, /* alrm */
    [15] = {15, SIGACT_TERMINATE}, /* term */
    [16] = {17, SIGACT_IGNORE},    /* chld */
    [17] = {18, SIGACT_IGNORE},    /* cont */
    [18] = {19, SIGACT_STOP},      /* stop */
    [19] = {20, SIGACT_STOP},      /* tstp */
    [20] = {21, SIGACT_STOP},      /* ttin */
    [21] = {22, SIGACT_STOP},      /* ttou */
    [22] = {23, SIGACT_IGNORE},    /* urg */
    [23] = {24, SIGACT_TERMINATE}, /* xcpu */
    [24] = {25, SIGACT_TERMINATE}, /* xfsz */
    [25] = {26, SIGACT_TERMINATE}, /* vtalrm */
    [26] = {27, SIGACT_TERMINATE}, /* prof */
    [27] = {28, SIGACT_IGNORE},    /* winch */
    [28] = {29, SIGACT_TERMINATE}, /* poll */
    [29] = {30, SIGACT_TERMINATE}, /* pwr */
    [30] = {31, SIGACT_TERMINATE}, /* sys */
};

static void guest_exit(wasi_call *c, int32_t code)
{
    c->w->exited = true;
    c->w->exit_code = code;
    c->trap = weft_trap_new_exit(code);
}

int wasi_proc_exit(wasi_call *c, const uint64_t *a)
{
    guest_exit(c, (int32_t)ARG32(0));
    return WASI_ESUCCESS;
}

int wasi_proc_raise(wasi_call *c, const uint64_t *a)
{
    uint32_t sig = ARG32(0);
    if (sig == 0 || sig > WASI_SIGNAL_MAX)
        return WASI_EINVAL;
    switch (SIGNALS[sig].action) {
    case SIGACT_IGNORE: return WASI_ESUCCESS;
    case SIGACT_STOP: return WASI_ENOTSUP;
    default: guest_exit(c, EXIT_CODE_SIGNAL_BASE + SIGNALS[sig].linux_number); return WASI_ESUCCESS;
    }
}

int wasi_sched_yield(wasi_call *c, const uint64_t *a)
{
    (void)c;
    (void)a;
    sched_yield();
    return WASI_ESUCCESS;
}
