/* t_basic.c — args_*, environ_*, clock_*, random_get, sched_yield,
 * proc_raise (the non-terminating cases) and stdio through fd_read/fd_write. */
#include <stdlib.h>

#include "check.h"

/* ------------------------------------------------------------ args, env */

/* Expects: args a "b c" "" and env FOO=bar, EMPTY= and nothing else. */
void test_args(int argc, char **argv)
{
    int32_t n = -1, bytes = -1;
    CHECK_OK(raw_args_sizes_get(P(&n), P(&bytes)));
    CHECK_EQ(n, 5);
    CHECK_EQ(n, argc);
    int32_t want_bytes = 0;
    for (int i = 0; i < argc; i++)
        want_bytes += (int32_t)strlen(argv[i]) + 1;
    CHECK_EQ(bytes, want_bytes);
    char *buf = malloc((size_t)bytes);
    char **ptrs = malloc((size_t)n * sizeof *ptrs);
    CHECK_OK(raw_args_get(P(ptrs), P(buf)));
    for (int i = 0; i < argc && i < n; i++)
        CHECK(strcmp(ptrs[i], argv[i]) == 0);
    CHECK(strcmp(ptrs[2], "a") == 0);
    CHECK(strcmp(ptrs[3], "b c") == 0);
    CHECK(strcmp(ptrs[4], "") == 0);
    CHECK_ERRNO(raw_args_get(BAD_PTR, P(buf)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_args_get(P(ptrs), BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_args_sizes_get(BAD_PTR, P(&bytes)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_args_sizes_get(P(&n), BAD_PTR), __WASI_ERRNO_FAULT);
    free(buf);
    free(ptrs);

    CHECK_OK(raw_environ_sizes_get(P(&n), P(&bytes)));
    CHECK_EQ(n, 2); /* only what was configured: nothing leaks from the host */
    CHECK_EQ(bytes, (int32_t)(sizeof "FOO=bar" + sizeof "EMPTY="));
    buf = malloc((size_t)bytes);
    ptrs = malloc((size_t)n * sizeof *ptrs);
    CHECK_OK(raw_environ_get(P(ptrs), P(buf)));
    CHECK(strcmp(ptrs[0], "FOO=bar") == 0);
    CHECK(strcmp(ptrs[1], "EMPTY=") == 0);
    CHECK(getenv("FOO") && strcmp(getenv("FOO"), "bar") == 0);
    CHECK(getenv("HOME") == NULL);
    CHECK_ERRNO(raw_environ_get(BAD_PTR, P(buf)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_environ_get(P(ptrs), BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_environ_sizes_get(BAD_PTR, P(&bytes)), __WASI_ERRNO_FAULT);
    free(buf);
    free(ptrs);
}

/* ------------------------------------------------------------ clocks */

static volatile uint64_t sink;

static void burn_cpu(void)
{
    for (uint64_t i = 0; i < 3000000; i++)
        sink += i * i;
}

void test_clock(void)
{
    for (__wasi_clockid_t id = 0; id <= 3; id++) {
        __wasi_timestamp_t res = 0;
        CHECK_OK(__wasi_clock_res_get(id, &res));
        CHECK(res > 0 && res <= 1000000000ull);
    }
    __wasi_timestamp_t t = 0, t2 = 0;
    CHECK_ERRNO(__wasi_clock_res_get(4, &t), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_clock_time_get(99, 1, &t), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(raw_clock_res_get(0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_clock_time_get(1, 1, BAD_PTR), __WASI_ERRNO_FAULT);

    CHECK_OK(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &t));
    CHECK(t > 1577836800000000000ull); /* after 2020 */
    CHECK_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t));
    CHECK_OK(__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2));
    CHECK(t2 >= t);
    for (__wasi_clockid_t id = __WASI_CLOCKID_PROCESS_CPUTIME_ID;
         id <= __WASI_CLOCKID_THREAD_CPUTIME_ID; id++) {
        CHECK_OK(__wasi_clock_time_get(id, 1, &t));
        burn_cpu();
        CHECK_OK(__wasi_clock_time_get(id, 1, &t2));
        CHECK(t2 > t);
    }
}

/* ------------------------------------------------------------ random */

void test_random(void)
{
    uint8_t a[64] = {0}, b[64] = {0}, zero[64] = {0};
    CHECK_OK(__wasi_random_get(a, sizeof a));
    CHECK_OK(__wasi_random_get(b, sizeof b));
    CHECK(memcmp(a, zero, sizeof a) != 0);
    CHECK(memcmp(a, b, sizeof a) != 0);
    CHECK_OK(__wasi_random_get(a, 0));
    static uint8_t big[1 << 20];
    CHECK_OK(__wasi_random_get(big, sizeof big));
    CHECK(memcmp(big + sizeof big - 64, zero, 64) != 0);
    CHECK_ERRNO(raw_random_get(BAD_PTR, 16), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_random_get(P(a), -1), __WASI_ERRNO_FAULT); /* 4 GiB long */
}

/* ------------------------------------------------------------ proc */

void test_proc(void)
{
    CHECK_OK(__wasi_sched_yield());
    CHECK_OK(raw_sched_yield());
    CHECK_ERRNO(raw_proc_raise(0), __WASI_ERRNO_INVAL);  /* "none" is reserved */
    CHECK_ERRNO(raw_proc_raise(31), __WASI_ERRNO_INVAL); /* no such signal */
    CHECK_ERRNO(raw_proc_raise(-1), __WASI_ERRNO_INVAL);
    CHECK_OK(raw_proc_raise(16));                        /* chld: ignored */
    CHECK_OK(raw_proc_raise(13));                        /* pipe: ignored */
    CHECK_OK(raw_proc_raise(27));                        /* winch: ignored */
    CHECK_ERRNO(raw_proc_raise(18), __WASI_ERRNO_NOTSUP); /* stop: cannot */
}

/* ------------------------------------------------------------ stdio */

/* Expects stdin to hold "line one\nline two\n"; writes to stdout/stderr. */
void test_stdio(void)
{
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(0, &st));
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READ);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
    CHECK_OK(__wasi_fd_fdstat_get(1, &st));
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_READ));
    CHECK_OK(__wasi_fd_fdstat_get(2, &st));
    __wasi_prestat_t ps;
    CHECK_ERRNO(__wasi_fd_prestat_get(0, &ps), __WASI_ERRNO_BADF);
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_fd_filestat_get(1, &fs));

    /* Several iovecs, one of them empty. */
    __wasi_ciovec_t iov[4] = {{(const uint8_t *)"std", 3}, {(const uint8_t *)"", 0},
                              {(const uint8_t *)"out: ", 5}, {(const uint8_t *)"hello\n", 6}};
    __wasi_size_t n = 0;
    CHECK_OK(__wasi_fd_write(1, iov, 4, &n));
    CHECK_EQ(n, 14);
    CHECK_OK(__wasi_fd_write(1, iov, 0, &n));
    CHECK_EQ(n, 0);
    CHECK_OK(write_all(2, "stderr: hello\n", 14));

    char buf[64];
    __wasi_iovec_t in[2] = {{(uint8_t *)buf, 5}, {(uint8_t *)buf + 5, 40}};
    size_t total = 0;
    for (int i = 0; i < 8 && total < 18; i++) { /* a pipe may deliver in pieces */
        __wasi_iovec_t part[1] = {{(uint8_t *)buf + total, sizeof buf - 1 - total}};
        CHECK_OK(__wasi_fd_read(0, i == 0 ? in : part, i == 0 ? 2 : 1, &n));
        total += n;
        if (n == 0)
            break;
    }
    buf[total] = '\0';
    CHECK(strcmp(buf, "line one\nline two\n") == 0);
    CHECK_OK(__wasi_fd_read(0, in, 2, &n)); /* end of input */
    CHECK_EQ(n, 0);

    CHECK_ERRNO(__wasi_fd_read(1, in, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_write(0, iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_close(2));
    CHECK_ERRNO(__wasi_fd_write(2, iov, 1, &n), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_close(2), __WASI_ERRNO_BADF);
}
