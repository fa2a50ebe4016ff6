/* path.c — the path_* functions. Each resolves its guest path(s) with the
 * sandboxed resolver (resolve.c) to a directory fd and a last component,
 * then makes one *at() call on them that never follows a symlink in the
 * last component (the resolver expands it when the call asks to follow). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* renameat */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

#define NEW_FILE_MODE 0666 /* less the host's umask, as for any program */
#define NEW_DIR_MODE 0777

/* The directory fd `fd` of a path call, with `rights`. ENOTDIR comes before
 * the rights check: a file fd is "not a directory", not "not capable". */
static wasi_fd *path_dir(wasi_call *c, uint32_t fd, uint64_t rights, int *err)
{
    wasi_fd *d = fd_get(c->w, fd);
    if (!d) {
        *err = WASI_EBADF;
        return NULL;
    }
    if (d->filetype != WASI_FILETYPE_DIRECTORY || d->kind != FD_HOST) {
        *err = WASI_ENOTDIR;
        return NULL;
    }
    if ((d->rights_base & rights) != rights) {
        *err = fd_rights_error(d, rights);
        return NULL;
    }
    *err = WASI_ESUCCESS;
    return d;
}

/* Resolves guest path [ptr, ptr+len) beneath directory `d`. */
static int path_resolve(wasi_call *c, const wasi_fd *d, uint32_t ptr, uint32_t len,
                        unsigned flags, resolved *out)
{
    out->dirfd = -1;
    out->name = NULL;
    if (!mem_ok(c, ptr, len))
        return WASI_EFAULT;
    return resolve_path(d->host, (const char *)c->mem + ptr, len, flags, c->w->resolve_mode, out);
}

/* Resolves the path argument of a call on directory fd `fd` needing `rights`. */
static int path_arg(wasi_call *c, uint32_t fd, uint64_t rights, uint32_t ptr, uint32_t len,
                    unsigned flags, resolved *out)
{
    int err;
    out->dirfd = -1;
    out->name = NULL;
    wasi_fd *d = path_dir(c, fd, rights, &err);
    if (!d)
        return err;
    return path_resolve(c, d, ptr, len, flags, out);
}

static unsigned follow_flag(uint32_t lookupflags)
{
    return (lookupflags & WASI_LOOKUP_SYMLINK_FOLLOW) ? RESOLVE_FOLLOW : 0;
}

static int host_result(int rc)
{
    return rc == 0 ? WASI_ESUCCESS : wasi_errno_from_host(errno);
}

/* For paths that ended in '/': the entry must be a directory. */
static int require_dir(const resolved *r)
{
    struct stat st;
    if (fstatat(r->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return wasi_errno_from_host(errno);
    return S_ISDIR(st.st_mode) ? WASI_ESUCCESS : WASI_ENOTDIR;
}

/* ------------------------------------------------------------ path_open */

typedef struct open_request {
    uint32_t oflags, fdflags;
    uint64_t base, inheriting;
    bool follow;
} open_request;

static int open_host_flags(const open_request *q, bool trailing_slash)
{
    int fl = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK; /* never block on a FIFO */
    bool wr = q->base & WASI_RIGHT_FD_WRITE;
    bool rd = q->base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    if ((q->oflags & WASI_OFLAG_DIRECTORY) || trailing_slash)
        fl |= O_DIRECTORY | O_RDONLY; /* write rights are trimmed for directories */
    else
        fl |= wr ? (rd ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (q->oflags & WASI_OFLAG_CREAT)
        fl |= O_CREAT;
    if (q->oflags & WASI_OFLAG_EXCL)
        fl |= O_EXCL;
    if (q->oflags & WASI_OFLAG_TRUNC)
        fl |= O_TRUNC;
    if (q->fdflags & WASI_FDFLAG_APPEND)
        fl |= O_APPEND;
    if (q->fdflags & WASI_FDFLAG_DSYNC)
        fl |= O_DSYNC;
    if (q->fdflags & WASI_FDFLAG_SYNC)
        fl |= O_SYNC;
    if (q->fdflags & WASI_FDFLAG_RSYNC)
        fl |= O_RSYNC;
    return fl;
}

/* Rights the directory needs for this open, and whether the rights asked
 * for the new fd can be granted at all. */
static int open_check(const wasi_fd *d, const open_request *q, uint64_t *dir_rights)
{
    *dir_rights = WASI_RIGHT_PATH_OPEN;
    if (q->oflags & WASI_OFLAG_CREAT)
        *dir_rights |= WASI_RIGHT_PATH_CREATE_FILE;
    if (q->oflags & WASI_OFLAG_TRUNC)
        *dir_rights |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    /* Other rights the guest asks for are trimmed to what the directory
     * passes on (wasi-libc and Go ask for more than they need), but read
     * and write access decide how the file is opened: refuse, don't trim. */
    if (q->oflags & WASI_OFLAG_DIRECTORY)
        return WASI_ESUCCESS; /* a directory is opened for reading whatever is asked */
    if ((q->base & WASI_RIGHT_FD_WRITE) && !(d->rights_inheriting & WASI_RIGHT_FD_WRITE))
        return d->readonly ? WASI_EROFS : WASI_ENOTCAPABLE;
    if ((q->base & WASI_RIGHT_FD_READ) && !(d->rights_inheriting & WASI_RIGHT_FD_READ))
        return WASI_ENOTCAPABLE;
    return WASI_ESUCCESS;
}

int wasi_path_open(wasi_call *c, const uint64_t *a)
{
    open_request q = {ARG32(4), ARG32(7), ARG64(5), ARG64(6),
                      (ARG32(1) & WASI_LOOKUP_SYMLINK_FOLLOW) != 0};
    uint32_t out = ARG32(8);
    if (!mem_ok(c, out, 4))
        return WASI_EFAULT;
    if ((q.oflags & ~(uint32_t)WASI_OFLAGS_ALL) || (q.fdflags & ~(uint32_t)WASI_FDFLAGS_ALL))
        return WASI_EINVAL;
    int err;
    wasi_fd *d = fd_get(c->w, ARG32(0));
    if (!d)
        return WASI_EBADF;
    uint64_t dir_rights;
    err = open_check(d, &q, &dir_rights);
    if (err != WASI_ESUCCESS)
        return err;
    d = path_dir(c, ARG32(0), dir_rights, &err);
    if (!d)
        return err;
    bool readonly = d->readonly;
    uint64_t grantable = d->rights_inheriting;
    resolved r;
    err = path_resolve(c, d, ARG32(2), ARG32(3), q.follow ? RESOLVE_FOLLOW : 0, &r);
    if (err != WASI_ESUCCESS)
        return err;
    if (r.trailing_slash && (q.oflags & WASI_OFLAG_CREAT)) {
        resolved_free(&r);
        return WASI_EISDIR;
    }
    int flags = open_host_flags(&q, r.trailing_slash);
    int host = openat(r.dirfd, r.name, flags, NEW_FILE_MODE);
    err = host < 0 ? wasi_errno_from_host(errno) : WASI_ESUCCESS;
    resolved_free(&r);
    if (host < 0)
        return err;
    struct stat st;
    if (fstat(host, &st) != 0) {
        err = wasi_errno_from_host(errno);
        close(host);
        return err;
    }
    /* O_NONBLOCK was only for the open itself, unless asked for (F_SETFL
     * ignores the access mode and creation bits of `flags`). */
    if (!(q.fdflags & WASI_FDFLAG_NONBLOCK))
        fcntl(host, F_SETFL, flags & ~O_NONBLOCK);
    uint32_t fd;
    err = fd_alloc(c->w, &fd); /* `d` may move: copied what we need above */
    if (err != WASI_ESUCCESS) {
        close(host);
        return err;
    }
    wasi_fd *f = &c->w->fds[fd];
    f->kind = FD_HOST;
    f->host = host;
    f->filetype = filetype_from_mode(st.st_mode);
    f->readonly = readonly;
    f->rights_base = q.base & grantable & rights_for_filetype(f->filetype);
    f->rights_inheriting = q.inheriting & grantable;
    st32(c->mem + out, fd);
    return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ stat, times */

int wasi_path_filestat_get(wasi_call *c, const uint64_t *a)
{
    uint32_t out = ARG32(4);
    resolved r;
    int err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_FILESTAT_GET, ARG32(2), ARG32(3),
                       follow_flag(ARG32(1)), &r);
    if (err != WASI_ESUCCESS)
        return err;
    struct stat st;
    if (fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        err = wasi_errno_from_host(errno);
    else if (r.trailing_slash && !S_ISDIR(st.st_mode))
        err = WASI_ENOTDIR;
    else if (!mem_ok(c, out, WASI_FILESTAT_SIZE))
        err = WASI_EFAULT;
    else
        filestat_store(c->mem + out, &st);
    resolved_free(&r);
    return err;
}

int wasi_path_filestat_set_times(wasi_call *c, const uint64_t *a)
{
    struct timespec ts[2];
    int err = timespecs_from_wasi(ARG64(4), ARG64(5), ARG32(6), ts);
    if (err != WASI_ESUCCESS)
        return err;
    resolved r;
    err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_FILESTAT_SET_TIMES, ARG32(2), ARG32(3),
                   follow_flag(ARG32(1)), &r);
    if (err != WASI_ESUCCESS)
        return err;
    err = host_result(utimensat(r.dirfd, r.name, ts, AT_SYMLINK_NOFOLLOW));
    resolved_free(&r);
    return err;
}

/* ------------------------------------------------------------ create, remove */

int wasi_path_create_directory(wasi_call *c, const uint64_t *a)
{
    resolved r;
    int err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_CREATE_DIRECTORY, ARG32(1), ARG32(2), 0, &r);
    if (err != WASI_ESUCCESS)
        return err;
    err = host_result(mkdirat(r.dirfd, r.name, NEW_DIR_MODE));
    resolved_free(&r);
    return err;
}

int wasi_path_remove_directory(wasi_call *c, const uint64_t *a)
{
    resolved r;
    int err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_REMOVE_DIRECTORY, ARG32(1), ARG32(2), 0, &r);
    if (err != WASI_ESUCCESS)
        return err;
    err = host_result(unlinkat(r.dirfd, r.name, AT_REMOVEDIR));
    if (err == WASI_EEXIST) /* some file systems say EEXIST for "not empty" */
        err = WASI_ENOTEMPTY;
    resolved_free(&r);
    return err;
}

int wasi_path_unlink_file(wasi_call *c, const uint64_t *a)
{
    resolved r;
    int err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_UNLINK_FILE, ARG32(1), ARG32(2), 0, &r);
    if (err != WASI_ESUCCESS)
        return err;
    if (r.trailing_slash) /* "x/": a directory is EISDIR, anything else ENOTDIR */
        err = require_dir(&r) == WASI_ESUCCESS ? WASI_EISDIR : WASI_ENOTDIR;
    else
        err = host_result(unlinkat(r.dirfd, r.name, 0));
    resolved_free(&r);
    return err;
}

/* ------------------------------------------------------------ links */

int wasi_path_link(wasi_call *c, const uint64_t *a)
{
    resolved from, to;
    int err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_LINK_SOURCE, ARG32(2), ARG32(3),
                       follow_flag(ARG32(1)), &from);
    if (err != WASI_ESUCCESS)
        return err;
    err = path_arg(c, ARG32(4), WASI_RIGHT_PATH_LINK_TARGET, ARG32(5), ARG32(6), 0, &to);
    if (err == WASI_ESUCCESS) {
        if (from.trailing_slash || to.trailing_slash)
            err = require_dir(&from) == WASI_ESUCCESS ? WASI_EPERM : WASI_ENOTDIR;
        else
            err = host_result(linkat(from.dirfd, from.name, to.dirfd, to.name, 0));
        resolved_free(&to);
    }
    resolved_free(&from);
    return err;
}

int wasi_path_rename(wasi_call *c, const uint64_t *a)
{
    resolved from, to;
    int err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_RENAME_SOURCE, ARG32(1), ARG32(2), 0, &from);
    if (err != WASI_ESUCCESS)
        return err;
    err = path_arg(c, ARG32(3), WASI_RIGHT_PATH_RENAME_TARGET, ARG32(4), ARG32(5), 0, &to);
    if (err == WASI_ESUCCESS) {
        if (from.trailing_slash || to.trailing_slash)
            err = require_dir(&from);
        if (err == WASI_ESUCCESS)
            err = host_result(renameat(from.dirfd, from.name, to.dirfd, to.name));
        resolved_free(&to);
    }
    resolved_free(&from);
    return err;
}

/* Walks the components of [p, p+n) from *depth: ".." goes up, "." stays,
 * anything else goes down. Returns false if it would go above depth 0. */
static bool lexical_walk(const char *p, size_t n, long *depth)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && p[i] == '/')
            i++;
        size_t s = i;
        while (i < n && p[i] != '/')
            i++;
        size_t len = i - s;
        if (len == 0 || (len == 1 && p[s] == '.'))
            continue;
        if (len == 2 && p[s] == '.' && p[s + 1] == '.') {
            if (--*depth < 0)
                return false;
        } else {
            ++*depth;
        }
    }
    return true;
}

/* Would symlink target `t`, placed at guest path `at`, name something above
 * the root when read lexically? Resolution refuses to follow such links
 * anyway; refusing to create them also protects host programs that later
 * look at the mounted directory without our resolver. */
static bool symlink_escapes(const char *at, size_t at_len, const char *t, size_t t_len)
{
    size_t dir_len = at_len; /* the link lives in the directory part of its path */
    while (dir_len && at[dir_len - 1] == '/')
        dir_len--;
    while (dir_len && at[dir_len - 1] != '/')
        dir_len--;
    long depth = 0;
    if (!lexical_walk(at, dir_len, &depth))
        return true;
    return !lexical_walk(t, t_len, &depth);
}

int wasi_path_symlink(wasi_call *c, const uint64_t *a)
{
    uint32_t tptr = ARG32(0), tlen = ARG32(1), pptr = ARG32(3), plen = ARG32(4);
    int err;
    if (!path_dir(c, ARG32(2), WASI_RIGHT_PATH_SYMLINK, &err))
        return err;
    if (!mem_ok(c, tptr, tlen) || !mem_ok(c, pptr, plen))
        return WASI_EFAULT;
    const char *t = (const char *)c->mem + tptr;
    if (tlen == 0)
        return WASI_ENOENT;
    if (memchr(t, '\0', tlen))
        return WASI_EINVAL;
    if (t[0] == '/' || symlink_escapes((const char *)c->mem + pptr, plen, t, tlen))
        return WASI_ESCAPE;
    char *target = malloc((size_t)tlen + 1);
    if (!target)
        return WASI_ENOMEM;
    memcpy(target, t, tlen);
    target[tlen] = '\0';
    resolved r;
    err = path_arg(c, ARG32(2), WASI_RIGHT_PATH_SYMLINK, pptr, plen, 0, &r);
    if (err == WASI_ESUCCESS) {
        err = host_result(symlinkat(target, r.dirfd, r.name));
        resolved_free(&r);
    }
    free(target);
    return err;
}

int wasi_path_readlink(wasi_call *c, const uint64_t *a)
{
    uint32_t buf = ARG32(3), buf_len = ARG32(4), used_ptr = ARG32(5);
    if (!mem_ok(c, buf, buf_len) || !mem_ok(c, used_ptr, 4))
        return WASI_EFAULT;
    resolved r;
    int err = path_arg(c, ARG32(0), WASI_RIGHT_PATH_READLINK, ARG32(1), ARG32(2), 0, &r);
    if (err != WASI_ESUCCESS)
        return err;
    char tmp[4096];
    ssize_t n = readlinkat(r.dirfd, r.name, tmp, sizeof tmp);
    err = n < 0 ? wasi_errno_from_host(errno) : WASI_ESUCCESS;
    resolved_free(&r);
    if (err != WASI_ESUCCESS)
        return err;
    /* As readlink(2): a short buffer gets the first buf_len bytes. */
    uint32_t copy = (uint64_t)n < buf_len ? (uint32_t)n : buf_len;
    memcpy(c->mem + buf, tmp, copy);
    st32(c->mem + used_ptr, copy);
    return WASI_ESUCCESS;
}
