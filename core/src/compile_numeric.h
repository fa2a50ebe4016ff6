/* compile_numeric.h — table-driven selection for numeric instructions. */
#ifndef WEFT_COMPILE_NUMERIC_H
#define WEFT_COMPILE_NUMERIC_H

#include "compile.h"

/* One numeric Wasm instruction: pops `arity` values of type `in`, pushes one
 * of type `out`. `op` is the slot form, `op_imm` the form taking its second
 * operand as an immediate (-1: none). */
typedef struct numop {
    uint8_t arity;  /* 0: not a numeric instruction */
    valtype in, out;
    int16_t op, op_imm;
    uint8_t flags;  /* NF_* */
    int8_t cmp;     /* comparison kind for branch fusion, or -1 */
} numop;

enum {
    NF_COMMUTATIVE = 1, /* a constant first operand may be swapped */
    NF_SUB = 2,         /* x - c uses add_imm(-c); c - x uses sub_imm_rev */
    NF_RETYPE = 4,      /* no code: only the static type changes */
    NF_SHIFT = 8,       /* immediate is a shift count: mask it */
    NF_ADDK = 16        /* i32.add, i32.sub: may make a lazy K_ADDR */
};

#define NUMERIC_FIRST 0x45
#define NUMERIC_LAST 0xC4

extern const numop numeric_ops[NUMERIC_LAST - NUMERIC_FIRST + 1];
extern const numop *const numeric_fc[8]; /* 0xFC 0..7: saturating truncation */

void compile_numeric(compiler *c, const numop *n);

#endif
