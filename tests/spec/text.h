/* text.h — a bounded text builder: appends printf-style into a fixed
 * buffer and cuts at its end instead of overrunning it. */
#ifndef SPEC_TEXT_H
#define SPEC_TEXT_H

#include <stddef.h>

#if defined(__GNUC__)
#define SPEC_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define SPEC_PRINTF_LIKE(f, a)
#endif

typedef struct text {
    char *buf;
    size_t size, len;
} text;

/* Starts an empty text in buf (size > 0). */
text text_start(char *buf, size_t size);
void text_put(text *t, const char *fmt, ...) SPEC_PRINTF_LIKE(2, 3);
/* Appends bytes that may hold NUL or control characters, escaped as \xx,
 * so names from the suite print readably. */
void text_put_escaped(text *t, const char *s, size_t len);

#endif /* SPEC_TEXT_H */
