/* utf8.h — UTF-8 well-formedness, as WebAssembly requires of every name. */
#ifndef WEFT_UTF8_H
#define WEFT_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True iff s[0..n) is well-formed UTF-8 (Unicode 15, table 3-7): no overlong
 * forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
 * sequence. NUL bytes are allowed: Wasm names may contain U+0000. */
bool utf8_valid(const uint8_t *s, size_t n);

#endif
