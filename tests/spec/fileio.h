/* fileio.h — whole-file reads and path helpers for the spec runner. */
#ifndef SPEC_FILEIO_H
#define SPEC_FILEIO_H

#include <stddef.h>

/* Reads a whole file into a malloc'd buffer with a NUL appended (not counted
 * in *len). Returns NULL on failure, with errno set. Caller frees. */
char *file_read(const char *path, size_t *len);
/* "dir/name" in a malloc'd string (just "name" if dir is empty). */
char *path_join(const char *dir, const char *name);
/* The directory part of a path ("." if none), malloc'd. */
char *path_dir(const char *path);
/* The part after the last '/' (borrowed from path). */
const char *path_base(const char *path);
/* 1 if path names a directory, 0 if something else, -1 if it is absent. */
int path_kind(const char *path);
/* The names of the *.json files in dir, sorted, malloc'd (free with
 * path_list_free). Returns -1 if the directory cannot be read. */
long path_list_json(const char *dir, char ***names);
void path_list_free(char **names, long count);

#endif /* SPEC_FILEIO_H */
