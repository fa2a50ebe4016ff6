/* ops.h — the interpreter's internal instruction set, listed once.
 *
 * Threaded code is an array of 32-bit words. Each instruction starts with the
 * 64-bit address of its handler (two words), followed by its operands. Slot
 * operands (s*) index 8-byte frame slots relative to fp; "off" operands are
 * branch offsets in words relative to the word that holds them.
 *
 * Each line: OP(name, shape) and the semantics. The shape fixes the length
 * and how `weft inspect --code` prints the operands. This list generates the
 * handler table (interp.c), the op enum (used by compile.c) and the
 * disassembler (ops_disasm.c); nothing about an op lives in a hand-kept list
 * elsewhere. */
#ifndef WEFT_OPS_H
#define WEFT_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "ops_simd.h"

/* Operand layouts after the two handler words. d/a/b/c are slots; i32/i64
 * immediates; off a branch offset; x an index (function, table, segment...). */
#define SHAPES(S)                          \
    S(NONE, 0)   /* -                    */ \
    S(D, 1)      /* d                    */ \
    S(DA, 2)     /* d a                  */ \
    S(DAB, 3)    /* d a b                */ \
    S(DABC, 4)   /* d a b c              */ \
    S(DI32, 2)   /* d i32                */ \
    S(DI64, 3)   /* d i64                */ \
    S(DAI32, 3)  /* d a i32              */ \
    S(DAI32D, 4) /* d a i32 d2           */ \
    S(DAI32X, 4) /* d a i32 x            */ \
    S(DAI64, 4)  /* d a i64              */ \
    S(DAI32I64, 5) /* d a i32 i64        */ \
    S(DV128, 5)  /* d v128               */ \
    S(MEM, 3)    /* d/v a(addr) offset   */ \
    S(MEMK, 4)   /* d/v a(addr) k offset */ \
    S(MEMS, 5)   /* d/v b sh k offset    */ \
    S(MEMX, 6)   /* d/v a b sh k offset  */ \
    S(MEMLANE, 5) /* d/v a offset b lane  */ \
    S(X, 1)      /* x                    */ \
    S(DX, 2)     /* d x                  */ \
    S(DAX, 3)    /* d a x                */ \
    S(DABX, 4)   /* d a b x              */ \
    S(DABXY, 5)  /* d a b x y            */ \
    S(DABXC, 5)  /* d a b x c            */ \
    S(DABXYC, 6) /* d a b x y c          */ \
    S(ADD2, 6)   /* d a k d2 a2 k2       */ \
    S(ADD2S, 6)  /* d a b d2 a2 b2       */ \
    S(MOVE, 6)   /* to: a k offset, from: a k offset */ \
    S(DABV128, 7) /* d a b v128           */ \
    S(BR, 1)     /* off                  */ \
    S(BRA, 2)    /* a off                */ \
    S(BRAB, 3)   /* a b off              */ \
    S(BRAI32, 3) /* a i32 off            */ \
    S(BRAI64, 4) /* a i64 off            */ \
    S(BRINC, 4)  /* d a k off            */ \
    S(BRINCB, 5) /* d a k b off          */ \
    S(BRINCI32, 5) /* d a k i32 off      */ \
    S(BRADDI32, 5) /* d a b i32 off      */ \
    S(ENTER, 4)  /* zero_from zero_count frame_slots pool_off */ \
    S(POOL, 2)   /* base n, then n i64   */ \
    S(CALL, 3)   /* args cfunc*          */ \
    S(CALLX, 2)  /* args funcidx         */ \
    S(CALLI, 7)  /* args idx table key(i64) functype*(i64) */ \
    S(BRTABLE, 2) /* a n, then n+1 offs  */

/* Comparisons that fuse with br_if/if: name, C operator, operand type. */
#define CMP_I32(X)                     \
    X(eq, ==, uint32_t)                \
    X(ne, !=, uint32_t)                \
    X(lt_s, <, int32_t)                \
    X(lt_u, <, uint32_t)               \
    X(gt_s, >, int32_t)                \
    X(gt_u, >, uint32_t)               \
    X(le_s, <=, int32_t)               \
    X(le_u, <=, uint32_t)              \
    X(ge_s, >=, int32_t)               \
    X(ge_u, >=, uint32_t)
#define CMP_I64(X)                     \
    X(eq, ==, uint64_t)                \
    X(ne, !=, uint64_t)                \
    X(lt_s, <, int64_t)                \
    X(lt_u, <, uint64_t)               \
    X(gt_s, >, int64_t)                \
    X(gt_u, >, uint64_t)               \
    X(le_s, <=, int64_t)               \
    X(le_u, <=, uint64_t)              \
    X(ge_s, >=, int64_t)               \
    X(ge_u, >=, uint64_t)

/* The fused compare-and-branch family of one comparison (4 forms x 2
 * directions; _bk = back-edge, which also polls for interruption). */
#define BRCMP_OPS(OP, name)                                                           \
    OP(br_i32_##name, BRAB)      /* if (i32)s[a] OP (i32)s[b]: pc += off */           \
    OP(br_i32_##name##_imm, BRAI32) /* if (i32)s[a] OP i32: pc += off */              \
    OP(br_i64_##name, BRAB)      /* if (i64)s[a] OP (i64)s[b]: pc += off */           \
    OP(br_i64_##name##_imm, BRAI64) /* if (i64)s[a] OP i64: pc += off */              \
    OP(br_i32_##name##_bk, BRAB)                                                      \
    OP(br_i32_##name##_imm_bk, BRAI32)                                                \
    OP(br_i64_##name##_bk, BRAB)                                                      \
    OP(br_i64_##name##_imm_bk, BRAI64)

#define BRCMP_ALL(OP)      \
    BRCMP_OPS(OP, eq)      \
    BRCMP_OPS(OP, ne)      \
    BRCMP_OPS(OP, lt_s)    \
    BRCMP_OPS(OP, lt_u)    \
    BRCMP_OPS(OP, gt_s)    \
    BRCMP_OPS(OP, gt_u)    \
    BRCMP_OPS(OP, le_s)    \
    BRCMP_OPS(OP, le_u)    \
    BRCMP_OPS(OP, ge_s)    \
    BRCMP_OPS(OP, ge_u)

/* A loop's counter step fused with its back-edge: s[d] = (u32)(s[a] + k),
 * then the i32 comparison of s[d] with s[b] / i32, and if true poll and
 * pc += off. Ordered as CMP_I32, slot form then immediate form. */
#define BRINC_OPS(OP, name)                                                           \
    OP(br_inc_##name##_bk, BRINCB)                                                    \
    OP(br_inc_##name##_imm_bk, BRINCI32)

#define BRINC_ALL(OP)      \
    BRINC_OPS(OP, eq)      \
    BRINC_OPS(OP, ne)      \
    BRINC_OPS(OP, lt_s)    \
    BRINC_OPS(OP, lt_u)    \
    BRINC_OPS(OP, gt_s)    \
    BRINC_OPS(OP, gt_u)    \
    BRINC_OPS(OP, le_s)    \
    BRINC_OPS(OP, le_u)    \
    BRINC_OPS(OP, ge_s)    \
    BRINC_OPS(OP, ge_u)

/* The same with a step in a slot: s[d] = (u32)(s[a] + s[b]), then the i32
 * comparison of s[d] with i32; if true poll and pc += off. CMP_I32 order. */
#define BRADD_ALL(OP)                  \
    OP(br_add_eq_imm_bk, BRADDI32)     \
    OP(br_add_ne_imm_bk, BRADDI32)     \
    OP(br_add_lt_s_imm_bk, BRADDI32)   \
    OP(br_add_lt_u_imm_bk, BRADDI32)   \
    OP(br_add_gt_s_imm_bk, BRADDI32)   \
    OP(br_add_gt_u_imm_bk, BRADDI32)   \
    OP(br_add_le_s_imm_bk, BRADDI32)   \
    OP(br_add_le_u_imm_bk, BRADDI32)   \
    OP(br_add_ge_s_imm_bk, BRADDI32)   \
    OP(br_add_ge_u_imm_bk, BRADDI32)

/* Loads and stores, one family per addressing mode: `m` is the suffix of
 * the op names, SH their shape (the effective address ea is computed as the
 * OPS list says for each family). Every family lists the ops in this order. */
#define MEMORY_OPS(OP, m, SH)                                                         \
    OP(load32##m, SH)         /* s[d] = zext(mem32[ea]) (i32, f32, i64.load32_u) */   \
    OP(load64##m, SH)         /* s[d] = mem64[ea] */                                  \
    OP(load8_s32##m, SH)      /* s[d] = zext32(sext8(mem8[ea])) */                    \
    OP(load8_u##m, SH)        /* s[d] = zext(mem8[ea]) */                             \
    OP(load16_s32##m, SH)                                                             \
    OP(load16_u##m, SH)                                                               \
    OP(load8_s64##m, SH)      /* s[d] = sext64(mem8[ea]) */                           \
    OP(load16_s64##m, SH)                                                             \
    OP(load32_s64##m, SH)                                                             \
    OP(store32##m, SH)        /* mem32[ea] = s[d] */                                  \
    OP(store64##m, SH)                                                                \
    OP(store8##m, SH)                                                                 \
    OP(store16##m, SH)

#define OPS(OP)                                                                       \
    /* ---- control */                                                                \
    OP(unreachable, NONE)     /* trap "unreachable" */                                \
    OP(enter, ENTER)          /* stack check; s[zero_from..+zero_count) = 0 */        \
    OP(enter_pool, ENTER)     /* enter, then the constant pool from OP_pool */        \
    OP(exit, NONE)            /* leave the dispatch loop (entry sentinel) */          \
    OP(pool, POOL)            /* not run: s[base..base+n) = i64s, by enter (pool) */  \
    OP(fuel, NONE)            /* fuel builds only: --fuel, trap when it runs out */   \
    OP(br, BR)                /* pc += off */                                         \
    OP(br_bk, BR)             /* poll; pc += off */                                   \
    OP(br_nz, BRA)            /* if (u32)s[a] != 0: pc += off */                      \
    OP(br_z, BRA)             /* if (u32)s[a] == 0: pc += off */                      \
    OP(br_nz_bk, BRA)                                                                 \
    OP(br_z_bk, BRA)                                                                  \
    OP(br_nz64, BRA)          /* if s[a] != 0 (i64.eqz fused): pc += off */           \
    OP(br_z64, BRA)                                                                   \
    OP(br_nz64_bk, BRA)                                                               \
    OP(br_z64_bk, BRA)                                                                \
    BRCMP_ALL(OP)                                                                     \
    OP(br_inc_nz_bk, BRINC)   /* s[d] = (u32)(s[a] + k); if != 0: poll, pc += off */  \
    BRINC_ALL(OP)                                                                     \
    BRADD_ALL(OP)                                                                     \
    OP(br_table, BRTABLE)     /* pc += offs[min((u32)s[a], n)] */                     \
    OP(const_br_bk, BRAI32)   /* s[a] = (u32)i32; poll; pc += off (a dispatch loop */ \
                              /* jump, compile_dispatch.c) */                         \
    OP(ret, NONE)             /* return to the caller frame */                        \
    OP(ret1, D)               /* s[0] = s[d]; return */                               \
    OP(call, CALL)            /* call cfunc with its frame at s[args] (its enter */   \
                              /* runs inline) */                                      \
    OP(call_pool, CALL)       /* the same, for a cfunc starting with enter_pool */    \
    OP(call_import, CALLX)    /* call funcs[x] (Wasm or host) with args at s[args] */ \
    OP(call_indirect, CALLI)  /* call tables[t][s[idx]] after the signature check */  \
    OP(return_call, CALL)     /* tail call: move args to s[0..], jump */              \
    OP(return_call_import, CALLX)                                                     \
    OP(return_call_indirect, CALLI)                                                   \
    /* ---- data movement */                                                          \
    OP(copy, DA)              /* s[d] = s[a] */                                       \
    OP(copy2, DABC)           /* s[d] = s[a]; then s[b] = s[c] */                     \
    OP(copy128, DA)           /* s[d..d+1] = s[a..a+1] */                             \
    OP(const64, DI64)         /* s[d] = i64 (i32/f32 zero-extended bits) */           \
    OP(const128, DV128)       /* s[d..d+1] = v128 */                                  \
    OP(select, DABC)          /* s[d] = (u32)s[c] ? s[a] : s[b] */                    \
    OP(select128, DABC)                                                               \
    OP(global_get, DX)        /* s[d] = *globals[x] */                                \
    OP(global_set, DX)        /* *globals[x] = s[d] */                                \
    OP(global_get128, DX)                                                             \
    OP(global_set128, DX)                                                             \
    /* ---- memory: ea as MEMORY_OPS says, trap if ea + width > size */                \
    MEMORY_OPS(OP, , MEM)     /* ea = (u32)s[a] + offset */                           \
    MEMORY_OPS(OP, _k, MEMK)  /* ea = (u32)(s[a] + k) + offset: i32.add folded */     \
    MEMORY_OPS(OP, _s, MEMS)  /* ea = (u32)((s[b] << sh) + k) + offset */             \
    MEMORY_OPS(OP, _x, MEMX)  /* ea = (u32)(s[a] + (s[b] << sh) + k) + offset */      \
    OP(memory_size, D)        /* s[d] = pages */                                      \
    OP(memory_grow, DA)       /* s[d] = grow(s[a]) or -1 */                           \
    OP(memory_fill, DAB)      /* fill(dst=s[d], val=s[a], n=s[b]) */                  \
    OP(memory_copy, DAB)      /* copy(dst=s[d], src=s[a], n=s[b]) */                  \
    OP(memory_init, DABX)     /* init(dst=s[d], src=s[a], n=s[b], data x) */          \
    OP(data_drop, X)                                                                  \
    /* ---- tables and references */                                                  \
    OP(table_get, DAX)        /* s[d] = table x[s[a]] */                              \
    OP(table_set, DAX)        /* table x[s[d]] = s[a] */                              \
    OP(table_size, DX)                                                                \
    OP(table_grow, DABX)      /* s[d] = grow(table x, init s[a], n s[b]) */           \
    OP(table_fill, DABX)      /* fill(table x, i s[d], val s[a], n s[b]) */           \
    OP(table_copy, DABXY)     /* copy(table x <- table y, d, s, n) */                 \
    OP(table_init, DABXY)     /* init(table x <- elem y, d, s, n) */                  \
    OP(elem_drop, X)                                                                  \
    OP(ref_is_null, DA)       /* s[d] = s[a] == 0 */                                  \
    OP(ref_func, DX)          /* s[d] = funcs[x] */                                   \
    /* ---- i32 */                                                                    \
    OP(i32_eqz, DA)                                                                   \
    OP(i32_eq, DAB) OP(i32_ne, DAB) OP(i32_lt_s, DAB) OP(i32_lt_u, DAB)               \
    OP(i32_gt_s, DAB) OP(i32_gt_u, DAB) OP(i32_le_s, DAB) OP(i32_le_u, DAB)           \
    OP(i32_ge_s, DAB) OP(i32_ge_u, DAB)                                               \
    OP(i32_eq_imm, DAI32) OP(i32_ne_imm, DAI32) OP(i32_lt_s_imm, DAI32)               \
    OP(i32_lt_u_imm, DAI32) OP(i32_gt_s_imm, DAI32) OP(i32_gt_u_imm, DAI32)           \
    OP(i32_le_s_imm, DAI32) OP(i32_le_u_imm, DAI32) OP(i32_ge_s_imm, DAI32)           \
    OP(i32_ge_u_imm, DAI32)                                                           \
    OP(i32_clz, DA) OP(i32_ctz, DA) OP(i32_popcnt, DA)                                \
    OP(i32_add, DAB) OP(i32_sub, DAB) OP(i32_mul, DAB)                                \
    OP(i32_div_s, DAB) OP(i32_div_u, DAB) OP(i32_rem_s, DAB) OP(i32_rem_u, DAB)       \
    OP(i32_and, DAB) OP(i32_or, DAB) OP(i32_xor, DAB)                                 \
    OP(i32_shl, DAB) OP(i32_shr_s, DAB) OP(i32_shr_u, DAB)                            \
    OP(i32_rotl, DAB) OP(i32_rotr, DAB)                                               \
    OP(i32_add_imm, DAI32) OP(i32_mul_imm, DAI32)                                     \
    OP(i32_add_imm2, ADD2)    /* s[d] = s[a] + k; then s[d2] = s[a2] + k2 */          \
    OP(i32_add2, ADD2S)       /* s[d] = s[a] + s[b]; then s[d2] = s[a2] + s[b2] */    \
    OP(i32_add_imm_copy, DAI32D) /* s[d] = s[d2] = s[a] + k (a step kept in two) */   \
    OP(i32_add_imm_global_set, DAI32X) /* s[d] = s[a] + k; *globals[x] = s[d] */     \
    OP(i32_and_imm, DAI32) OP(i32_or_imm, DAI32) OP(i32_xor_imm, DAI32)               \
    OP(i32_shl_imm, DAI32) OP(i32_shr_s_imm, DAI32) OP(i32_shr_u_imm, DAI32)          \
    OP(i32_rotl_imm, DAI32) OP(i32_rotr_imm, DAI32)                                   \
    OP(i32_sub_imm_rev, DAI32) /* s[d] = i32 - s[a] */                                \
    OP(lea, DABXY)            /* s[d] = (u32)(s[a] + (s[b] << x) + y) */              \
    OP(i32_xor_shl, DABX)     /* s[d] = s[a] ^ (s[b] << x): shift by a constant */    \
    OP(i32_xor_shr_u, DABX)   /* s[d] = s[a] ^ (s[b] >> x)  fused into its user */    \
    OP(i32_xor_rotl, DABX)    /* s[d] = s[a] ^ rotl(s[b], x) */                       \
    OP(i32_or_shl, DABX)                                                              \
    OP(i32_or_shr_u, DABX)                                                            \
    OP(i32_or_rotl, DABX)                                                             \
    OP(i32_xor_shr_mul, DABXY) /* s[d] = (s[a] ^ (s[b] >> x)) * y: a hash's mix */    \
    /* division by a constant k >= 3, not a power of two: i32 k, i64 m =  */          \
    /* ceil(2^64 / k), the reciprocal numeric.h multiplies by             */          \
    OP(i32_div_u_k, DAI32I64)  /* s[d] = s[a] / k */                                  \
    OP(i32_rem_u_k, DAI32I64)  /* s[d] = s[a] % k */                                  \
    /* ---- i64 */                                                                    \
    OP(i64_eqz, DA)                                                                   \
    OP(i64_eq, DAB) OP(i64_ne, DAB) OP(i64_lt_s, DAB) OP(i64_lt_u, DAB)               \
    OP(i64_gt_s, DAB) OP(i64_gt_u, DAB) OP(i64_le_s, DAB) OP(i64_le_u, DAB)           \
    OP(i64_ge_s, DAB) OP(i64_ge_u, DAB)                                               \
    OP(i64_eq_imm, DAI64) OP(i64_ne_imm, DAI64) OP(i64_lt_s_imm, DAI64)               \
    OP(i64_lt_u_imm, DAI64) OP(i64_gt_s_imm, DAI64) OP(i64_gt_u_imm, DAI64)           \
    OP(i64_le_s_imm, DAI64) OP(i64_le_u_imm, DAI64) OP(i64_ge_s_imm, DAI64)           \
    OP(i64_ge_u_imm, DAI64)                                                           \
    OP(i64_clz, DA) OP(i64_ctz, DA) OP(i64_popcnt, DA)                                \
    OP(i64_add, DAB) OP(i64_sub, DAB) OP(i64_mul, DAB)                                \
    OP(i64_div_s, DAB) OP(i64_div_u, DAB) OP(i64_rem_s, DAB) OP(i64_rem_u, DAB)       \
    OP(i64_and, DAB) OP(i64_or, DAB) OP(i64_xor, DAB)                                 \
    OP(i64_shl, DAB) OP(i64_shr_s, DAB) OP(i64_shr_u, DAB)                            \
    OP(i64_rotl, DAB) OP(i64_rotr, DAB)                                               \
    OP(i64_add_imm, DAI64) OP(i64_mul_imm, DAI64)                                     \
    OP(i64_and_imm, DAI64) OP(i64_or_imm, DAI64) OP(i64_xor_imm, DAI64)               \
    OP(i64_shl_imm, DAI64) OP(i64_shr_s_imm, DAI64) OP(i64_shr_u_imm, DAI64)          \
    OP(i64_rotl_imm, DAI64) OP(i64_rotr_imm, DAI64)                                   \
    OP(i64_sub_imm_rev, DAI64)                                                        \
    /* ---- f32 / f64 */                                                              \
    OP(f32_eq, DAB) OP(f32_ne, DAB) OP(f32_lt, DAB) OP(f32_gt, DAB)                   \
    OP(f32_le, DAB) OP(f32_ge, DAB)                                                   \
    OP(f64_eq, DAB) OP(f64_ne, DAB) OP(f64_lt, DAB) OP(f64_gt, DAB)                   \
    OP(f64_le, DAB) OP(f64_ge, DAB)                                                   \
    OP(f32_abs, DA) OP(f32_neg, DA) OP(f32_ceil, DA) OP(f32_floor, DA)                \
    OP(f32_trunc, DA) OP(f32_nearest, DA) OP(f32_sqrt, DA)                            \
    OP(f32_add, DAB) OP(f32_sub, DAB) OP(f32_mul, DAB) OP(f32_div, DAB)               \
    OP(f32_min, DAB) OP(f32_max, DAB) OP(f32_copysign, DAB)                           \
    OP(f64_abs, DA) OP(f64_neg, DA) OP(f64_ceil, DA) OP(f64_floor, DA)                \
    OP(f64_trunc, DA) OP(f64_nearest, DA) OP(f64_sqrt, DA)                            \
    OP(f64_add, DAB) OP(f64_sub, DAB) OP(f64_mul, DAB) OP(f64_div, DAB)               \
    OP(f64_min, DAB) OP(f64_max, DAB) OP(f64_copysign, DAB)                           \
    /* an f64 load fused into its user: m = mem64[(u32)s[b] + x], */                  \
    /* mk = mem64[(u32)(s[b] + x) + y] (bounds-checked as a load) */                  \
    OP(f64_add_m, DABX)       /* s[d] = s[a] + m */                                   \
    OP(f64_sub_m, DABX)       /* s[d] = s[a] - m */                                   \
    OP(f64_mul_m, DABX)       /* s[d] = s[a] * m */                                   \
    OP(f64_add_mk, DABXY)                                                             \
    OP(f64_sub_mk, DABXY)                                                             \
    OP(f64_mul_mk, DABXY)                                                             \
    OP(f64_add_rmw, DAX)      /* mem64[(u32)s[a] + x] += s[d] (f64, *p += v) */       \
    /* a byte load fused into the i32.xor that takes it (CRC, FNV): m8 as */          \
    /* the m forms above, zext(mem8[...]) */                                          \
    OP(i32_xor_m8, DABX)      /* s[d] = s[a] ^ m8 */                                  \
    OP(i32_xor_mk8, DABXY)                                                            \
    /* a load whose value only a store of the same width uses: memory to */          \
    /* memory, both addresses as in the _k family (copy loops: *p++ = *q++) */        \
    OP(move8, MOVE) OP(move16, MOVE) OP(move32, MOVE) OP(move64, MOVE)                \
    /* an f64.mul fused into the f64.add/sub that consumes it; the product */        \
    /* is rounded before the add, as two Wasm instructions would (no FMA) */          \
    OP(f64_mul_add, DABC)     /* s[d] = s[a] * s[b] + s[c] */                         \
    OP(f64_mul_sub, DABC)     /* s[d] = s[a] * s[b] - s[c] */                         \
    OP(f64_mul_rsub, DABC)    /* s[d] = s[c] - s[a] * s[b] */                         \
    OP(f64_mul_m_add, DABXC)  /* s[d] = s[a] * m + s[c] (dot products: s += a * *p) */ \
    OP(f64_mul_mk_add, DABXYC) /* s[d] = s[a] * mk + s[c] */                          \
    /* ---- conversions (reinterpret and i64.extend_i32_u need no code) */            \
    OP(i32_wrap_i64, DA)                                                              \
    OP(i32_trunc_f32_s, DA) OP(i32_trunc_f32_u, DA)                                   \
    OP(i32_trunc_f64_s, DA) OP(i32_trunc_f64_u, DA)                                   \
    OP(i64_extend_i32_s, DA)                                                          \
    OP(i64_trunc_f32_s, DA) OP(i64_trunc_f32_u, DA)                                   \
    OP(i64_trunc_f64_s, DA) OP(i64_trunc_f64_u, DA)                                   \
    OP(f32_convert_i32_s, DA) OP(f32_convert_i32_u, DA)                               \
    OP(f32_convert_i64_s, DA) OP(f32_convert_i64_u, DA)                               \
    OP(f32_demote_f64, DA)                                                            \
    OP(f64_convert_i32_s, DA) OP(f64_convert_i32_u, DA)                               \
    OP(f64_convert_i64_s, DA) OP(f64_convert_i64_u, DA)                               \
    OP(f64_promote_f32, DA)                                                           \
    OP(i32_extend8_s, DA) OP(i32_extend16_s, DA)                                      \
    OP(i64_extend8_s, DA) OP(i64_extend16_s, DA)                                      \
    OP(i32_trunc_sat_f32_s, DA) OP(i32_trunc_sat_f32_u, DA)                           \
    OP(i32_trunc_sat_f64_s, DA) OP(i32_trunc_sat_f64_u, DA)                           \
    OP(i64_trunc_sat_f32_s, DA) OP(i64_trunc_sat_f32_u, DA)                           \
    OP(i64_trunc_sat_f64_s, DA) OP(i64_trunc_sat_f64_u, DA)                           \
    /* ---- 128-bit SIMD (ops_simd.h) */                                              \
    SIMD_OPS(OP)

typedef enum op {
#define OP_ENUM(name, shape) OP_##name,
    OPS(OP_ENUM)
#undef OP_ENUM
    OP_COUNT
} op;

typedef enum shape {
#define SHAPE_ENUM(name, n) SH_##name,
    SHAPES(SHAPE_ENUM)
#undef SHAPE_ENUM
    SH_COUNT
} shape;

/* Words an instruction of each op takes, handler included (BRTABLE: the
 * fixed part only). */
extern const uint8_t op_words[OP_COUNT];
extern const uint8_t op_shape[OP_COUNT];
extern const char *const op_names[OP_COUNT];
/* Whether ops of shape sh are calls (of any kind). */
static inline bool shape_is_call(shape sh)
{
    return sh == SH_CALL || sh == SH_CALLX || sh == SH_CALLI;
}
/* For each op, whether an instruction of it may take long or repeat: a
 * back-edge (its name ends in _bk), a call of any kind, a bulk memory or
 * table operation, a grow. A function with none of these but direct calls
 * of brief functions, and short with its callees (BRIEF_MAX_WORDS), ends
 * within microseconds of starting: cfunc.brief (call_graph.h). The table
 * is made on first use. */
const bool *op_long_table(void);
#define BRIEF_MAX_WORDS 1024

#define HANDLER_WORDS 2
/* The most operand words a shape has (BRTABLE's and POOL's fixed part). */
#define MAX_OPERAND_WORDS 8

/* OP_enter zeroes the declared locals in blocks of this many slots (the
 * count is rounded up, the frame made large enough): a few straight stores
 * instead of a loop per slot or a memset call. */
#define ENTER_ZERO_BLOCK 4

#endif
