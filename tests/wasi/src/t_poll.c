/* t_poll.c — poll_oneoff: relative and absolute clocks with real sleeps,
 * the earliest of several, regular files always ready, stdout writable,
 * stdin (a pipe the script fills 300 ms late, then closes) becoming readable
 * and then hung up, and per-event errors. */
#include "check.h"

#define MS 1000000ull

static __wasi_timestamp_t now(__wasi_clockid_t id)
{
    __wasi_timestamp_t t = 0;
    CHECK_OK(__wasi_clock_time_get(id, 1, &t));
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id,
                                       __wasi_timestamp_t timeout, __wasi_subclockflags_t flags)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.precision = 1;
    s.u.u.clock.flags = flags;
    return s;
}

static __wasi_subscription_t fd_sub(uint64_t userdata, __wasi_eventtype_t type, __wasi_fd_t fd)
{
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = type;
    s.u.u.fd_read.file_descriptor = fd;
    return s;
}

static void check_clocks(void)
{
    __wasi_event_t ev[4];
    __wasi_size_t n = 0;
    __wasi_subscription_t s[3];

    s[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, 50 * MS, 0);
    __wasi_timestamp_t t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 1, &n));
    __wasi_timestamp_t t1 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_EQ(n, 1);
    CHECK(ev[0].userdata == 7 && ev[0].type == __WASI_EVENTTYPE_CLOCK && ev[0].error == 0);
    CHECK(t1 - t0 >= 50 * MS);
    CHECK(t1 - t0 < 2000 * MS);

    /* Absolute, on both clocks. */
    s[0] = clock_sub(8, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 40 * MS,
                     __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 1, &n));
    t1 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK(n == 1 && ev[0].userdata == 8);
    CHECK(t1 - t0 >= 30 * MS);
    s[0] = clock_sub(9, __WASI_CLOCKID_MONOTONIC, now(__WASI_CLOCKID_MONOTONIC) + 40 * MS,
                     __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 1, &n));
    t1 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK(n == 1 && ev[0].userdata == 9 && t1 - t0 >= 35 * MS);
    /* In the past: at once. */
    s[0] = clock_sub(10, __WASI_CLOCKID_MONOTONIC, 1,
                     __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 1, &n));
    CHECK(n == 1 && ev[0].userdata == 10);

    /* The earliest of several fires alone. */
    s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 2000 * MS, 0);
    s[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 20 * MS, 0);
    s[2] = clock_sub(3, __WASI_CLOCKID_MONOTONIC, 3000 * MS, 0);
    t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 3, &n));
    t1 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK(n == 1 && ev[0].userdata == 2);
    CHECK(t1 - t0 < 1500 * MS);

    /* Bad clocks are events with an error, delivered at once. */
    s[0] = clock_sub(4, 9, 10 * MS, 0);
    s[1] = clock_sub(5, __WASI_CLOCKID_PROCESS_CPUTIME_ID, 10 * MS, 0);
    s[2] = clock_sub(6, __WASI_CLOCKID_MONOTONIC, 10 * MS, 0x8);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 3, &n));
    CHECK_EQ(n, 3);
    CHECK(ev[0].userdata == 4 && ev[0].error == __WASI_ERRNO_INVAL);
    CHECK(ev[1].userdata == 5 && ev[1].error == __WASI_ERRNO_NOTSUP);
    CHECK(ev[2].userdata == 6 && ev[2].error == __WASI_ERRNO_INVAL);
}

static void check_fds(void)
{
    __wasi_event_t ev[4];
    __wasi_size_t n = 0;
    __wasi_subscription_t s[3];
    make_file(FD_SCRATCH, "poll.txt", "0123456789");
    __wasi_errno_t e;
    __wasi_fd_t f = open_at(FD_SCRATCH, "poll.txt", 0, RIGHTS_RO, 0, &e);
    CHECK_OK(e);
    s[0] = fd_sub(11, __WASI_EVENTTYPE_FD_READ, f);
    s[1] = clock_sub(12, __WASI_CLOCKID_MONOTONIC, 5000 * MS, 0);
    __wasi_timestamp_t t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 2, &n));
    CHECK(now(__WASI_CLOCKID_MONOTONIC) - t0 < 1000 * MS);
    CHECK_EQ(n, 1);
    CHECK(ev[0].userdata == 11 && ev[0].type == __WASI_EVENTTYPE_FD_READ && ev[0].error == 0);
    CHECK_EQ(ev[0].fd_readwrite.nbytes, 10);
    CHECK_OK(__wasi_fd_close(f));

    s[0] = fd_sub(13, __WASI_EVENTTYPE_FD_WRITE, 1);
    s[1] = fd_sub(14, __WASI_EVENTTYPE_FD_READ, 77);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 2, &n));
    CHECK_EQ(n, 2);
    for (__wasi_size_t i = 0; i < n; i++) {
        if (ev[i].userdata == 13)
            CHECK(ev[i].type == __WASI_EVENTTYPE_FD_WRITE && ev[i].error == 0);
        else
            CHECK(ev[i].userdata == 14 && ev[i].error == __WASI_ERRNO_BADF);
    }
}

/* stdin: the script writes "late\n" after 300 ms, then closes the pipe. */
static void check_stdin(void)
{
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    __wasi_subscription_t s[2];
    s[0] = fd_sub(21, __WASI_EVENTTYPE_FD_READ, 0);
    s[1] = clock_sub(22, __WASI_CLOCKID_MONOTONIC, 50 * MS, 0);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 2, &n));
    CHECK(n == 1 && ev[0].userdata == 22); /* nothing to read yet: the clock */

    __wasi_timestamp_t t0 = now(__WASI_CLOCKID_MONOTONIC);
    CHECK_OK(__wasi_poll_oneoff(s, ev, 1, &n)); /* waits for the data */
    CHECK(now(__WASI_CLOCKID_MONOTONIC) - t0 >= 100 * MS);
    CHECK(n == 1 && ev[0].userdata == 21 && ev[0].error == 0);
    CHECK(ev[0].fd_readwrite.nbytes >= 1);
    char buf[16] = {0};
    size_t got = 0;
    while (got < 5) {
        long r = read_some(0, buf + got, sizeof buf - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    CHECK(got == 5 && memcmp(buf, "late\n", 5) == 0);
    /* Then the writer goes away: readable (end of input) with a hangup. */
    CHECK_OK(__wasi_poll_oneoff(s, ev, 1, &n));
    CHECK(n == 1 && (ev[0].fd_readwrite.flags & __WASI_EVENTRWFLAGS_FD_READWRITE_HANGUP));
}

static void check_errors(void)
{
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    __wasi_subscription_t s[2];
    s[0] = clock_sub(1, __WASI_CLOCKID_MONOTONIC, 1, 0);
    CHECK_ERRNO(__wasi_poll_oneoff(s, ev, 0, &n), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(raw_poll_oneoff(BAD_PTR, P(ev), 1, P(&n)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_poll_oneoff(P(s), BAD_PTR, 1, P(&n)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_poll_oneoff(P(s), P(ev), 1, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_poll_oneoff(P(s), P(ev), 0x10000000, P(&n)), __WASI_ERRNO_FAULT);
    s[0].u.tag = 7; /* no such event type */
    CHECK_OK(__wasi_poll_oneoff(s, ev, 1, &n));
    CHECK(n == 1 && ev[0].error == __WASI_ERRNO_INVAL);
}

void test_poll(void)
{
    check_clocks();
    check_fds();
    check_errors();
    check_stdin();
}
