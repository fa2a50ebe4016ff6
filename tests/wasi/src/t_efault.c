/* t_efault.c — every pointer a WASI function takes, pointed outside linear
 * memory (or straddling its end), gives EFAULT and changes nothing; a
 * pointer that ends exactly at the end of memory works. */
#include "check.h"

#define FOLLOW __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW

static uint32_t memory_end(void) { return (uint32_t)__builtin_wasm_memory_size(0) * 65536u; }

static void check_edges(void)
{
    uint32_t end = memory_end();
    /* 8 bytes ending exactly at the end: fine; one byte further: EFAULT. */
    CHECK_OK(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (int32_t)(end - 8)));
    CHECK_ERRNO(raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, (int32_t)(end - 7)),
                __WASI_ERRNO_FAULT);
    CHECK_OK(raw_random_get((int32_t)(end - 16), 16));
    CHECK_ERRNO(raw_random_get((int32_t)(end - 16), 17), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_random_get(-1, 2), __WASI_ERRNO_FAULT); /* wraps past 4 GiB */
    CHECK_OK(raw_fd_fdstat_get(1, (int32_t)(end - 24)));
    CHECK_ERRNO(raw_fd_fdstat_get(1, (int32_t)(end - 23)), __WASI_ERRNO_FAULT);
}

static void check_fd_functions(__wasi_fd_t file)
{
    uint8_t buf[64];
    __wasi_iovec_t good = {buf, 8};
    __wasi_iovec_t bad_buf = {(uint8_t *)(uintptr_t)BAD_PTR, 8};
    int32_t out = P(buf + 32);
    CHECK_ERRNO(raw_fd_fdstat_get(file, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_filestat_get(file, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_prestat_get(FD_SCRATCH, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_prestat_dir_name(FD_SCRATCH, BAD_PTR, 100), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_read(file, BAD_PTR, 1, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_read(file, P(&bad_buf), 1, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_read(file, P(&good), 1, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_read(file, P(&good), 0x20000000, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_write(file, BAD_PTR, 1, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_write(file, P(&bad_buf), 1, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_write(file, P(&good), 1, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_pread(file, P(&bad_buf), 1, 0, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_pread(file, P(&good), 1, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_pwrite(file, P(&bad_buf), 1, 0, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_pwrite(file, P(&good), 1, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_seek(file, 0, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_tell(file, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_readdir(FD_SCRATCH, BAD_PTR, 64, 0, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_readdir(FD_SCRATCH, P(buf), 64, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    /* A fault in the middle of an iovec list writes nothing. */
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_fd_filestat_get(file, &fs));
    __wasi_ciovec_t mixed[2] = {{(const uint8_t *)"abc", 3}, {(const uint8_t *)(uintptr_t)BAD_PTR, 4}};
    CHECK_ERRNO(raw_fd_write(file, P(mixed), 2, out), __WASI_ERRNO_FAULT);
    __wasi_filestat_t fs2;
    CHECK_OK(__wasi_fd_filestat_get(file, &fs2));
    CHECK_EQ(fs2.size, fs.size);
}

static void check_path_functions(void)
{
    uint8_t buf[128];
    int32_t out = P(buf + 64);
    const int32_t huge = 0x7fffffff;
    CHECK_ERRNO(raw_path_create_directory(FD_SCRATCH, BAD_PTR, 4), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_create_directory(FD_SCRATCH, P("x"), huge), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_filestat_get(FD_SCRATCH, 0, BAD_PTR, 4, P(buf)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_filestat_get(FD_SCRATCH, 0, S("ef.txt"), BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_filestat_set_times(FD_SCRATCH, 0, BAD_PTR, 4, 0, 0, 0),
                __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_link(FD_SCRATCH, 0, BAD_PTR, 4, FD_SCRATCH, S("y")), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_link(FD_SCRATCH, 0, S("ef.txt"), FD_SCRATCH, BAD_PTR, 4),
                __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_open(FD_SCRATCH, FOLLOW, BAD_PTR, 4, 0, RIGHTS_RO, 0, 0, out),
                __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_open(FD_SCRATCH, FOLLOW, S("ef.txt"), 0, RIGHTS_RO, 0, 0, BAD_PTR),
                __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_readlink(FD_SCRATCH, BAD_PTR, 4, P(buf), 16, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_readlink(FD_SCRATCH, S("ef_link"), BAD_PTR, 16, out), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_readlink(FD_SCRATCH, S("ef_link"), P(buf), 16, BAD_PTR),
                __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_remove_directory(FD_SCRATCH, BAD_PTR, 4), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_rename(FD_SCRATCH, BAD_PTR, 4, FD_SCRATCH, S("y")), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_rename(FD_SCRATCH, S("ef.txt"), FD_SCRATCH, BAD_PTR, 4),
                __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_symlink(BAD_PTR, 4, FD_SCRATCH, S("y")), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_symlink(S("ef.txt"), FD_SCRATCH, BAD_PTR, 4), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_path_unlink_file(FD_SCRATCH, BAD_PTR, 4), __WASI_ERRNO_FAULT);
    /* Nothing was renamed or removed by the faulting calls. */
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_path_filestat_get(FD_SCRATCH, 0, "ef.txt", &fs));
}

static void check_others(void)
{
    uint8_t buf[64];
    CHECK_ERRNO(raw_args_get(BAD_PTR, P(buf)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_args_sizes_get(P(buf), BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_environ_get(BAD_PTR, P(buf)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_environ_sizes_get(BAD_PTR, P(buf)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_clock_res_get(0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_clock_time_get(0, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_random_get(BAD_PTR, 1), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_poll_oneoff(BAD_PTR, P(buf), 1, P(buf)), __WASI_ERRNO_FAULT);
}

void test_efault(void)
{
    make_file(FD_SCRATCH, "ef.txt", "efault");
    CHECK_OK(__wasi_path_symlink("ef.txt", FD_SCRATCH, "ef_link"));
    __wasi_errno_t e;
    __wasi_fd_t file = open_at(FD_SCRATCH, "ef.txt", 0, RIGHTS_ALL, 0, &e);
    CHECK_OK(e);
    check_edges();
    check_fd_functions(file);
    check_path_functions();
    check_others();
    CHECK_OK(__wasi_fd_close(file));
}
