/* ops.c — per-op metadata generated from the list in ops.h: instruction
 * length in words, operand shape and name (for the disassembler). */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

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

static bool long_ops[OP_COUNT];
static pthread_once_t long_ops_once = PTHREAD_ONCE_INIT;

static void find_long_ops(void)
{
    for (int o = 0; o < OP_COUNT; o++) {
        size_t n = strlen(op_names[o]);
        long_ops[o] = shape_is_call(op_shape[o]) ||
                      (n > 3 && strcmp(op_names[o] + n - 3, "_bk") == 0);
    }
    const op bulk[] = {OP_memory_grow, OP_memory_fill, OP_memory_copy, OP_memory_init,
                       OP_table_grow,  OP_table_fill,  OP_table_copy,  OP_table_init};
    for (size_t i = 0; i < sizeof bulk / sizeof bulk[0]; i++)
        long_ops[bulk[i]] = true;
}

const bool *op_long_table(void)
{
    pthread_once(&long_ops_once, find_long_ops);
    return long_ops;
}
