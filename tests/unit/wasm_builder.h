/* wasm_builder.h — assembling small WebAssembly binaries in C tests.
 *
 *     wbuf mod = wb_module();            // magic and version
 *     wbuf sec = {0};
 *     wb_u32(&sec, 1);                   // one type
 *     WB_BYTES(&sec, 0x60, 0x00, 0x00);  // () -> ()
 *     wb_section(&mod, 1, &sec);         // id, size, contents; frees sec
 *     ... wmodule_decode(&m, mod.data, mod.len) ...
 *     wb_free(&mod);
 *
 * Test-only code: allocation failure aborts. */
#ifndef WEFT_WASM_BUILDER_H
#define WEFT_WASM_BUILDER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wbuf {
    uint8_t *data;
    size_t len, cap;
} wbuf;

enum { WB_INITIAL_CAP = 64, WB_LEB_PAYLOAD = 0x7F, WB_LEB_MORE = 0x80, WB_LEB_SIGN = 0x40 };

static inline void wb_free(wbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static inline void wb_raw(wbuf *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : WB_INITIAL_CAP;
        while (cap < b->len + n)
            cap *= 2;
        uint8_t *grown = realloc(b->data, cap);
        if (!grown) {
            fputs("wasm_builder: out of memory\n", stderr);
            abort();
        }
        b->data = grown;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

static inline void wb_byte(wbuf *b, uint8_t v) { wb_raw(b, &v, 1); }

/* Appends literal bytes: WB_BYTES(&b, 0x41, 0x00, 0x0B). */
#define WB_BYTES(b, ...) \
    wb_raw((b), (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

/* Unsigned LEB128, minimal length. */
static inline void wb_u32(wbuf *b, uint64_t v)
{
    do {
        uint8_t byte = v & WB_LEB_PAYLOAD;
        v >>= 7;
        wb_byte(b, (uint8_t)(byte | (v ? WB_LEB_MORE : 0)));
    } while (v);
}

/* Signed LEB128, minimal length. */
static inline void wb_s64(wbuf *b, int64_t v)
{
    for (;;) {
        uint8_t byte = (uint8_t)(v & WB_LEB_PAYLOAD);
        v >>= 7; /* arithmetic shift: gcc and clang guarantee it */
        int done = (v == 0 && !(byte & WB_LEB_SIGN)) || (v == -1 && (byte & WB_LEB_SIGN));
        wb_byte(b, (uint8_t)(byte | (done ? 0 : WB_LEB_MORE)));
        if (done)
            return;
    }
}

/* A name: byte length, then the bytes (not NUL-terminated). */
static inline void wb_name_n(wbuf *b, const char *s, size_t n)
{
    wb_u32(b, n);
    wb_raw(b, s, n);
}

static inline void wb_name(wbuf *b, const char *s) { wb_name_n(b, s, strlen(s)); }

/* A new buffer holding the magic and version 1. */
static inline wbuf wb_module(void)
{
    wbuf b = {0};
    WB_BYTES(&b, 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
    return b;
}

/* Appends a section (id, size, contents) and frees `contents`. */
static inline void wb_section(wbuf *b, uint8_t id, wbuf *contents)
{
    wb_byte(b, id);
    wb_u32(b, contents->len);
    wb_raw(b, contents->data, contents->len);
    wb_free(contents);
}

/* Appends a custom section (id 0) named `name` with a raw payload. */
static inline void wb_custom(wbuf *b, const char *name, const void *payload, size_t n)
{
    wbuf c = {0};
    wb_name(&c, name);
    wb_raw(&c, payload, n);
    wb_section(b, 0, &c);
}

/* A module with one type (params -> results, each a string of value-type
 * bytes such as "\x7f\x7f") and one function of that type exported as "f".
 * `body` is the code entry after its size: local declarations, the
 * instructions and the final 0x0B. */
static inline wbuf wb_func_module(const char *params, const char *results, const uint8_t *body,
                                  size_t body_len)
{
    wbuf mod = wb_module();
    wbuf sec = {0};
    wb_u32(&sec, 1);
    wb_byte(&sec, 0x60);
    wb_name(&sec, params); /* a vector of bytes is encoded like a name */
    wb_name(&sec, results);
    wb_section(&mod, 1, &sec);
    WB_BYTES(&sec, 0x01, 0x00);
    wb_section(&mod, 3, &sec);
    wb_u32(&sec, 1);
    wb_name(&sec, "f");
    WB_BYTES(&sec, 0x00, 0x00);
    wb_section(&mod, 7, &sec);
    wb_u32(&sec, 1);
    wb_u32(&sec, body_len);
    wb_raw(&sec, body, body_len);
    wb_section(&mod, 10, &sec);
    return mod;
}

/* WB_FUNC("\x7f", "\x7f", 0x00, 0x20, 0x00, 0x0B): see wb_func_module. */
#define WB_FUNC(params, results, ...)                                             \
    wb_func_module((params), (results), (const uint8_t[]){__VA_ARGS__},            \
                   sizeof((const uint8_t[]){__VA_ARGS__}))

#endif
