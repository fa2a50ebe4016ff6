/* fdtable.c — the guest's file descriptor table: stdio (host fds, callbacks
 * or nothing), preopened directories (the mounts), preopened sockets, and
 * what path_open and sock_accept add. Each entry owns its host fd. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

#define FIRST_FREE_FD 0 /* POSIX: the lowest free number */

uint8_t filetype_from_mode(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return WASI_FILETYPE_REGULAR_FILE;
    case S_IFDIR: return WASI_FILETYPE_DIRECTORY;
    case S_IFCHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case S_IFBLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case S_IFLNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case S_IFSOCK: return WASI_FILETYPE_SOCKET_STREAM;
    default: return WASI_FILETYPE_UNKNOWN; /* FIFOs have no WASI type */
    }
}

uint64_t rights_for_filetype(uint8_t filetype)
{
    switch (filetype) {
    case WASI_FILETYPE_DIRECTORY: return WASI_RIGHTS_DIR;
    case WASI_FILETYPE_REGULAR_FILE: return WASI_RIGHTS_FILE;
    case WASI_FILETYPE_BLOCK_DEVICE: return WASI_RIGHTS_FILE;
    case WASI_FILETYPE_SOCKET_STREAM:
    case WASI_FILETYPE_SOCKET_DGRAM: return WASI_RIGHTS_STREAM | WASI_RIGHT_SOCK_SHUTDOWN;
    default: return WASI_RIGHTS_STREAM;
    }
}

void dir_snapshot_free(dir_snapshot *d)
{
    if (!d)
        return;
    free(d->entries);
    free(d->names);
    free(d);
}

wasi_fd *fd_get(weft_wasi *w, uint32_t fd)
{
    if (fd >= w->nfds || w->fds[fd].kind == FD_FREE)
        return NULL;
    return &w->fds[fd];
}

int fd_rights_error(const wasi_fd *f, uint64_t rights)
{
    uint64_t missing = rights & ~f->rights_base;
    if (f->readonly && (missing & WASI_RIGHTS_WRITE))
        return WASI_EROFS;
    return WASI_ENOTCAPABLE;
}

wasi_fd *fd_get_rights(weft_wasi *w, uint32_t fd, uint64_t rights, int *err)
{
    wasi_fd *f = fd_get(w, fd);
    if (!f) {
        *err = WASI_EBADF;
        return NULL;
    }
    if ((f->rights_base & rights) != rights) {
        *err = fd_rights_error(f, rights);
        return NULL;
    }
    *err = WASI_ESUCCESS;
    return f;
}

int fd_alloc(weft_wasi *w, uint32_t *fd)
{
    for (uint32_t i = FIRST_FREE_FD; i < w->nfds; i++) {
        if (w->fds[i].kind == FD_FREE) {
            *fd = i;
            return WASI_ESUCCESS;
        }
    }
    uint32_t ncap = w->nfds ? w->nfds * 2 : 8;
    if (ncap < w->nfds)
        return WASI_EMFILE;
    wasi_fd *grown = realloc(w->fds, (size_t)ncap * sizeof *grown);
    if (!grown)
        return WASI_ENOMEM;
    memset(grown + w->nfds, 0, (size_t)(ncap - w->nfds) * sizeof *grown);
    for (uint32_t i = w->nfds; i < ncap; i++)
        grown[i].host = -1;
    *fd = w->nfds;
    w->fds = grown;
    w->nfds = ncap;
    return WASI_ESUCCESS;
}

void fd_release(wasi_fd *f)
{
    if (f->kind == FD_HOST && f->host >= 0)
        close(f->host);
    free(f->preopen);
    dir_snapshot_free(f->dir);
    memset(f, 0, sizeof *f);
    f->host = -1;
}

void fdtable_close_all(weft_wasi *w)
{
    for (uint32_t i = 0; i < w->nfds; i++)
        if (w->fds[i].kind != FD_FREE)
            fd_release(&w->fds[i]);
}

/* ------------------------------------------------------------ set-up */

/* Reserves fd slots 0 .. n-1 (the table is empty). */
static bool table_reserve(weft_wasi *w, uint32_t n)
{
    w->fds = calloc(n ? n : 1, sizeof *w->fds);
    if (!w->fds)
        return false;
    w->nfds = n;
    for (uint32_t i = 0; i < n; i++)
        w->fds[i].host = -1;
    return true;
}

static const char *init_stdio(weft_wasi *w, const stdio_cfg *s, int which, char *msg, size_t cap)
{
    wasi_fd *f = &w->fds[which];
    /* Streams: stdin reads, stdout and stderr write. */
    uint64_t drop = which == 0 ? WASI_RIGHT_FD_WRITE : WASI_RIGHT_FD_READ;
    f->filetype = WASI_FILETYPE_CHARACTER_DEVICE;
    switch (s->mode) {
    case STDIO_HOST_FD: {
        int fd = fcntl(s->host_fd, F_DUPFD_CLOEXEC, 3);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            snprintf(msg, cap, "stdio: cannot use host fd %d: %s", s->host_fd, strerror(errno));
            if (fd >= 0)
                close(fd);
            return msg;
        }
        f->kind = FD_HOST;
        f->host = fd;
        f->filetype = filetype_from_mode(st.st_mode);
        f->rights_base = rights_for_filetype(f->filetype) & ~drop;
        break;
    }
    case STDIO_CALLBACK:
        f->kind = which == 0 ? FD_READER : FD_WRITER;
        f->read = s->read;
        f->write = s->write;
        f->cb_env = s->env;
        f->rights_base = WASI_RIGHTS_STREAM & ~drop;
        break;
    default:
        f->kind = FD_NULL;
        f->rights_base = WASI_RIGHTS_STREAM & ~drop;
        break;
    }
    return NULL;
}

static const char *init_mount(weft_wasi *w, const mount_cfg *m, uint32_t fd, char *msg, size_t cap)
{
    int host = open(m->host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host < 0) {
        snprintf(msg, cap, "mount %s: cannot open host directory %s: %s", m->guest, m->host,
                 strerror(errno));
        return msg;
    }
    wasi_fd *f = &w->fds[fd];
    f->kind = FD_HOST;
    f->host = host;
    f->filetype = WASI_FILETYPE_DIRECTORY;
    f->readonly = m->readonly;
    f->rights_base = WASI_RIGHTS_DIR;
    f->rights_inheriting = WASI_RIGHTS_DIR | WASI_RIGHTS_FILE;
    if (m->readonly) {
        f->rights_base &= ~WASI_RIGHTS_WRITE;
        f->rights_inheriting &= ~WASI_RIGHTS_WRITE;
    }
    f->preopen = strdup(m->guest);
    if (!f->preopen)
        return "out of memory";
    return NULL;
}

static const char *init_socket(weft_wasi *w, int host_fd, uint32_t fd, char *msg, size_t cap)
{
    int s = fcntl(host_fd, F_DUPFD_CLOEXEC, 3);
    struct stat st;
    if (s < 0 || fstat(s, &st) != 0 || !S_ISSOCK(st.st_mode)) {
        snprintf(msg, cap, "socket: host fd %d is not a usable socket", host_fd);
        if (s >= 0)
            close(s);
        return msg;
    }
    int type = SOCK_STREAM, listening = 0;
    socklen_t len = sizeof type;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &len);
    len = sizeof listening;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len);
    wasi_fd *f = &w->fds[fd];
    f->kind = FD_HOST;
    f->host = s;
    f->filetype = type == SOCK_DGRAM ? WASI_FILETYPE_SOCKET_DGRAM : WASI_FILETYPE_SOCKET_STREAM;
    f->listening = listening != 0;
    f->rights_base = rights_for_filetype(f->filetype);
    if (f->listening)
        f->rights_base = WASI_RIGHTS_SOCKET;
    return NULL;
}

const char *fdtable_init(weft_wasi *w, const weft_wasi_config *c, char *msg, size_t cap)
{
    uint32_t n = 3 + (uint32_t)c->nmounts + (uint32_t)c->nsockets;
    if (!table_reserve(w, n))
        return "out of memory";
    for (int i = 0; i < 3; i++) {
        const char *why = init_stdio(w, &c->stdio[i], i, msg, cap);
        if (why)
            return why;
    }
    uint32_t fd = 3;
    for (size_t i = 0; i < c->nmounts; i++, fd++) {
        const char *why = init_mount(w, &c->mounts[i], fd, msg, cap);
        if (why)
            return why;
    }
    for (size_t i = 0; i < c->nsockets; i++, fd++) {
        const char *why = init_socket(w, c->sockets[i], fd, msg, cap);
        if (why)
            return why;
    }
    return NULL;
}
