/* values.c — parsing and comparing spec-test values (see values.h). */
#include "values.h"

#include <stdio.h>
#include <string.h>

#include "lanes.h"
#include "text.h"

/* ------------------------------------------------------------- numbers */

#define DECIMAL_BASE 10u

/* Parses a decimal integer that must fit in `bits` bits. The suite writes
 * unsigned bit patterns; a leading '-' (two's complement) is accepted too. */
static int parse_bits(const json_string *s, unsigned bits, uint64_t *out)
{
    const char *p = s->chars, *end = s->chars + s->len;
    int negative = p < end && *p == '-';
    p += negative;
    if (p == end)
        return 0;
    uint64_t v = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / DECIMAL_BASE)
            return 0;
        v = v * DECIMAL_BASE + d;
    }
    uint64_t mask = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
    if (negative) {
        /* -v must fit the signed range of the width: v <= 2^(bits-1). */
        if (v > (mask >> 1) + 1)
            return 0;
        v = (0 - v) & mask;
    } else if (v > mask) {
        return 0;
    }
    *out = v;
    return 1;
}

static int fail_msg(char *err, const char *what, const json_string *text)
{
    if (text)
        snprintf(err, SPEC_VALUE_TEXT_SIZE, "%s: \"%.*s\"", what, (int)text->len, text->chars);
    else
        snprintf(err, SPEC_VALUE_TEXT_SIZE, "%s", what);
    return 0;
}

/* A NaN pattern name, or MATCH_BITS if the text is a plain number. */
static spec_match nan_pattern(const json_string *s)
{
    if (json_string_is(s, "nan:canonical"))
        return MATCH_NAN_CANONICAL;
    if (json_string_is(s, "nan:arithmetic"))
        return MATCH_NAN_ARITHMETIC;
    return MATCH_BITS;
}

/* ------------------------------------------------------------ scalars */

static const struct {
    const char *name;
    weft_valkind kind;
} KIND_NAMES[] = {
    {"i32", WEFT_I32},         {"i64", WEFT_I64},
    {"f32", WEFT_F32},         {"f64", WEFT_F64},
    {"v128", WEFT_V128},       {"funcref", WEFT_FUNCREF},
    {"externref", WEFT_EXTERNREF},
};
#define KIND_NAME_COUNT (sizeof KIND_NAMES / sizeof KIND_NAMES[0])

const char *spec_kind_name(weft_valkind k)
{
    for (size_t i = 0; i < KIND_NAME_COUNT; i++)
        if (KIND_NAMES[i].kind == k)
            return KIND_NAMES[i].name;
    return "?";
}

static int kind_by_name(const json_string *s, weft_valkind *out)
{
    for (size_t i = 0; i < KIND_NAME_COUNT; i++) {
        if (json_string_is(s, KIND_NAMES[i].name)) {
            *out = KIND_NAMES[i].kind;
            return 1;
        }
    }
    return 0;
}

/* Stores the bits of an i32/i64/f32/f64 into the value's payload. */
static void set_scalar_bits(weft_val *v, uint64_t bits)
{
    switch (v->kind) {
    case WEFT_I32: v->of.i32 = (int32_t)(uint32_t)bits; break;
    case WEFT_I64: v->of.i64 = (int64_t)bits; break;
    case WEFT_F32: {
        uint32_t b = (uint32_t)bits;
        memcpy(&v->of.f32, &b, sizeof b);
        break;
    }
    case WEFT_F64: memcpy(&v->of.f64, &bits, sizeof bits); break;
    default: break;
    }
}

static unsigned scalar_width(weft_valkind k)
{
    return k == WEFT_I32 || k == WEFT_F32 ? 32 : 64;
}

/* ----------------------------------------------------------- references */

static int parse_ref(const json_value *value, weft_val *out, uint8_t *match, int expected,
                     char *err)
{
    if (!value) {
        /* No value: "(ref.func)" / "(ref.extern)" in an expected result. */
        if (!expected)
            return fail_msg(err, "reference argument without a value", NULL);
        *match = MATCH_NON_NULL;
        return 1;
    }
    if (value->type != JSON_STRING)
        return fail_msg(err, "reference value is not a string", NULL);
    const json_string *s = &value->u.string;
    if (json_string_is(s, "null"))
        return 1; /* payload already NULL */
    if (out->kind == WEFT_FUNCREF) {
        /* A function cannot be named in JSON: only "any non-null" is
         * expressible, and only as an expected result. */
        if (!expected)
            return fail_msg(err, "non-null funcref argument", s);
        *match = MATCH_NON_NULL;
        return 1;
    }
    uint64_t n;
    if (!parse_bits(s, 64, &n))
        return fail_msg(err, "bad externref number", s);
    out->of.externref = spec_externref(n);
    return 1;
}

/* ----------------------------------------------------------------- v128 */

static int parse_v128(const json_value *obj, const json_value *value, spec_expected *out,
                      int expected, char *err)
{
    const json_string *lane_name = json_get_string(obj, "lane_type");
    if (!lane_name || !spec_lane_by_name(lane_name, &out->lane))
        return fail_msg(err, "missing or unknown lane_type", lane_name);
    unsigned count = spec_lane_count(out->lane);
    if (!value || value->type != JSON_ARRAY || value->u.array.count != count)
        return fail_msg(err, "v128 value needs one string per lane", lane_name);
    out->lane_count = (uint8_t)count;
    for (unsigned i = 0; i < count; i++) {
        const json_value *lane = &value->u.array.items[i];
        if (lane->type != JSON_STRING)
            return fail_msg(err, "v128 lane is not a string", NULL);
        spec_match m = spec_lane_is_float(out->lane) ? nan_pattern(&lane->u.string) : MATCH_BITS;
        if (m != MATCH_BITS && !expected)
            return fail_msg(err, "NaN pattern in an argument", &lane->u.string);
        uint64_t bits = 0;
        if (m == MATCH_BITS && !parse_bits(&lane->u.string, spec_lane_bits(out->lane), &bits))
            return fail_msg(err, "bad v128 lane", &lane->u.string);
        out->match[i] = (uint8_t)m;
        spec_lane_set(out->value.of.v128, out->lane, i, bits);
    }
    return 1;
}

/* ---------------------------------------------------------------- parse */

static int parse_any(const json_value *v, spec_expected *out, int expected, char *err)
{
    memset(out, 0, sizeof *out);
    out->lane_count = 1;
    const json_string *type = json_get_string(v, "type");
    if (!type || !kind_by_name(type, &out->value.kind))
        return fail_msg(err, "missing or unknown value type", type);
    const json_value *value = json_get(v, "value");
    switch (out->value.kind) {
    case WEFT_FUNCREF:
    case WEFT_EXTERNREF: return parse_ref(value, &out->value, &out->match[0], expected, err);
    case WEFT_V128: return parse_v128(v, value, out, expected, err);
    default: break;
    }
    if (!value || value->type != JSON_STRING)
        return fail_msg(err, "missing value", type);
    const json_string *s = &value->u.string;
    int is_float = out->value.kind == WEFT_F32 || out->value.kind == WEFT_F64;
    spec_match m = is_float ? nan_pattern(s) : MATCH_BITS;
    if (m != MATCH_BITS) {
        if (!expected)
            return fail_msg(err, "NaN pattern in an argument", s);
        out->match[0] = (uint8_t)m;
        return 1;
    }
    uint64_t bits;
    if (!parse_bits(s, scalar_width(out->value.kind), &bits))
        return fail_msg(err, "bad number", s);
    set_scalar_bits(&out->value, bits);
    return 1;
}

int spec_value_parse(const json_value *v, weft_val *out, char *err)
{
    spec_expected e;
    if (!parse_any(v, &e, 0, err))
        return 0;
    *out = e.value;
    return 1;
}

int spec_expected_parse(const json_value *v, spec_expected *out, char *err)
{
    return parse_any(v, out, 1, err);
}

/* ---------------------------------------------------------------- match */

static uint64_t scalar_bits(const weft_val *v)
{
    switch (v->kind) {
    case WEFT_I32: return (uint32_t)v->of.i32;
    case WEFT_I64: return (uint64_t)v->of.i64;
    case WEFT_F32: {
        uint32_t b;
        memcpy(&b, &v->of.f32, sizeof b);
        return b;
    }
    case WEFT_F64: {
        uint64_t b;
        memcpy(&b, &v->of.f64, sizeof b);
        return b;
    }
    default: return 0;
    }
}

/* Float bit layout: sign, exponent, mantissa; the quiet bit is the
 * mantissa's top bit. */
#define F32_EXP_AND_QUIET UINT64_C(0x7fc00000)
#define F32_ABS_MASK UINT64_C(0x7fffffff)
#define F64_EXP_AND_QUIET UINT64_C(0x7ff8000000000000)
#define F64_ABS_MASK UINT64_C(0x7fffffffffffffff)

/* Canonical NaN: exponent all ones and a mantissa of exactly the quiet bit,
 * either sign. Arithmetic NaN: exponent all ones and the quiet bit set. */
static int nan_matches(int canonical, uint64_t bits, unsigned width)
{
    uint64_t pattern = width == 32 ? F32_EXP_AND_QUIET : F64_EXP_AND_QUIET;
    uint64_t abs_mask = width == 32 ? F32_ABS_MASK : F64_ABS_MASK;
    if (canonical)
        return (bits & abs_mask) == pattern;
    return (bits & pattern) == pattern;
}

static int match_float_bits(spec_match m, uint64_t want, uint64_t got, unsigned width)
{
    if (m == MATCH_BITS)
        return want == got;
    return nan_matches(m == MATCH_NAN_CANONICAL, got, width);
}

static int match_v128(const spec_expected *e, const weft_val *got)
{
    unsigned width = spec_lane_bits(e->lane);
    for (unsigned i = 0; i < e->lane_count; i++) {
        uint64_t want = spec_lane_get(e->value.of.v128, e->lane, i);
        uint64_t have = spec_lane_get(got->of.v128, e->lane, i);
        if (!match_float_bits((spec_match)e->match[i], want, have, width))
            return 0;
    }
    return 1;
}

int spec_expected_match(const spec_expected *e, const weft_val *got)
{
    if (got->kind != e->value.kind)
        return 0;
    switch (e->value.kind) {
    case WEFT_FUNCREF:
        if (e->match[0] == MATCH_NON_NULL)
            return got->of.funcref != NULL;
        return got->of.funcref == e->value.of.funcref;
    case WEFT_EXTERNREF:
        if (e->match[0] == MATCH_NON_NULL)
            return got->of.externref != NULL;
        return got->of.externref == e->value.of.externref;
    case WEFT_V128: return match_v128(e, got);
    default:
        return match_float_bits((spec_match)e->match[0], scalar_bits(&e->value), scalar_bits(got),
                                scalar_width(e->value.kind));
    }
}

/* --------------------------------------------------------------- format */

static void put_float(text *t, spec_match m, uint64_t bits, unsigned width)
{
    if (m == MATCH_NAN_CANONICAL) {
        text_put(t, "nan:canonical");
    } else if (m == MATCH_NAN_ARITHMETIC) {
        text_put(t, "nan:arithmetic");
    } else if (width == 32) {
        uint32_t b = (uint32_t)bits;
        float f;
        memcpy(&f, &b, sizeof f);
        text_put(t, "%.9g (0x%08x)", (double)f, (unsigned)b);
    } else {
        double d;
        memcpy(&d, &bits, sizeof d);
        text_put(t, "%.17g (0x%016llx)", d, (unsigned long long)bits);
    }
}

static void put_ref(text *t, weft_valkind kind, const void *p, spec_match m)
{
    uint64_t n;
    if (m == MATCH_NON_NULL)
        text_put(t, "%s:non-null", spec_kind_name(kind));
    else if (!p)
        text_put(t, "%s:null", spec_kind_name(kind));
    else if (kind == WEFT_EXTERNREF && spec_externref_number(p, &n))
        text_put(t, "externref:%llu", (unsigned long long)n);
    else
        text_put(t, "%s:%p", spec_kind_name(kind), p);
}

static void put_v128(text *t, const uint8_t bytes[16], spec_lane lane, const uint8_t *match)
{
    unsigned count = spec_lane_count(lane), width = spec_lane_bits(lane);
    text_put(t, "v128:%sx%u[", spec_lane_name(lane), count);
    for (unsigned i = 0; i < count; i++) {
        uint64_t bits = spec_lane_get(bytes, lane, i);
        if (i)
            text_put(t, " ");
        if (spec_lane_is_float(lane))
            put_float(t, match ? (spec_match)match[i] : MATCH_BITS, bits, width);
        else
            text_put(t, "%llu", (unsigned long long)bits);
    }
    text_put(t, "]");
}

static void format_with(const weft_val *v, spec_lane lane, const uint8_t *match, char *buf,
                        size_t size)
{
    text t = text_start(buf, size);
    spec_match m0 = match ? (spec_match)match[0] : MATCH_BITS;
    switch (v->kind) {
    case WEFT_I32: text_put(&t, "i32:%u", (unsigned)(uint32_t)v->of.i32); break;
    case WEFT_I64: text_put(&t, "i64:%llu", (unsigned long long)(uint64_t)v->of.i64); break;
    case WEFT_F32:
    case WEFT_F64:
        text_put(&t, "%s:", spec_kind_name(v->kind));
        put_float(&t, m0, scalar_bits(v), scalar_width(v->kind));
        break;
    case WEFT_V128: put_v128(&t, v->of.v128, lane, match); break;
    case WEFT_FUNCREF: put_ref(&t, v->kind, (const void *)v->of.funcref, m0); break;
    case WEFT_EXTERNREF: put_ref(&t, v->kind, v->of.externref, m0); break;
    default: text_put(&t, "<value of kind 0x%02x>", (unsigned)v->kind); break;
    }
}

void spec_value_format(const weft_val *v, spec_lane lane, char *buf, size_t size)
{
    format_with(v, lane, NULL, buf, size);
}

void spec_expected_format(const spec_expected *e, char *buf, size_t size)
{
    format_with(&e->value, (spec_lane)e->lane, e->match, buf, size);
}
