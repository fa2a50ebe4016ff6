/* fd_io.c — moving bytes: fd_read, fd_write, fd_pread, fd_pwrite, fd_seek,
 * fd_tell, on host fds, stdio callbacks and the null stream. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "wasi_impl.h"

static bool is_socket(const wasi_fd *f)
{
    return f->filetype == WASI_FILETYPE_SOCKET_STREAM || f->filetype == WASI_FILETYPE_SOCKET_DGRAM;
}

/* Streams that may block on read: pipes, terminals, sockets. */
static bool is_stream(const wasi_fd *f)
{
    return f->filetype != WASI_FILETYPE_REGULAR_FILE && f->filetype != WASI_FILETYPE_DIRECTORY &&
           f->filetype != WASI_FILETYPE_BLOCK_DEVICE;
}

/* ------------------------------------------------------------ read */

static int read_callback(wasi_fd *f, guest_iovs *g, uint64_t *nread)
{
    uint64_t total = 0;
    for (size_t i = 0; i < g->n; i++) {
        size_t got = 0;
        int r = f->read(f->cb_env, g->v[i].iov_base, g->v[i].iov_len, &got);
        if (r != WASI_ESUCCESS) {
            if (total)
                break; /* report what was read; the error comes next time */
            return r;
        }
        if (got > g->v[i].iov_len)
            got = g->v[i].iov_len;
        total += got;
        if (got < g->v[i].iov_len)
            break;
    }
    *nread = total;
    return WASI_ESUCCESS;
}

static int read_host(wasi_call *c, wasi_fd *f, guest_iovs *g, uint64_t *nread)
{
    if (is_stream(f) && !wait_ready(c, f->host, false))
        return WASI_EINTR;
    ssize_t n;
    do
        n = readv(f->host, g->v, (int)g->n);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return wasi_errno_from_host(errno);
    *nread = (uint64_t)n;
    return WASI_ESUCCESS;
}

int wasi_fd_read(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_READ, &err);
    if (!f)
        return err;
    uint32_t out = ARG32(3);
    if (!mem_ok(c, out, 4))
        return WASI_EFAULT;
    guest_iovs g;
    int r = iovs_load(c, ARG32(1), ARG32(2), &g);
    if (r != WASI_ESUCCESS)
        return r;
    uint64_t n = 0;
    switch (f->kind) {
    case FD_HOST: r = read_host(c, f, &g, &n); break;
    case FD_READER: r = read_callback(f, &g, &n); break;
    default: break; /* the null stream: end of input */
    }
    iovs_free(&g);
    if (r == WASI_ESUCCESS)
        st32(c->mem + out, (uint32_t)n);
    return r;
}

/* ------------------------------------------------------------ write */

static int write_callback(wasi_fd *f, guest_iovs *g, uint64_t *nwritten)
{
    uint64_t total = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (!g->v[i].iov_len)
            continue;
        int r = f->write(f->cb_env, g->v[i].iov_base, g->v[i].iov_len);
        if (r != WASI_ESUCCESS) {
            if (total)
                break;
            return r;
        }
        total += g->v[i].iov_len;
    }
    *nwritten = total;
    return WASI_ESUCCESS;
}

/* writev to a pipe whose reader is gone raises SIGPIPE, which would kill the
 * embedding process (a library must not change signal dispositions). The
 * signal is blocked for this thread during the write and, if the write
 * raised it, taken back before unblocking; the guest just sees EPIPE. */
static ssize_t writev_no_sigpipe(int fd, const struct iovec *v, int n)
{
    sigset_t pipe_set, pending, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigpending(&pending);
    bool was_pending = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    ssize_t r = writev(fd, v, n);
    int saved = errno;
    if (r < 0 && saved == EPIPE && !was_pending) {
        struct timespec zero = {0, 0};
        sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return r;
}

static int write_host(wasi_fd *f, guest_iovs *g, uint64_t *nwritten)
{
    ssize_t n;
    do {
        if (is_socket(f)) {
            struct msghdr msg = {0};
            msg.msg_iov = g->v;
            msg.msg_iovlen = g->n;
            n = sendmsg(f->host, &msg, MSG_NOSIGNAL);
        } else if (f->filetype == WASI_FILETYPE_UNKNOWN) { /* pipes */
            n = writev_no_sigpipe(f->host, g->v, (int)g->n);
        } else {
            n = writev(f->host, g->v, (int)g->n);
        }
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return wasi_errno_from_host(errno);
    *nwritten = (uint64_t)n;
    return WASI_ESUCCESS;
}

int wasi_fd_write(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_WRITE, &err);
    if (!f)
        return err;
    uint32_t out = ARG32(3);
    if (!mem_ok(c, out, 4))
        return WASI_EFAULT;
    guest_iovs g;
    int r = iovs_load(c, ARG32(1), ARG32(2), &g);
    if (r != WASI_ESUCCESS)
        return r;
    uint64_t n = 0;
    switch (f->kind) {
    case FD_HOST: r = write_host(f, &g, &n); break;
    case FD_WRITER: r = write_callback(f, &g, &n); break;
    default: n = g.total; break; /* the null stream swallows everything */
    }
    iovs_free(&g);
    if (r == WASI_ESUCCESS)
        st32(c->mem + out, (uint32_t)n);
    return r;
}

/* ------------------------------------------------------------ positional */

/* pread/pwrite: host fds only (streams have no position). */
static int positional(wasi_call *c, const uint64_t *a, uint64_t right, bool write)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), right | WASI_RIGHT_FD_SEEK, &err);
    if (!f)
        return err;
    uint64_t offset = ARG64(3);
    uint32_t out = ARG32(4);
    if (!mem_ok(c, out, 4))
        return WASI_EFAULT;
    if (f->kind != FD_HOST)
        return WASI_ESPIPE;
    if (offset > INT64_MAX)
        return WASI_EINVAL;
    guest_iovs g;
    int r = iovs_load(c, ARG32(1), ARG32(2), &g);
    if (r != WASI_ESUCCESS)
        return r;
    ssize_t n;
    do
        n = write ? pwritev(f->host, g.v, (int)g.n, (off_t)offset)
                  : preadv(f->host, g.v, (int)g.n, (off_t)offset);
    while (n < 0 && errno == EINTR);
    iovs_free(&g);
    if (n < 0)
        return wasi_errno_from_host(errno);
    st32(c->mem + out, (uint32_t)n);
    return WASI_ESUCCESS;
}

int wasi_fd_pread(wasi_call *c, const uint64_t *a)
{
    return positional(c, a, WASI_RIGHT_FD_READ, false);
}

int wasi_fd_pwrite(wasi_call *c, const uint64_t *a)
{
    return positional(c, a, WASI_RIGHT_FD_WRITE, true);
}

/* ------------------------------------------------------------ seek, tell */

int wasi_fd_seek(wasi_call *c, const uint64_t *a)
{
    int64_t offset = (int64_t)ARG64(1);
    uint32_t whence = ARG32(2), out = ARG32(3);
    /* Asking where we are only needs the right to tell. */
    uint64_t right = offset == 0 && whence == WASI_WHENCE_CUR ? WASI_RIGHT_FD_TELL
                                                              : WASI_RIGHT_FD_SEEK;
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), right, &err);
    if (!f)
        return err;
    int how;
    switch (whence) {
    case WASI_WHENCE_SET: how = SEEK_SET; break;
    case WASI_WHENCE_CUR: how = SEEK_CUR; break;
    case WASI_WHENCE_END: how = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    if (!mem_ok(c, out, 8))
        return WASI_EFAULT;
    if (f->kind != FD_HOST)
        return WASI_ESPIPE;
    off_t pos = lseek(f->host, (off_t)offset, how);
    if (pos < 0)
        return wasi_errno_from_host(errno);
    st64(c->mem + out, (uint64_t)pos);
    return WASI_ESUCCESS;
}

int wasi_fd_tell(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = fd_get_rights(c->w, ARG32(0), WASI_RIGHT_FD_TELL, &err);
    if (!f)
        return err;
    uint32_t out = ARG32(1);
    if (!mem_ok(c, out, 8))
        return WASI_EFAULT;
    if (f->kind != FD_HOST)
        return WASI_ESPIPE;
    off_t pos = lseek(f->host, 0, SEEK_CUR);
    if (pos < 0)
        return wasi_errno_from_host(errno);
    st64(c->mem + out, (uint64_t)pos);
    return WASI_ESUCCESS;
}
