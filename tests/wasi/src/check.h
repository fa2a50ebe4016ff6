/* check.h — the tiny assertion kit of the WASI test guest: every check
 * counts, a failing one prints where and what (errno numbers are WASI's),
 * and main prints one summary line per group. */
#ifndef WASI_SUITE_CHECK_H
#define WASI_SUITE_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#include "raw.h"

extern int checks_passed, checks_failed;
void check_fail(const char *file, int line, const char *what, long long got, long long want);

#define CHECK(cond)                                              \
    do {                                                         \
        if (cond)                                                \
            checks_passed++;                                     \
        else                                                     \
            check_fail(__FILE__, __LINE__, #cond, 1, 0);         \
    } while (0)

/* A WASI call returns exactly `want`. */
#define CHECK_ERRNO(call, want)                                  \
    do {                                                         \
        long long got_ = (long long)(call), want_ = (long long)(want); \
        if (got_ == want_)                                       \
            checks_passed++;                                     \
        else                                                     \
            check_fail(__FILE__, __LINE__, #call, got_, want_);  \
    } while (0)

#define CHECK_OK(call) CHECK_ERRNO(call, __WASI_ERRNO_SUCCESS)
#define CHECK_EQ(a, b) CHECK_ERRNO(a, b)

/* An address beyond any linear memory the guest has: every pointer
 * argument set to it must give EFAULT. */
#define BAD_PTR 0xFFFFFFF0u

/* Preopens the test script gives, in this order. */
#define FD_SCRATCH 3 /* read-write mount */
#define FD_RO 4      /* read-only mount */

/* Helpers (main.c). */
__wasi_fd_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                    __wasi_rights_t rights, __wasi_fdflags_t fdflags, __wasi_errno_t *err);
__wasi_errno_t write_all(__wasi_fd_t fd, const void *p, size_t n);
/* Reads up to cap-1 bytes and NUL-terminates; returns the count or -1. */
long read_some(__wasi_fd_t fd, char *buf, size_t cap);
/* Creates `path` in `dir` with `content`. */
void make_file(__wasi_fd_t dir, const char *path, const char *content);
/* Reads the file at `path` (following symlinks) into buf; returns the errno. */
__wasi_errno_t slurp(__wasi_fd_t dir, const char *path, char *buf, size_t cap);

#define RIGHTS_ALL ((__wasi_rights_t)0x3FFFFFFF)
#define RIGHTS_RW (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK | \
                   __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET)
#define RIGHTS_RO (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
                   __WASI_RIGHTS_FD_FILESTAT_GET)

/* The groups (t_*.c), each run by `wasi_suite.wasm GROUP [ARGS]`. */
void test_args(int argc, char **argv);
void test_clock(void);
void test_random(void);
void test_proc(void);
void test_stdio(void);
void test_fd(void);
void test_readdir(void);
void test_path(void);
void test_readonly(void);
void test_poll(void);
void test_sock(void);
void test_sandbox(void);
void test_race(int ms);
void test_efault(void);

#endif
