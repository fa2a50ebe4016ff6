/* sock.c — sock_accept, sock_recv, sock_send, sock_shutdown on the sockets
 * the embedder preopened (weft_wasi_config_preopen_socket) and on those
 * accepted from them. Preview1 has no way to create or connect a socket, so
 * a guest reaches exactly the sockets it was given. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wasi_impl.h"

/* The socket fd `fd` with `rights`: EBADF, ENOTSOCK, then the rights. */
static wasi_fd *sock_get(wasi_call *c, uint32_t fd, uint64_t rights, int *err)
{
    wasi_fd *f = fd_get(c->w, fd);
    if (!f) {
        *err = WASI_EBADF;
        return NULL;
    }
    if (f->kind != FD_HOST || (f->filetype != WASI_FILETYPE_SOCKET_STREAM &&
                               f->filetype != WASI_FILETYPE_SOCKET_DGRAM)) {
        *err = WASI_ENOTSOCK;
        return NULL;
    }
    if ((f->rights_base & rights) != rights) {
        *err = fd_rights_error(f, rights);
        return NULL;
    }
    *err = WASI_ESUCCESS;
    return f;
}

int wasi_sock_accept(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = sock_get(c, ARG32(0), WASI_RIGHT_SOCK_ACCEPT, &err);
    if (!f)
        return err;
    uint32_t flags = ARG32(1), out = ARG32(2);
    if (flags & ~(uint32_t)WASI_FDFLAG_NONBLOCK)
        return WASI_EINVAL;
    if (!mem_ok(c, out, 4))
        return WASI_EFAULT;
    if (!wait_ready(c, f->host, false))
        return WASI_EINTR;
    int s;
    do
        s = accept4(f->host, NULL, NULL,
                    SOCK_CLOEXEC | ((flags & WASI_FDFLAG_NONBLOCK) ? SOCK_NONBLOCK : 0));
    while (s < 0 && errno == EINTR);
    if (s < 0)
        return wasi_errno_from_host(errno);
    uint32_t fd;
    err = fd_alloc(c->w, &fd);
    if (err != WASI_ESUCCESS) {
        close(s);
        return err;
    }
    wasi_fd *n = &c->w->fds[fd];
    n->kind = FD_HOST;
    n->host = s;
    n->filetype = WASI_FILETYPE_SOCKET_STREAM;
    n->rights_base = WASI_RIGHTS_STREAM | WASI_RIGHT_SOCK_SHUTDOWN;
    st32(c->mem + out, fd);
    return WASI_ESUCCESS;
}

int wasi_sock_recv(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = sock_get(c, ARG32(0), WASI_RIGHT_FD_READ, &err);
    if (!f)
        return err;
    uint32_t riflags = ARG32(3), len_ptr = ARG32(4), flags_ptr = ARG32(5);
    if (riflags & ~(uint32_t)(WASI_RIFLAG_RECV_PEEK | WASI_RIFLAG_RECV_WAITALL))
        return WASI_EINVAL;
    if (!mem_ok(c, len_ptr, 4) || !mem_ok(c, flags_ptr, 2))
        return WASI_EFAULT;
    guest_iovs g;
    int r = iovs_load(c, ARG32(1), ARG32(2), &g);
    if (r != WASI_ESUCCESS)
        return r;
    if (!wait_ready(c, f->host, false)) {
        iovs_free(&g);
        return WASI_EINTR;
    }
    struct msghdr msg = {0};
    msg.msg_iov = g.v;
    msg.msg_iovlen = g.n;
    int hflags = ((riflags & WASI_RIFLAG_RECV_PEEK) ? MSG_PEEK : 0) |
                 ((riflags & WASI_RIFLAG_RECV_WAITALL) ? MSG_WAITALL : 0);
    ssize_t n;
    do
        n = recvmsg(f->host, &msg, hflags);
    while (n < 0 && errno == EINTR);
    iovs_free(&g);
    if (n < 0)
        return wasi_errno_from_host(errno);
    st32(c->mem + len_ptr, (uint32_t)n);
    st16(c->mem + flags_ptr, (msg.msg_flags & MSG_TRUNC) ? WASI_ROFLAG_RECV_DATA_TRUNCATED : 0);
    return WASI_ESUCCESS;
}

int wasi_sock_send(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = sock_get(c, ARG32(0), WASI_RIGHT_FD_WRITE, &err);
    if (!f)
        return err;
    uint32_t siflags = ARG32(3), out = ARG32(4);
    if (siflags != 0) /* preview1 defines no send flags */
        return WASI_EINVAL;
    if (!mem_ok(c, out, 4))
        return WASI_EFAULT;
    guest_iovs g;
    int r = iovs_load(c, ARG32(1), ARG32(2), &g);
    if (r != WASI_ESUCCESS)
        return r;
    struct msghdr msg = {0};
    msg.msg_iov = g.v;
    msg.msg_iovlen = g.n;
    ssize_t n;
    do
        n = sendmsg(f->host, &msg, MSG_NOSIGNAL); /* EPIPE, never SIGPIPE */
    while (n < 0 && errno == EINTR);
    iovs_free(&g);
    if (n < 0)
        return wasi_errno_from_host(errno);
    st32(c->mem + out, (uint32_t)n);
    return WASI_ESUCCESS;
}

int wasi_sock_shutdown(wasi_call *c, const uint64_t *a)
{
    int err;
    wasi_fd *f = sock_get(c, ARG32(0), WASI_RIGHT_SOCK_SHUTDOWN, &err);
    if (!f)
        return err;
    int how;
    switch (ARG32(1)) {
    case WASI_SDFLAG_RD: how = SHUT_RD; break;
    case WASI_SDFLAG_WR: how = SHUT_WR; break;
    case WASI_SDFLAG_RD | WASI_SDFLAG_WR: how = SHUT_RDWR; break;
    default: return WASI_EINVAL;
    }
    if (shutdown(f->host, how) != 0)
        return wasi_errno_from_host(errno);
    return WASI_ESUCCESS;
}
