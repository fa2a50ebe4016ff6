/* fileio.c — whole-file reads and directory listing (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LIST_INITIAL 64
#define JSON_SUFFIX ".json"

char *file_read(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    long size = -1;
    if (fseek(fp, 0, SEEK_END) == 0)
        size = ftell(fp);
    if (size >= 0 && fseek(fp, 0, SEEK_SET) == 0)
        buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    fclose(fp);
    if (!buf)
        return NULL;
    buf[size] = '\0';
    *len = (size_t)size;
    return buf;
}

char *path_join(const char *dir, const char *name)
{
    size_t d = strlen(dir), n = strlen(name);
    char *p = malloc(d + n + 2);
    if (!p)
        return NULL;
    if (d == 0) {
        memcpy(p, name, n + 1);
        return p;
    }
    /* "dir/" + "x" must give "dir/x": the directory name is used later. */
    int slash = dir[d - 1] != '/';
    memcpy(p, dir, d);
    p[d] = '/';
    memcpy(p + d + slash, name, n + 1);
    return p;
}

char *path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

const char *path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int path_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
}

static int has_json_suffix(const char *name)
{
    size_t n = strlen(name), s = strlen(JSON_SUFFIX);
    return n > s && strcmp(name + n - s, JSON_SUFFIX) == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int push_name(char ***names, long *count, long *cap, const char *name)
{
    if (*count == *cap) {
        long ncap = *cap ? *cap * 2 : LIST_INITIAL;
        char **n = realloc(*names, (size_t)ncap * sizeof *n);
        if (!n)
            return 0;
        *names = n;
        *cap = ncap;
    }
    char *copy = strdup(name);
    if (!copy)
        return 0;
    (*names)[(*count)++] = copy;
    return 1;
}

long path_list_json(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    long count = 0, cap = 0;
    *names = NULL;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (has_json_suffix(ent->d_name) && !push_name(names, &count, &cap, ent->d_name)) {
            closedir(d);
            path_list_free(*names, count);
            *names = NULL;
            return -1;
        }
    }
    closedir(d);
    if (count > 0)
        qsort(*names, (size_t)count, sizeof **names, compare_names);
    return count;
}

void path_list_free(char **names, long count)
{
    for (long i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
