/* describe.h — printing types, names and errors for the CLI. */
#ifndef WEFT_CLI_DESCRIBE_H
#define WEFT_CLI_DESCRIBE_H

#include <stddef.h>
#include <stdio.h>

#include "weft.h"

/* "i32", "funcref", ...; "?" for an unknown kind. */
const char *describe_valkind(weft_valkind k);
/* "func", "table", "memory", "global". */
const char *describe_externkind(weft_externkind k);
/* A function type as "(i32, i64) -> (f64)". */
void describe_functype(FILE *out, const weft_functype *t);
/* A name that may hold NUL or control bytes, those shown as \xx. */
void describe_name(FILE *out, const char *s, size_t len);
/* "weft: FILE: WHAT: MESSAGE (at offset 0x1a)" on stderr. */
void describe_error(const char *path, const char *what, const weft_error *e);
/* "weft: trap: MESSAGE" and one "  at func[INDEX] NAME" per frame, on stderr. */
void describe_trap(const weft_trap *t);

#endif /* WEFT_CLI_DESCRIBE_H */
