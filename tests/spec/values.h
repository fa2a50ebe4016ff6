/* values.h — spec-test values: reading wast2json arguments and expected
 * results into weft_val, comparing results, and printing both.
 *
 * In wast2json output, integers and floats are decimal strings of their
 * unsigned bit pattern; expected floats may also be "nan:canonical" or
 * "nan:arithmetic"; v128 values list their lanes; references are "null" or,
 * for externref, a number standing for a host pointer. */
#ifndef SPEC_VALUES_H
#define SPEC_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "weft.h"

/* The most lanes a v128 has (i8x16). */
#define SPEC_MAX_LANES 16

/* How one scalar or lane of an expected result is matched. */
typedef enum spec_match {
    MATCH_BITS,           /* exact bit pattern (floats compare by bits) */
    MATCH_NAN_CANONICAL,  /* exponent all ones, mantissa = the quiet bit only */
    MATCH_NAN_ARITHMETIC, /* exponent all ones, quiet bit set, any payload */
    MATCH_NON_NULL        /* references: any non-null reference */
} spec_match;

/* How a v128 is split into lanes ("lane_type" in the JSON). */
typedef enum spec_lane {
    LANE_I8,
    LANE_I16,
    LANE_I32,
    LANE_I64,
    LANE_F32,
    LANE_F64
} spec_lane;

/* An expected result of assert_return. */
typedef struct spec_expected {
    weft_val value;     /* kind + exact value (for MATCH_BITS lanes) */
    uint8_t lane;       /* v128 only: spec_lane of the lanes */
    uint8_t lane_count; /* 1 for scalars */
    uint8_t match[SPEC_MAX_LANES]; /* spec_match per lane */
} spec_expected;

/* Room for any formatted value, v128 lanes included. */
#define SPEC_VALUE_TEXT_SIZE 256

/* Parses an argument value. Returns 1 on success, else 0 with a message in
 * err (SPEC_VALUE_TEXT_SIZE bytes). */
int spec_value_parse(const json_value *v, weft_val *out, char *err);
/* Parses an expected result; NaN patterns and non-null references allowed. */
int spec_expected_parse(const json_value *v, spec_expected *out, char *err);
/* Whether a result matches what was expected. */
int spec_expected_match(const spec_expected *e, const weft_val *got);

/* Formats a value ("i32:42", "f32:1.5 (0x3fc00000)", "v128:i8x16[...]").
 * A v128 is shown split into `lane` lanes. */
void spec_value_format(const weft_val *v, spec_lane lane, char *buf, size_t size);
void spec_expected_format(const spec_expected *e, char *buf, size_t size);
/* Name of a value kind ("i32", "funcref", ...); "?" if unknown. */
const char *spec_kind_name(weft_valkind k);

/* The host pointer standing for externref number n: the same n always gives
 * the same non-NULL pointer, distinct n give distinct pointers. */
void *spec_externref(uint64_t n);
/* The number a pointer from spec_externref stands for; 0 if none. */
int spec_externref_number(const void *p, uint64_t *n);
/* Frees what spec_externref allocated for large numbers (call at exit). */
void spec_externref_cleanup(void);

#endif /* SPEC_VALUES_H */
