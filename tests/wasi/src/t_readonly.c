/* t_readonly.c — a read-only mount (fd 4, host dir holding ro.txt with
 * "read only" and dir/): reading works; every write is refused with EROFS,
 * and its rights say so; nothing changes on the host. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "check.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static void check_rights(void)
{
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(FD_RO, &st));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_READDIR);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_PATH_CREATE_FILE));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_PATH_CREATE_DIRECTORY));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_PATH_UNLINK_FILE));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_PATH_RENAME_SOURCE));
    CHECK(!(st.fs_rights_inheriting & __WASI_RIGHTS_FD_WRITE));
    CHECK(st.fs_rights_inheriting & __WASI_RIGHTS_FD_READ);
    __wasi_prestat_t ps;
    CHECK_OK(__wasi_fd_prestat_get(FD_RO, &ps));
    CHECK_EQ(ps.u.dir.pr_name_len, 3); /* "/ro" */
}

static void check_reads(void)
{
    char buf[64];
    CHECK(slurp(FD_RO, "ro.txt", buf, sizeof buf) == 0 && strcmp(buf, "read only\n") == 0);
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_path_filestat_get(FD_RO, 0, "ro.txt", &fs));
    CHECK_EQ(fs.size, 10);
    FILE *f = fopen("/ro/ro.txt", "r");
    CHECK(f != NULL);
    if (f) {
        CHECK(fgets(buf, sizeof buf, f) && strcmp(buf, "read only\n") == 0);
        fclose(f);
    }
    uint8_t dbuf[512];
    __wasi_size_t used;
    CHECK_OK(__wasi_fd_readdir(FD_RO, dbuf, sizeof dbuf, 0, &used));
    CHECK(used > 0);
}

static void check_open_refusals(void)
{
    __wasi_fd_t fd;
    CHECK_ERRNO(__wasi_path_open(FD_RO, FOLLOW, "ro.txt", 0, RIGHTS_RW, RIGHTS_RW, 0, &fd),
                __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_open(FD_RO, FOLLOW, "new.txt", __WASI_OFLAGS_CREAT, RIGHTS_RO, 0, 0,
                                 &fd),
                __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_open(FD_RO, FOLLOW, "ro.txt", __WASI_OFLAGS_TRUNC, RIGHTS_RO, 0, 0,
                                 &fd),
                __WASI_ERRNO_ROFS);
    /* wasi-libc's open() and fopen() see EROFS. */
    errno = 0;
    CHECK(fopen("/ro/new.txt", "w") == NULL);
    CHECK_EQ(errno, EROFS);
    errno = 0;
    CHECK(open("/ro/ro.txt", O_WRONLY | O_TRUNC) < 0);
    CHECK_EQ(errno, EROFS);
}

/* A file opened for reading on the read-only mount: no write gets through. */
static void check_fd_refusals(void)
{
    __wasi_errno_t e;
    __wasi_fd_t fd = open_at(FD_RO, "ro.txt", 0, RIGHTS_ALL & ~__WASI_RIGHTS_FD_WRITE, 0, &e);
    CHECK_OK(e);
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE));
    CHECK_ERRNO(write_all(fd, "x", 1), __WASI_ERRNO_ROFS);
    __wasi_ciovec_t w = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    CHECK_ERRNO(__wasi_fd_pwrite(fd, &w, 1, 0, &n), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_fd_filestat_set_size(fd, 0), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
                __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_fd_allocate(fd, 0, 100), __WASI_ERRNO_ROFS);
    /* Rights cannot be granted back. */
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, st.fs_rights_base | __WASI_RIGHTS_FD_WRITE, 0),
                __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_sync(fd)); /* harmless on a read-only file */
    CHECK_OK(__wasi_fd_close(fd));
    /* A subdirectory inherits read-only-ness. */
    __wasi_fd_t dir = open_at(FD_RO, "dir", __WASI_OFLAGS_DIRECTORY, RIGHTS_ALL, 0, &e);
    CHECK_OK(e);
    CHECK_ERRNO(__wasi_path_create_directory(dir, "x"), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_open(dir, FOLLOW, "y", __WASI_OFLAGS_CREAT, RIGHTS_RO, 0, 0, &fd),
                __WASI_ERRNO_ROFS);
    CHECK_OK(__wasi_fd_close(dir));
}

static void check_path_refusals(void)
{
    CHECK_ERRNO(__wasi_path_create_directory(FD_RO, "newdir"), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_unlink_file(FD_RO, "ro.txt"), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_remove_directory(FD_RO, "dir"), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_rename(FD_RO, "ro.txt", FD_RO, "moved.txt"), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_rename(FD_RO, "ro.txt", FD_SCRATCH, "stolen.txt"), __WASI_ERRNO_ROFS);
    make_file(FD_SCRATCH, "planted.txt", "x");
    CHECK_ERRNO(__wasi_path_rename(FD_SCRATCH, "planted.txt", FD_RO, "planted.txt"),
                __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_link(FD_RO, 0, "ro.txt", FD_SCRATCH, "hard.txt"), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_link(FD_SCRATCH, 0, "planted.txt", FD_RO, "hard.txt"),
                __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_symlink("ro.txt", FD_RO, "ln"), __WASI_ERRNO_ROFS);
    CHECK_ERRNO(__wasi_path_filestat_set_times(FD_RO, 0, "ro.txt", 0, 0,
                                               __WASI_FSTFLAGS_MTIM_NOW),
                __WASI_ERRNO_ROFS);
    /* Nothing changed. */
    char buf[64];
    CHECK(slurp(FD_RO, "ro.txt", buf, sizeof buf) == 0 && strcmp(buf, "read only\n") == 0);
    __wasi_filestat_t fs;
    CHECK_ERRNO(__wasi_path_filestat_get(FD_RO, 0, "planted.txt", &fs), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(__wasi_path_filestat_get(FD_SCRATCH, 0, "stolen.txt", &fs), __WASI_ERRNO_NOENT);
}

void test_readonly(void)
{
    check_rights();
    check_reads();
    check_open_refusals();
    check_fd_refusals();
    check_path_refusals();
}
