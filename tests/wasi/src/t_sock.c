/* t_sock.c — sockets on a preopened TCP listener (`weft run -listen`): the
 * script connects once the guest has created /scratch/sock_ready, sends
 * "ping", expects "pong!\n" and then end of stream, and closes. */
#include "check.h"

#define MS 1000000ull

/* The preopened socket: the first fd after the mounts that is a socket. */
static __wasi_fd_t find_listener(void)
{
    for (__wasi_fd_t fd = 3; fd < 16; fd++) {
        __wasi_fdstat_t st;
        if (__wasi_fd_fdstat_get(fd, &st) == 0 && st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM)
            return fd;
    }
    return (__wasi_fd_t)-1;
}

static void check_errors(__wasi_fd_t listener, __wasi_fd_t conn)
{
    uint8_t buf[16];
    __wasi_iovec_t iov = {buf, sizeof buf};
    __wasi_ciovec_t ciov = {buf, 1};
    __wasi_size_t n;
    __wasi_roflags_t ro;
    __wasi_fd_t fd;
    CHECK_ERRNO(__wasi_sock_accept(conn, 0, &fd), __WASI_ERRNO_NOTCAPABLE); /* not listening */
    CHECK_ERRNO(__wasi_sock_accept(77, 0, &fd), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_sock_accept(FD_SCRATCH, 0, &fd), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_accept(listener, 2, &fd), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(raw_sock_accept(listener, __WASI_FDFLAGS_NONBLOCK, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(__wasi_sock_recv(1, &iov, 1, 0, &n, &ro), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(__wasi_sock_recv(conn, &iov, 1, 4, &n, &ro), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(raw_sock_recv(conn, P(&iov), 1, 0, BAD_PTR, P(&ro)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_sock_recv(conn, BAD_PTR, 1, 0, P(&n), P(&ro)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(__wasi_sock_send(conn, &ciov, 1, 1, &n), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_sock_send(FD_SCRATCH, &ciov, 1, 0, &n), __WASI_ERRNO_NOTSOCK);
    CHECK_ERRNO(raw_sock_send(conn, P(&ciov), 1, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(__wasi_sock_shutdown(conn, 0), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_sock_shutdown(conn, 4), __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_sock_shutdown(77, __WASI_SDFLAGS_WR), __WASI_ERRNO_BADF);
    CHECK_ERRNO(__wasi_sock_shutdown(FD_SCRATCH, __WASI_SDFLAGS_WR), __WASI_ERRNO_NOTSOCK);
}

void test_sock(void)
{
    __wasi_fd_t listener = find_listener();
    CHECK(listener != (__wasi_fd_t)-1);
    __wasi_fdstat_t st;
    CHECK_OK(__wasi_fd_fdstat_get(listener, &st));
    CHECK(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT);
    __wasi_prestat_t ps;
    CHECK_ERRNO(__wasi_fd_prestat_get(listener, &ps), __WASI_ERRNO_BADF);

    /* A non-blocking listener with nobody connecting: EAGAIN. */
    __wasi_fd_t conn;
    CHECK_OK(__wasi_fd_fdstat_set_flags(listener, __WASI_FDFLAGS_NONBLOCK));
    CHECK_ERRNO(__wasi_sock_accept(listener, 0, &conn), __WASI_ERRNO_AGAIN);
    CHECK_OK(__wasi_fd_fdstat_set_flags(listener, 0));
    make_file(FD_SCRATCH, "sock_ready", "1"); /* the script connects now */

    /* Blocking accept; the flags are those of the new socket. */
    CHECK_OK(__wasi_sock_accept(listener, __WASI_FDFLAGS_NONBLOCK, &conn));
    CHECK_OK(__wasi_fd_fdstat_get(conn, &st));
    CHECK_EQ(st.fs_flags, __WASI_FDFLAGS_NONBLOCK);
    CHECK_OK(__wasi_fd_fdstat_set_flags(conn, 0));
    CHECK_OK(__wasi_fd_fdstat_get(conn, &st));
    CHECK_EQ(st.fs_filetype, __WASI_FILETYPE_SOCKET_STREAM);
    CHECK(!(st.fs_rights_base & __WASI_RIGHTS_SOCK_ACCEPT));
    CHECK(st.fs_rights_base & __WASI_RIGHTS_SOCK_SHUTDOWN);
    __wasi_filestat_t fs;
    CHECK_OK(__wasi_fd_filestat_get(conn, &fs));
    CHECK_EQ(fs.filetype, __WASI_FILETYPE_SOCKET_STREAM);

    /* Wait for the data with poll_oneoff. */
    __wasi_subscription_t s[2];
    memset(s, 0, sizeof s);
    s[0].userdata = 1;
    s[0].u.tag = __WASI_EVENTTYPE_FD_READ;
    s[0].u.u.fd_read.file_descriptor = conn;
    s[1].userdata = 2;
    s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
    s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
    s[1].u.u.clock.timeout = 10000 * MS;
    __wasi_event_t ev[2];
    __wasi_size_t n = 0;
    CHECK_OK(__wasi_poll_oneoff(s, ev, 2, &n));
    CHECK(n == 1 && ev[0].userdata == 1 && ev[0].error == 0);

    char buf[16] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, 4};
    __wasi_roflags_t ro = 99;
    CHECK_OK(__wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_PEEK, &n, &ro));
    CHECK(n == 4 && memcmp(buf, "ping", 4) == 0 && ro == 0);
    memset(buf, 0, sizeof buf);
    CHECK_OK(__wasi_sock_recv(conn, &iov, 1, __WASI_RIFLAGS_RECV_WAITALL, &n, &ro));
    CHECK(n == 4 && memcmp(buf, "ping", 4) == 0);

    __wasi_ciovec_t out[2] = {{(const uint8_t *)"po", 2}, {(const uint8_t *)"ng", 2}};
    CHECK_OK(__wasi_sock_send(conn, out, 2, 0, &n));
    CHECK_EQ(n, 4);
    CHECK_OK(write_all(conn, "!\n", 2)); /* fd_write works on sockets too */
    check_errors(listener, conn);
    CHECK_OK(__wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));

    /* The client reads everything and closes: end of stream. */
    CHECK_OK(__wasi_sock_recv(conn, &iov, 1, 0, &n, &ro));
    CHECK_EQ(n, 0);
    CHECK_OK(__wasi_fd_close(conn));
}
