/* error.h — construction of weft_error (compile/link/API errors). */
#ifndef WEFT_ERROR_H
#define WEFT_ERROR_H

#include <stdint.h>

#include "weft.h"

struct weft_error {
    weft_error_kind kind;
    int64_t offset;     /* byte offset in the module, or -1 */
    int64_t func_index; /* function whose body is at fault, or -1 */
    char *message;
};

#if defined(__GNUC__)
#define WEFT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define WEFT_PRINTF(a, b)
#endif

/* A new error. When offset >= 0 the message gets " at offset 0x..." appended;
 * when func_index >= 0, "in function N: " is prepended. Never returns NULL:
 * on allocation failure a static out-of-memory error is returned, which
 * weft_error_delete knows not to free. */
weft_error *error_new(weft_error_kind kind, int64_t offset, int64_t func_index,
                      const char *fmt, ...) WEFT_PRINTF(4, 5);

#endif
