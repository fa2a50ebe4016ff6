/* files.h — reading inputs for the replay tools: each argument is a file or
 * a directory (its regular files, sorted by name, not recursive). */
#ifndef WEFT_FUZZ_FILES_H
#define WEFT_FUZZ_FILES_H

#include <stddef.h>
#include <stdint.h>

/* Calls fn(path, env) for each input file named by argv[0..argc). Returns
 * the number of files, or -1 (with a message) if an argument is missing. */
long fx_each_file(int argc, char **argv, void (*fn)(const char *path, void *env), void *env);

/* The whole file; caller frees. NULL (with a message) on error. */
uint8_t *fx_read_file(const char *path, size_t *len);

#endif
