/* reader.h — a bounds-checked cursor over module bytes with LEB128 decoding.
 *
 * Every read checks the end first; on a malformed or truncated value the
 * reader records an error (message + offset) and all later reads return 0, so
 * callers may check `r->err` once after a group of reads. */
#ifndef WEFT_READER_H
#define WEFT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct reader {
    const uint8_t *base; /* start of the module: offsets are relative to it */
    const uint8_t *p;
    const uint8_t *end;
    const char *err;    /* static message of the first error, or NULL */
    size_t err_offset;
} reader;

static inline void reader_init(reader *r, const uint8_t *base, const uint8_t *p, const uint8_t *end)
{
    r->base = base;
    r->p = p;
    r->end = end;
    r->err = NULL;
    r->err_offset = 0;
}

static inline size_t reader_offset(const reader *r) { return (size_t)(r->p - r->base); }
static inline bool reader_at_end(const reader *r) { return r->p >= r->end; }

/* Records the first error at the current offset; later errors are ignored. */
static inline void reader_fail(reader *r, const char *msg)
{
    if (!r->err) {
        r->err = msg;
        r->err_offset = reader_offset(r);
    }
    r->p = r->end;
}

static inline uint8_t read_u8(reader *r)
{
    if (r->p >= r->end) {
        reader_fail(r, "unexpected end");
        return 0;
    }
    return *r->p++;
}

/* Unsigned LEB128 of at most `bits` bits. Rejects encodings longer than
 * ceil(bits/7) bytes ("integer representation too long") and set bits beyond
 * `bits` in the last byte ("integer too large"). */
static inline uint64_t read_uleb(reader *r, unsigned bits)
{
    uint64_t result = 0;
    unsigned shift = 0;
    for (;;) {
        if (r->p >= r->end) {
            reader_fail(r, "unexpected end");
            return 0;
        }
        uint8_t byte = *r->p++;
        unsigned remaining = bits - shift; /* bits still to fill, > 0 */
        if (remaining < 7) {
            /* Last permitted byte: continuation bit or unused bits set are errors. */
            if (byte & 0x80) {
                r->p--;
                reader_fail(r, "integer representation too long");
                return 0;
            }
            if (byte >> remaining) {
                r->p--;
                reader_fail(r, "integer too large");
                return 0;
            }
        }
        result |= (uint64_t)(byte & 0x7F) << shift;
        if (!(byte & 0x80))
            return result;
        shift += 7;
        if (shift >= bits) {
            reader_fail(r, "integer representation too long");
            return 0;
        }
    }
}

/* Signed LEB128 of at most `bits` bits, sign-extended to 64. In the last
 * permitted byte the unused bits must all equal the sign bit. */
static inline int64_t read_sleb(reader *r, unsigned bits)
{
    uint64_t result = 0;
    unsigned shift = 0;
    for (;;) {
        if (r->p >= r->end) {
            reader_fail(r, "unexpected end");
            return 0;
        }
        uint8_t byte = *r->p++;
        unsigned remaining = bits - shift;
        if (remaining < 7) {
            if (byte & 0x80) {
                r->p--;
                reader_fail(r, "integer representation too long");
                return 0;
            }
            /* Bits from `remaining-1` (the sign bit) up to bit 6 must agree. */
            uint8_t top = (uint8_t)(byte & 0x7F) >> (remaining - 1);
            uint8_t all = (uint8_t)(0x7F >> (remaining - 1));
            if (top != 0 && top != all) {
                r->p--;
                reader_fail(r, "integer too large");
                return 0;
            }
        }
        result |= (uint64_t)(byte & 0x7F) << shift;
        shift += 7;
        if (!(byte & 0x80)) {
            if (shift < 64 && (byte & 0x40))
                result |= ~(uint64_t)0 << shift;
            return (int64_t)result;
        }
        if (shift >= bits) {
            reader_fail(r, "integer representation too long");
            return 0;
        }
    }
}

static inline uint32_t read_u32(reader *r) { return (uint32_t)read_uleb(r, 32); }
static inline int32_t read_s32(reader *r) { return (int32_t)read_sleb(r, 32); }
static inline int64_t read_s64(reader *r) { return read_sleb(r, 64); }
/* Block types are a signed 33-bit LEB (type indices are non-negative). */
static inline int64_t read_s33(reader *r) { return read_sleb(r, 33); }

static inline uint32_t read_fixed32(reader *r)
{
    if (r->end - r->p < 4) {
        reader_fail(r, "unexpected end");
        return 0;
    }
    uint32_t v;
    memcpy(&v, r->p, 4); /* module bytes are little-endian, as is every host we support */
    r->p += 4;
    return v;
}

static inline uint64_t read_fixed64(reader *r)
{
    if (r->end - r->p < 8) {
        reader_fail(r, "unexpected end");
        return 0;
    }
    uint64_t v;
    memcpy(&v, r->p, 8);
    r->p += 8;
    return v;
}

static inline bool read_bytes(reader *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n) {
        reader_fail(r, "unexpected end");
        return false;
    }
    memcpy(out, r->p, n);
    r->p += n;
    return true;
}

#endif
