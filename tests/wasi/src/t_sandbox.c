/* t_sandbox.c — attempts to leave the sandbox, each of which must be
 * refused; and a few legitimate paths that must keep working. The script
 * prepares (host side):
 *   $T/outside/secret.txt  "OUTSIDE"      never readable by the guest
 *   $T/root   mounted rw at /scratch (fd 3), holding:
 *     inside.txt "INSIDE", sub/, sub/deeper/,
 *     link_abs -> $T/outside/secret.txt   link_up -> ../outside/secret.txt
 *     sub/link_upup -> ../../outside/secret.txt
 *     link_dir_out -> ../outside          link_root -> /
 *     link_dotdot -> ..                   chain1 -> chain2 -> sub/chain3
 *     sub/chain3 -> ../../outside/secret.txt
 *     sub/link_ok -> ../inside.txt        sub/deeper/link_ok2 -> ../../sub/../inside.txt
 *   $T/ro     mounted read-only at /ro (fd 4), holding ro.txt
 * Every refusal is checked for its errno (EPERM for escapes, EROFS for the
 * read-only mount) and that nothing outside was read, made or changed. */
#include "check.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static int escapes_refused;

/* One escape attempt: `got` must be `want` (never success). */
#define ESCAPE(call, want)                     \
    do {                                       \
        long long before_ = checks_failed;     \
        CHECK_ERRNO(call, want);               \
        if (checks_failed == before_)          \
            escapes_refused++;                 \
    } while (0)

static int32_t open_follow(const char *path, __wasi_lookupflags_t flags, __wasi_oflags_t oflags)
{
    __wasi_fd_t fd = (__wasi_fd_t)-1;
    int32_t e = raw_path_open(FD_SCRATCH, flags, S(path), oflags, RIGHTS_RO, 0, 0, P(&fd));
    if (e == 0) { /* must not happen: show what was reached */
        char buf[32] = {0};
        read_some(fd, buf, sizeof buf);
        printf("ESCAPED via %s: read \"%s\"\n", path, buf);
        (void)__wasi_fd_close(fd);
    }
    return e;
}

static void dotdot_and_absolute(void)
{
    ESCAPE(open_follow("../outside/secret.txt", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("..", FOLLOW, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("../", FOLLOW, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("sub/../../outside/secret.txt", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("sub/deeper/../../../outside/secret.txt", 0, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("./sub/./../..", FOLLOW, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("/etc/passwd", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("//etc/passwd", 0, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("/", FOLLOW, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_PERM);
    /* "..", then back down into the root by name: still a step outside. */
    ESCAPE(open_follow("../root/inside.txt", FOLLOW, 0), __WASI_ERRNO_PERM);
    /* A NUL byte cannot cut a path short. */
    ESCAPE(raw_path_open(FD_SCRATCH, FOLLOW, P("inside.txt\0/../../x"), 19, 0, RIGHTS_RO, 0, 0,
                         P(&(__wasi_fd_t){0})),
           __WASI_ERRNO_INVAL);
}

static void symlinks(void)
{
    ESCAPE(open_follow("link_abs", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("link_up", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("sub/link_upup", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("link_dir_out/secret.txt", 0, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("link_dir_out/", FOLLOW, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("chain1", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("link_root/etc/passwd", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("link_dotdot/outside/secret.txt", FOLLOW, 0), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("link_dotdot", FOLLOW, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_PERM);
    ESCAPE(open_follow("sub/../link_up", FOLLOW, 0), __WASI_ERRNO_PERM);
    /* Creating through a link that points out. */
    ESCAPE(raw_path_open(FD_SCRATCH, FOLLOW, S("link_dir_out/planted.txt"), __WASI_OFLAGS_CREAT,
                         RIGHTS_RW, 0, 0, P(&(__wasi_fd_t){0})),
           __WASI_ERRNO_PERM);
    /* Not following a link is no escape: the link itself is inside. */
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_path_filestat_get(FD_SCRATCH, 0, "link_up", &fs));
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
    ESCAPE(__wasi_path_filestat_get(FD_SCRATCH, FOLLOW, "link_up", &fs), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_filestat_get(FD_SCRATCH, 0, "link_dir_out/secret.txt", &fs),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_filestat_set_times(FD_SCRATCH, FOLLOW, "link_abs", 0, 0,
                                          __WASI_FSTFLAGS_MTIM_NOW),
           __WASI_ERRNO_PERM);
    char buf[64];
    __wasi_size_t used;
    ESCAPE(__wasi_path_readlink(FD_SCRATCH, "link_dir_out/x", (uint8_t *)buf, 64, &used),
           __WASI_ERRNO_PERM);
}

static void mutations(void)
{
    make_file(FD_SCRATCH, "mine.txt", "mine");
    ESCAPE(__wasi_path_create_directory(FD_SCRATCH, "../newdir"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_create_directory(FD_SCRATCH, "link_dir_out/newdir"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_rename(FD_SCRATCH, "mine.txt", FD_SCRATCH, "../moved.txt"),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_rename(FD_SCRATCH, "mine.txt", FD_SCRATCH, "link_dir_out/moved.txt"),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_rename(FD_SCRATCH, "../outside/secret.txt", FD_SCRATCH, "stolen.txt"),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_link(FD_SCRATCH, 0, "../outside/secret.txt", FD_SCRATCH, "hard.txt"),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_link(FD_SCRATCH, FOLLOW, "link_up", FD_SCRATCH, "hard2.txt"),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_link(FD_SCRATCH, 0, "mine.txt", FD_SCRATCH, "link_dir_out/hard3.txt"),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_symlink("/etc/passwd", FD_SCRATCH, "abs_link"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_symlink("../outside/secret.txt", FD_SCRATCH, "up_link"),
           __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_symlink("../../outside", FD_SCRATCH, "sub/up_link2"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_symlink("x", FD_SCRATCH, "../outside/made_link"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_unlink_file(FD_SCRATCH, "../outside/secret.txt"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_unlink_file(FD_SCRATCH, "link_dir_out/secret.txt"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_remove_directory(FD_SCRATCH, "../outside"), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_remove_directory(FD_SCRATCH, ".."), __WASI_ERRNO_PERM);
    ESCAPE(__wasi_path_filestat_set_times(FD_SCRATCH, 0, "../outside/secret.txt", 0, 0,
                                          __WASI_FSTFLAGS_MTIM_NOW),
           __WASI_ERRNO_PERM);
    /* Links that stay inside are fine, including "..": */
    CHECK_OK(__wasi_path_symlink("../inside.txt", FD_SCRATCH, "sub/ok_link"));
    char buf[64];
    CHECK(slurp(FD_SCRATCH, "sub/ok_link", buf, sizeof buf) == 0 && strcmp(buf, "INSIDE") == 0);
}

static void readonly_mount(void)
{
    __wasi_fd_t fd;
    ESCAPE(__wasi_path_open(FD_RO, FOLLOW, "ro.txt", 0, RIGHTS_RW, 0, 0, &fd), __WASI_ERRNO_ROFS);
    ESCAPE(__wasi_path_open(FD_RO, FOLLOW, "x.txt", __WASI_OFLAGS_CREAT, RIGHTS_RO, 0, 0, &fd),
           __WASI_ERRNO_ROFS);
    ESCAPE(__wasi_path_unlink_file(FD_RO, "ro.txt"), __WASI_ERRNO_ROFS);
    ESCAPE(__wasi_path_rename(FD_RO, "ro.txt", FD_SCRATCH, "from_ro.txt"), __WASI_ERRNO_ROFS);
    ESCAPE(__wasi_path_link(FD_RO, 0, "ro.txt", FD_SCRATCH, "ro_hard.txt"), __WASI_ERRNO_ROFS);
    ESCAPE(__wasi_path_create_directory(FD_RO, "d"), __WASI_ERRNO_ROFS);
    ESCAPE(__wasi_path_symlink("ro.txt", FD_RO, "l"), __WASI_ERRNO_ROFS);
    __wasi_errno_t e;
    fd = open_at(FD_RO, "ro.txt", 0, RIGHTS_RO, 0, &e);
    CHECK_OK(e);
    ESCAPE(write_all(fd, "x", 1), __WASI_ERRNO_ROFS);
    ESCAPE(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_ROFS);
    CHECK_OK(__wasi_fd_close(fd));
    /* The read-only root is a root too. */
    ESCAPE(__wasi_path_open(FD_RO, FOLLOW, "../root/inside.txt", 0, RIGHTS_RO, 0, 0, &fd),
           __WASI_ERRNO_PERM);
}

static void legitimate(void)
{
    char buf[64];
    CHECK(slurp(FD_SCRATCH, "inside.txt", buf, sizeof buf) == 0 && strcmp(buf, "INSIDE") == 0);
    CHECK(slurp(FD_SCRATCH, "sub/link_ok", buf, sizeof buf) == 0 && strcmp(buf, "INSIDE") == 0);
    CHECK(slurp(FD_SCRATCH, "sub/deeper/link_ok2", buf, sizeof buf) == 0 &&
          strcmp(buf, "INSIDE") == 0);
    CHECK(slurp(FD_SCRATCH, "sub/../inside.txt", buf, sizeof buf) == 0 &&
          strcmp(buf, "INSIDE") == 0);
    CHECK(slurp(FD_SCRATCH, "sub/deeper/../../sub/./../inside.txt", buf, sizeof buf) == 0);
    CHECK(slurp(FD_SCRATCH, "./inside.txt", buf, sizeof buf) == 0);
    /* fds the embedder did not give do not exist. */
    for (__wasi_fd_t fd = 5; fd < 64; fd++) {
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get(fd, &st) != __WASI_ERRNO_BADF) {
            CHECK(0);
            break;
        }
    }
}

void test_sandbox(void)
{
    legitimate();
    dotdot_and_absolute();
    symlinks();
    mutations();
    readonly_mount();
    printf("sandbox: %d escape attempts refused\n", escapes_refused);
    CHECK(escapes_refused >= 20);
}

/* Reads "swap/secret.txt" over and over for `ms` milliseconds while the
 * script swaps "swap" between a directory inside (secret.txt = "INSIDE")
 * and symlinks to the outside directory. Any read of "OUTSIDE" is an
 * escape; refusals (EPERM) show the swaps were seen. */
void test_race(int ms)
{
    int inside = 0, refused = 0, outside = 0;
    __wasi_timestamp_t start = 0, t = 0;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &start);
    for (int i = 0; t < start + (__wasi_timestamp_t)ms * 1000000u; i++) {
        char buf[32];
        const char *path = (i & 1) ? "swap/secret.txt" : "swap/../swap/./secret.txt";
        __wasi_errno_t e = slurp(FD_SCRATCH, path, buf, sizeof buf);
        if (e)
            refused++;
        else if (strcmp(buf, "INSIDE") == 0)
            inside++;
        else
            outside++;
        __wasi_filestat_t fs;
        if (__wasi_path_filestat_get(FD_SCRATCH, FOLLOW, "swap/secret.txt", &fs) == 0 &&
            fs.size != 6)
            outside++;
        (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
    }
    printf("race: %d reads inside, %d refused, %d outside\n", inside, refused, outside);
    CHECK_EQ(outside, 0);
    CHECK(inside > 0);
    CHECK(refused > 0);
}
