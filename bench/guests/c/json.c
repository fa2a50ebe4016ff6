/* json — string processing: a JSON tokenizer and recursive-descent parser
 * (strings with escapes, numbers, nesting) run over a generated document
 * of records, several passes. The parser decodes every string and number
 * and folds them into the checksum, so no work can be skipped. */
#include "bench.h"

#define JSON_RECORDS 6000
#define JSON_PASSES 30
#define JSON_BUF_SIZE (2u << 20)
#define JSON_MAX_DEPTH 64

static char doc[JSON_BUF_SIZE];
static uint32_t doc_len;

/* ---- generator ---- */

static void put(const char *s)
{
    while (*s)
        doc[doc_len++] = *s++;
}

static void put_uint(uint32_t v)
{
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        doc[doc_len++] = tmp[--n];
}

static void put_word(uint32_t *seed)
{
    static const char *const parts[] = {"al", "be", "cor", "do", "eth", "fu", "gri", "ho",
                                        "\\n", "\\\"", "\\u00e9", "\\\\", "ix", "ka", "lum"};
    doc[doc_len++] = '"';
    uint32_t n = 1 + bench_rand(seed) % 5;
    for (uint32_t i = 0; i < n; i++)
        put(parts[bench_rand(seed) % (sizeof parts / sizeof parts[0])]);
    doc[doc_len++] = '"';
}

static void generate(void)
{
    uint32_t seed = 0xc0ffee11u;
    doc_len = 0;
    put("{\"version\": 3, \"records\": [\n");
    for (uint32_t i = 0; i < JSON_RECORDS; i++) {
        put(i ? ",\n  {" : "  {");
        put("\"id\": "); put_uint(i * 7919u % 100000u);
        put(", \"name\": "); put_word(&seed);
        put(", \"score\": ");
        if (bench_rand(&seed) & 1)
            put("-");
        put_uint(bench_rand(&seed) % 1000); put("."); put_uint(100 + bench_rand(&seed) % 900);
        put(", \"active\": "); put(bench_rand(&seed) & 1 ? "true" : "false");
        put(", \"parent\": null, \"tags\": [");
        uint32_t ntags = bench_rand(&seed) % 6;
        for (uint32_t t = 0; t < ntags; t++) {
            if (t)
                put(", ");
            put_word(&seed);
        }
        put("], \"pos\": {\"x\": "); put_uint(bench_rand(&seed) % 4096);
        put(", \"y\": "); put_uint(bench_rand(&seed) % 4096);
        put(", \"path\": [[1, 2], [3, [4, 5e2]], {}]}}");
    }
    put("\n]}\n");
}

/* ---- parser ---- */

typedef struct {
    const char *p, *end;
    uint32_t hash;    /* of every decoded string and number */
    uint32_t values;  /* count of values parsed */
    int depth;
    int error;
} parser;

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r'))
        ps->p++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void parse_string(parser *ps)
{
    ps->p++; /* opening quote */
    uint32_t h = BENCH_FNV_SEED;
    while (ps->p < ps->end && *ps->p != '"') {
        uint32_t c = (uint8_t)*ps->p++;
        if (c == '\\') {
            char e = *ps->p++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case '"': case '\\': case '/': c = (uint8_t)e; break;
            case 'u': {
                c = 0;
                for (int i = 0; i < 4; i++) {
                    int v = hexval(*ps->p++);
                    if (v < 0) { ps->error = 1; return; }
                    c = c << 4 | (uint32_t)v;
                }
                break;
            }
            default: ps->error = 1; return;
            }
        }
        h = bench_mix(h, c);
    }
    if (ps->p >= ps->end) { ps->error = 1; return; }
    ps->p++; /* closing quote */
    ps->hash = bench_mix(ps->hash, h);
}

/* Numbers are decoded exactly, as integer mantissa and decimal exponent,
 * so the checksum does not depend on a libc's strtod. */
static void parse_number(parser *ps)
{
    int neg = 0, exp = 0;
    uint32_t mant = 0;
    if (*ps->p == '-') { neg = 1; ps->p++; }
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
        mant = mant * 10 + (uint32_t)(*ps->p++ - '0');
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
            mant = mant * 10 + (uint32_t)(*ps->p++ - '0');
            exp--;
        }
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        int eneg = 0, e = 0;
        if (*ps->p == '+' || *ps->p == '-') eneg = *ps->p++ == '-';
        while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
            e = e * 10 + (*ps->p++ - '0');
        exp += eneg ? -e : e;
    }
    ps->hash = bench_mix(bench_mix(ps->hash, neg ? ~mant : mant), (uint32_t)exp);
}

static int literal(parser *ps, const char *word)
{
    const char *q = ps->p;
    while (*word) {
        if (q >= ps->end || *q != *word)
            return 0;
        q++;
        word++;
    }
    ps->p = q;
    return 1;
}

static void parse_value(parser *ps);

static void parse_container(parser *ps, char close, int is_object)
{
    if (++ps->depth > JSON_MAX_DEPTH) { ps->error = 1; return; }
    ps->p++;
    skip_ws(ps);
    uint32_t count = 0;
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
    } else {
        for (;;) {
            skip_ws(ps);
            if (is_object) {
                if (ps->p >= ps->end || *ps->p != '"') { ps->error = 1; return; }
                parse_string(ps);
                skip_ws(ps);
                if (ps->p >= ps->end || *ps->p++ != ':') { ps->error = 1; return; }
            }
            parse_value(ps);
            if (ps->error) return;
            count++;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') { ps->p++; continue; }
            if (ps->p < ps->end && *ps->p == close) { ps->p++; break; }
            ps->error = 1;
            return;
        }
    }
    ps->depth--;
    ps->hash = bench_mix(ps->hash, count << 1 | (uint32_t)is_object);
}

static void parse_value(parser *ps)
{
    skip_ws(ps);
    if (ps->p >= ps->end) { ps->error = 1; return; }
    ps->values++;
    switch (*ps->p) {
    case '{': parse_container(ps, '}', 1); break;
    case '[': parse_container(ps, ']', 0); break;
    case '"': parse_string(ps); break;
    case 't': if (!literal(ps, "true")) ps->error = 1; else ps->hash = bench_mix(ps->hash, 1); break;
    case 'f': if (!literal(ps, "false")) ps->error = 1; else ps->hash = bench_mix(ps->hash, 0); break;
    case 'n': if (!literal(ps, "null")) ps->error = 1; else ps->hash = bench_mix(ps->hash, 2); break;
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
            parse_number(ps);
        else
            ps->error = 1;
    }
}

static uint32_t bench(void)
{
    generate();
    uint32_t h = BENCH_FNV_SEED;
    for (int pass = 0; pass < JSON_PASSES; pass++) {
        parser ps = {doc, doc + doc_len, BENCH_FNV_SEED, 0, 0, 0};
        parse_value(&ps);
        skip_ws(&ps);
        if (ps.error || ps.p != ps.end)
            return 0;
        h = bench_mix(bench_mix(h, ps.hash), ps.values);
    }
    return bench_mix(h, doc_len);
}

BENCH_ENTRY(bench)
