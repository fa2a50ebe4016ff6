/* t_path.c — the path_* functions inside the read-write mount: create and
 * remove directories, open with every oflag and fdflag, stat and times
 * (following symlinks or not), symlinks and readlink, hard links, rename,
 * unlink; their errno values; EBADF and ENOTDIR for bad directory fds. */
#include <stdlib.h>

#include "check.h"

#define NS_PER_SEC 1000000000ull
#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static __wasi_filestat_t stat_of(const char *path, __wasi_lookupflags_t flags, __wasi_errno_t *e)
{
    __wasi_filestat_t fs;
    memset(&fs, 0, sizeof fs);
    *e = __wasi_path_filestat_get(FD_SCRATCH, flags, path, &fs);
    return fs;
}

static void check_directories(void)
{
    CHECK_OK(__wasi_path_create_directory(FD_SCRATCH, "p"));
    CHECK_ERRNO(__wasi_path_create_directory(FD_SCRATCH, "p"), __WASI_ERRNO_EXIST);
    CHECK_ERRNO(__wasi_path_create_directory(FD_SCRATCH, "missing/q"), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(__wasi_path_create_directory(FD_SCRATCH, "."), __WASI_ERRNO_EXIST);
    CHECK_OK(__wasi_path_create_directory(FD_SCRATCH, "p/sub/"));
    CHECK_OK(__wasi_path_create_directory(FD_SCRATCH, "./p/./sub/../sub2"));
    make_file(FD_SCRATCH, "p/f.txt", "data");
    CHECK_ERRNO(__wasi_path_create_directory(FD_SCRATCH, "p/f.txt/x"), __WASI_ERRNO_NOTDIR);
    __wasi_errno_t e;
    __wasi_filestat_t fs = stat_of("p/sub2", 0, &e);
    CHECK_OK(e);
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_DIRECTORY);
}

static void check_stat(void)
{
    __wasi_errno_t e;
    __wasi_filestat_t fs = stat_of("p/f.txt", 0, &e);
    CHECK_OK(e);
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(fs.size, 4);
    fs = stat_of("p/f.txt", FOLLOW, &e);
    CHECK_OK(e);
    CHECK_EQ(fs.size, 4);
    stat_of("p/nothing", 0, &e);
    CHECK_ERRNO(e, __WASI_ERRNO_NOENT);
    stat_of("p/f.txt/", 0, &e);
    CHECK_ERRNO(e, __WASI_ERRNO_NOTDIR);
    stat_of("p/f.txt/x", 0, &e);
    CHECK_ERRNO(e, __WASI_ERRNO_NOTDIR);
    fs = stat_of("p/", 0, &e);
    CHECK_OK(e);
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_DIRECTORY);
    fs = stat_of(".", 0, &e);
    CHECK_OK(e);
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_DIRECTORY);
    CHECK_ERRNO(raw_path_filestat_get(FD_SCRATCH, 0, P("p/f.txt"), 0, P(&fs)), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(raw_path_filestat_get(FD_SCRATCH, 0, P("p/f.txt\0x"), 9, P(&fs)),
                __WASI_ERRNO_INVAL);
}

static void check_symlinks(void)
{
    CHECK_OK(__wasi_path_symlink("f.txt", FD_SCRATCH, "p/ln"));
    CHECK_ERRNO(__wasi_path_symlink("f.txt", FD_SCRATCH, "p/ln"), __WASI_ERRNO_EXIST);
    CHECK_ERRNO(raw_path_symlink(P(""), 0, FD_SCRATCH, S("p/empty")), __WASI_ERRNO_NOENT);
    __wasi_errno_t e;
    __wasi_filestat_t fs = stat_of("p/ln", 0, &e);
    CHECK_OK(e);
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
    fs = stat_of("p/ln", FOLLOW, &e);
    CHECK_OK(e);
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(fs.size, 4);

    char buf[32] = {0};
    __wasi_size_t used = 0;
    CHECK_OK(__wasi_path_readlink(FD_SCRATCH, "p/ln", (uint8_t *)buf, sizeof buf, &used));
    CHECK(used == 5 && memcmp(buf, "f.txt", 5) == 0);
    CHECK_OK(__wasi_path_readlink(FD_SCRATCH, "p/ln", (uint8_t *)buf, 2, &used));
    CHECK_EQ(used, 2); /* truncated, as readlink(2) */
    CHECK_ERRNO(__wasi_path_readlink(FD_SCRATCH, "p/f.txt", (uint8_t *)buf, 32, &used),
                __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_path_readlink(FD_SCRATCH, "p/none", (uint8_t *)buf, 32, &used),
                __WASI_ERRNO_NOENT);

    /* Reading through the link; opening the link itself without following. */
    CHECK(slurp(FD_SCRATCH, "p/ln", buf, sizeof buf) == 0 && strcmp(buf, "data") == 0);
    __wasi_fd_t fd;
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, 0, "p/ln", 0, RIGHTS_RO, 0, 0, &fd),
                __WASI_ERRNO_LOOP);
    /* A symlink to a directory, in the middle of a path. */
    CHECK_OK(__wasi_path_symlink("sub", FD_SCRATCH, "p/sublink"));
    make_file(FD_SCRATCH, "p/sublink/in_sub.txt", "via link");
    CHECK(slurp(FD_SCRATCH, "p/sub/in_sub.txt", buf, sizeof buf) == 0 &&
          strcmp(buf, "via link") == 0);
    CHECK(slurp(FD_SCRATCH, "p/sublink/../f.txt", buf, sizeof buf) == 0 &&
          strcmp(buf, "data") == 0);

    /* A dangling symlink: ENOENT to read, created through with O_CREAT. */
    CHECK_OK(__wasi_path_symlink("made_via_link.txt", FD_SCRATCH, "p/dangle"));
    CHECK_ERRNO(slurp(FD_SCRATCH, "p/dangle", buf, sizeof buf), __WASI_ERRNO_NOENT);
    make_file(FD_SCRATCH, "p/dangle", "created");
    CHECK(slurp(FD_SCRATCH, "p/made_via_link.txt", buf, sizeof buf) == 0 &&
          strcmp(buf, "created") == 0);
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, "p/dangle",
                                 __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RIGHTS_RW, 0, 0, &fd),
                __WASI_ERRNO_EXIST);

    /* Loops. */
    CHECK_OK(__wasi_path_symlink("loop2", FD_SCRATCH, "p/loop1"));
    CHECK_OK(__wasi_path_symlink("loop1", FD_SCRATCH, "p/loop2"));
    CHECK_ERRNO(slurp(FD_SCRATCH, "p/loop1", buf, sizeof buf), __WASI_ERRNO_LOOP);
    CHECK_ERRNO(slurp(FD_SCRATCH, "p/loop1/x", buf, sizeof buf), __WASI_ERRNO_LOOP);
}

static void check_open_flags(void)
{
    __wasi_errno_t e;
    __wasi_fd_t fd;
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, "p/f.txt",
                                 __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RIGHTS_RW, 0, 0, &fd),
                __WASI_ERRNO_EXIST);
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, "p/f.txt", __WASI_OFLAGS_DIRECTORY, RIGHTS_RO,
                                 0, 0, &fd),
                __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, "p/absent", 0, RIGHTS_RO, 0, 0, &fd),
                __WASI_ERRNO_NOENT);
    CHECK_ERRNO(raw_path_open(FD_SCRATCH, FOLLOW, S("p/f.txt"), 0x10, RIGHTS_RO, 0, 0, P(&fd)),
                __WASI_ERRNO_INVAL);
    CHECK_ERRNO(raw_path_open(FD_SCRATCH, FOLLOW, S("p/f.txt"), 0, RIGHTS_RO, 0, 0x20, P(&fd)),
                __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, "p/new/", __WASI_OFLAGS_CREAT, RIGHTS_RW, 0,
                                 0, &fd),
                __WASI_ERRNO_ISDIR);
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, "p", 0, RIGHTS_RW, 0, 0, &fd),
                __WASI_ERRNO_ISDIR);

    /* A directory opened with O_DIRECTORY, and paths relative to it. */
    fd = open_at(FD_SCRATCH, "p/", __WASI_OFLAGS_DIRECTORY, RIGHTS_ALL, 0, &e);
    CHECK_OK(e);
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);
    char buf[32];
    CHECK(slurp(fd, "f.txt", buf, sizeof buf) == 0 && strcmp(buf, "data") == 0);
    CHECK_ERRNO(slurp(fd, "../p/f.txt", buf, sizeof buf), __WASI_ERRNO_PERM); /* its own root */
    CHECK_OK(__wasi_fd_close(fd));

    /* TRUNC empties; APPEND appends. */
    make_file(FD_SCRATCH, "p/t.txt", "0123456789");
    fd = open_at(FD_SCRATCH, "p/t.txt", __WASI_OFLAGS_TRUNC, RIGHTS_RW, 0, &e);
    CHECK_OK(e);
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_fd_filestat_get(fd, &fs));
    CHECK_EQ(fs.size, 0);
    CHECK_OK(write_all(fd, "abc", 3));
    CHECK_OK(__wasi_fd_close(fd));
    fd = open_at(FD_SCRATCH, "p/t.txt", 0, RIGHTS_RW, __WASI_FDFLAGS_APPEND, &e);
    CHECK_OK(e);
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK_EQ(st.fs_flags, __WASI_FDFLAGS_APPEND);
    CHECK_OK(write_all(fd, "def", 3));
    CHECK_OK(__wasi_fd_close(fd));
    CHECK(slurp(FD_SCRATCH, "p/t.txt", buf, sizeof buf) == 0 && strcmp(buf, "abcdef") == 0);
    fd = open_at(FD_SCRATCH, "p/t.txt", 0, RIGHTS_RW,
                 __WASI_FDFLAGS_DSYNC | __WASI_FDFLAGS_SYNC | __WASI_FDFLAGS_NONBLOCK, &e);
    CHECK_OK(e);
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK(st.fs_flags & __WASI_FDFLAGS_SYNC);
    CHECK(st.fs_flags & __WASI_FDFLAGS_NONBLOCK);
    CHECK_OK(__wasi_fd_close(fd));
    fd = open_at(FD_SCRATCH, "p/t.txt", 0, RIGHTS_RO, __WASI_FDFLAGS_RSYNC, &e);
    CHECK_OK(e);
    CHECK_OK(__wasi_fd_close(fd));

    /* Rights the directory does not pass on are refused or trimmed. */
    CHECK_OK(__wasi_path_open(FD_SCRATCH, FOLLOW, "p", __WASI_OFLAGS_DIRECTORY,
                              __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_READDIR,
                              __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, 0, &fd));
    CHECK_OK(__wasi_fd_fdstat_set_rights(fd, __WASI_RIGHTS_PATH_OPEN, __WASI_RIGHTS_FD_READ));
    __wasi_fd_t inner;
    CHECK_ERRNO(__wasi_path_open(fd, FOLLOW, "f.txt", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &inner),
                __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_path_open(fd, FOLLOW, "f.txt", 0, RIGHTS_ALL & ~__WASI_RIGHTS_FD_WRITE, 0, 0,
                              &inner));
    CHECK_OK(__wasi_fd_fdstat_get(inner, &st));
    CHECK_EQ(st.fs_rights_base, __WASI_RIGHTS_FD_READ);
    CHECK_OK(__wasi_fd_close(inner));
    CHECK_ERRNO(__wasi_path_create_directory(fd, "nope"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_path_open(fd, FOLLOW, "new.txt", __WASI_OFLAGS_CREAT,
                                 __WASI_RIGHTS_FD_READ, 0, 0, &inner),
                __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_close(fd));

    /* Path functions on something that is not a directory. */
    fd = open_at(FD_SCRATCH, "p/f.txt", 0, RIGHTS_ALL, 0, &e);
    CHECK_OK(e);
    CHECK_ERRNO(__wasi_path_open(fd, FOLLOW, "x", 0, RIGHTS_RO, 0, 0, &inner), __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(__wasi_path_create_directory(fd, "x"), __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(__wasi_path_filestat_get(fd, 0, "x", &fs), __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(__wasi_path_unlink_file(1, "x"), __WASI_ERRNO_NOTDIR);
    CHECK_OK(__wasi_fd_close(fd));

    /* Too long, empty, or holding NUL. */
    static char longpath[5000];
    memset(longpath, 'a', sizeof longpath - 1);
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, longpath, 0, RIGHTS_RO, 0, 0, &fd),
                __WASI_ERRNO_NAMETOOLONG);
    memset(longpath, 'a', 300);
    longpath[300] = '\0';
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, longpath, 0, RIGHTS_RO, 0, 0, &fd),
                __WASI_ERRNO_NAMETOOLONG);
    CHECK_ERRNO(__wasi_path_open(FD_SCRATCH, FOLLOW, "", 0, RIGHTS_RO, 0, 0, &fd),
                __WASI_ERRNO_NOENT);
    CHECK_ERRNO(raw_path_open(FD_SCRATCH, FOLLOW, P("p\0/f.txt"), 8, 0, RIGHTS_RO, 0, 0, P(&fd)),
                __WASI_ERRNO_INVAL);
}

static void check_times(void)
{
    __wasi_timestamp_t atim = 1234 * NS_PER_SEC + 1, mtim = 5678 * NS_PER_SEC + 2;
    CHECK_OK(__wasi_path_filestat_set_times(FD_SCRATCH, 0, "p/f.txt", atim, mtim,
                                            __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    __wasi_errno_t e;
    __wasi_filestat_t fs = stat_of("p/f.txt", 0, &e);
    CHECK(fs.atim == atim && fs.mtim == mtim);
    /* Through the symlink, following it: the file changes. */
    CHECK_OK(__wasi_path_filestat_set_times(FD_SCRATCH, FOLLOW, "p/ln", 0, 42 * NS_PER_SEC,
                                            __WASI_FSTFLAGS_MTIM));
    fs = stat_of("p/f.txt", 0, &e);
    CHECK_EQ(fs.mtim, 42 * NS_PER_SEC);
    /* Not following: the link itself changes, the file does not. */
    CHECK_OK(__wasi_path_filestat_set_times(FD_SCRATCH, 0, "p/ln", 0, 7 * NS_PER_SEC,
                                            __WASI_FSTFLAGS_MTIM));
    fs = stat_of("p/ln", 0, &e);
    CHECK_EQ(fs.mtim, 7 * NS_PER_SEC);
    fs = stat_of("p/f.txt", 0, &e);
    CHECK_EQ(fs.mtim, 42 * NS_PER_SEC);
    CHECK_OK(__wasi_path_filestat_set_times(FD_SCRATCH, 0, "p/f.txt", 0, 0,
                                            __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW));
    CHECK_ERRNO(__wasi_path_filestat_set_times(FD_SCRATCH, 0, "p/f.txt", 0, 0,
                                               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_path_filestat_set_times(FD_SCRATCH, 0, "p/none", 0, 0,
                                               __WASI_FSTFLAGS_MTIM_NOW),
                __WASI_ERRNO_NOENT);
}

static void check_links(void)
{
    __wasi_errno_t e;
    CHECK_OK(__wasi_path_link(FD_SCRATCH, 0, "p/f.txt", FD_SCRATCH, "p/hard"));
    __wasi_filestat_t fs = stat_of("p/f.txt", 0, &e);
    CHECK_EQ(fs.nlink, 2);
    CHECK_ERRNO(__wasi_path_link(FD_SCRATCH, 0, "p/f.txt", FD_SCRATCH, "p/hard"),
                __WASI_ERRNO_EXIST);
    CHECK_ERRNO(__wasi_path_link(FD_SCRATCH, 0, "p/sub", FD_SCRATCH, "p/subhard"),
                __WASI_ERRNO_PERM);
    CHECK_ERRNO(__wasi_path_link(FD_SCRATCH, 0, "p/none", FD_SCRATCH, "p/x"), __WASI_ERRNO_NOENT);
    /* Following the symlink links the file; not following links the link. */
    CHECK_OK(__wasi_path_link(FD_SCRATCH, FOLLOW, "p/ln", FD_SCRATCH, "p/hard2"));
    fs = stat_of("p/hard2", 0, &e);
    CHECK(fs.filetype == __WASI_FILETYPE_REGULAR_FILE && fs.nlink == 3);
    CHECK_OK(__wasi_path_link(FD_SCRATCH, 0, "p/ln", FD_SCRATCH, "p/hardln"));
    fs = stat_of("p/hardln", 0, &e);
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_SYMBOLIC_LINK);
}

static void check_rename_unlink_rmdir(void)
{
    __wasi_errno_t e;
    char buf[32];
    CHECK_OK(__wasi_path_rename(FD_SCRATCH, "p/hard", FD_SCRATCH, "p/renamed"));
    stat_of("p/hard", 0, &e);
    CHECK_ERRNO(e, __WASI_ERRNO_NOENT);
    CHECK(slurp(FD_SCRATCH, "p/renamed", buf, sizeof buf) == 0 && strcmp(buf, "data") == 0);
    CHECK_OK(__wasi_path_rename(FD_SCRATCH, "p/sub2", FD_SCRATCH, "p/sub3"));
    CHECK_ERRNO(__wasi_path_rename(FD_SCRATCH, "p/sub3", FD_SCRATCH, "p/sub"),
                __WASI_ERRNO_NOTEMPTY);
    CHECK_ERRNO(__wasi_path_rename(FD_SCRATCH, "p/renamed", FD_SCRATCH, "p/sub"),
                __WASI_ERRNO_ISDIR);
    CHECK_ERRNO(__wasi_path_rename(FD_SCRATCH, "p/renamed", FD_SCRATCH, "p/r2/"),
                __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(__wasi_path_rename(FD_SCRATCH, "p/none", FD_SCRATCH, "p/r3"), __WASI_ERRNO_NOENT);
    CHECK_OK(__wasi_path_rename(FD_SCRATCH, "p/sub3/", FD_SCRATCH, "p/sub4/"));
    /* Renaming between two directory fds. */
    __wasi_fd_t sub = open_at(FD_SCRATCH, "p/sub", __WASI_OFLAGS_DIRECTORY, RIGHTS_ALL, 0, &e);
    CHECK_OK(e);
    CHECK_OK(__wasi_path_rename(FD_SCRATCH, "p/renamed", sub, "moved"));
    CHECK(slurp(FD_SCRATCH, "p/sub/moved", buf, sizeof buf) == 0 && strcmp(buf, "data") == 0);
    CHECK_OK(__wasi_fd_close(sub));

    CHECK_OK(__wasi_path_unlink_file(FD_SCRATCH, "p/sub/moved"));
    CHECK_ERRNO(__wasi_path_unlink_file(FD_SCRATCH, "p/sub/moved"), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(__wasi_path_unlink_file(FD_SCRATCH, "p/sub"), __WASI_ERRNO_ISDIR);
    CHECK_ERRNO(__wasi_path_unlink_file(FD_SCRATCH, "p/sub/"), __WASI_ERRNO_ISDIR);
    CHECK_ERRNO(__wasi_path_unlink_file(FD_SCRATCH, "p/hard2/"), __WASI_ERRNO_NOTDIR);
    CHECK_OK(__wasi_path_unlink_file(FD_SCRATCH, "p/ln")); /* the link, not its target */
    CHECK(slurp(FD_SCRATCH, "p/f.txt", buf, sizeof buf) == 0 && strcmp(buf, "data") == 0);

    CHECK_ERRNO(__wasi_path_remove_directory(FD_SCRATCH, "p"), __WASI_ERRNO_NOTEMPTY);
    CHECK_ERRNO(__wasi_path_remove_directory(FD_SCRATCH, "p/f.txt"), __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(__wasi_path_remove_directory(FD_SCRATCH, "p/none"), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(__wasi_path_remove_directory(FD_SCRATCH, "."), __WASI_ERRNO_INVAL);
    CHECK_OK(__wasi_path_remove_directory(FD_SCRATCH, "p/sub4"));
    CHECK_ERRNO(__wasi_path_remove_directory(FD_SCRATCH, "p/sub/"), __WASI_ERRNO_NOTEMPTY);
    CHECK_OK(__wasi_path_unlink_file(FD_SCRATCH, "p/sub/in_sub.txt"));
    CHECK_OK(__wasi_path_remove_directory(FD_SCRATCH, "p/sub/"));
    __wasi_filestat_t fs = stat_of("p/sub", 0, &e);
    (void)fs;
    CHECK_ERRNO(e, __WASI_ERRNO_NOENT);
}

/* Every path_* function says EBADF for a directory fd that is not open. */
static void check_badf(void)
{
    const int32_t bad = 77;
    uint8_t buf[64];
    CHECK_ERRNO(raw_path_create_directory(bad, S("x")), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_filestat_get(bad, 0, S("x"), P(buf)), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_filestat_set_times(bad, 0, S("x"), 0, 0, 0), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_link(bad, 0, S("x"), FD_SCRATCH, S("y")), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_link(FD_SCRATCH, 0, S("p/f.txt"), bad, S("y")), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_open(bad, 0, S("x"), 0, 0, 0, 0, P(buf)), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_readlink(bad, S("x"), P(buf), 8, P(buf + 32)), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_remove_directory(bad, S("x")), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_rename(bad, S("x"), FD_SCRATCH, S("y")), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_rename(FD_SCRATCH, S("p/f.txt"), bad, S("y")), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_symlink(S("x"), bad, S("y")), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_path_unlink_file(bad, S("x")), __WASI_ERRNO_BADF);
}

void test_path(void)
{
    check_directories();
    check_stat();
    check_symlinks();
    check_open_flags();
    check_times();
    check_links();
    check_rename_unlink_rmdir();
    check_badf();
}
