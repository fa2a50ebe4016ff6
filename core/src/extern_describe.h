/* extern_describe.h — extern types as text, for link errors that say what
 * was expected and what was offered ("func [i32] -> []", "memory {min 1}"). */
#ifndef WEFT_EXTERN_DESCRIBE_H
#define WEFT_EXTERN_DESCRIBE_H

#include <stddef.h>

#include "module.h"
#include "runtime.h"

/* "i32", "funcref", ... ("?" for an unknown byte). Static storage. */
const char *valtype_name(valtype t);
/* Writes the type the module's import declares into buf (always terminated). */
void describe_import_type(char *buf, size_t n, const wmodule *m, const import *im);
/* Writes the type of the extern object `obj` of kind `kind` into buf. */
void describe_extern_type(char *buf, size_t n, uint8_t kind, const void *obj);

#endif
