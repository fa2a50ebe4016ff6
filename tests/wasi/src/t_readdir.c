/* t_readdir.c — fd_readdir: entries, types, cookies, truncated entries,
 * resuming, rewinding, and its errors. */
#include <dirent.h>

#include "check.h"

#define MAX_SEEN 16

typedef struct seen {
    char name[MAX_SEEN][32];
    uint8_t type[MAX_SEEN];
    __wasi_dircookie_t next[MAX_SEEN];
    int n;
} seen;

/* Parses whole entries out of a fd_readdir buffer. */
static void parse(const uint8_t *buf, size_t used, seen *s)
{
    size_t off = 0;
    while (off + sizeof(__wasi_dirent_t) <= used && s->n < MAX_SEEN) {
        __wasi_dirent_t d;
        memcpy(&d, buf + off, sizeof d);
        off += sizeof d;
        if (off + d.d_namlen > used || d.d_namlen >= 32)
            break;
        memcpy(s->name[s->n], buf + off, d.d_namlen);
        s->name[s->n][d.d_namlen] = '\0';
        s->type[s->n] = d.d_type;
        s->next[s->n] = d.d_next;
        s->n++;
        off += d.d_namlen;
    }
}

static int find(const seen *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0)
            return i;
    return -1;
}

/* Lists with a small buffer, as wasi-libc does: resume from the cookie of
 * the last whole entry, retry when an entry did not fit. */
static void list_in_steps(__wasi_fd_t dir, size_t bufsize, seen *s)
{
    uint8_t buf[256];
    __wasi_dircookie_t cookie = 0;
    for (int rounds = 0; rounds < 100; rounds++) {
        __wasi_size_t used = 0;
        CHECK_OK(__wasi_fd_readdir(dir, buf, bufsize, cookie, &used));
        int before = s->n;
        parse(buf, used, s);
        if (s->n > before)
            cookie = s->next[s->n - 1];
        if (used < bufsize)
            return; /* the end */
        CHECK(s->n > before || bufsize < 40); /* each round makes progress */
        if (s->n == before)
            return;
    }
}

void test_readdir(void)
{
    CHECK_OK(__wasi_path_create_directory(FD_SCRATCH, "rd"));
    make_file(FD_SCRATCH, "rd/a", "1");
    make_file(FD_SCRATCH, "rd/bb", "22");
    make_file(FD_SCRATCH, "rd/a_much_longer_file_name", "333");
    CHECK_OK(__wasi_path_create_directory(FD_SCRATCH, "rd/sub"));
    CHECK_OK(__wasi_path_symlink("a", FD_SCRATCH, "rd/ln"));

    __wasi_errno_t e;
    __wasi_fd_t dir = open_at(FD_SCRATCH, "rd", __WASI_OFLAGS_DIRECTORY,
                              __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN, 0, &e);
    CHECK_OK(e);
    uint8_t buf[1024];
    __wasi_size_t used = 0;
    CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
    CHECK(used < sizeof buf);
    seen all = {0};
    parse(buf, used, &all);
    CHECK_EQ(all.n, 7);
    CHECK(find(&all, ".") >= 0 && find(&all, "..") >= 0);
    int i = find(&all, "a");
    CHECK(i >= 0 && all.type[i] == __WASI_FILETYPE_REGULAR_FILE);
    i = find(&all, "sub");
    CHECK(i >= 0 && all.type[i] == __WASI_FILETYPE_DIRECTORY);
    i = find(&all, "ln");
    CHECK(i >= 0 && all.type[i] == __WASI_FILETYPE_SYMBOLIC_LINK);
    CHECK(find(&all, "bb") >= 0 && find(&all, "a_much_longer_file_name") >= 0);
    for (int k = 1; k < all.n; k++)
        CHECK(all.next[k] > all.next[k - 1]);

    /* Resuming from the cookie of entry 2 gives entries 3.. exactly. */
    CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, all.next[2], &used));
    seen tail = {0};
    parse(buf, used, &tail);
    CHECK_EQ(tail.n, all.n - 3);
    CHECK(tail.n > 0 && strcmp(tail.name[0], all.name[3]) == 0);

    /* A buffer smaller than one entry is filled completely (truncated). */
    CHECK_OK(__wasi_fd_readdir(dir, buf, 10, 0, &used));
    CHECK_EQ(used, 10);
    CHECK_OK(__wasi_fd_readdir(dir, buf, 26, 0, &used));
    CHECK_EQ(used, 26);

    /* Listing in small steps gives the same set. */
    seen steps = {0};
    list_in_steps(dir, 64, &steps);
    CHECK_EQ(steps.n, all.n);
    for (int k = 0; k < all.n; k++)
        CHECK(find(&steps, all.name[k]) >= 0);

    /* Past the end: nothing. */
    CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 1000, &used));
    CHECK_EQ(used, 0);

    /* Cookie 0 starts over and sees changes. */
    CHECK_OK(__wasi_path_unlink_file(FD_SCRATCH, "rd/bb"));
    CHECK_OK(__wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
    seen again = {0};
    parse(buf, used, &again);
    CHECK_EQ(again.n, 6);
    CHECK(find(&again, "bb") < 0);

    /* wasi-libc's readdir sees the same. */
    DIR *d = opendir("/scratch/rd");
    CHECK(d != NULL);
    int count = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        count++;
    if (d)
        closedir(d);
    CHECK_EQ(count, 6);

    /* Errors. */
    __wasi_fd_t file = open_at(FD_SCRATCH, "rd/a", 0, RIGHTS_ALL, 0, &e);
    CHECK_OK(e);
    CHECK_ERRNO(__wasi_fd_readdir(file, buf, sizeof buf, 0, &used), __WASI_ERRNO_NOTDIR);
    __wasi_fd_t blind = open_at(FD_SCRATCH, "rd", __WASI_OFLAGS_DIRECTORY,
                                __WASI_RIGHTS_PATH_OPEN, 0, &e);
    CHECK_OK(e);
    CHECK_ERRNO(__wasi_fd_readdir(blind, buf, sizeof buf, 0, &used), __WASI_ERRNO_NOTCAPABLE);
    CHECK_ERRNO(raw_fd_readdir(dir, BAD_PTR, 100, 0, P(&used)), __WASI_ERRNO_FAULT);
    CHECK_ERRNO(raw_fd_readdir(dir, P(buf), 100, 0, BAD_PTR), __WASI_ERRNO_FAULT);
    CHECK_OK(__wasi_fd_close(file));
    CHECK_OK(__wasi_fd_close(blind));
    CHECK_OK(__wasi_fd_close(dir));
}
