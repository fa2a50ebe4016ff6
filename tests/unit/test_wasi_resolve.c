/* test_wasi_resolve.c — the sandboxed path resolver (core/src/wasi/resolve.c)
 * on a real directory tree, with both strategies: openat2(RESOLVE_BENEATH)
 * and the O_NOFOLLOW component walk. Table-driven: each path's errno, last
 * component and the directory it ends in; then rename races, where another
 * thread keeps swapping a directory on the path with symlinks out of the
 * root, and no resolution may ever land outside. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "wasi/wasi_impl.h"

#define RACE_ROUNDS 20000

static char g_base[256]; /* the temporary tree: base/root is the preopen */
static int g_root = -1;
static ino_t g_outside_ino; /* of base/outside */

static void mkpath(const char *rel, bool dir, const char *content)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_base, rel);
    if (dir) {
        assert_int_equal(mkdir(p, 0755), 0);
        return;
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static void mklink(const char *target, const char *rel)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_base, rel);
    assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_base, sizeof g_base, "/tmp/weft-resolve-XXXXXX");
    assert_non_null(mkdtemp(g_base));
    mkpath("outside", true, NULL);
    mkpath("outside/secret", false, "OUTSIDE");
    mkpath("root", true, NULL);
    mkpath("root/inside", false, "INSIDE");
    mkpath("root/sub", true, NULL);
    mkpath("root/sub/deeper", true, NULL);
    mkpath("root/swapdir", true, NULL);
    mkpath("root/swapdir/secret", false, "INSIDE");
    char abs[512];
    snprintf(abs, sizeof abs, "%s/outside", g_base);
    mklink(abs, "root/link_abs");
    mklink("../outside/secret", "root/link_up");
    mklink("../outside", "root/link_dir_out");
    mklink("../../outside/secret", "root/sub/link_upup");
    mklink("..", "root/link_dotdot");
    mklink("/", "root/link_root");
    mklink("chain2", "root/chain1");
    mklink("sub/chain3", "root/chain2");
    mklink("../../outside/secret", "root/sub/chain3");
    mklink("loop2", "root/loop1");
    mklink("loop1", "root/loop2");
    mklink("../inside", "root/sub/link_ok");
    mklink("deeper", "root/sub/link_deeper");
    mklink("nothere", "root/dangling");
    mklink("sub", "root/link_sub");
    mklink("swapdir", "root/swap");
    mklink("../outside", "root/swap_out_rel");
    mklink(abs, "root/swap_out_abs");
    char root[512];
    snprintf(root, sizeof root, "%s/root", g_base);
    g_root = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(g_root >= 0);
    struct stat st;
    assert_int_equal(stat(abs, &st), 0);
    g_outside_ino = st.st_ino;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    close(g_root);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_base);
    return system(cmd) == 0 ? 0 : -1;
}

/* The inode of directory `rel` under root ("" is root itself). */
static ino_t ino_of(const char *rel)
{
    struct stat st;
    assert_int_equal(fstatat(g_root, *rel ? rel : ".", &st, 0), 0);
    return st.st_ino;
}

typedef struct path_case {
    const char *path;
    unsigned flags;
    int want;           /* WASI errno */
    const char *name;   /* expected last component (success only) */
    const char *dir;    /* directory it is in, relative to root */
    bool trailing;
} path_case;

static const path_case CASES[] = {
    {"inside", 0, WASI_ESUCCESS, "inside", "", false},
    {"./inside", 0, WASI_ESUCCESS, "inside", "", false},
    {"sub/deeper/new", 0, WASI_ESUCCESS, "new", "sub/deeper", false},
    {"sub//deeper///new", 0, WASI_ESUCCESS, "new", "sub/deeper", false},
    {"sub/..", 0, WASI_ESUCCESS, ".", "", false},
    {"sub/deeper/../..", 0, WASI_ESUCCESS, ".", "", false},
    {".", 0, WASI_ESUCCESS, ".", "", false},
    {"sub/", 0, WASI_ESUCCESS, "sub", "", true},
    {"sub/deeper//", 0, WASI_ESUCCESS, "deeper", "sub", true},
    {"link_sub/deeper/x", 0, WASI_ESUCCESS, "x", "sub/deeper", false},
    {"sub/link_deeper/x", 0, WASI_ESUCCESS, "x", "sub/deeper", false},
    {"link_sub", 0, WASI_ESUCCESS, "link_sub", "", false},
    {"link_sub", RESOLVE_FOLLOW, WASI_ESUCCESS, "sub", "", false},
    {"link_sub/", 0, WASI_ESUCCESS, "sub", "", true}, /* a trailing slash follows */
    {"sub/link_ok", RESOLVE_FOLLOW, WASI_ESUCCESS, "inside", "", false},
    {"sub/link_ok", 0, WASI_ESUCCESS, "link_ok", "sub", false},
    {"dangling", RESOLVE_FOLLOW, WASI_ESUCCESS, "nothere", "", false},
    {"link_up", 0, WASI_ESUCCESS, "link_up", "", false}, /* the link itself is inside */
    /* Escapes. */
    {"..", 0, WASI_ESCAPE, NULL, NULL, false},
    {"../", 0, WASI_ESCAPE, NULL, NULL, false},
    {"../root/inside", 0, WASI_ESCAPE, NULL, NULL, false},
    {"sub/../../outside/secret", 0, WASI_ESCAPE, NULL, NULL, false},
    {"/etc/passwd", 0, WASI_ESCAPE, NULL, NULL, false},
    {"/", 0, WASI_ESCAPE, NULL, NULL, false},
    {"link_abs/secret", 0, WASI_ESCAPE, NULL, NULL, false},
    {"link_abs", RESOLVE_FOLLOW, WASI_ESCAPE, NULL, NULL, false},
    {"link_up", RESOLVE_FOLLOW, WASI_ESCAPE, NULL, NULL, false},
    {"link_dir_out/secret", 0, WASI_ESCAPE, NULL, NULL, false},
    {"link_dir_out/", 0, WASI_ESCAPE, NULL, NULL, false},
    {"sub/link_upup", RESOLVE_FOLLOW, WASI_ESCAPE, NULL, NULL, false},
    {"link_dotdot/outside/secret", 0, WASI_ESCAPE, NULL, NULL, false},
    {"link_dotdot", RESOLVE_FOLLOW, WASI_ESCAPE, NULL, NULL, false},
    {"link_root/etc", 0, WASI_ESCAPE, NULL, NULL, false},
    {"chain1", RESOLVE_FOLLOW, WASI_ESCAPE, NULL, NULL, false},
    {"chain1/x", 0, WASI_ESCAPE, NULL, NULL, false}, /* the chain leaves before "x" */
    /* Other errors. */
    {"loop1", RESOLVE_FOLLOW, WASI_ELOOP, NULL, NULL, false},
    {"loop1/x", 0, WASI_ELOOP, NULL, NULL, false},
    {"missing/x", 0, WASI_ENOENT, NULL, NULL, false},
    {"inside/x", 0, WASI_ENOTDIR, NULL, NULL, false},
    {"", 0, WASI_ENOENT, NULL, NULL, false},
};

static void run_cases(int mode)
{
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const path_case *c = &CASES[i];
        resolved r;
        int got = resolve_path(g_root, c->path, strlen(c->path), c->flags, mode, &r);
        if (got != c->want) {
            print_error("mode %d, \"%s\": got errno %d, want %d\n", mode, c->path, got, c->want);
            fail();
        }
        if (got == WASI_ESUCCESS) {
            assert_string_equal(r.name, c->name);
            assert_int_equal(r.trailing_slash, c->trailing);
            struct stat st;
            assert_int_equal(fstat(r.dirfd, &st), 0);
            assert_int_equal(st.st_ino, ino_of(c->dir));
            resolved_free(&r);
        } else {
            assert_int_equal(r.dirfd, -1);
            assert_null(r.name);
        }
    }
}

static void test_walk(void **state)
{
    (void)state;
    run_cases(RESOLVE_MODE_WALK);
}

static void test_openat2(void **state)
{
    (void)state;
    if (resolve_effective_mode(RESOLVE_MODE_AUTO) != RESOLVE_MODE_OPENAT2)
        skip(); /* an old kernel: only the walk exists */
    run_cases(RESOLVE_MODE_OPENAT2);
    run_cases(RESOLVE_MODE_AUTO);
}

static void test_odd_input(void **state)
{
    (void)state;
    int modes[] = {RESOLVE_MODE_WALK, RESOLVE_MODE_AUTO};
    for (size_t m = 0; m < 2; m++) {
        resolved r;
        assert_int_equal(resolve_path(g_root, "in\0side", 7, 0, modes[m], &r), WASI_EINVAL);
        static char longp[5000];
        memset(longp, 'a', sizeof longp);
        assert_int_equal(resolve_path(g_root, longp, sizeof longp, 0, modes[m], &r),
                         WASI_ENAMETOOLONG);
        /* Not NUL-terminated: only `len` bytes count. */
        assert_int_equal(resolve_path(g_root, "insideXYZ", 6, 0, modes[m], &r), WASI_ESUCCESS);
        assert_string_equal(r.name, "inside");
        resolved_free(&r);
        /* A component longer than NAME_MAX in the directory part. */
        char name[300];
        memset(name, 'b', 299);
        name[299] = '\0';
        char p[320];
        snprintf(p, sizeof p, "%s/x", name);
        assert_int_equal(resolve_path(g_root, p, strlen(p), 0, modes[m], &r), WASI_ENAMETOOLONG);
    }
}

/* ------------------------------------------------------------ races */

typedef struct swapper {
    atomic_bool stop;
    const char *other; /* the link swapped with "swap" */
    long swaps;
} swapper;

/* Exchanges root/swap (a link to swapdir, inside) and root/<other> (a link
 * out), and swapdir itself with a link out, as fast as it can. */
static void *swap_main(void *arg)
{
    swapper *s = arg;
    while (!atomic_load(&s->stop)) {
        if (renameat2(g_root, "swap", g_root, s->other, RENAME_EXCHANGE) == 0)
            s->swaps++;
        if (renameat2(g_root, "swapdir", g_root, s->other, RENAME_EXCHANGE) == 0)
            s->swaps++;
    }
    return NULL;
}

/* Resolves and opens swap/secret (and swapdir/secret) while they are
 * swapped; whatever is opened must be inside. */
static void race(int mode, const char *other)
{
    swapper s = {.other = other};
    atomic_init(&s.stop, false);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, swap_main, &s), 0);
    long inside = 0, refused = 0, outside = 0;
    for (int i = 0; i < RACE_ROUNDS; i++) {
        const char *path = (i % 3 == 0) ? "swap/secret" : (i % 3 == 1) ? "swapdir/secret"
                                                                      : "swap/../swap/secret";
        resolved r;
        if (resolve_path(g_root, path, strlen(path), RESOLVE_FOLLOW, mode, &r) != WASI_ESUCCESS) {
            refused++;
            continue;
        }
        struct stat dir;
        if (fstat(r.dirfd, &dir) == 0 && dir.st_ino == g_outside_ino)
            outside++;
        int fd = openat(r.dirfd, r.name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            char buf[16] = {0};
            if (read(fd, buf, sizeof buf - 1) > 0 && strcmp(buf, "INSIDE") != 0)
                outside++;
            else
                inside++;
            close(fd);
        } else {
            refused++;
        }
        resolved_free(&r);
    }
    atomic_store(&s.stop, true);
    pthread_join(t, NULL);
    /* Put the tree back as it was for the next race. */
    struct stat st;
    if (fstatat(g_root, "swapdir", &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode))
        renameat2(g_root, "swapdir", g_root, other, RENAME_EXCHANGE);
    char target[64] = {0};
    if (readlinkat(g_root, "swap", target, sizeof target - 1) > 0 && strcmp(target, "swapdir"))
        renameat2(g_root, "swap", g_root, other, RENAME_EXCHANGE);
    print_message("race (mode %d, %s): %ld inside, %ld refused, %ld outside, %ld swaps\n", mode,
                  other, inside, refused, outside, s.swaps);
    assert_int_equal(outside, 0);
    assert_true(inside > 0);
    assert_true(s.swaps > 0);
}

static void test_race_walk(void **state)
{
    (void)state;
    race(RESOLVE_MODE_WALK, "swap_out_rel");
    race(RESOLVE_MODE_WALK, "swap_out_abs");
}

static void test_race_openat2(void **state)
{
    (void)state;
    if (resolve_effective_mode(RESOLVE_MODE_AUTO) != RESOLVE_MODE_OPENAT2)
        skip();
    race(RESOLVE_MODE_OPENAT2, "swap_out_rel");
    race(RESOLVE_MODE_OPENAT2, "swap_out_abs");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_openat2),
        cmocka_unit_test(test_odd_input),
        cmocka_unit_test(test_race_walk),
        cmocka_unit_test(test_race_openat2),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
