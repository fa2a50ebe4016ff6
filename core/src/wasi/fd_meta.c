/* fd_meta.c — everything about an fd but its bytes: fd_close, fd_renumber,
 * fd_fdstat_get/set_flags/set_rights, fd_filestat_get/set_size/set_times,
 * fd_advise, fd_allocate, fd_datasync, fd_sync. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi_impl.h"

#define NS_PER_SEC 1000000000ull

/* ------------------------------------------------------------ close, renumber */

int wasi_fd_close(wasi_call *c, const uint64_t *a)
{
    wasi_fd *f = fd_get(c->w, ARG32(0));
    if (!f)
        return WASI_EBADF;
    fd_release(f);
    return WASI_ESUCCESS;
}

int wasi_fd_renumber(wasi_call *c, const uint64_t *a)
{
    wasi_fd *from = fd_get(c->w, ARG32(0));
    wasi_fd *to = fd_get(c->w, ARG32(1));
    if (!from || !to)
        return WASI_EBADF;
    if (from == to)
        return WASI_ESUCCESS;
    fd_release(to);
    *to = *from;
    memset(from, 0, sizeof *from); /* moved, not closed */
    from->host = -1;
    return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ fdstat */

static uint16_t host_fdflags(int fl)
{
    uint16_t r = 0;
    if (fl & O_APPEND)
        r |= WASI_FDFLAG_APPEND;
    if (fl & O_NONBLOCK)
        r |= WASI_FDFLAG_NONBLOCK;
    if ((fl & O_SYNC) == O_SYNC)
        r |= WASI_FDFLAG_SYNC;
    else if (fl & O_DSYNC)
        r |= WASI_FDFLAG_DSYNC;
    return r;
}

int wasi_fd_fdstat_get(wasi_call *c, const uint64_t *a)
{
    wasi_fd *f = fd_get(c->w, ARG32(0));
    if (!f)
        return WASI_EBADF;
    uint32_t out = ARG32(1);
    if (!mem_ok(c, out, WASI_FDSTAT_SIZE))
        return WASI_EFAULT;
    uint16_t flags = f->fdflags;
    if (f->kind == FD_HOST) {
        int fl = fcntl(f->host, F_GETFL);
        if (fl < 0)
            return wasi_errno_from_host(errno);
        flags = host_fdflags(fl);
    }
    uint8_t *p = c->mem + out;
    memset(p, 0, WASI_FDSTAT_SIZE);
    st8(p, f->filetype);
    st16(p + 2, flags);
    st64(p + 8, f->rights_base);
    st64(p + 16, f->rights_inheriting);
    return WASI_ESUCCESS;
}

int wasi_fd_fdstat_set_flags(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &err);
    if (!f)
        return err;
    uint32_t flags = ARG32(1);
    if (flags & ~(uint32_t)WASI_FDFLAGS_ALL)
        return WASI_EINVAL;
    /* Linux cannot change the synchronisation flags of an open file. */
    if (flags & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC))
        return WASI_ENOTSUP;
    if (f->kind != FD_HOST) {
        f->fdflags = (uint16_t)flags;
        return WASI_ESUCCESS;
    }
    int fl = fcntl(f->host, F_GETFL);
    if (fl < 0)
        return wasi_errno_from_host(errno);
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (flags & WASI_FDFLAG_APPEND)
        fl |= O_APPEND;
    if (flags & WASI_FDFLAG_NONBLOCK)
        fl |= O_NONBLOCK;
    if (fcntl(f->host, F_SETFL, fl) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}

int wasi_fd_fdstat_set_rights(wasi_call *c, const uint64_t *a)
{
    wasi_fd *f = fd_get(c->w, ARG32(0));
    if (!f)
        return WASI_EBADF;
    uint64_t base = ARG64(1), inheriting = ARG64(2);
    /* Rights can only be dropped. */
    if ((base & ~f->rights_base) || (inheriting & ~f->rights_inheriting))
        return WASI_ENOTCAPABLE;
    f->rights_base = base;
    f->rights_inheriting = inheriting;
    return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ filestat */

static uint64_t ts_ns(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * NS_PER_SEC + (uint64_t)ts->tv_nsec;
}

void filestat_store(uint8_t *p, const struct stat *st)
{
    memset(p, 0, WASI_FILESTAT_SIZE);
    st64(p, (uint64_t)st->st_dev);
    st64(p + 8, (uint64_t)st->st_ino);
    st8(p + 16, filetype_from_mode(st->st_mode));
    st64(p + 24, (uint64_t)st->st_nlink);
    st64(p + 32, (uint64_t)st->st_size);
    st64(p + 40, ts_ns(&st->st_atim));
    st64(p + 48, ts_ns(&st->st_mtim));
    st64(p + 56, ts_ns(&st->st_ctim));
}

int wasi_fd_filestat_get(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_FILESTAT_GET, &err);
    if (!f)
        return err;
    uint32_t out = ARG32(1);
    if (!mem_ok(c, out, WASI_FILESTAT_SIZE))
        return WASI_EFAULT;
    uint8_t *p = c->mem + out;
    if (f->kind != FD_HOST) { /* a callback or null stream: a bare device */
        memset(p, 0, WASI_FILESTAT_SIZE);
        st8(p + 16, f->filetype);
        st64(p + 24, 1);
        return WASI_ESUCCESS;
    }
    struct stat st;
    if (fstat(f->host, &st) != 0)
        return wasi_errno_from_host(errno);
    filestat_store(p, &st);
    if (f->filetype == WASI_FILETYPE_SOCKET_DGRAM) /* S_IFSOCK says stream */
        st8(p + 16, f->filetype);
    return WASI_ESUCCESS;
}

int wasi_fd_filestat_set_size(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_FILESTAT_SET_SIZE, &err);
    if (!f)
        return err;
    uint64_t size = ARG64(1);
    if (f->kind != FD_HOST || size > INT64_MAX)
        return WASI_EINVAL;
    if (ftruncate(f->host, (off_t)size) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}

int timespecs_from_wasi(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
    if (fst & ~(uint32_t)(WASI_FSTFLAG_ATIM | WASI_FSTFLAG_ATIM_NOW | WASI_FSTFLAG_MTIM |
                          WASI_FSTFLAG_MTIM_NOW))
        return WASI_EINVAL;
    if ((fst & WASI_FSTFLAG_ATIM) && (fst & WASI_FSTFLAG_ATIM_NOW))
        return WASI_EINVAL;
    if ((fst & WASI_FSTFLAG_MTIM) && (fst & WASI_FSTFLAG_MTIM_NOW))
        return WASI_EINVAL;
    const uint64_t t[2] = {atim, mtim};
    const uint32_t set[2] = {WASI_FSTFLAG_ATIM, WASI_FSTFLAG_MTIM};
    const uint32_t now[2] = {WASI_FSTFLAG_ATIM_NOW, WASI_FSTFLAG_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        ts[i].tv_sec = 0;
        if (fst & set[i]) {
            ts[i].tv_sec = (time_t)(t[i] / NS_PER_SEC);
            ts[i].tv_nsec = (long)(t[i] % NS_PER_SEC);
        } else if (fst & now[i]) {
            ts[i].tv_nsec = UTIME_NOW;
        } else {
            ts[i].tv_nsec = UTIME_OMIT;
        }
    }
    return WASI_ESUCCESS;
}

int wasi_fd_filestat_set_times(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_FILESTAT_SET_TIMES, &err);
    if (!f)
        return err;
    struct timespec ts[2];
    int r = timespecs_from_wasi(ARG64(1), ARG64(2), ARG32(3), ts);
    if (r != WASI_ESUCCESS)
        return r;
    if (f->kind != FD_HOST)
        return WASI_EINVAL;
    if (futimens(f->host, ts) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ advise, allocate, sync */

int wasi_fd_advise(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_ADVISE, &err);
    if (!f)
        return err;
    uint64_t offset = ARG64(1), len = ARG64(2);
    int advice;
    switch (ARG32(3)) {
    case WASI_ADVICE_NORMAL: advice = POSIX_FADV_NORMAL; break;
    case WASI_ADVICE_SEQUENTIAL: advice = POSIX_FADV_SEQUENTIAL; break;
    case WASI_ADVICE_RANDOM: advice = POSIX_FADV_RANDOM; break;
    case WASI_ADVICE_WILLNEED: advice = POSIX_FADV_WILLNEED; break;
    case WASI_ADVICE_DONTNEED: advice = POSIX_FADV_DONTNEED; break;
    case WASI_ADVICE_NOREUSE: advice = POSIX_FADV_NOREUSE; break;
    default: return WASI_EINVAL;
    }
    if (offset > INT64_MAX || len > INT64_MAX)
        return WASI_EINVAL;
    if (f->kind != FD_HOST)
        return WASI_ESPIPE;
    if (f->filetype == WASI_FILETYPE_DIRECTORY)
        return WASI_ESUCCESS; /* advice is a hint; directories take none */
    int e = posix_fadvise(f->host, (off_t)offset, (off_t)len, advice);
    return wasi_errno_from_host(e);
}

int wasi_fd_allocate(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_ALLOCATE, &err);
    if (!f)
        return err;
    uint64_t offset = ARG64(1), len = ARG64(2);
    if (offset > INT64_MAX || len > INT64_MAX)
        return WASI_EINVAL;
    if (offset + len > INT64_MAX)
        return WASI_EFBIG;
    if (f->kind != FD_HOST)
        return WASI_ESPIPE;
    int e;
    do
        e = posix_fallocate(f->host, (off_t)offset, (off_t)len);
    while (e == EINTR);
    return wasi_errno_from_host(e);
}

static int sync_fd(wasi_call *c, const uint64_t *a, uint64_t right, bool data_only)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), right, &err);
    if (!f)
        return err;
    if (f->kind != FD_HOST)
        return WASI_EINVAL; /* as fsync on a pipe or terminal */
    if ((data_only ? fdatasync(f->host) : fsync(f->host)) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}

int wasi_fd_datasync(wasi_call *c, const uint64_t *a)
{
    return sync_fd(c, a, WASI_RIGHT_FD_DATASYNC, true);
}

int wasi_fd_sync(wasi_call *c, const uint64_t *a)
{
    return sync_fd(c, a, WASI_RIGHT_FD_SYNC, false);
}
