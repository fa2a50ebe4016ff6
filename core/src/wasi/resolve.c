/* resolve.c — the sandboxed path resolver. Every guest path is resolved
 * beneath the host directory of its preopen, never above it:
 *
 *   - absolute paths, `..` above the root, symlinks to absolute paths and
 *     symlinks whose target climbs above the root fail with WASI_ESCAPE;
 *   - the directory part of a path is opened with openat2(RESOLVE_BENEATH |
 *     RESOLVE_NO_MAGICLINKS) where the kernel has it (Linux >= 5.6): the
 *     kernel then refuses every escape, also under concurrent renames;
 *   - otherwise (or with WEFT_WASI_RESOLVE=walk) it is walked one component
 *     at a time with openat(O_NOFOLLOW): each step opens a single name
 *     relative to a directory fd we already hold, symlinks are read with
 *     readlinkat and spliced into the remaining path, and `..` pops our own
 *     stack of directory fds instead of asking the kernel, so a directory
 *     renamed or swapped for a symlink mid-walk can never lead outside;
 *   - the last component is never handed to the kernel with a chance to be
 *     followed: callers use it with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW, and
 *     when the WASI call asks to follow symlinks, we expand them here (the
 *     new path is re-resolved from the root, with the same checks).
 *
 * The result is the fd of the directory holding the last component plus its
 * name, which is what every *at() system call wants. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "wasi_impl.h"

#ifndef O_PATH
#define O_PATH 0 /* not Linux: plain O_RDONLY directory fds */
#endif

#define MAX_SYMLINKS 40        /* as Linux: more expansions are ELOOP */
#define MAX_GUEST_PATH 4096    /* PATH_MAX: longer guest paths are ENAMETOOLONG */
#define MAX_EXPANDED_PATH 65536 /* bound on a path grown by symlink expansion */
#define OPENAT2_RETRIES 16     /* EAGAIN from RESOLVE_BENEATH under rename races */

#define DIR_OPEN_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)

/* ------------------------------------------------------------ openat2 */

#if defined(__linux__) && defined(SYS_openat2)
#define HAVE_OPENAT2 1
/* Mirrors the kernel's struct open_how (linux/openat2.h); Debian's glibc
 * has no wrapper, so the syscall is made directly. */
struct weft_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};
#define WEFT_RESOLVE_NO_MAGICLINKS 0x02
#define WEFT_RESOLVE_BENEATH 0x08
#else
#define HAVE_OPENAT2 0
#endif

/* 0 unknown, 1 the kernel has a working openat2, -1 it does not. */
static atomic_int openat2_state;

/* Opens directory `path` beneath `root` with openat2. Returns the fd, or -1
 * with errno set; errno ENOSYS means "use the walk". */
static int open_beneath_openat2(int root, const char *path)
{
#if HAVE_OPENAT2
    if (atomic_load(&openat2_state) < 0) {
        errno = ENOSYS;
        return -1;
    }
    struct weft_open_how how = {
        .flags = DIR_OPEN_FLAGS,
        .mode = 0,
        .resolve = WEFT_RESOLVE_BENEATH | WEFT_RESOLVE_NO_MAGICLINKS,
    };
    for (int i = 0; i < OPENAT2_RETRIES; i++) {
        long fd = syscall(SYS_openat2, root, path, &how, sizeof how);
        if (fd >= 0) {
            atomic_store(&openat2_state, 1);
            return (int)fd;
        }
        if (errno == EAGAIN || errno == EINTR)
            continue;
        /* ENOSYS: old kernel; EPERM: a seccomp filter; E2BIG/EINVAL: a
         * kernel that does not know a flag. All mean "walk instead" (the
         * walk reports the real error, if any). */
        if (errno == ENOSYS || errno == EPERM || errno == E2BIG || errno == EINVAL) {
            if (atomic_load(&openat2_state) == 0)
                atomic_store(&openat2_state, -1);
            errno = ENOSYS;
        }
        return -1;
    }
    errno = ENOSYS; /* racing renames: let the walk decide */
    return -1;
#else
    (void)root;
    (void)path;
    errno = ENOSYS;
    return -1;
#endif
}

int resolve_effective_mode(int mode)
{
    if (mode != RESOLVE_MODE_AUTO)
        return mode;
    if (atomic_load(&openat2_state) == 0) {
        /* Probe once: open "." beneath the working directory. */
        int fd = open_beneath_openat2(AT_FDCWD, ".");
        if (fd >= 0)
            close(fd);
    }
    return atomic_load(&openat2_state) > 0 ? RESOLVE_MODE_OPENAT2 : RESOLVE_MODE_WALK;
}

/* ------------------------------------------------------------ the walk */

/* A stack of directory fds from the root (index 0, borrowed) down. */
typedef struct dirstack {
    int *fd;
    size_t n, cap;
} dirstack;

static bool stack_push(dirstack *s, int fd)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        int *grown = realloc(s->fd, ncap * sizeof *grown);
        if (!grown)
            return false;
        s->fd = grown;
        s->cap = ncap;
    }
    s->fd[s->n++] = fd;
    return true;
}

static void stack_free(dirstack *s)
{
    for (size_t i = 1; i < s->n; i++) /* fd[0] is the borrowed root */
        close(s->fd[i]);
    free(s->fd);
}

/* Reads symlink `name` in `dir` into a malloc'd NUL-terminated string.
 * Returns NULL with errno set (EINVAL: not a symlink). */
static char *read_link(int dir, const char *name)
{
    char *buf = malloc(MAX_GUEST_PATH + 1);
    if (!buf) {
        errno = ENOMEM;
        return NULL;
    }
    ssize_t n = readlinkat(dir, name, buf, MAX_GUEST_PATH + 1);
    if (n < 0) {
        free(buf);
        return NULL;
    }
    if (n > MAX_GUEST_PATH) {
        free(buf);
        errno = ENAMETOOLONG;
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* rest := target + "/" + rest. Returns a WASI errno. */
static int splice_link(char **rest, const char *target)
{
    size_t tl = strlen(target), rl = strlen(*rest);
    if (tl + rl + 2 > MAX_EXPANDED_PATH)
        return WASI_ENAMETOOLONG;
    char *p = malloc(tl + rl + 2);
    if (!p)
        return WASI_ENOMEM;
    memcpy(p, target, tl);
    p[tl] = '/';
    memcpy(p + tl + 1, *rest, rl + 1);
    free(*rest);
    *rest = p;
    return WASI_ESUCCESS;
}

/* One step of the walk: name `c` below the top of the stack. */
static int walk_step(dirstack *s, const char *c, char **rest, int *links)
{
    if (strcmp(c, "..") == 0) {
        if (s->n == 1)
            return WASI_ESCAPE;
        close(s->fd[--s->n]);
        return WASI_ESUCCESS;
    }
    int top = s->fd[s->n - 1];
    int fd = openat(top, c, DIR_OPEN_FLAGS | O_NOFOLLOW);
    if (fd >= 0) {
        if (!stack_push(s, fd)) {
            close(fd);
            return WASI_ENOMEM;
        }
        return WASI_ESUCCESS;
    }
    int err = errno;
    if (err != ENOTDIR && err != ELOOP)
        return wasi_errno_from_host(err);
    /* Not a directory: a symlink to expand, or really not a directory. */
    char *target = read_link(top, c);
    if (!target)
        return errno == EINVAL ? WASI_ENOTDIR : wasi_errno_from_host(errno);
    int r = WASI_ESUCCESS;
    if (++*links > MAX_SYMLINKS)
        r = WASI_ELOOP;
    else if (target[0] == '/')
        r = WASI_ESCAPE;
    else if (target[0] == '\0')
        r = WASI_ENOENT;
    else
        r = splice_link(rest, target);
    free(target);
    return r;
}

/* Opens directory `path` beneath `root` one component at a time. */
static int open_beneath_walk(int root, const char *path, int *links, int *out)
{
    dirstack s = {0};
    char *rest = strdup(path);
    if (!rest || !stack_push(&s, root)) {
        free(rest);
        free(s.fd);
        return WASI_ENOMEM;
    }
    int r = WASI_ESUCCESS;
    char name[NAME_MAX + 2];
    while (r == WASI_ESUCCESS) {
        const char *p = rest;
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > NAME_MAX) {
            r = WASI_ENAMETOOLONG;
            break;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        memmove(rest, p + len, strlen(p + len) + 1); /* consume the component */
        if (strcmp(name, ".") == 0)
            continue;
        r = walk_step(&s, name, &rest, links);
    }
    free(rest);
    if (r == WASI_ESUCCESS) {
        if (s.n == 1) {
            *out = openat(root, ".", DIR_OPEN_FLAGS);
            if (*out < 0)
                r = wasi_errno_from_host(errno);
        } else {
            *out = s.fd[--s.n]; /* handed to the caller */
        }
    }
    stack_free(&s);
    return r;
}

/* Opens directory `dir` (may be "") beneath `root`. */
static int open_dir_beneath(int root, const char *dir, int mode, int *links, int *out)
{
    if (mode != RESOLVE_MODE_WALK) {
        int fd = open_beneath_openat2(root, *dir ? dir : ".");
        if (fd >= 0) {
            *out = fd;
            return WASI_ESUCCESS;
        }
        if (errno == EXDEV)
            return WASI_ESCAPE;
        if (errno != ENOSYS || mode == RESOLVE_MODE_OPENAT2)
            return wasi_errno_from_host(errno);
    }
    return open_beneath_walk(root, dir, links, out);
}

/* ------------------------------------------------------------ resolve */

void resolved_free(resolved *r)
{
    if (r->dirfd >= 0)
        close(r->dirfd);
    free(r->name);
    r->dirfd = -1;
    r->name = NULL;
}

/* Splits `path` (no trailing slashes, not empty) into its directory part
 * (written to dir, may be "") and last component. */
static void split_last(char *path, char **dir, char **last)
{
    char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = path + strlen(path); /* "" */
        *last = path;
        return;
    }
    *slash = '\0';
    *dir = path;
    *last = slash + 1;
}

static int validate_guest_path(const char *path, size_t len)
{
    if (len == 0)
        return WASI_ENOENT;
    if (len > MAX_GUEST_PATH)
        return WASI_ENAMETOOLONG;
    if (memchr(path, '\0', len))
        return WASI_EINVAL;
    if (path[0] == '/')
        return WASI_ESCAPE;
    return WASI_ESUCCESS;
}

/* One attempt: resolves `cur` (no trailing slash); on a symlink to follow in
 * the last component, replaces *cur with the expanded path and returns
 * -1 (try again). */
static int resolve_once(int root, char **cur, bool follow, int mode, int *links, resolved *out)
{
    char *path = strdup(*cur);
    if (!path)
        return WASI_ENOMEM;
    char *dir, *last;
    split_last(path, &dir, &last);
    /* "x/.." and "..": the directory itself, named "." within it. */
    bool dotdot = strcmp(last, "..") == 0;
    const char *dir_to_open = dotdot ? *cur : dir;
    int dirfd = -1;
    int r = open_dir_beneath(root, dir_to_open, mode, links, &dirfd);
    if (r != WASI_ESUCCESS) {
        free(path);
        return r;
    }
    const char *name = dotdot || *last == '\0' ? "." : last;
    if (follow && strcmp(name, ".") != 0) {
        char *target = read_link(dirfd, name);
        if (target) {
            if (++*links > MAX_SYMLINKS)
                r = WASI_ELOOP;
            else if (target[0] == '/')
                r = WASI_ESCAPE;
            else if (target[0] == '\0')
                r = WASI_ENOENT;
            if (r == WASI_ESUCCESS) {
                /* Re-resolve dir/target from the root. */
                size_t dl = strlen(dir), tl = strlen(target), sep = dl ? 1 : 0;
                size_t need = dl + sep + tl + 1;
                char *next = need <= MAX_EXPANDED_PATH ? malloc(need) : NULL;
                if (!next) {
                    r = need > MAX_EXPANDED_PATH ? WASI_ENAMETOOLONG : WASI_ENOMEM;
                } else {
                    memcpy(next, dir, dl);
                    if (sep)
                        next[dl] = '/';
                    memcpy(next + dl + sep, target, tl + 1);
                    free(*cur);
                    *cur = next;
                    r = -1;
                }
            }
            free(target);
            close(dirfd);
            free(path);
            return r;
        }
        /* EINVAL: not a symlink; ENOENT: not there (yet). Either way the
         * caller's own call on (dirfd, name) gives the right answer. */
    }
    out->dirfd = dirfd;
    out->name = strdup(name);
    free(path);
    if (!out->name) {
        close(dirfd);
        out->dirfd = -1;
        return WASI_ENOMEM;
    }
    return WASI_ESUCCESS;
}

int resolve_path(int root, const char *path, size_t len, unsigned flags, int mode, resolved *out)
{
    out->dirfd = -1;
    out->name = NULL;
    out->trailing_slash = false;
    int r = validate_guest_path(path, len);
    if (r != WASI_ESUCCESS)
        return r;
    char *cur = malloc(len + 1);
    if (!cur)
        return WASI_ENOMEM;
    memcpy(cur, path, len);
    cur[len] = '\0';
    int links = 0;
    for (;;) {
        /* A trailing slash means "a directory": it is followed like one. */
        size_t n = strlen(cur);
        bool trailing = false;
        while (n > 1 && cur[n - 1] == '/') {
            cur[--n] = '\0';
            trailing = true;
        }
        out->trailing_slash |= trailing;
        bool follow = (flags & RESOLVE_FOLLOW) || out->trailing_slash;
        r = resolve_once(root, &cur, follow, mode, &links, out);
        if (r != -1)
            break;
    }
    free(cur);
    return r;
}
