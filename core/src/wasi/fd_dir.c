/* fd_dir.c — directories as fds: fd_readdir (with cookies) and the preopen
 * queries fd_prestat_get / fd_prestat_dir_name.
 *
 * fd_readdir's cookie is our own: cookie n resumes after the n-th entry of
 * a snapshot of the directory taken when a listing starts (cookie 0). The
 * host's telldir offsets are hash values on some file systems and need not
 * survive a rewind; an index into a snapshot is stable for the whole
 * listing, and a truncated entry is simply emitted again from its cookie. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi_impl.h"

static uint8_t filetype_from_dtype(int dir_fd, const struct dirent *e)
{
    switch (e->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
    default: {
        struct stat st;
        if (fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return WASI_FILETYPE_UNKNOWN;
        return filetype_from_mode(st.st_mode);
    }
    }
}

static bool snapshot_add(dir_snapshot *d, size_t *cap, size_t *names_len, size_t *names_cap,
                         const struct dirent *e, uint8_t type)
{
    size_t len = strlen(e->d_name);
    if (d->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        dir_entry *grown = realloc(d->entries, ncap * sizeof *grown);
        if (!grown)
            return false;
        d->entries = grown;
        *cap = ncap;
    }
    if (*names_len + len > *names_cap) {
        size_t ncap = (*names_cap ? *names_cap * 2 : 1024) + len;
        char *grown = realloc(d->names, ncap);
        if (!grown)
            return false;
        d->names = grown;
        *names_cap = ncap;
    }
    memcpy(d->names + *names_len, e->d_name, len);
    d->entries[d->n++] = (dir_entry){(uint64_t)e->d_ino, (uint32_t)*names_len, (uint32_t)len, type};
    *names_len += len;
    return true;
}

/* Reads every entry of directory `host` (its own offset is not touched). */
static int snapshot_take(int host, dir_snapshot **out)
{
    int fd = openat(host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return wasi_errno_from_host(errno);
    DIR *dir = fdopendir(fd);
    if (!dir) {
        int e = errno;
        close(fd);
        return wasi_errno_from_host(e);
    }
    dir_snapshot *d = calloc(1, sizeof *d);
    size_t cap = 0, names_len = 0, names_cap = 0;
    int r = d ? WASI_ESUCCESS : WASI_ENOMEM;
    while (r == WASI_ESUCCESS) {
        errno = 0;
        struct dirent *e = readdir(dir);
        if (!e) {
            if (errno)
                r = wasi_errno_from_host(errno);
            break;
        }
        if (!snapshot_add(d, &cap, &names_len, &names_cap, e, filetype_from_dtype(dirfd(dir), e)))
            r = WASI_ENOMEM;
    }
    closedir(dir);
    if (r != WASI_ESUCCESS) {
        dir_snapshot_free(d);
        return r;
    }
    *out = d;
    return WASI_ESUCCESS;
}

int wasi_fd_readdir(wasi_call *c, const uint64_t *a)
{
    wasi_fd *f = fd_get(c->w, ARG32(0));
    if (!f)
        return WASI_EBADF;
    if (f->filetype != WASI_FILETYPE_DIRECTORY || f->kind != FD_HOST)
        return WASI_ENOTDIR;
    if (!(f->rights_base & WASI_RIGHT_FD_READDIR))
        return fd_rights_error(f, WASI_RIGHT_FD_READDIR);
    uint32_t buf = ARG32(1), buf_len = ARG32(2), used_ptr = ARG32(4);
    uint64_t cookie = ARG64(3);
    if (!mem_ok(c, buf, buf_len) || !mem_ok(c, used_ptr, 4))
        return WASI_EFAULT;
    if (cookie == 0 || !f->dir) {
        dir_snapshot *d = NULL;
        int r = snapshot_take(f->host, &d);
        if (r != WASI_ESUCCESS)
            return r;
        dir_snapshot_free(f->dir);
        f->dir = d;
    }
    const dir_snapshot *d = f->dir;
    uint32_t used = 0;
    uint8_t entry[WASI_DIRENT_SIZE];
    for (uint64_t i = cookie; i < d->n && used < buf_len; i++) {
        const dir_entry *e = &d->entries[i];
        memset(entry, 0, sizeof entry);
        st64(entry, i + 1); /* d_next: the cookie of the entry after this one */
        st64(entry + 8, e->ino);
        st32(entry + 16, e->name_len);
        st8(entry + 20, e->type);
        /* Copy as much as fits; a truncated entry tells the guest to retry
         * with a larger buffer. */
        uint32_t n = buf_len - used < WASI_DIRENT_SIZE ? buf_len - used : WASI_DIRENT_SIZE;
        memcpy(c->mem + buf + used, entry, n);
        used += n;
        n = buf_len - used < e->name_len ? buf_len - used : e->name_len;
        memcpy(c->mem + buf + used, d->names + e->name_off, n);
        used += n;
    }
    st32(c->mem + used_ptr, used);
    return WASI_ESUCCESS;
}

/* ------------------------------------------------------------ prestat */

int wasi_fd_prestat_get(wasi_call *c, const uint64_t *a)
{
    wasi_fd *f = fd_get(c->w, ARG32(0));
    if (!f || !f->preopen)
        return WASI_EBADF; /* wasi-libc stops scanning preopens at EBADF */
    uint32_t out = ARG32(1);
    if (!mem_ok(c, out, WASI_PRESTAT_SIZE))
        return WASI_EFAULT;
    uint8_t *p = c->mem + out;
    memset(p, 0, WASI_PRESTAT_SIZE);
    st8(p, WASI_PREOPENTYPE_DIR);
    st32(p + 4, (uint32_t)strlen(f->preopen));
    return WASI_ESUCCESS;
}

int wasi_fd_prestat_dir_name(wasi_call *c, const uint64_t *a)
{
    wasi_fd *f = fd_get(c->w, ARG32(0));
    if (!f || !f->preopen)
        return WASI_EBADF;
    uint32_t path = ARG32(1), path_len = ARG32(2);
    size_t len = strlen(f->preopen);
    if (path_len < len)
        return WASI_ENAMETOOLONG;
    if (!mem_ok(c, path, len))
        return WASI_EFAULT;
    memcpy(c->mem + path, f->preopen, len);
    return WASI_ESUCCESS;
}
