/* poll.c — poll_oneoff: clock subscriptions (relative or absolute, on the
 * realtime and monotonic clocks) and fd readiness, with a real wait:
 * ppoll on the host fds that can block, or a sleep when only clocks are
 * subscribed. Waits run in short slices so weft_interrupt (a timeout, a Go
 * context) stops a sleeping guest. Also wait_ready, the same wait for one
 * fd before a blocking read or accept. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wasi_impl.h"

#define NS_PER_SEC 1000000000ull
#define WAIT_SLICE_NS 10000000ull /* 10 ms */

/* One subscription, parsed. */
typedef struct sub {
    uint64_t userdata;
    uint8_t type;     /* wasi_eventtype */
    uint16_t error;   /* set: the event is ready now, with this error */
    bool ready;       /* the event is to be reported */
    uint64_t nbytes;  /* fd events */
    uint16_t rwflags;
    uint64_t wait_ns; /* clocks: how long from the start of the call */
    int pollfd;       /* index into the pollfd array, or -1 */
} sub;

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Now on the monotonic clock the guest sees (it may be the embedder's). */
static uint64_t guest_mono(weft_wasi *w)
{
    uint64_t ns = 0;
    clock_now(w, WASI_CLOCK_MONOTONIC, &ns);
    return ns;
}

static void parse_clock(wasi_call *c, const uint8_t *p, sub *s)
{
    uint32_t id = ld32(p + 16);
    uint64_t timeout = ld64(p + 24);
    uint16_t flags = ld16(p + 40);
    if (flags & ~WASI_SUBCLOCK_ABSTIME) {
        s->error = WASI_EINVAL;
        return;
    }
    if (id == WASI_CLOCK_PROCESS_CPUTIME || id == WASI_CLOCK_THREAD_CPUTIME) {
        s->error = WASI_ENOTSUP; /* a sleeping guest burns no CPU time */
        return;
    }
    if (id != WASI_CLOCK_REALTIME && id != WASI_CLOCK_MONOTONIC) {
        s->error = WASI_EINVAL;
        return;
    }
    if (!(flags & WASI_SUBCLOCK_ABSTIME)) {
        s->wait_ns = timeout;
        return;
    }
    uint64_t now;
    int r = clock_now(c->w, id, &now);
    if (r != WASI_ESUCCESS)
        s->error = (uint16_t)r;
    else
        s->wait_ns = timeout > now ? timeout - now : 0;
}

/* Bytes readable now on a host fd, 0 if unknown. */
static uint64_t readable_bytes(const wasi_fd *f)
{
    if (f->filetype == WASI_FILETYPE_REGULAR_FILE) {
        struct stat st;
        off_t pos = lseek(f->host, 0, SEEK_CUR);
        if (fstat(f->host, &st) == 0 && pos >= 0 && st.st_size > pos)
            return (uint64_t)(st.st_size - pos);
        return 0;
    }
    int n = 0;
    if (ioctl(f->host, FIONREAD, &n) == 0 && n > 0)
        return (uint64_t)n;
    return 0;
}

static void parse_fd(wasi_call *c, const uint8_t *p, sub *s, struct pollfd *pfds, int *npfds)
{
    uint32_t fd = ld32(p + 16);
    wasi_fd *f = fd_get(c->w, fd);
    if (!f) {
        s->error = WASI_EBADF;
        return;
    }
    uint64_t need = s->type == WASI_EVENT_FD_READ ? WASI_RIGHT_FD_READ : WASI_RIGHT_FD_WRITE;
    if (!(f->rights_base & WASI_RIGHT_POLL_FD_READWRITE) && !(f->rights_base & need)) {
        s->error = WASI_ENOTCAPABLE;
        return;
    }
    bool blocks = f->kind == FD_HOST && f->filetype != WASI_FILETYPE_REGULAR_FILE &&
                  f->filetype != WASI_FILETYPE_DIRECTORY &&
                  f->filetype != WASI_FILETYPE_BLOCK_DEVICE;
    if (!blocks) { /* files, callbacks and the null stream are always ready */
        s->ready = true;
        if (s->type == WASI_EVENT_FD_READ && f->kind == FD_HOST)
            s->nbytes = readable_bytes(f);
        if (s->type == WASI_EVENT_FD_READ && f->kind == FD_NULL)
            s->rwflags = WASI_EVENTRW_HANGUP;
        return;
    }
    s->pollfd = *npfds;
    pfds[*npfds].fd = f->host;
    pfds[*npfds].events = s->type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
    pfds[*npfds].revents = 0;
    (*npfds)++;
}

/* Waits until a host fd is ready or `wait_ns` passes (UINT64_MAX: no
 * clock), in slices. Returns false if the instance was interrupted. */
static bool wait_host(wasi_call *c, struct pollfd *pfds, int npfds, uint64_t wait_ns)
{
    uint64_t start = mono_ns();
    for (;;) {
        if (call_interrupted(c))
            return false;
        uint64_t elapsed = mono_ns() - start;
        uint64_t left = wait_ns == UINT64_MAX ? UINT64_MAX : (elapsed >= wait_ns ? 0 : wait_ns - elapsed);
        uint64_t slice = left < WAIT_SLICE_NS ? left : WAIT_SLICE_NS;
        struct timespec ts = {(time_t)(slice / NS_PER_SEC), (long)(slice % NS_PER_SEC)};
        int n = ppoll(pfds, (nfds_t)npfds, &ts, NULL);
        if (n > 0 || left == 0)
            return true;
        if (n < 0 && errno != EINTR)
            return true; /* reported per fd below (POLLNVAL etc.) */
    }
}

static void finish_fd(sub *s, const struct pollfd *p, const wasi_fd *f)
{
    short re = p->revents;
    if (re & POLLNVAL) {
        s->ready = true;
        s->error = WASI_EBADF;
        return;
    }
    short want = s->type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
    if (!(re & (want | POLLHUP | POLLERR)))
        return;
    s->ready = true;
    if (re & POLLHUP)
        s->rwflags |= WASI_EVENTRW_HANGUP;
    if (s->type == WASI_EVENT_FD_READ && f)
        s->nbytes = readable_bytes(f);
}

static void store_event(uint8_t *p, const sub *s)
{
    memset(p, 0, WASI_EVENT_SIZE);
    st64(p, s->userdata);
    st16(p + 8, s->error);
    st8(p + 10, s->type);
    if (s->type != WASI_EVENT_CLOCK) {
        st64(p + 16, s->nbytes);
        st16(p + 24, s->rwflags);
    }
}

static int poll_run(wasi_call *c, uint32_t in, uint32_t out, uint32_t n, uint32_t *nevents,
                    sub *subs, struct pollfd *pfds)
{
    weft_wasi *w = c->w;
    int npfds = 0;
    uint64_t min_wait = UINT64_MAX;
    bool any_ready = false;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *p = c->mem + in + (uint64_t)i * WASI_SUBSCRIPTION_SIZE;
        sub *s = &subs[i];
        memset(s, 0, sizeof *s);
        s->pollfd = -1;
        s->userdata = ld64(p);
        s->type = p[8];
        switch (s->type) {
        case WASI_EVENT_CLOCK: parse_clock(c, p, s); break;
        case WASI_EVENT_FD_READ:
        case WASI_EVENT_FD_WRITE: parse_fd(c, p, s, pfds, &npfds); break;
        default: s->error = WASI_EINVAL; break;
        }
        if (s->error)
            s->ready = true;
        if (s->type == WASI_EVENT_CLOCK && !s->error && s->wait_ns < min_wait)
            min_wait = s->wait_ns;
        any_ready |= s->ready;
    }
    uint64_t wait = any_ready ? 0 : min_wait;
    uint64_t start = guest_mono(w);
    if (npfds > 0) {
        if (!wait_host(c, pfds, npfds, wait)) {
            call_set_interrupted(c);
            return WASI_EINTR;
        }
    } else if (wait > 0 && wait != UINT64_MAX) {
        if (!wasi_sleep(c, wait)) {
            call_set_interrupted(c);
            return WASI_EINTR;
        }
    }
    uint64_t elapsed = guest_mono(w) - start;
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        sub *s = &subs[i];
        if (s->type == WASI_EVENT_CLOCK && !s->error && s->wait_ns <= elapsed)
            s->ready = true;
        if (s->pollfd >= 0) {
            const uint8_t *p = c->mem + in + (uint64_t)i * WASI_SUBSCRIPTION_SIZE;
            finish_fd(s, &pfds[s->pollfd], fd_get(w, ld32(p + 16)));
        }
        if (s->ready)
            store_event(c->mem + out + (uint64_t)count++ * WASI_EVENT_SIZE, s);
    }
    *nevents = count;
    return WASI_ESUCCESS;
}

int wasi_poll_oneoff(wasi_call *c, const uint64_t *a)
{
    uint32_t in = ARG32(0), out = ARG32(1), n = ARG32(2), nevents_ptr = ARG32(3);
    if (n == 0)
        return WASI_EINVAL; /* nothing to wait for would wait forever */
    if (!mem_ok(c, in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE) ||
        !mem_ok(c, out, (uint64_t)n * WASI_EVENT_SIZE) || !mem_ok(c, nevents_ptr, 4))
        return WASI_EFAULT;
    sub *subs = malloc((size_t)n * sizeof *subs);
    struct pollfd *pfds = malloc((size_t)n * sizeof *pfds);
    int r = WASI_ENOMEM;
    uint32_t nevents = 0;
    if (subs && pfds)
        r = poll_run(c, in, out, n, &nevents, subs, pfds);
    free(subs);
    free(pfds);
    if (r == WASI_ESUCCESS)
        st32(c->mem + nevents_ptr, nevents);
    return r;
}

/* ------------------------------------------------------------ one fd */

bool wait_ready(wasi_call *c, int host, bool for_write)
{
    int fl = fcntl(host, F_GETFL);
    if (fl < 0 || (fl & O_NONBLOCK))
        return true; /* the call itself reports EAGAIN or the error */
    struct pollfd p = {host, for_write ? POLLOUT : POLLIN, 0};
    if (!wait_host(c, &p, 1, UINT64_MAX)) {
        call_set_interrupted(c);
        return false;
    }
    return true;
}
