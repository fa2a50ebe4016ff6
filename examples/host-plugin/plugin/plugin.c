/* plugin.c — an HTTP request handler written in C, compiled to Wasm and run
 * by the Go server in main.go. It sees nothing of the host but what the host
 * hands it: the request, and three Go functions it imports from "env".
 *
 * The ABI between host and plugin:
 *   exports  malloc(n) -> ptr, free(ptr)      the host places the request in
 *                                              plugin memory with these
 *            handle(req, req_len, body, body_len) -> i64
 *                                              req is "METHOD /path?query";
 *                                              returns the response body as
 *                                              (ptr << 32 | len), malloc'd:
 *                                              the host frees it
 *   imports  env.log(msg, len)                 a log line for this request
 *            env.kv_get(key, key_len, buf, cap) -> i32
 *                                              copies up to cap bytes of the
 *                                              value; returns its full length,
 *                                              or -1 if the key is unknown
 *            env.set_status(code)              the HTTP status (default 200)
 *
 * Build (build.sh): clang --target=wasm32-wasi -O2 -mexec-model=reactor ...
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name)))

IMPORT("log") void host_log(const char *msg, uint32_t len);
IMPORT("kv_get") int32_t host_kv_get(const char *key, uint32_t key_len, char *buf, uint32_t cap);
IMPORT("set_status") void host_set_status(int32_t code);

/* A string that is not NUL-terminated: requests arrive as ptr/len. */
typedef struct {
    const char *p;
    uint32_t len;
} str;

static int has_prefix(str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.p, prefix, n) == 0;
}

static int equals(str s, const char *text)
{
    return s.len == strlen(text) && memcmp(s.p, text, s.len) == 0;
}

static str drop(str s, uint32_t n) { return (str){s.p + n, s.len - n}; }

/* A log line made of up to three parts: text, a string from the request,
 * text (no printf: stdio would make the plugin import WASI). */
static void log3(const char *before, str middle, const char *after)
{
    char line[256];
    uint32_t n = 0;
    const str parts[3] = {{before, strlen(before)}, middle, {after, strlen(after)}};
    for (int i = 0; i < 3; i++) {
        uint32_t k = parts[i].len < sizeof line - n ? parts[i].len : sizeof line - n;
        memcpy(line + n, parts[i].p, k);
        n += k;
    }
    host_log(line, n);
}

static void log1(const char *text) { log3(text, (str){"", 0}, ""); }

/* Formats v in decimal into digits (at least 11 bytes); returns the string. */
static str format_u32(char *digits, uint32_t v)
{
    char *end = digits + 11, *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return (str){p, (uint32_t)(end - p)};
}

/* The response body, grown with malloc; handle hands it to the host. */
typedef struct {
    char *p;
    uint32_t len, cap;
} buffer;

static void append(buffer *b, const char *p, uint32_t n)
{
    if (b->len + n > b->cap) {
        uint32_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n)
            cap *= 2;
        char *grown = realloc(b->p, cap);
        if (!grown)
            __builtin_trap(); /* out of memory: let the host see a trap */
        b->p = grown;
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void append_str(buffer *b, const char *s) { append(b, s, strlen(s)); }

static void respond(buffer *b, int32_t status, const char *text)
{
    host_set_status(status);
    append_str(b, text);
}

/* GET /hello?name=NAME */
static void hello(buffer *out, str query)
{
    str name = {"world", 5};
    if (has_prefix(query, "name=") && query.len > 5)
        name = drop(query, 5);
    log3("hello: greeting ", name, "");
    append_str(out, "Hello, ");
    append(out, name.p, name.len);
    append_str(out, "!\n");
}

/* GET /kv/KEY: a value from the host's key-value store. */
static void kv(buffer *out, str key)
{
    char small[64];
    char *value = small;
    uint32_t cap = sizeof small;
    int32_t n = host_kv_get(key.p, key.len, value, cap);
    if (n < 0) {
        log3("kv: ", key, " is not set");
        host_set_status(404);
        append_str(out, "no such key: ");
        append(out, key.p, key.len);
        append_str(out, "\n");
        return;
    }
    if ((uint32_t)n > cap) { /* too long for the stack buffer: ask again */
        cap = (uint32_t)n;
        value = malloc(cap);
        if (!value)
            __builtin_trap();
        n = host_kv_get(key.p, key.len, value, cap);
        if (n < 0 || (uint32_t)n > cap) /* changed meanwhile: keep what fits */
            n = n < 0 ? 0 : (int32_t)cap;
    }
    log3("kv: ", key, " found");
    append(out, key.p, key.len);
    append_str(out, " = ");
    append(out, value, (uint32_t)n);
    append_str(out, "\n");
    if (value != small)
        free(value);
}

/* utf8_len is the length of the UTF-8 sequence that starts with byte b (1
 * for a byte that cannot start one, so bad input is reversed bytewise). */
static uint32_t utf8_len(unsigned char b)
{
    if (b >= 0xf0 && b <= 0xf4)
        return 4;
    if (b >= 0xe0)
        return b <= 0xef ? 3 : 1;
    if (b >= 0xc2)
        return 2;
    return 1;
}

/* POST /reverse: the body with its characters (UTF-8) in reverse order. */
static void reverse(buffer *out, str body)
{
    char digits[11];
    log3("reverse: ", format_u32(digits, body.len), " bytes");
    uint32_t end = body.len;
    char *rev = malloc(end + 1);
    if (!rev)
        __builtin_trap();
    for (uint32_t i = 0; i < end;) {
        uint32_t n = utf8_len((unsigned char)body.p[i]);
        if (n > end - i)
            n = 1;
        memcpy(rev + end - i - n, body.p + i, n);
        i += n;
    }
    rev[end] = '\n';
    append(out, rev, end + 1);
    free(rev);
}

EXPORT("handle")
uint64_t handle(const char *req, uint32_t req_len, const char *body, uint32_t body_len)
{
    str r = {req, req_len};
    buffer out = {0};

    /* Split "METHOD /path?query" into its parts. */
    str query = {"", 0};
    for (uint32_t i = 0; i < r.len; i++) {
        if (r.p[i] == '?') {
            query = drop(r, i + 1);
            r.len = i;
            break;
        }
    }

    if (equals(r, "GET /hello")) {
        hello(&out, query);
    } else if (has_prefix(r, "GET /kv/")) {
        kv(&out, drop(r, strlen("GET /kv/")));
    } else if (equals(r, "POST /reverse")) {
        reverse(&out, (str){body, body_len});
    } else if (equals(r, "GET /crash")) {
        /* A wild pointer: in a native plugin this write could corrupt the
         * server; here it is outside the plugin's memory and traps. */
        log1("crash: writing through a wild pointer");
        *(volatile char *)(uintptr_t)0xfffffff0u = 1;
    } else if (equals(r, "GET /spin")) {
        log1("spin: looping forever");
        for (volatile int spin = 1; spin;)
            ;
    } else {
        log3("no route for ", r, "");
        respond(&out, 404, "not found\n");
    }
    return (uint64_t)(uintptr_t)out.p << 32 | out.len;
}
