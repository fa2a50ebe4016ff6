/* text.c — bounded text builder (see text.h). */
#include "text.h"

#include <stdarg.h>
#include <stdio.h>

#define PRINTABLE_FIRST 0x20
#define PRINTABLE_LAST 0x7E

text text_start(char *buf, size_t size)
{
    text t = {buf, size, 0};
    buf[0] = '\0';
    return t;
}

void text_put(text *t, const char *fmt, ...)
{
    if (t->len + 1 >= t->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t room = t->size - 1 - t->len;
    t->len += (size_t)n < room ? (size_t)n : room;
}

void text_put_escaped(text *t, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        /* Bytes >= 0x80 are left alone: they are UTF-8 and print fine. */
        if ((c < PRINTABLE_FIRST || c == PRINTABLE_LAST + 1) || c == '\\' || c == '"')
            text_put(t, "\\%02x", c);
        else
            text_put(t, "%c", (char)c);
    }
}
