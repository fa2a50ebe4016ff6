/* ops.c — per-op metadata generated from the list in ops.h: instruction
 * length in words, operand shape and name (for the disassembler). */
#include <stdint.h>

#include "ops.h"

enum {
#define SHAPE_N(name, n) SHAPE_WORDS_##name = (n),
    SHAPES(SHAPE_N)
#undef SHAPE_N
};

/* compile_emit.c zeroes MAX_OPERAND_WORDS words after every handler. */
#define SHAPE_FITS(name, n) _Static_assert((n) <= MAX_OPERAND_WORDS, "MAX_OPERAND_WORDS");
SHAPES(SHAPE_FITS)
#undef SHAPE_FITS

const uint8_t op_words[OP_COUNT] = {
#define OP_W(name, shape) HANDLER_WORDS + SHAPE_WORDS_##shape,
    OPS(OP_W)
#undef OP_W
};

const uint8_t op_shape[OP_COUNT] = {
#define OP_S(name, shape) SH_##shape,
    OPS(OP_S)
#undef OP_S
};

const char *const op_names[OP_COUNT] = {
#define OP_N(name, shape) #name,
    OPS(OP_N)
#undef OP_N
};
