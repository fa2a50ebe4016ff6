/* raw.h — every wasi_snapshot_preview1 import declared by hand with plain
 * i32/i64 parameters, so tests can pass any pointer or length (wasi-libc's
 * __wasi_* wrappers compute string lengths themselves and lack proc_raise). */
#ifndef WASI_SUITE_RAW_H
#define WASI_SUITE_RAW_H

#include <stdint.h>

#define RAW(name, ...)                                                            \
    __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name))) \
    int32_t raw_##name(__VA_ARGS__)

typedef int32_t I;
typedef int64_t L;

RAW(args_get, I, I);
RAW(args_sizes_get, I, I);
RAW(environ_get, I, I);
RAW(environ_sizes_get, I, I);
RAW(clock_res_get, I, I);
RAW(clock_time_get, I, L, I);
RAW(fd_advise, I, L, L, I);
RAW(fd_allocate, I, L, L);
RAW(fd_close, I);
RAW(fd_datasync, I);
RAW(fd_fdstat_get, I, I);
RAW(fd_fdstat_set_flags, I, I);
RAW(fd_fdstat_set_rights, I, L, L);
RAW(fd_filestat_get, I, I);
RAW(fd_filestat_set_size, I, L);
RAW(fd_filestat_set_times, I, L, L, I);
RAW(fd_pread, I, I, I, L, I);
RAW(fd_prestat_get, I, I);
RAW(fd_prestat_dir_name, I, I, I);
RAW(fd_pwrite, I, I, I, L, I);
RAW(fd_read, I, I, I, I);
RAW(fd_readdir, I, I, I, L, I);
RAW(fd_renumber, I, I);
RAW(fd_seek, I, L, I, I);
RAW(fd_sync, I);
RAW(fd_tell, I, I);
RAW(fd_write, I, I, I, I);
RAW(path_create_directory, I, I, I);
RAW(path_filestat_get, I, I, I, I, I);
RAW(path_filestat_set_times, I, I, I, I, L, L, I);
RAW(path_link, I, I, I, I, I, I, I);
RAW(path_open, I, I, I, I, I, L, L, I, I);
RAW(path_readlink, I, I, I, I, I, I);
RAW(path_remove_directory, I, I, I);
RAW(path_rename, I, I, I, I, I, I);
RAW(path_symlink, I, I, I, I, I);
RAW(path_unlink_file, I, I, I);
RAW(poll_oneoff, I, I, I, I);
RAW(proc_raise, I);
RAW(sched_yield, void);
RAW(random_get, I, I);
RAW(sock_accept, I, I, I);
RAW(sock_recv, I, I, I, I, I, I);
RAW(sock_send, I, I, I, I, I);
RAW(sock_shutdown, I, I);

/* A guest pointer as the i32 the imports take. */
#define P(x) ((int32_t)(uintptr_t)(x))
/* A string and its length. */
#define S(s) P(s), (int32_t)strlen(s)

#endif
