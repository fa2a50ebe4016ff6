/* main.c — the WASI test guest: `wasi_suite.wasm GROUP [ARGS...]` runs one
 * group of checks (t_*.c) against the raw wasi_snapshot_preview1 functions
 * and prints "wasi-suite GROUP: N passed, M failed". tests/wasi/run.sh sets
 * up the mounts, stdin, sockets and environment each group expects. */
#include <stdlib.h>

#include "check.h"

int checks_passed, checks_failed;

void check_fail(const char *file, int line, const char *what, long long got, long long want)
{
    checks_failed++;
    printf("FAIL %s:%d: %s: got %lld, want %lld\n", file, line, what, got, want);
    fflush(stdout);
}

__wasi_fd_t open_at(__wasi_fd_t dir, const char *path, __wasi_oflags_t oflags,
                    __wasi_rights_t rights, __wasi_fdflags_t fdflags, __wasi_errno_t *err)
{
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    *err = __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, rights,
                            fdflags, &fd);
    return *err ? (__wasi_fd_t)-1 : fd;
}

__wasi_errno_t write_all(__wasi_fd_t fd, const void *p, size_t n)
{
    __wasi_ciovec_t iov = {p, n};
    __wasi_size_t done = 0;
    __wasi_errno_t e = __wasi_fd_write(fd, &iov, 1, &done);
    if (!e && done != n)
        e = __WASI_ERRNO_IO;
    return e;
}

long read_some(__wasi_fd_t fd, char *buf, size_t cap)
{
    __wasi_iovec_t iov = {(uint8_t *)buf, cap - 1};
    __wasi_size_t n = 0;
    if (__wasi_fd_read(fd, &iov, 1, &n))
        return -1;
    buf[n] = '\0';
    return (long)n;
}

void make_file(__wasi_fd_t dir, const char *path, const char *content)
{
    __wasi_errno_t e;
    __wasi_fd_t fd = open_at(dir, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0, &e);
    CHECK_OK(e);
    if (!e) {
        CHECK_OK(write_all(fd, content, strlen(content)));
        CHECK_OK(__wasi_fd_close(fd));
    }
}

__wasi_errno_t slurp(__wasi_fd_t dir, const char *path, char *buf, size_t cap)
{
    __wasi_errno_t e;
    buf[0] = '\0';
    __wasi_fd_t fd = open_at(dir, path, 0, RIGHTS_RO, 0, &e);
    if (e)
        return e;
    if (read_some(fd, buf, cap) < 0)
        e = __WASI_ERRNO_IO;
    (void)__wasi_fd_close(fd);
    return e;
}

typedef struct group {
    const char *name;
    void (*run)(int argc, char **argv);
} group;

static void run_args(int argc, char **argv) { test_args(argc, argv); }
static void run_clock(int argc, char **argv) { (void)argc, (void)argv, test_clock(); }
static void run_random(int argc, char **argv) { (void)argc, (void)argv, test_random(); }
static void run_proc(int argc, char **argv) { (void)argc, (void)argv, test_proc(); }
static void run_stdio(int argc, char **argv) { (void)argc, (void)argv, test_stdio(); }
static void run_fd(int argc, char **argv) { (void)argc, (void)argv, test_fd(); }
static void run_readdir(int argc, char **argv) { (void)argc, (void)argv, test_readdir(); }
static void run_path(int argc, char **argv) { (void)argc, (void)argv, test_path(); }
static void run_readonly(int argc, char **argv) { (void)argc, (void)argv, test_readonly(); }
static void run_poll(int argc, char **argv) { (void)argc, (void)argv, test_poll(); }
static void run_sock(int argc, char **argv) { (void)argc, (void)argv, test_sock(); }
static void run_sandbox(int argc, char **argv) { (void)argc, (void)argv, test_sandbox(); }
static void run_efault(int argc, char **argv) { (void)argc, (void)argv, test_efault(); }
static void run_race(int argc, char **argv) { test_race(argc > 2 ? atoi(argv[2]) : 1000); }

static const group GROUPS[] = {
    {"args", run_args},     {"clock", run_clock},       {"random", run_random},
    {"proc", run_proc},     {"stdio", run_stdio},       {"fd", run_fd},
    {"readdir", run_readdir}, {"path", run_path},       {"readonly", run_readonly},
    {"poll", run_poll},     {"sock", run_sock},         {"sandbox", run_sandbox},
    {"efault", run_efault}, {"race", run_race},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: wasi_suite GROUP [ARGS...]\n");
        return 2;
    }
    /* `exit N` and `raise SIG`: end the guest in those ways. */
    if (strcmp(argv[1], "exit") == 0 && argc > 2)
        __wasi_proc_exit((__wasi_exitcode_t)atoi(argv[2]));
    if (strcmp(argv[1], "raise") == 0 && argc > 2) {
        int32_t e = raw_proc_raise(atoi(argv[2]));
        printf("proc_raise returned %d\n", (int)e);
        return 0;
    }
    /* For the CLI's trap and -timeout handling. */
    if (strcmp(argv[1], "trap") == 0)
        __builtin_trap();
    if (strcmp(argv[1], "spin") == 0)
        for (volatile int forever = 1; forever;)
            ;
    if (strcmp(argv[1], "sleep") == 0) {
        __wasi_subscription_t s = {0};
        s.u.tag = __WASI_EVENTTYPE_CLOCK;
        s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
        s.u.u.clock.timeout = 60ull * 1000000000ull; /* a minute */
        __wasi_event_t ev;
        __wasi_size_t n;
        return (int)__wasi_poll_oneoff(&s, &ev, 1, &n);
    }
    for (size_t i = 0; i < sizeof GROUPS / sizeof GROUPS[0]; i++) {
        if (strcmp(argv[1], GROUPS[i].name) == 0) {
            GROUPS[i].run(argc, argv);
            printf("wasi-suite %s: %d passed, %d failed\n", argv[1], checks_passed, checks_failed);
            return checks_failed ? 1 : 0;
        }
    }
    fprintf(stderr, "wasi_suite: unknown group %s\n", argv[1]);
    return 2;
}
