/* ops_simd.h — the internal SIMD instructions, part of the op list in ops.h.
 *
 * v[x] is the v128 held in slots x and x+1; its lanes are v[x].i8[k] etc.
 * i32/f32 scalars sit zero-extended in one slot, so a float lane moves
 * exactly like an integer lane of the same width (v32_splat serves
 * i32x4.splat and f32x4.splat). Memory ops compute ea = (u32)s[a] + offset
 * and trap if ea + width > size, like the scalar ones. Lane-wise ops apply
 * the scalar Wasm operation to each lane (see simd.h for the exact rules).
 * Handlers are in interp_simd.inc, Wasm opcodes map to them in
 * compile_simd.c. */
#ifndef WEFT_OPS_SIMD_H
#define WEFT_OPS_SIMD_H

#define SIMD_OPS(OP)                                                                       \
    /* ---- v128 memory */                                                                  \
    OP(v128_load, MEM)            /* v[d] = mem128[ea] */                                   \
    OP(v128_load8x8_s, MEM)       /* v[d].i16[k] = sext(mem8[ea + k]) */                    \
    OP(v128_load8x8_u, MEM)       /* v[d].i16[k] = zext(mem8[ea + k]) */                    \
    OP(v128_load16x4_s, MEM)      /* v[d].i32[k] = sext(mem16[ea + 2k]) */                  \
    OP(v128_load16x4_u, MEM)                                                                \
    OP(v128_load32x2_s, MEM)      /* v[d].i64[k] = sext(mem32[ea + 4k]) */                  \
    OP(v128_load32x2_u, MEM)                                                                \
    OP(v128_load8_splat, MEM)     /* v[d].i8[*] = mem8[ea] */                               \
    OP(v128_load16_splat, MEM)                                                              \
    OP(v128_load32_splat, MEM)                                                              \
    OP(v128_load64_splat, MEM)                                                              \
    OP(v128_load32_zero, MEM)     /* v[d] = zext128(mem32[ea]) */                           \
    OP(v128_load64_zero, MEM)     /* v[d] = zext128(mem64[ea]) */                           \
    OP(v128_store, MEM)           /* mem128[ea] = v[d] */                                   \
    OP(v128_load8_lane, MEMLANE)  /* v[d] = v[b] with .i8[lane] = mem8[ea] */               \
    OP(v128_load16_lane, MEMLANE)                                                           \
    OP(v128_load32_lane, MEMLANE)                                                           \
    OP(v128_load64_lane, MEMLANE)                                                           \
    OP(v128_store8_lane, MEMLANE) /* mem8[ea] = v[d].i8[lane] (b unused) */                 \
    OP(v128_store16_lane, MEMLANE)                                                          \
    OP(v128_store32_lane, MEMLANE)                                                          \
    OP(v128_store64_lane, MEMLANE)                                                          \
    /* ---- lanes: splat, extract, replace, permute */                                      \
    OP(v8_splat, DA)              /* v[d].i8[*] = (u8)s[a] */                               \
    OP(v16_splat, DA)                                                                       \
    OP(v32_splat, DA)             /* i32x4 and f32x4 */                                     \
    OP(v64_splat, DA)             /* i64x2 and f64x2 */                                     \
    OP(i8x16_extract_lane_s, DAX) /* s[d] = zext32(sext(v[a].i8[x])) */                     \
    OP(i8x16_extract_lane_u, DAX) /* s[d] = zext(v[a].i8[x]) */                             \
    OP(i16x8_extract_lane_s, DAX)                                                           \
    OP(i16x8_extract_lane_u, DAX)                                                           \
    OP(v32_extract_lane, DAX)     /* s[d] = zext(v[a].i32[x]) */                            \
    OP(v64_extract_lane, DAX)     /* s[d] = v[a].i64[x] */                                  \
    OP(v8_replace_lane, DABX)     /* v[d] = v[a] with .i8[x] = (u8)s[b] */                  \
    OP(v16_replace_lane, DABX)                                                              \
    OP(v32_replace_lane, DABX)                                                              \
    OP(v64_replace_lane, DABX)                                                              \
    OP(i8x16_shuffle, DABV128)    /* v[d].i8[k] = (v[a] ++ v[b]).i8[imm[k]] */              \
    OP(i8x16_swizzle, DAB)        /* v[d].i8[k] = v[b].u8[k] < 16 ? v[a].i8[v[b].u8[k]] : 0 */ \
    /* ---- bitwise and tests */                                                            \
    OP(v128_not, DA) OP(v128_and, DAB) OP(v128_or, DAB) OP(v128_xor, DAB)                   \
    OP(v128_andnot, DAB)          /* v[d] = v[a] & ~v[b] */                                 \
    OP(v128_bitselect, DABC)      /* v[d] = (v[a] & v[c]) | (v[b] & ~v[c]) */               \
    OP(v128_any_true, DA)         /* s[d] = v[a] != 0 */                                    \
    OP(i8x16_all_true, DA)        /* s[d] = every lane of v[a] != 0 */                      \
    OP(i16x8_all_true, DA) OP(i32x4_all_true, DA) OP(i64x2_all_true, DA)                    \
    OP(i8x16_bitmask, DA)         /* s[d] = bit k set iff lane k of v[a] < 0 */             \
    OP(i16x8_bitmask, DA) OP(i32x4_bitmask, DA) OP(i64x2_bitmask, DA)                       \
    /* ---- integer comparisons: lanes become all ones (true) or zero */                    \
    OP(i8x16_eq, DAB) OP(i8x16_ne, DAB) OP(i8x16_lt_s, DAB) OP(i8x16_lt_u, DAB)             \
    OP(i8x16_gt_s, DAB) OP(i8x16_gt_u, DAB) OP(i8x16_le_s, DAB) OP(i8x16_le_u, DAB)         \
    OP(i8x16_ge_s, DAB) OP(i8x16_ge_u, DAB)                                                 \
    OP(i16x8_eq, DAB) OP(i16x8_ne, DAB) OP(i16x8_lt_s, DAB) OP(i16x8_lt_u, DAB)             \
    OP(i16x8_gt_s, DAB) OP(i16x8_gt_u, DAB) OP(i16x8_le_s, DAB) OP(i16x8_le_u, DAB)         \
    OP(i16x8_ge_s, DAB) OP(i16x8_ge_u, DAB)                                                 \
    OP(i32x4_eq, DAB) OP(i32x4_ne, DAB) OP(i32x4_lt_s, DAB) OP(i32x4_lt_u, DAB)             \
    OP(i32x4_gt_s, DAB) OP(i32x4_gt_u, DAB) OP(i32x4_le_s, DAB) OP(i32x4_le_u, DAB)         \
    OP(i32x4_ge_s, DAB) OP(i32x4_ge_u, DAB)                                                 \
    OP(i64x2_eq, DAB) OP(i64x2_ne, DAB) OP(i64x2_lt_s, DAB) OP(i64x2_gt_s, DAB)             \
    OP(i64x2_le_s, DAB) OP(i64x2_ge_s, DAB)                                                 \
    /* ---- float comparisons (ordered, except ne: true if either is NaN) */                \
    OP(f32x4_eq, DAB) OP(f32x4_ne, DAB) OP(f32x4_lt, DAB) OP(f32x4_gt, DAB)                 \
    OP(f32x4_le, DAB) OP(f32x4_ge, DAB)                                                     \
    OP(f64x2_eq, DAB) OP(f64x2_ne, DAB) OP(f64x2_lt, DAB) OP(f64x2_gt, DAB)                 \
    OP(f64x2_le, DAB) OP(f64x2_ge, DAB)                                                     \
    /* ---- i8x16 (shift counts are s[b] mod lane bits) */                                  \
    OP(i8x16_abs, DA) OP(i8x16_neg, DA)                                                     \
    OP(i8x16_popcnt, DA)          /* v[d].i8[k] = popcount(v[a].i8[k]) */                   \
    OP(i8x16_narrow_i16x8_s, DAB) /* lanes of v[a] then v[b], saturated to i8 */            \
    OP(i8x16_narrow_i16x8_u, DAB) /* signed i16 saturated to u8 */                          \
    OP(i8x16_shl, DAB) OP(i8x16_shr_s, DAB) OP(i8x16_shr_u, DAB)                            \
    OP(i8x16_add, DAB) OP(i8x16_sub, DAB)                                                   \
    OP(i8x16_add_sat_s, DAB)      /* clamp(a + b) to the lane's range */                    \
    OP(i8x16_add_sat_u, DAB) OP(i8x16_sub_sat_s, DAB) OP(i8x16_sub_sat_u, DAB)              \
    OP(i8x16_min_s, DAB) OP(i8x16_min_u, DAB) OP(i8x16_max_s, DAB) OP(i8x16_max_u, DAB)     \
    OP(i8x16_avgr_u, DAB)         /* (a + b + 1) >> 1, unsigned */                          \
    /* ---- i16x8 */                                                                        \
    OP(i16x8_extadd_pairwise_i8x16_s, DA) /* v[d].i16[k] = a.i8[2k] + a.i8[2k+1] */         \
    OP(i16x8_extadd_pairwise_i8x16_u, DA)                                                   \
    OP(i16x8_abs, DA) OP(i16x8_neg, DA)                                                     \
    OP(i16x8_q15mulr_sat_s, DAB)  /* sat16((a * b + 0x4000) >> 15) */                       \
    OP(i16x8_narrow_i32x4_s, DAB) OP(i16x8_narrow_i32x4_u, DAB)                             \
    OP(i16x8_extend_low_i8x16_s, DA) /* v[d].i16[k] = sext(v[a].i8[k]) */                   \
    OP(i16x8_extend_high_i8x16_s, DA) /* v[d].i16[k] = sext(v[a].i8[k + 8]) */              \
    OP(i16x8_extend_low_i8x16_u, DA) OP(i16x8_extend_high_i8x16_u, DA)                      \
    OP(i16x8_shl, DAB) OP(i16x8_shr_s, DAB) OP(i16x8_shr_u, DAB)                            \
    OP(i16x8_add, DAB) OP(i16x8_sub, DAB) OP(i16x8_mul, DAB)                                \
    OP(i16x8_add_sat_s, DAB) OP(i16x8_add_sat_u, DAB)                                       \
    OP(i16x8_sub_sat_s, DAB) OP(i16x8_sub_sat_u, DAB)                                       \
    OP(i16x8_min_s, DAB) OP(i16x8_min_u, DAB) OP(i16x8_max_s, DAB) OP(i16x8_max_u, DAB)     \
    OP(i16x8_avgr_u, DAB)                                                                   \
    OP(i16x8_extmul_low_i8x16_s, DAB) /* v[d].i16[k] = sext(a.i8[k]) * sext(b.i8[k]) */     \
    OP(i16x8_extmul_high_i8x16_s, DAB) OP(i16x8_extmul_low_i8x16_u, DAB)                    \
    OP(i16x8_extmul_high_i8x16_u, DAB)                                                      \
    /* ---- i32x4 */                                                                        \
    OP(i32x4_extadd_pairwise_i16x8_s, DA) OP(i32x4_extadd_pairwise_i16x8_u, DA)             \
    OP(i32x4_abs, DA) OP(i32x4_neg, DA)                                                     \
    OP(i32x4_extend_low_i16x8_s, DA) OP(i32x4_extend_high_i16x8_s, DA)                      \
    OP(i32x4_extend_low_i16x8_u, DA) OP(i32x4_extend_high_i16x8_u, DA)                      \
    OP(i32x4_shl, DAB) OP(i32x4_shr_s, DAB) OP(i32x4_shr_u, DAB)                            \
    OP(i32x4_add, DAB) OP(i32x4_sub, DAB) OP(i32x4_mul, DAB)                                \
    OP(i32x4_min_s, DAB) OP(i32x4_min_u, DAB) OP(i32x4_max_s, DAB) OP(i32x4_max_u, DAB)     \
    OP(i32x4_dot_i16x8_s, DAB)    /* v[d].i32[k] = a.i16[2k]*b.i16[2k] + a.i16[2k+1]*b.i16[2k+1] */ \
    OP(i32x4_extmul_low_i16x8_s, DAB) OP(i32x4_extmul_high_i16x8_s, DAB)                    \
    OP(i32x4_extmul_low_i16x8_u, DAB) OP(i32x4_extmul_high_i16x8_u, DAB)                    \
    /* ---- i64x2 */                                                                        \
    OP(i64x2_abs, DA) OP(i64x2_neg, DA)                                                     \
    OP(i64x2_extend_low_i32x4_s, DA) OP(i64x2_extend_high_i32x4_s, DA)                      \
    OP(i64x2_extend_low_i32x4_u, DA) OP(i64x2_extend_high_i32x4_u, DA)                      \
    OP(i64x2_shl, DAB) OP(i64x2_shr_s, DAB) OP(i64x2_shr_u, DAB)                            \
    OP(i64x2_add, DAB) OP(i64x2_sub, DAB) OP(i64x2_mul, DAB)                                \
    OP(i64x2_extmul_low_i32x4_s, DAB) OP(i64x2_extmul_high_i32x4_s, DAB)                    \
    OP(i64x2_extmul_low_i32x4_u, DAB) OP(i64x2_extmul_high_i32x4_u, DAB)                    \
    /* ---- f32x4 / f64x2 (min/max: NaN wins, -0 < +0; pmin/pmax: b < a ? b : a) */        \
    OP(f32x4_ceil, DA) OP(f32x4_floor, DA) OP(f32x4_trunc, DA)                              \
    OP(f32x4_nearest, DA)         /* round half to even */                                  \
    OP(f32x4_abs, DA) OP(f32x4_neg, DA) OP(f32x4_sqrt, DA)                                  \
    OP(f32x4_add, DAB) OP(f32x4_sub, DAB) OP(f32x4_mul, DAB) OP(f32x4_div, DAB)             \
    OP(f32x4_min, DAB) OP(f32x4_max, DAB) OP(f32x4_pmin, DAB) OP(f32x4_pmax, DAB)           \
    OP(f64x2_ceil, DA) OP(f64x2_floor, DA) OP(f64x2_trunc, DA) OP(f64x2_nearest, DA)        \
    OP(f64x2_abs, DA) OP(f64x2_neg, DA) OP(f64x2_sqrt, DA)                                  \
    OP(f64x2_add, DAB) OP(f64x2_sub, DAB) OP(f64x2_mul, DAB) OP(f64x2_div, DAB)             \
    OP(f64x2_min, DAB) OP(f64x2_max, DAB) OP(f64x2_pmin, DAB) OP(f64x2_pmax, DAB)           \
    /* ---- conversions (the _zero forms clear the upper two lanes) */                      \
    OP(i32x4_trunc_sat_f32x4_s, DA) /* NaN -> 0, out of range -> nearest bound */           \
    OP(i32x4_trunc_sat_f32x4_u, DA)                                                         \
    OP(f32x4_convert_i32x4_s, DA) OP(f32x4_convert_i32x4_u, DA)                             \
    OP(i32x4_trunc_sat_f64x2_s_zero, DA) OP(i32x4_trunc_sat_f64x2_u_zero, DA)               \
    OP(f64x2_convert_low_i32x4_s, DA) OP(f64x2_convert_low_i32x4_u, DA)                     \
    OP(f32x4_demote_f64x2_zero, DA)                                                         \
    OP(f64x2_promote_low_f32x4, DA)

#endif
