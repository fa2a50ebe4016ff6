/* json.c — recursive-descent JSON parser (see json.h).
 *
 * Array elements and object members are collected on scratch stacks while
 * their container is open and copied into the arena when it closes, so each
 * node is allocated exactly once and at its final size. */
#include "json.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_arena.h"

/* Deeper nesting than this is rejected instead of overflowing the C stack. */
#define JSON_MAX_DEPTH 512
/* Longest number literal converted through a stack buffer. */
#define NUMBER_BUF_SIZE 64
#define SCRATCH_INITIAL 64

#define HEX_DIGITS_PER_ESCAPE 4
#define SURROGATE_HIGH_FIRST 0xD800u
#define SURROGATE_LOW_FIRST 0xDC00u
#define SURROGATE_LOW_LAST 0xDFFFu
#define SURROGATE_PAYLOAD_BITS 10
#define SUPPLEMENTARY_BASE 0x10000u

typedef struct parser {
    const char *text;
    size_t len, pos;
    json_arena *arena;
    json_value *values; /* scratch stack of open arrays' elements */
    size_t nvalues, capvalues;
    json_member *members; /* scratch stack of open objects' members */
    size_t nmembers, capmembers;
    char *error;
    int failed;
} parser;

static int fail(parser *p, const char *what)
{
    if (p->failed)
        return 0;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < p->pos && i < p->len; i++) {
        if (p->text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(p->error, JSON_ERROR_SIZE, "line %zu, column %zu: %s", line, col, what);
    p->failed = 1;
    return 0;
}

static void skip_space(parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static int peek(parser *p)
{
    return p->pos < p->len ? (unsigned char)p->text[p->pos] : -1;
}

static int expect_literal(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->len - p->pos < n || memcmp(p->text + p->pos, word, n) != 0)
        return fail(p, "invalid literal");
    p->pos += n;
    return 1;
}

/* ---------------------------------------------------------------- strings */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads the 4 hex digits of a \u escape starting at `s`; -1 if malformed. */
static long read_hex4(const char *s, const char *end)
{
    if (end - s < HEX_DIGITS_PER_ESCAPE)
        return -1;
    long v = 0;
    for (int i = 0; i < HEX_DIGITS_PER_ESCAPE; i++) {
        int d = hex_value(s[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static char *put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        *out++ = (char)cp;
    } else if (cp < 0x800) {
        *out++ = (char)(0xC0 | (cp >> 6));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *out++ = (char)(0xE0 | (cp >> 12));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *out++ = (char)(0xF0 | (cp >> 18));
        *out++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *out++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *out++ = (char)(0x80 | (cp & 0x3F));
    }
    return out;
}

/* Decodes a \uXXXX escape (and its low surrogate, if it starts a pair) at
 * `*src` (just past "\u"). A lone surrogate is kept as its 3-byte encoding
 * (WTF-8) rather than rejected, so no input is silently lost. */
static int decode_unicode_escape(parser *p, const char **src, const char *end, char **out)
{
    long cp = read_hex4(*src, end);
    if (cp < 0)
        return fail(p, "invalid \\u escape");
    *src += HEX_DIGITS_PER_ESCAPE;
    if (cp >= SURROGATE_HIGH_FIRST && cp < SURROGATE_LOW_FIRST && end - *src >= 2 &&
        (*src)[0] == '\\' && (*src)[1] == 'u') {
        long low = read_hex4(*src + 2, end);
        if (low >= SURROGATE_LOW_FIRST && low <= SURROGATE_LOW_LAST) {
            cp = SUPPLEMENTARY_BASE + (((cp - SURROGATE_HIGH_FIRST) << SURROGATE_PAYLOAD_BITS) |
                                       (low - SURROGATE_LOW_FIRST));
            *src += 2 + HEX_DIGITS_PER_ESCAPE;
        }
    }
    *out = put_utf8(*out, (uint32_t)cp);
    return 1;
}

static int decode_escape(parser *p, const char **src, const char *end, char **out)
{
    char c = *(*src)++;
    switch (c) {
    case '"': *(*out)++ = '"'; return 1;
    case '\\': *(*out)++ = '\\'; return 1;
    case '/': *(*out)++ = '/'; return 1;
    case 'b': *(*out)++ = '\b'; return 1;
    case 'f': *(*out)++ = '\f'; return 1;
    case 'n': *(*out)++ = '\n'; return 1;
    case 'r': *(*out)++ = '\r'; return 1;
    case 't': *(*out)++ = '\t'; return 1;
    case 'u': return decode_unicode_escape(p, src, end, out);
    default: return fail(p, "invalid escape in string");
    }
}

/* Parses a string at p->pos (on the opening quote). Escapes only ever
 * shrink the text, so the raw length bounds the decoded one. */
static int parse_string(parser *p, json_string *out)
{
    size_t start = ++p->pos;
    size_t i = start;
    while (i < p->len && p->text[i] != '"') {
        if ((unsigned char)p->text[i] < 0x20) {
            p->pos = i;
            return fail(p, "control character in string");
        }
        i += p->text[i] == '\\' ? 2 : 1;
    }
    if (i >= p->len) {
        p->pos = p->len;
        return fail(p, "unterminated string");
    }
    char *buf = json_arena_alloc(p->arena, i - start + 1);
    if (!buf)
        return fail(p, "out of memory");
    const char *src = p->text + start, *end = p->text + i;
    char *dst = buf;
    while (src < end) {
        if (*src != '\\') {
            *dst++ = *src++;
            continue;
        }
        src++;
        if (!decode_escape(p, &src, end, &dst)) {
            p->pos = (size_t)(src - p->text);
            return 0;
        }
    }
    *dst = '\0';
    out->chars = buf;
    out->len = (size_t)(dst - buf);
    p->pos = i + 1;
    return 1;
}

/* ---------------------------------------------------------------- numbers */

static size_t skip_digits(parser *p, size_t i)
{
    while (i < p->len && p->text[i] >= '0' && p->text[i] <= '9')
        i++;
    return i;
}

/* Finds the end of a number following JSON's grammar; 0 if malformed. */
static size_t number_end(parser *p)
{
    size_t i = p->pos;
    if (i < p->len && p->text[i] == '-')
        i++;
    size_t digits = i;
    i = skip_digits(p, i);
    if (i == digits)
        return 0;
    if (i < p->len && p->text[i] == '.') {
        size_t frac = ++i;
        i = skip_digits(p, i);
        if (i == frac)
            return 0;
    }
    if (i < p->len && (p->text[i] == 'e' || p->text[i] == 'E')) {
        i++;
        if (i < p->len && (p->text[i] == '+' || p->text[i] == '-'))
            i++;
        size_t exp = i;
        i = skip_digits(p, i);
        if (i == exp)
            return 0;
    }
    return i;
}

static int parse_number(parser *p, json_value *out)
{
    size_t end = number_end(p);
    if (end == 0)
        return fail(p, "invalid number");
    size_t n = end - p->pos;
    char small[NUMBER_BUF_SIZE];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf)
        return fail(p, "out of memory");
    memcpy(buf, p->text + p->pos, n);
    buf[n] = '\0';
    out->type = JSON_NUMBER;
    out->u.number = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    p->pos = end;
    return 1;
}

/* ------------------------------------------------------------- containers */

static int grow(void **items, size_t *cap, size_t elem_size)
{
    size_t ncap = *cap ? *cap * 2 : SCRATCH_INITIAL;
    void *n = realloc(*items, ncap * elem_size);
    if (!n)
        return 0;
    *items = n;
    *cap = ncap;
    return 1;
}

static int parse_value(parser *p, json_value *out, int depth);

static void *copy_to_arena(parser *p, const void *src, size_t bytes)
{
    if (bytes == 0)
        return NULL;
    void *dst = json_arena_alloc(p->arena, bytes);
    if (dst)
        memcpy(dst, src, bytes);
    return dst;
}

static int parse_array(parser *p, json_value *out, int depth)
{
    size_t mark = p->nvalues;
    p->pos++; /* '[' */
    skip_space(p);
    if (peek(p) == ']') {
        p->pos++;
    } else {
        for (;;) {
            json_value v;
            if (!parse_value(p, &v, depth + 1))
                return 0;
            if (p->nvalues == p->capvalues &&
                !grow((void **)&p->values, &p->capvalues, sizeof *p->values))
                return fail(p, "out of memory");
            p->values[p->nvalues++] = v;
            skip_space(p);
            int c = peek(p);
            p->pos++;
            if (c == ']')
                break;
            if (c != ',') {
                p->pos--;
                return fail(p, "expected ',' or ']'");
            }
        }
    }
    size_t count = p->nvalues - mark;
    out->type = JSON_ARRAY;
    out->u.array.count = count;
    out->u.array.items = copy_to_arena(p, p->values + mark, count * sizeof *p->values);
    p->nvalues = mark;
    return count == 0 || out->u.array.items ? 1 : fail(p, "out of memory");
}

static int parse_member(parser *p, json_member *m, int depth)
{
    skip_space(p);
    if (peek(p) != '"')
        return fail(p, "expected a string key");
    if (!parse_string(p, &m->key))
        return 0;
    skip_space(p);
    if (peek(p) != ':')
        return fail(p, "expected ':'");
    p->pos++;
    return parse_value(p, &m->value, depth + 1);
}

static int parse_object(parser *p, json_value *out, int depth)
{
    size_t mark = p->nmembers;
    p->pos++; /* '{' */
    skip_space(p);
    if (peek(p) == '}') {
        p->pos++;
    } else {
        for (;;) {
            json_member m;
            if (!parse_member(p, &m, depth))
                return 0;
            if (p->nmembers == p->capmembers &&
                !grow((void **)&p->members, &p->capmembers, sizeof *p->members))
                return fail(p, "out of memory");
            p->members[p->nmembers++] = m;
            skip_space(p);
            int c = peek(p);
            p->pos++;
            if (c == '}')
                break;
            if (c != ',') {
                p->pos--;
                return fail(p, "expected ',' or '}'");
            }
        }
    }
    size_t count = p->nmembers - mark;
    out->type = JSON_OBJECT;
    out->u.object.count = count;
    out->u.object.members = copy_to_arena(p, p->members + mark, count * sizeof *p->members);
    p->nmembers = mark;
    return count == 0 || out->u.object.members ? 1 : fail(p, "out of memory");
}

static int parse_value(parser *p, json_value *out, int depth)
{
    if (depth > JSON_MAX_DEPTH)
        return fail(p, "nesting too deep");
    skip_space(p);
    memset(out, 0, sizeof *out);
    switch (peek(p)) {
    case '{': return parse_object(p, out, depth);
    case '[': return parse_array(p, out, depth);
    case '"':
        out->type = JSON_STRING;
        return parse_string(p, &out->u.string);
    case 't':
        out->type = JSON_BOOL;
        out->u.boolean = 1;
        return expect_literal(p, "true");
    case 'f':
        out->type = JSON_BOOL;
        return expect_literal(p, "false");
    case 'n':
        out->type = JSON_NULL;
        return expect_literal(p, "null");
    case -1: return fail(p, "unexpected end of input");
    default: return parse_number(p, out);
    }
}

/* ------------------------------------------------------------------ API */

int json_parse(const char *text, size_t len, json_doc *doc, char error[JSON_ERROR_SIZE])
{
    parser p = {0};
    p.text = text;
    p.len = len;
    p.error = error;
    error[0] = '\0';
    p.arena = json_arena_new();
    if (!p.arena) {
        snprintf(error, JSON_ERROR_SIZE, "out of memory");
        return 0;
    }
    int ok = parse_value(&p, &doc->root, 0);
    if (ok) {
        skip_space(&p);
        if (p.pos != p.len)
            ok = fail(&p, "trailing characters after the document");
    }
    free(p.values);
    free(p.members);
    if (!ok) {
        json_arena_free(p.arena);
        doc->arena = NULL;
        return 0;
    }
    doc->arena = p.arena;
    return 1;
}

void json_doc_free(json_doc *doc)
{
    json_arena_free(doc->arena);
    doc->arena = NULL;
}

int json_string_is(const json_string *s, const char *cstr)
{
    size_t n = strlen(cstr);
    return s->len == n && memcmp(s->chars, cstr, n) == 0;
}

const json_value *json_get(const json_value *obj, const char *key)
{
    if (!obj || obj->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->u.object.count; i++)
        if (json_string_is(&obj->u.object.members[i].key, key))
            return &obj->u.object.members[i].value;
    return NULL;
}

const json_string *json_get_string(const json_value *obj, const char *key)
{
    const json_value *v = json_get(obj, key);
    return v && v->type == JSON_STRING ? &v->u.string : NULL;
}

long json_get_long(const json_value *obj, const char *key, long fallback)
{
    const json_value *v = json_get(obj, key);
    if (!v || v->type != JSON_NUMBER)
        return fallback;
    /* Converting an out-of-range double is undefined: refuse it instead. */
    double d = v->u.number;
    if (!(d >= (double)LONG_MIN && d < (double)LONG_MAX))
        return fallback;
    return (long)d;
}
