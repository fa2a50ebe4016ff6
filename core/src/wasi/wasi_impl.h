/* wasi_impl.h — internals shared by the WASI preview1 implementation: the
 * configuration, the per-instance state (fd table, args, env, exit status),
 * guest-memory access with bounds checks, and the prototypes of every
 * wasi_snapshot_preview1 function. One file per group of functions:
 *   config.c    weft_wasi_config_*           state.c   weft_wasi_*, dispatch, log
 *   args.c      args_*, environ_*            clock.c   clock_*, time helpers
 *   random.c    random_get                   proc.c    proc_exit/raise, sched_yield
 *   poll.c      poll_oneoff                  fdtable.c the fd table, preopens, stdio
 *   fd_io.c     read/write/seek/tell/...     fd_meta.c fdstat, filestat, sync, ...
 *   fd_dir.c    readdir, prestat             path.c    path_*
 *   sock.c      sock_*                       resolve.c the sandboxed path resolver
 *   errno_map.c host errno -> WASI errno, errno names */
#ifndef WEFT_WASI_IMPL_H
#define WEFT_WASI_IMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

#include "weft.h"
#include "wasi_abi.h"

/* ------------------------------------------------------------- config */

enum stdio_mode { STDIO_NULL, STDIO_HOST_FD, STDIO_CALLBACK };

typedef struct stdio_cfg {
    int mode;               /* stdio_mode */
    int host_fd;            /* STDIO_HOST_FD */
    weft_wasi_read_fn read; /* STDIO_CALLBACK, fd 0 */
    weft_wasi_write_fn write; /* STDIO_CALLBACK, fds 1 and 2 */
    void *env;
} stdio_cfg;

typedef struct mount_cfg {
    char *host;
    char *guest;
    bool readonly;
} mount_cfg;

typedef struct clock_cfg {
    weft_wasi_clock_fn fn; /* NULL: the host clock */
    void *env;
    uint64_t resolution;
} clock_cfg;

/* The part of a configuration that a weft_wasi copies and keeps. */
typedef struct wasi_hooks {
    clock_cfg walltime, nanotime;
    weft_wasi_sleep_fn sleep;
    void *sleep_env;
    weft_wasi_random_fn random;
    void *random_env;
    weft_wasi_log_fn log;
    void *log_env;
} wasi_hooks;

/* A list of NUL-terminated strings kept in one buffer, the way args_get and
 * environ_get hand them to the guest. */
typedef struct strlist {
    char *buf;     /* n strings, each followed by NUL */
    size_t bytes;  /* total size of buf */
    size_t n;
} strlist;

bool strlist_push(strlist *l, const char *s, size_t len);
bool strlist_copy(strlist *dst, const strlist *src);
void strlist_free(strlist *l);

/* How paths are resolved beneath a preopen (resolve.c). */
enum resolve_mode {
    RESOLVE_MODE_AUTO,    /* openat2(RESOLVE_BENEATH) when the kernel has it */
    RESOLVE_MODE_OPENAT2, /* openat2 only (tests) */
    RESOLVE_MODE_WALK     /* component walk with O_NOFOLLOW */
};

struct weft_wasi_config {
    strlist args, env;
    stdio_cfg stdio[3];
    mount_cfg *mounts;
    size_t nmounts;
    int *sockets;
    size_t nsockets;
    wasi_hooks hooks;
    int resolve_mode;
};

/* ------------------------------------------------------------- fd table */

enum fd_kind {
    FD_FREE = 0,
    FD_HOST,   /* a host fd: file, directory, socket, pipe, terminal */
    FD_READER, /* stdin from a read callback */
    FD_WRITER, /* stdout/stderr to a write callback */
    FD_NULL    /* reads see end of input, writes are discarded */
};

/* A snapshot of a directory's entries for fd_readdir: cookie n resumes
 * after entry n, whatever the host's own offsets are. Taken at cookie 0. */
typedef struct dir_entry {
    uint64_t ino;
    uint32_t name_off, name_len; /* into dir_snapshot.names */
    uint8_t type;                /* wasi_filetype */
} dir_entry;

typedef struct dir_snapshot {
    dir_entry *entries;
    size_t n;
    char *names;
} dir_snapshot;

typedef struct wasi_fd {
    uint8_t kind;     /* fd_kind */
    uint8_t filetype; /* wasi_filetype */
    uint16_t fdflags; /* for callback and null streams (host fds ask the host) */
    bool readonly;    /* beneath a read-only mount: writes are EROFS */
    bool listening;   /* a preopened listening socket */
    int host;         /* FD_HOST: the host descriptor (owned) */
    uint64_t rights_base, rights_inheriting;
    char *preopen;    /* guest path of a preopened directory, else NULL */
    dir_snapshot *dir;
    weft_wasi_read_fn read;
    weft_wasi_write_fn write;
    void *cb_env;
} wasi_fd;

/* ------------------------------------------------------------- state */

typedef struct wasi_desc wasi_desc;

/* What each host function's env points at: its state and its descriptor. */
typedef struct wasi_binding {
    struct weft_wasi *w;
    const wasi_desc *desc;
} wasi_binding;

struct weft_wasi {
    atomic_uint refs;  /* the owner's reference + one per host function */
    bool closed;       /* weft_wasi_delete ran: fds are closed */
    strlist args, env;
    wasi_hooks hooks;
    int resolve_mode;
    wasi_fd *fds;
    uint32_t nfds;
    bool exited;
    int32_t exit_code;
    const weft_instance *bound; /* the instance the state serves (first caller) */
    wasi_binding *bindings;     /* one per function, for host-function envs */
};

/* One call in progress: the state, the caller's linear memory and the
 * caller (for interrupts). A function that must end the guest (proc_exit)
 * or stop it (interrupt during a sleep) sets `trap`. */
typedef struct wasi_call {
    struct weft_wasi *w;
    uint8_t *mem;
    uint64_t mem_size;
    weft_caller *caller;
    weft_trap *trap;
} wasi_call;

/* ------------------------------------------------------------- memory */

/* True when [ptr, ptr+len) lies inside linear memory. */
static inline bool mem_ok(const wasi_call *c, uint32_t ptr, uint64_t len)
{
    return (uint64_t)ptr + len <= c->mem_size;
}

/* Little-endian loads and stores at a checked address. */
static inline uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ld64(const uint8_t *p) { return ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static inline void st8(uint8_t *p, uint8_t v) { p[0] = v; }
static inline void st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void st32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void st64(uint8_t *p, uint64_t v)
{
    st32(p, (uint32_t)v);
    st32(p + 4, (uint32_t)(v >> 32));
}

/* Stores a u32/u64 result at a guest pointer; EFAULT when out of bounds. */
int put_u32(wasi_call *c, uint32_t ptr, uint32_t v);
int put_u64(wasi_call *c, uint32_t ptr, uint64_t v);

/* A guest iovec array translated to host iovecs (bounds-checked). At most
 * IOV_LIMIT entries are used: reads and writes may be short anyway. */
#define IOV_SMALL 16
#define IOV_LIMIT 1024
typedef struct guest_iovs {
    struct iovec *v;
    size_t n;
    uint64_t total;
    struct iovec small[IOV_SMALL];
} guest_iovs;
int iovs_load(wasi_call *c, uint32_t ptr, uint32_t n, guest_iovs *out);
void iovs_free(guest_iovs *g);

/* ------------------------------------------------------------- errno */

/* The WASI errno for a host errno value. */
int wasi_errno_from_host(int host_errno);
/* "SUCCESS", "BADF", ... for logs. */
const char *wasi_errno_name(int wasi_errno);

/* ------------------------------------------------------------- fd table */

/* The entry for guest fd `fd`, or NULL (EBADF) if closed or out of range. */
wasi_fd *fd_get(struct weft_wasi *w, uint32_t fd);
/* As fd_get, also requiring every right in `rights`. Sets *err to EBADF,
 * ENOTCAPABLE, or EROFS (a write right on a read-only mount). */
wasi_fd *fd_get_rights(struct weft_wasi *w, uint32_t fd, uint64_t rights, int *err);
/* The WASI errno for lacking `rights` on `f`. */
int fd_rights_error(const wasi_fd *f, uint64_t rights);
/* Reserves the lowest free guest fd and sets *fd; returns a WASI errno.
 * The table may move: wasi_fd pointers taken before are invalid after. */
int fd_alloc(struct weft_wasi *w, uint32_t *fd);
/* Releases an entry's resources (host fd, snapshot, name); the slot is free. */
void fd_release(wasi_fd *f);
/* Builds the table from a configuration: stdio, mounts, sockets. Returns 0
 * or a message (static or in `msg`) describing why a mount failed. */
const char *fdtable_init(struct weft_wasi *w, const weft_wasi_config *c, char *msg, size_t cap);
void fdtable_close_all(struct weft_wasi *w);
/* The WASI file type of a host stat mode. */
uint8_t filetype_from_mode(unsigned mode);
/* Rights an fd of this type is given at most. */
uint64_t rights_for_filetype(uint8_t filetype);
/* Writes a WASI filestat for `st` at p (WASI_FILESTAT_SIZE bytes). */
struct stat;
void filestat_store(uint8_t *p, const struct stat *st);
/* The two timespecs of utimensat/futimens for WASI times and fst_flags;
 * returns a WASI errno (EINVAL for contradicting flags). */
struct timespec;
int timespecs_from_wasi(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);
/* Releases the snapshot of a directory. */
void dir_snapshot_free(dir_snapshot *d);

/* ------------------------------------------------------------- resolver */

/* The outcome of resolving a guest path beneath a directory: the host fd of
 * the directory holding the last component (owned by the caller) and that
 * component's name, which never contains '/' and is never empty ("." when
 * the path names the directory itself). */
typedef struct resolved {
    int dirfd;
    char *name;          /* malloc'd */
    bool trailing_slash; /* the path ended in '/': it must name a directory */
} resolved;

#define RESOLVE_FOLLOW 0x1 /* expand a symlink in the last component */

/* Resolves `path` (`len` bytes, not NUL-terminated) beneath `root`. Returns
 * a WASI errno: WASI_ESCAPE for any attempt to leave `root`. */
int resolve_path(int root, const char *path, size_t len, unsigned flags, int mode,
                 resolved *out);
void resolved_free(resolved *r);
/* The mode RESOLVE_MODE_AUTO resolves to on this kernel. */
int resolve_effective_mode(int mode);

/* ------------------------------------------------------------- time */

/* Current time of a WASI clock in ns; returns a WASI errno. */
int clock_now(struct weft_wasi *w, uint32_t id, uint64_t *ns);
/* Sleeps `ns` nanoseconds (configured sleeper or the host), waking early
 * if the caller's instance is interrupted; returns false if it was. */
bool wasi_sleep(wasi_call *c, uint64_t ns);
/* True when the instance running the call was asked to stop. */
bool call_interrupted(wasi_call *c);
/* Sets c->trap to an "interrupted" trap and consumes the request. */
void call_set_interrupted(wasi_call *c);
/* Before a blocking read/accept on a stream: waits until host fd `host` is
 * readable (or writable), in slices, so an interrupt is seen. Returns
 * false (with c->trap set) if the instance was interrupted. Returns at once
 * for non-blocking fds. */
bool wait_ready(wasi_call *c, int host, bool for_write);

/* ------------------------------------------------------------- functions */

/* The arity and names of every function, in one place: name, parameter
 * kinds ('i' i32, 'I' i64), result ("i" errno, "" none) and parameter names
 * for -hostlogging. */
#define WASI_FUNCS(X)                                                                    \
    X(args_get, "ii", "i", "argv,argv_buf")                                              \
    X(args_sizes_get, "ii", "i", "argc,argv_buf_size")                                   \
    X(environ_get, "ii", "i", "environ,environ_buf")                                     \
    X(environ_sizes_get, "ii", "i", "environ_count,environ_buf_size")                    \
    X(clock_res_get, "ii", "i", "id,resolution")                                         \
    X(clock_time_get, "iIi", "i", "id,precision,time")                                   \
    X(fd_advise, "iIIi", "i", "fd,offset,len,advice")                                    \
    X(fd_allocate, "iII", "i", "fd,offset,len")                                          \
    X(fd_close, "i", "i", "fd")                                                          \
    X(fd_datasync, "i", "i", "fd")                                                       \
    X(fd_fdstat_get, "ii", "i", "fd,stat")                                               \
    X(fd_fdstat_set_flags, "ii", "i", "fd,flags")                                        \
    X(fd_fdstat_set_rights, "iII", "i", "fd,fs_rights_base,fs_rights_inheriting")        \
    X(fd_filestat_get, "ii", "i", "fd,buf")                                              \
    X(fd_filestat_set_size, "iI", "i", "fd,size")                                        \
    X(fd_filestat_set_times, "iIIi", "i", "fd,atim,mtim,fst_flags")                      \
    X(fd_pread, "iiiIi", "i", "fd,iovs,iovs_len,offset,nread")                           \
    X(fd_prestat_get, "ii", "i", "fd,prestat")                                           \
    X(fd_prestat_dir_name, "iii", "i", "fd,path,path_len")                               \
    X(fd_pwrite, "iiiIi", "i", "fd,iovs,iovs_len,offset,nwritten")                       \
    X(fd_read, "iiii", "i", "fd,iovs,iovs_len,nread")                                    \
    X(fd_readdir, "iiiIi", "i", "fd,buf,buf_len,cookie,bufused")                         \
    X(fd_renumber, "ii", "i", "fd,to")                                                   \
    X(fd_seek, "iIii", "i", "fd,offset,whence,newoffset")                                \
    X(fd_sync, "i", "i", "fd")                                                           \
    X(fd_tell, "ii", "i", "fd,offset")                                                   \
    X(fd_write, "iiii", "i", "fd,iovs,iovs_len,nwritten")                                \
    X(path_create_directory, "iii", "i", "fd,path,path_len")                             \
    X(path_filestat_get, "iiiii", "i", "fd,flags,path,path_len,buf")                     \
    X(path_filestat_set_times, "iiiiIIi", "i", "fd,flags,path,path_len,atim,mtim,fst_flags") \
    X(path_link, "iiiiiii", "i", "old_fd,old_flags,old_path,old_path_len,new_fd,new_path,new_path_len") \
    X(path_open, "iiiiiIIii", "i",                                                       \
      "fd,dirflags,path,path_len,oflags,fs_rights_base,fs_rights_inheriting,fdflags,opened_fd") \
    X(path_readlink, "iiiiii", "i", "fd,path,path_len,buf,buf_len,bufused")              \
    X(path_remove_directory, "iii", "i", "fd,path,path_len")                             \
    X(path_rename, "iiiiii", "i", "fd,old_path,old_path_len,new_fd,new_path,new_path_len") \
    X(path_symlink, "iiiii", "i", "old_path,old_path_len,fd,new_path,new_path_len")      \
    X(path_unlink_file, "iii", "i", "fd,path,path_len")                                  \
    X(poll_oneoff, "iiii", "i", "in,out,nsubscriptions,nevents")                         \
    X(proc_exit, "i", "", "rval")                                                        \
    X(proc_raise, "i", "i", "sig")                                                       \
    X(sched_yield, "", "i", "")                                                          \
    X(random_get, "ii", "i", "buf,buf_len")                                              \
    X(sock_accept, "iii", "i", "fd,flags,result_fd")                                     \
    X(sock_recv, "iiiiii", "i", "fd,ri_data,ri_data_len,ri_flags,ro_datalen,ro_flags")   \
    X(sock_send, "iiiii", "i", "fd,si_data,si_data_len,si_flags,so_datalen")             \
    X(sock_shutdown, "ii", "i", "fd,how")

/* Every function: takes the call and its raw argument slots, returns the
 * WASI errno (ignored for proc_exit, which sets c->trap). */
typedef int (*wasi_impl)(wasi_call *c, const uint64_t *args);

#define WASI_DECLARE(name, params, results, names) int wasi_##name(wasi_call *c, const uint64_t *a);
WASI_FUNCS(WASI_DECLARE)
#undef WASI_DECLARE

struct wasi_desc {
    const char *name;
    const char *params;
    const char *results;
    const char *arg_names;
    wasi_impl impl;
};

/* Argument accessors for the raw slots. */
#define ARG32(i) ((uint32_t)a[i])
#define ARG64(i) ((uint64_t)a[i])

#endif /* WEFT_WASI_IMPL_H */
