/* values.h — turning command-line words into Wasm values and results back
 * into text. */
#ifndef WEFT_CLI_VALUES_H
#define WEFT_CLI_VALUES_H

#include <stddef.h>
#include <stdio.h>

#include "weft.h"

/* Parses `text` as a value of `kind`: integers in decimal or 0x hex (with an
 * optional sign; i32 takes -2^31 .. 2^32-1, i64 likewise), floats as C's
 * strtod does (so "nan", "inf" and hex floats work), references only as
 * "null". Returns 0 with a message in err on failure. */
int cli_parse_value(const char *text, weft_valkind kind, weft_val *out, char *err,
                    size_t errsize);
/* Prints a result: integers as signed decimal, f32 with %.9g and f64 with
 * %.17g (enough digits to read back the same bits), v128 as 0x + 32 hex
 * digits, references as "null" or "ref". */
void cli_print_value(FILE *out, const weft_val *v);

#endif /* WEFT_CLI_VALUES_H */
