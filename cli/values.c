/* values.c — command-line values (see values.h). */
#include "values.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"

#define HEX_BASE 16
#define DECIMAL_BASE 10
#define V128_BYTES 16

/* Parses an integer that must fit `bits` bits, either as a signed or as an
 * unsigned number: "-1" and "4294967295" are both the i32 with all bits
 * set. */
static int parse_int(const char *text, unsigned bits, uint64_t *out)
{
    const char *p = text;
    int negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    int base = DECIMAL_BASE;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = HEX_BASE;
        p += 2;
    }
    /* strtoull would accept its own sign and spaces: insist on a digit. */
    unsigned char first = (unsigned char)*p;
    if (!(base == HEX_BASE ? isxdigit(first) : isdigit(first)))
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, base);
    if (errno == ERANGE || *end != '\0')
        return 0;
    uint64_t mask = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    if (negative) {
        if (v > (mask >> 1) + 1) /* below the signed minimum */
            return 0;
        v = (0 - v) & mask;
    } else if (v > mask) {
        return 0;
    }
    *out = v;
    return 1;
}

static int parse_float(const char *text, weft_valkind kind, weft_val *out)
{
    char *end;
    if (*text == '\0')
        return 0;
    if (kind == WEFT_F32)
        out->of.f32 = strtof(text, &end);
    else
        out->of.f64 = strtod(text, &end);
    return *end == '\0';
}

int cli_parse_value(const char *text, weft_valkind kind, weft_val *out, char *err,
                    size_t errsize)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    uint64_t bits;
    int ok = 0;
    switch (kind) {
    case WEFT_I32:
        ok = parse_int(text, 32, &bits);
        out->of.i32 = (int32_t)(uint32_t)bits;
        break;
    case WEFT_I64:
        ok = parse_int(text, 64, &bits);
        out->of.i64 = (int64_t)bits;
        break;
    case WEFT_F32:
    case WEFT_F64: ok = parse_float(text, kind, out); break;
    case WEFT_FUNCREF:
    case WEFT_EXTERNREF: ok = strcmp(text, "null") == 0; break;
    default:
        snprintf(err, errsize, "parameters of type %s are not supported", describe_valkind(kind));
        return 0;
    }
    if (!ok)
        snprintf(err, errsize, "\"%s\" is not a valid %s", text, describe_valkind(kind));
    return ok;
}

void cli_print_value(FILE *out, const weft_val *v)
{
    switch (v->kind) {
    case WEFT_I32: fprintf(out, "%" PRId32 "\n", v->of.i32); break;
    case WEFT_I64: fprintf(out, "%" PRId64 "\n", v->of.i64); break;
    case WEFT_F32: fprintf(out, "%.9g\n", (double)v->of.f32); break;
    case WEFT_F64: fprintf(out, "%.17g\n", v->of.f64); break;
    case WEFT_V128:
        /* Lanes are little-endian: print the most significant byte first. */
        fputs("0x", out);
        for (int i = V128_BYTES - 1; i >= 0; i--)
            fprintf(out, "%02x", v->of.v128[i]);
        fputc('\n', out);
        break;
    case WEFT_FUNCREF: fputs(v->of.funcref ? "ref.func\n" : "null\n", out); break;
    case WEFT_EXTERNREF: fputs(v->of.externref ? "ref.extern\n" : "null\n", out); break;
    default: fprintf(out, "<value of kind 0x%02x>\n", (unsigned)v->kind); break;
    }
}
