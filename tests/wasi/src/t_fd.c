/* t_fd.c — the fd_* functions on files in the read-write mount (fd 3):
 * read/write/seek/tell/pread/pwrite, fdstat and its flags and rights,
 * filestat and sizes and times, advise, allocate, sync, renumber, close,
 * prestat; and EBADF from every fd_* function. */
#include "check.h"

#define NS_PER_SEC 1000000000ull

static __wasi_fd_t fresh_file(const char *path, const char *content)
{
    __wasi_errno_t e;
    __wasi_fd_t fd = open_at(FD_SCRATCH, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                             RIGHTS_ALL, 0, &e);
    CHECK_OK(e);
    if (content)
        CHECK_OK(write_all(fd, content, strlen(content)));
    return fd;
}

static void check_prestat(void)
{
    __wasi_prestat_t ps;
    CHECK_OK(__wasi_fd_prestat_get(FD_SCRATCH, &ps));
    CHECK_EQ(ps.tag, __WASI_PREOPENTYPE_DIR);
    CHECK_EQ(ps.u.dir.pr_name_len, 8);
    char name[16] = {0};
    CHECK_OK(__wasi_fd_prestat_dir_name(FD_SCRATCH, (uint8_t *)name, ps.u.dir.pr_name_len));
    CHECK(memcmp(name, "/scratch", 8) == 0);
    CHECK_ERRNO(__wasi_fd_prestat_dir_name(FD_SCRATCH, (uint8_t *)name, 3),
                __WASI_ERRNO_NAMETOOLONG);
    CHECK_ERRNO(__wasi_fd_prestat_get(99, &ps), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_prestat_get(1, &ps), __WASI_ERRNO_BADF);

    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(FD_SCRATCH, &st));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_DIRECTORY);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_CREATE_FILE);
    CHECK(st.fs_rights_inheriting & __WASI_RIGHTS_FD_WRITE);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_READ)); /* a directory has no bytes */
    char buf[8];
    CHECK_ERRNO(read_some(FD_SCRATCH, buf, sizeof buf), -1);
}

static void check_read_write_seek(__wasi_fd_t fd)
{
    char buf[64];
    __wasi_filesize_t pos = 99;
    CHECK_OK(__wasi_fd_tell(fd, &pos));
    CHECK_EQ(pos, 11);
    CHECK_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    CHECK_EQ(pos, 0);
    __wasi_iovec_t iov = {(uint8_t *)buf, 5};
    __wasi_size_t n = 0;
    CHECK_OK(__wasi_fd_read(fd, &iov, 1, &n));
    CHECK(n == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK_OK(__wasi_fd_seek(fd, -5, __WASI_WHENCE_END, &pos));
    CHECK_EQ(pos, 6);
    CHECK(read_some(fd, buf, sizeof buf) == 5 && strcmp(buf, "world") == 0);
    CHECK(read_some(fd, buf, sizeof buf) == 0); /* end of file */
    CHECK_OK(__wasi_fd_seek(fd, -3, __WASI_WHENCE_CUR, &pos));
    CHECK_EQ(pos, 8);
    CHECK_ERRNO(__wasi_fd_seek(fd, 0, 3, &pos), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_fd_seek(fd, -100, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_INVAL);

    /* Positional I/O leaves the offset alone. */
    __wasi_iovec_t piov = {(uint8_t *)buf, 5};
    CHECK_OK(__wasi_fd_pread(fd, &piov, 1, 6, &n));
    CHECK(n == 5 && memcmp(buf, "world", 5) == 0);
    __wasi_ciovec_t w = {(const uint8_t *)"HELLO", 5};
    CHECK_OK(__wasi_fd_pwrite(fd, &w, 1, 0, &n));
    CHECK_EQ(n, 5);
    CHECK_OK(__wasi_fd_tell(fd, &pos));
    CHECK_EQ(pos, 8);
    __wasi_iovec_t two[2] = {{(uint8_t *)buf, 6}, {(uint8_t *)buf + 6, 10}};
    CHECK_OK(__wasi_fd_pread(fd, two, 2, 0, &n));
    CHECK(n == 11 && memcmp(buf, "HELLO world", 11) == 0);
    CHECK_OK(__wasi_fd_pread(fd, two, 2, 1000, &n)); /* beyond the end: nothing */
    CHECK_EQ(n, 0);
    CHECK_ERRNO(raw_fd_pread(fd, P(two), 2, -1, P(&n)), __WASI_ERRNO_INVAL);
}

static void check_filestat(__wasi_fd_t fd)
{
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_fd_filestat_get(fd, &fs));
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(fs.size, 11);
    CHECK_EQ(fs.nlink, 1);
    CHECK(fs.ino != 0);
    CHECK_OK(__wasi_fd_filestat_set_size(fd, 4));
    CHECK_OK(__wasi_fd_filestat_get(fd, &fs));
    CHECK_EQ(fs.size, 4);
    CHECK_OK(__wasi_fd_filestat_set_size(fd, 100));
    CHECK_OK(__wasi_fd_filestat_get(fd, &fs));
    CHECK_EQ(fs.size, 100);
    CHECK_ERRNO(raw_fd_filestat_set_size(fd, -1), __WASI_ERRNO_INVAL);

    __wasi_timestamp_t atim = 1000 * NS_PER_SEC + 5, mtim = 2000 * NS_PER_SEC + 7;
    CHECK_OK(__wasi_fd_filestat_set_times(fd, atim, mtim,
                                          __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
    CHECK_OK(__wasi_fd_filestat_get(fd, &fs));
    CHECK_EQ(fs.atim, atim);
    CHECK_EQ(fs.mtim, mtim);
    CHECK_OK(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
    CHECK_OK(__wasi_fd_filestat_get(fd, &fs));
    CHECK_EQ(fs.atim, atim); /* untouched */
    __wasi_timestamp_t now = 0;
    CHECK_OK(__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now));
    CHECK(fs.mtim > now - 60 * NS_PER_SEC && fs.mtim <= now + NS_PER_SEC);
    CHECK_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0,
                                             __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW),
                __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_fd_filestat_set_times(fd, 0, 0,
                                             __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
                __WASI_ERRNO_INVAL);
    CHECK_ERRNO(raw_fd_filestat_set_times(fd, 0, 0, 0x10), __WASI_ERRNO_INVAL);
}

static void check_hints_and_sync(__wasi_fd_t fd)
{
    CHECK_OK(__wasi_fd_advise(fd, 0, 100, __WASI_ADVICE_SEQUENTIAL));
    CHECK_OK(__wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_DONTNEED));
    CHECK_ERRNO(raw_fd_advise(fd, 0, 100, 9), __WASI_ERRNO_INVAL);
    CHECK_OK(__wasi_fd_allocate(fd, 0, 8192));
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_fd_filestat_get(fd, &fs));
    CHECK(fs.size >= 8192);
    CHECK_ERRNO(__wasi_fd_allocate(fd, 0, 0), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(raw_fd_allocate(fd, -1, 10), __WASI_ERRNO_INVAL);
    CHECK_OK(__wasi_fd_datasync(fd));
    CHECK_OK(__wasi_fd_sync(fd));
    CHECK_OK(__wasi_fd_sync(FD_SCRATCH)); /* directories can be synced too */
}

static void check_flags_and_rights(__wasi_fd_t fd)
{
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_REGULAR_FILE);
    CHECK_EQ(st.fs_flags, 0);
    CHECK(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_PATH_OPEN)); /* trimmed: not a directory */

    CHECK_OK(__wasi_fd_filestat_set_size(fd, 3));
    CHECK_OK(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_APPEND));
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK_EQ(st.fs_flags, __WASI_FDFLAGS_APPEND);
    __wasi_filesize_t pos;
    CHECK_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_SET, &pos));
    CHECK_OK(write_all(fd, "+tail", 5)); /* appended, not at offset 0 */
    char buf[32];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t n;
    CHECK_OK(__wasi_fd_pread(fd, &iov, 1, 0, &n));
    CHECK(n == 8 && memcmp(buf, "HEL+tail", 8) == 0);
    CHECK_OK(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_NONBLOCK));
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK_EQ(st.fs_flags, __WASI_FDFLAGS_NONBLOCK);
    CHECK_OK(__wasi_fd_fdstat_set_flags(fd, 0));
    CHECK_ERRNO(__wasi_fd_fdstat_set_flags(fd, __WASI_FDFLAGS_SYNC), __WASI_ERRNO_NOTSUP);
    CHECK_ERRNO(raw_fd_fdstat_set_flags(fd, 0x100), __WASI_ERRNO_INVAL);

    /* Rights can be dropped, never regained. */
    __wasi_rights_t base = st.fs_rights_base & ~(__WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK);
    CHECK_OK(__wasi_fd_fdstat_set_rights(fd, base, st.fs_rights_inheriting));
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK_EQ(st.fs_rights_base, base);
    CHECK_ERRNO(write_all(fd, "x", 1), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, &pos)); /* only needs FD_TELL */
    CHECK_OK(__wasi_fd_tell(fd, &pos));
    CHECK_ERRNO(__wasi_fd_fdstat_set_rights(fd, base | __WASI_RIGHTS_FD_WRITE, 0),
                __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_pread(fd, &iov, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_fdstat_set_rights(fd, 0, 0));
    CHECK_ERRNO(__wasi_fd_filestat_get(fd, (__wasi_filestat_t *)buf), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_sync(fd), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_advise(fd, 0, 1, 0), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_allocate(fd, 0, 1), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(__wasi_fd_read(fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
}

static void check_readonly_open(void)
{
    __wasi_errno_t e;
    __wasi_fd_t fd = open_at(FD_SCRATCH, "fd_test.txt", 0, RIGHTS_RO, 0, &e);
    CHECK_OK(e);
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(fd, &st));
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_FD_WRITE));
    CHECK_ERRNO(write_all(fd, "x", 1), __WASI_ERRNO_NOTCAPABLE);
    __wasi_ciovec_t w = {(const uint8_t *)"x", 1};
    __wasi_size_t n;
    CHECK_ERRNO(__wasi_fd_pwrite(fd, &w, 1, 0, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_close(fd));
}

static void check_renumber_close(void)
{
    __wasi_fd_t a = fresh_file("renum_a.txt", "AAA");
    __wasi_fd_t b = fresh_file("renum_b.txt", "BBB");
    CHECK_OK(__wasi_fd_renumber(a, a));
    CHECK_OK(__wasi_fd_renumber(a, b)); /* b now is the first file; a is gone */
    char buf[8];
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
    __wasi_size_t n;
    CHECK_OK(__wasi_fd_pread(b, &iov, 1, 0, &n));
    CHECK(n == 3 && memcmp(buf, "AAA", 3) == 0);
    __wasi_fdstat_t st;
    CHECK_ERRNO(__wasi_fd_fdstat_get(a, &st), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_renumber(a, b), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_fd_renumber(b, 77), __WASI_ERRNO_BADF);
    CHECK_OK(__wasi_fd_close(b));
    CHECK_ERRNO(__wasi_fd_close(b), __WASI_ERRNO_BADF);
    /* The lowest free number is reused. */
    __wasi_errno_t e;
    __wasi_fd_t c = open_at(FD_SCRATCH, "renum_b.txt", 0, RIGHTS_RO, 0, &e);
    CHECK_OK(e);
    CHECK(c == a || c == b);
    CHECK_OK(__wasi_fd_close(c));
}

/* Every fd_* function says EBADF for a descriptor that is not open. */
static void check_badf(void)
{
    const int32_t bad = 77;
    uint8_t buf[64];
    __wasi_iovec_t iov = {buf, 8};
    const int32_t out = P(buf + 32);
    CHECK_ERRNO(raw_fd_advise(bad, 0, 1, 0), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_allocate(bad, 0, 1), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_close(bad), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_datasync(bad), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_fdstat_get(bad, P(buf)), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_fdstat_set_flags(bad, 0), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_fdstat_set_rights(bad, 0, 0), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_filestat_get(bad, P(buf)), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_filestat_set_size(bad, 0), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_filestat_set_times(bad, 0, 0, 0), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_pread(bad, P(&iov), 1, 0, out), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_prestat_get(bad, P(buf)), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_prestat_dir_name(bad, P(buf), 8), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_pwrite(bad, P(&iov), 1, 0, out), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_read(bad, P(&iov), 1, out), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_readdir(bad, P(buf), 32, 0, out), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_renumber(bad, FD_SCRATCH), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_seek(bad, 0, 0, out), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_sync(bad), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_tell(bad, out), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_write(bad, P(&iov), 1, out), __WASI_ERRNO_BADF);
    CHECK_ERRNO(raw_fd_filestat_get(-1, P(buf)), __WASI_ERRNO_BADF);
}

void test_fd(void)
{
    check_prestat();
    __wasi_fd_t fd = fresh_file("fd_test.txt", "hello world");
    check_read_write_seek(fd);
    CHECK_OK(__wasi_fd_filestat_set_size(fd, 11));
    check_filestat(fd);
    check_hints_and_sync(fd);
    check_flags_and_rights(fd);
    CHECK_OK(__wasi_fd_close(fd));
    check_readonly_open();
    check_renumber_close();
    check_badf();
}
