/* error.c — weft_error objects: compile, link and API errors. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "live_objects.h"

static char oom_message[] = "out of memory";
static weft_error oom_error = {WEFT_ERROR_RESOURCE, -1, -1, oom_message};

weft_error *error_new(weft_error_kind kind, int64_t offset, int64_t func_index,
                      const char *fmt, ...)
{
    char body[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);

    char prefix[48] = "";
    if (func_index >= 0)
        snprintf(prefix, sizeof prefix, "in function %lld: ", (long long)func_index);
    char suffix[48] = "";
    if (offset >= 0)
        snprintf(suffix, sizeof suffix, " at offset 0x%llx", (unsigned long long)offset);

    weft_error *e = malloc(sizeof *e);
    size_t n = strlen(prefix) + strlen(body) + strlen(suffix) + 1;
    char *msg = malloc(n);
    if (!e || !msg) {
        free(e);
        free(msg);
        return &oom_error;
    }
    snprintf(msg, n, "%s%s%s", prefix, body, suffix);
    e->kind = kind;
    e->offset = offset;
    e->func_index = func_index;
    e->message = msg;
    live_inc(LIVE_ERROR);
    return e;
}

const char *weft_error_message(const weft_error *e) { return e->message; }
weft_error_kind weft_error_kind_of(const weft_error *e) { return e->kind; }
int64_t weft_error_offset(const weft_error *e) { return e->offset; }
int64_t weft_error_func_index(const weft_error *e) { return e->func_index; }

void weft_error_delete(weft_error *e)
{
    if (!e || e == &oom_error)
        return;
    live_dec(LIVE_ERROR);
    free(e->message);
    free(e);
}
