/* utf8.c — UTF-8 validation of names (module, import, export, custom). */
#include "utf8.h"

enum {
    UTF8_CONT_MASK = 0xC0, /* a continuation byte is 10xxxxxx */
    UTF8_CONT_TAG = 0x80,
    UTF8_CONT_PAYLOAD = 0x3F,
    UTF8_CONT_BITS = 6,
    UNICODE_MAX = 0x10FFFF,
    SURROGATE_FIRST = 0xD800,
    SURROGATE_LAST = 0xDFFF
};

/* The shape of a sequence, from its lead byte. */
typedef struct utf8_lead {
    unsigned length;  /* total bytes, 0 if the byte cannot start a sequence */
    uint32_t bits;    /* payload bits of the lead byte */
    uint32_t min;     /* smallest code point this length may encode */
} utf8_lead;

static utf8_lead classify_lead(uint8_t b)
{
    if (b < 0x80)
        return (utf8_lead){1, b, 0};
    if ((b & 0xE0) == 0xC0)
        return (utf8_lead){2, b & 0x1Fu, 0x80};
    if ((b & 0xF0) == 0xE0)
        return (utf8_lead){3, b & 0x0Fu, 0x800};
    if ((b & 0xF8) == 0xF0)
        return (utf8_lead){4, b & 0x07u, 0x10000};
    return (utf8_lead){0, 0, 0}; /* a stray continuation byte or 0xF8..0xFF */
}

/* Decodes one sequence at s (n bytes available). Returns its length, or 0 if
 * it is malformed. Checking the decoded value against the length's minimum
 * rejects every overlong form, whatever its lead byte. */
static size_t decode_one(const uint8_t *s, size_t n)
{
    utf8_lead lead = classify_lead(s[0]);
    if (lead.length == 0 || lead.length > n)
        return 0;
    uint32_t cp = lead.bits;
    for (unsigned i = 1; i < lead.length; i++) {
        if ((s[i] & UTF8_CONT_MASK) != UTF8_CONT_TAG)
            return 0;
        cp = cp << UTF8_CONT_BITS | (s[i] & UTF8_CONT_PAYLOAD);
    }
    if (cp < lead.min || cp > UNICODE_MAX)
        return 0;
    if (cp >= SURROGATE_FIRST && cp <= SURROGATE_LAST)
        return 0;
    return lead.length;
}

bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) { /* the common case: ASCII */
            i++;
            continue;
        }
        size_t len = decode_one(s + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}
