/* interp.c — the dispatch loop.
 *
 * Direct-threaded code: every instruction starts with its handler's address,
 * and each handler ends by jumping straight to the next one (DISPATCH). The
 * hot state (pc, fp, memory base and size) lives in locals the C compiler
 * keeps in registers. Operands are frame slots: fp[pc[2]] etc. (ops.h).
 *
 * Wasm calls do not recurse on the C stack: a call pushes a frame record and
 * jumps; `ret` pops it. Only host functions, which may call back into Wasm,
 * nest a new run() on the C stack.
 *
 * Built by clang 19 or later, each handler is instead a function that
 * tail-calls the next one (see "The dispatch" below). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "host_call.h"
#include "interp_support.h"
#include "numeric.h"
#include "op_profile.h"
#include "ops.h"
#include "runtime.h"
#include "simd.h"
#include "slice_watchdog.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "weft assumes a little-endian host (Wasm memory is little-endian)"
#endif

#ifndef __has_attribute
#define __has_attribute(x) 0
#endif
#ifndef __has_feature
#define __has_feature(x) 0
#endif

/* clang 19's preserve_none convention leaves no register callee-saved, so
 * tail-calling handlers save none and take their arguments in more. Not
 * under ASan: clang 19's backend cannot realign an ASan frame in it. */
#if defined(__clang__) && __has_attribute(preserve_none) && \
    (defined(__x86_64__) || defined(__aarch64__)) && !__has_feature(address_sanitizer)
#define HAVE_PRESERVE_NONE 1
#endif

/* The dispatch. By default: the computed-goto loop under GCC and clang up
 * to 18, tail-calling handlers under clang 19 and later (musttail and
 * preserve_none), a switch elsewhere. Measured (docs/RATIONALE.md): under
 * clang 19 the tail calls run the C guests 1.27 times faster than its goto
 * loop, whose jumps it merges into one; under clang 14, without
 * preserve_none, 1-3% slower than its loop; GCC's goto loop is the fastest
 * of all. To choose one, define
 *   WEFT_SWITCH_DISPATCH  a portable switch on the op number
 *   WEFT_GOTO_DISPATCH    the computed-goto loop (GNU C)
 *   WEFT_TAIL_DISPATCH    tail-calling handlers (clang 13 or later) */
#if !defined(WEFT_SWITCH_DISPATCH) && !defined(WEFT_GOTO_DISPATCH) && !defined(WEFT_TAIL_DISPATCH)
#if !defined(__GNUC__)
#define WEFT_SWITCH_DISPATCH 1
#elif defined(HAVE_PRESERVE_NONE) && __has_attribute(musttail)
#define WEFT_TAIL_DISPATCH 1
#endif
#endif
#if defined(WEFT_TAIL_DISPATCH) && !(defined(__clang__) && __has_attribute(musttail))
#error "WEFT_TAIL_DISPATCH needs a compiler with musttail (clang 13 or later)"
#endif

/* Handlers start on 16-byte boundaries. Unaligned, the speed of a guest
 * depended on where the linker happened to put its hot handlers (sieve ran
 * at half speed after unrelated handlers were added: branch-predictor
 * aliasing of the indirect jumps, most likely); aligned, it does not. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("align-labels=16")
#endif

/* Words per instruction of each op, as compile-time constants. */
enum {
#define SHAPE_N(name, n) SHN_##name = (n),
    SHAPES(SHAPE_N)
#undef SHAPE_N
};
enum {
#define OP_W(name, shape) OPW_##name = HANDLER_WORDS + SHN_##shape,
    OPS(OP_W)
#undef OP_W
};

static inline uint64_t imm64_at(const uint32_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Slot views. i32/f32 values are kept zero-extended in their 64-bit slot. */
#define U32(i) ((uint32_t)fp[i])
#define I32(i) ((int32_t)(uint32_t)fp[i])
#define U64(i) (fp[i])
#define I64(i) ((int64_t)fp[i])
#define F32(i) f32_from_bits((uint32_t)fp[i])
#define F64(i) f64_from_bits(fp[i])
#define D pc[2]
#define A pc[3]
#define B pc[4]
#define C pc[5]

#if defined(WEFT_SWITCH_DISPATCH)
#define DISPATCH() goto dispatch
#define CASE(name) case OP_##name:
#elif defined(WEFT_TAIL_DISPATCH)
/* The loop's state travels in argument registers. With preserve_none
 * (clang 19) all six: pc, fp, the memory, the frame record, the instance
 * and the exec, and the handlers still have six scratch registers. Without
 * it (clang 13-18, or under ASan) only pc, fp, the memory and the exec: a
 * handler may use only the caller-saved registers the arguments leave
 * (three with six arguments) and pushes rbx for a fourth (crc32's byte
 * xor: 1.38 times the time); the frame record and the instance are then in
 * the exec (tail_fr, tail_inst), read into locals by each handler and
 * stored back by the few that change them (KEEP_STATE). What the goto loop
 * keeps in run()'s other locals is in the run's tail_run record (LOCAL).
 * Each CASE closes the function before it and opens its handler's; the
 * shared paths (call_func, trap, ...) are functions too (SHARED), reached
 * by GOTO. */
#define UNUSED __attribute__((unused))
#ifdef HAVE_PRESERVE_NONE
#define HANDLER_CC __attribute__((preserve_none))
#define HANDLER_ARGS                                                                   \
    const uint32_t *pc UNUSED, uint64_t *fp UNUSED, weft_memory *mem0 UNUSED,          \
        frame *fr UNUSED, weft_instance *inst UNUSED, exec *ex UNUSED
#define HANDLER_PASS pc, fp, mem0, fr, inst, ex
#define HANDLER_LOCALS
#define KEEP_STATE() ((void)0)
typedef struct weft_trap *(HANDLER_CC *tail_handler)(const uint32_t *, uint64_t *, weft_memory *,
                                                     frame *, weft_instance *, exec *);
#else
#define HANDLER_CC
#define HANDLER_ARGS \
    const uint32_t *pc UNUSED, uint64_t *fp UNUSED, weft_memory *mem0 UNUSED, exec *ex UNUSED
#define HANDLER_PASS pc, fp, mem0, ex
#define HANDLER_LOCALS                    \
    frame *fr UNUSED = ex->tail_fr;       \
    weft_instance *inst UNUSED = ex->tail_inst;
#define KEEP_STATE()            \
    do {                        \
        ex->tail_fr = fr;       \
        ex->tail_inst = inst;   \
    } while (0)
typedef struct weft_trap *(HANDLER_CC *tail_handler)(const uint32_t *, uint64_t *, weft_memory *,
                                                     exec *);
#endif
#define DISPATCH()                                        \
    do {                                                  \
        tail_handler h_;                                  \
        memcpy(&h_, pc, sizeof h_);                       \
        __attribute__((musttail)) return h_(HANDLER_PASS); \
    } while (0)
#define CASE(name)                                     \
    }                                                  \
    static HANDLER_CC weft_trap *h_##name(HANDLER_ARGS) \
    {                                                  \
        HANDLER_LOCALS
#define SHARED(name)                                   \
    }                                                  \
    static HANDLER_CC weft_trap *name##_fn(HANDLER_ARGS) \
    {                                                  \
        HANDLER_LOCALS
#define GOTO(name) __attribute__((musttail)) return name##_fn(HANDLER_PASS)
#define LABEL(name)
#define LOCAL(name) (ex->tail->name)
#else
#define DISPATCH()                          \
    do {                                    \
        const void *h_;                     \
        memcpy(&h_, pc, sizeof h_);         \
        goto *h_;                           \
    } while (0)
#define CASE(name) L_##name:
#endif
#ifndef WEFT_TAIL_DISPATCH
/* The shared paths of the loop: labels in it (functions in tail mode). */
#define SHARED(name) name:
#define GOTO(name) goto name
#define LABEL(name) name:
#define LOCAL(name) name
#define KEEP_STATE() ((void)0)
#endif

#define NEXT(name)          \
    do {                    \
        pc += OPW_##name;   \
        DISPATCH();         \
    } while (0)

/* Branch through the offset word at pc[k]. */
#define JUMP_VIA(k)                              \
    do {                                         \
        const uint32_t *w_ = pc + (k);           \
        pc = w_ + (int32_t)*w_;                  \
        DISPATCH();                              \
    } while (0)

/* A loop's back-edge: jumps, then polls at the target. A poll re-runs the
 * instruction at pc when it does not trap (see `trap:`), and the target has
 * not run yet, while the branch may have written its counter already. */
#define JUMP_BACK_VIA(k)               \
    do {                               \
        const uint32_t *w_ = pc + (k); \
        pc = w_ + (int32_t)*w_;        \
        POLL();                        \
        DISPATCH();                    \
    } while (0)

#define TRAP(code)                 \
    do {                           \
        LOCAL(trap_code) = (code); \
        GOTO(trap);                \
    } while (0)

/* At loop back-edges (at the target, JUMP_BACK_VIA) and function entries
 * (at the enter op): pc is an instruction that has not run, or whose run so
 * far can be repeated. Through the trap path (it keeps the handlers' code
 * as lean as a plain trap): a flag that is only the slice watchdog's does
 * not trap, but may suspend a bounded run there, to re-run pc on resume
 * (see `trap:`). */
#define POLL()                                                                   \
    do {                                                                         \
        if (UNLIKELY(atomic_load_explicit(&ex->interrupt, memory_order_relaxed))) \
            TRAP(WEFT_TRAP_INTERRUPTED);                                         \
    } while (0)

/* Bulk operations longer than this stop a bounded run first (slice). */
#define BOUNDED_BULK_BYTES (1u << 20)
#define BOUNDED_BULK_CHECK(n)                                  \
    do {                                                       \
        if (UNLIKELY((n) > BOUNDED_BULK_BYTES) && ex->bounded) \
            GOTO(slice);                                       \
    } while (0)
/* The same for n table elements (a reference each): table.fill, .copy,
 * .init and .grow take time in proportion to n. */
#define BOUNDED_TABLE_CHECK(n) BOUNDED_BULK_CHECK((uint64_t)(n) * sizeof(void *))

/* When the instance changes (a call across modules, its return). The base
 * of a memory never moves and its size is read where it is checked, so
 * neither a call nor memory.grow needs more than this. */
#define RELOAD_MEMORY()               \
    do {                              \
        mem0 = inst_memory(inst);     \
        KEEP_STATE();                 \
    } while (0)

/* Effective addresses of the addressing modes (ops.h, MEMORY_OPS). */
#define EA_MEM ((uint64_t)U32(A) + (uint64_t)B)
/* (u32)(s[a] + k) + offset, with a, k and offset at pc[w], pc[w+1], pc[w+2] */
#define EA_K_AT(w) ((uint64_t)(uint32_t)(U32(pc[w]) + pc[(w) + 1]) + (uint64_t)pc[(w) + 2])
#define EA_MEMK EA_K_AT(3)
#define EA_MEMS ((uint64_t)(uint32_t)((U32(pc[3]) << pc[4]) + pc[5]) + (uint64_t)pc[6])
#define EA_MEMX ((uint64_t)(uint32_t)(U32(A) + (U32(pc[4]) << pc[5]) + pc[6]) + (uint64_t)pc[7])

#define MEM_EA_AT(width, ea_expr)                           \
    uint64_t ea = (ea_expr);                                \
    if (UNLIKELY(ea + (width) > mem0->size))                \
        TRAP(WEFT_TRAP_MEMORY_OUT_OF_BOUNDS)
#define MEM_EA(width) MEM_EA_AT(width, EA_MEM)

/* The prologue of the function whose code starts at `code` (an OP_enter),
 * on the frame at fp: code[2] = first local to zero, code[3] = how many (a
 * multiple of ENTER_ZERO_BLOCK), code[4] = frame size. */
#define ENTER_FRAME(code)                                                  \
    do {                                                                   \
        if (UNLIKELY(fp + (code)[4] > ex->stack_end))                      \
            TRAP(WEFT_TRAP_CALL_STACK_EXHAUSTED);                          \
        POLL();                                                            \
        uint64_t *z_ = fp + (code)[2], *zend_ = z_ + (code)[3];            \
        for (; z_ < zend_; z_ += ENTER_ZERO_BLOCK) {                       \
            /* opaque to the optimizer: four stores, not a memset call */ \
            __asm__("" : "+r"(z_));                                        \
            z_[0] = 0;                                                     \
            z_[1] = 0;                                                     \
            z_[2] = 0;                                                     \
            z_[3] = 0;                                                     \
        }                                                                  \
    } while (0)

#define LOAD(name, ctype, store_expr, mode)      \
    CASE(name)                                   \
    {                                            \
        MEM_EA_AT(sizeof(ctype), EA_##mode);     \
        ctype v;                                 \
        memcpy(&v, mem0->base + ea, sizeof v);   \
        fp[D] = (store_expr);                    \
        NEXT(name);                              \
    }

#define STORE(name, ctype, mode)                 \
    CASE(name)                                   \
    {                                            \
        MEM_EA_AT(sizeof(ctype), EA_##mode);     \
        ctype v = (ctype)fp[D];                  \
        memcpy(mem0->base + ea, &v, sizeof v);   \
        NEXT(name);                              \
    }

/* The handlers of one addressing mode's MEMORY_OPS family. */
#define MEMORY_HANDLERS(m, mode)                                       \
    LOAD(load32##m, uint32_t, v, mode)                                 \
    LOAD(load64##m, uint64_t, v, mode)                                 \
    LOAD(load8_s32##m, int8_t, (uint32_t)(int32_t)v, mode)             \
    LOAD(load8_u##m, uint8_t, v, mode)                                 \
    LOAD(load16_s32##m, int16_t, (uint32_t)(int32_t)v, mode)           \
    LOAD(load16_u##m, uint16_t, v, mode)                               \
    LOAD(load8_s64##m, int8_t, (uint64_t)(int64_t)v, mode)             \
    LOAD(load16_s64##m, int16_t, (uint64_t)(int64_t)v, mode)           \
    LOAD(load32_s64##m, int32_t, (uint64_t)(int64_t)v, mode)           \
    STORE(store32##m, uint32_t, mode)                                  \
    STORE(store64##m, uint64_t, mode)                                  \
    STORE(store8##m, uint8_t, mode)                                    \
    STORE(store16##m, uint16_t, mode)

#define BINOP(name, expr)                        \
    CASE(name)                                   \
    {                                            \
        fp[D] = (expr);                          \
        NEXT(name);                              \
    }

#define UNOP BINOP

/* Pushes a frame record: return to `ret` with the running function's
 * state; callee code `callee_cf`, NULL for a suspension record. The caller
 * has checked there is room (PUSH_FRAME). */
#define FRAME_RECORD(ret, callee_cf) \
    do {                             \
        fr++;                        \
        fr->ret_pc = (ret);          \
        fr->fp = fp;                 \
        fr->inst = inst;             \
        fr->cf = (callee_cf);        \
        KEEP_STATE();                \
    } while (0)

/* Pushes the caller's frame record for a call, trapping when the call
 * stack is full. */
#define PUSH_FRAME(ret, callee_cf)                \
    do {                                          \
        if (UNLIKELY(fr + 1 >= ex->frames_end))   \
            TRAP(WEFT_TRAP_CALL_STACK_EXHAUSTED); \
        FRAME_RECORD(ret, callee_cf);             \
    } while (0)

/* Suspends the run for its embedder (interp_resume continues it at `ret`):
 * pushes a suspension record, which the caller has made room for, and
 * returns INTERP_YIELDED. Nested entries go above `top`. is_slice: a
 * bounded run's stop (func and args NULL), else a yielding host call of
 * func on args. */
#define SUSPEND(ret, top, is_slice, func, func_args) \
    do {                                              \
        FRAME_RECORD(ret, NULL);                      \
        fr->run_base = LOCAL(entry_fr);               \
        fr->saved_sp = ex->sp;                        \
        fr->slice = (is_slice);                       \
        ex->frames_top = fr;                          \
        ex->sp = (top);                               \
        ex->yield_slice = (is_slice);                 \
        ex->yield_func = (func);                      \
        ex->yield_args = (func_args);                 \
        ex->yield_caller = inst;                      \
        return INTERP_YIELDED;                        \
    } while (0)

static weft_memory no_memory; /* size 0: every access traps */

static inline weft_memory *inst_memory(weft_instance *inst)
{
    return inst->mem0 ? inst->mem0 : &no_memory;
}

static const void *const *handler_table;
static uint32_t exit_stub[HANDLER_WORDS];

/* Returned by run() when it stopped at a yielding host function. */
static weft_trap yield_marker;
weft_trap *const INTERP_YIELDED = &yield_marker;

#ifdef WEFT_TAIL_DISPATCH
/* What run()'s other locals are in the goto loop (LOCAL), for one run:
 * run() keeps it on its C stack and points ex->tail at it. */
typedef struct tail_run {
    frame *entry_fr;
    bool may_yield;
    weft_trap_code trap_code;
    weft_trap *pending;
    weft_func *callee; /* set by call handlers for call_func, tail_call_func */
    uint64_t *args;
    const uint32_t *ret_pc;
} tail_run;

#define OP_DECLARE(name, shape) static HANDLER_CC weft_trap *h_##name(HANDLER_ARGS);
OPS(OP_DECLARE)
#undef OP_DECLARE
static HANDLER_CC weft_trap *call_func_fn(HANDLER_ARGS);
static HANDLER_CC weft_trap *tail_call_func_fn(HANDLER_ARGS);
static HANDLER_CC weft_trap *slice_fn(HANDLER_ARGS);
static HANDLER_CC weft_trap *trap_fn(HANDLER_ARGS);
#define do_return_fn h_ret /* LABEL(do_return) starts ret's handler */

/* call_host, then this run's state in ex again. A host function that
 * calls back into Wasm runs a nested run(), which points ex at its own
 * state and may never return (a Go host function's panic unwinding past
 * it: interp_abandon); this is the one place a run nests, so the caller's
 * state is put back here, not in run(): ex->tail now, fr and inst by the
 * RELOAD_MEMORY that follows. */
static inline weft_trap *tail_call_host(exec *ex, frame *fr, weft_func *f, weft_instance *caller,
                                        uint64_t *args)
{
    tail_run *locals = ex->tail;
    weft_trap *t = call_host(ex, fr, f, caller, args);
    ex->tail = locals;
    return t;
}
#define CALL_HOST tail_call_host
#else
#define CALL_HOST call_host
#endif

/* Runs from pc with frame record fr down to the entry record entry_fr.
 * With may_yield, a call of a yielding host function pushes a suspension
 * record and returns INTERP_YIELDED instead of calling it. */
static weft_trap *run(exec *ex, weft_instance *inst, const uint32_t *pc, uint64_t *fp, frame *fr,
                      frame *const entry_fr, bool may_yield)
{
#if defined(WEFT_SWITCH_DISPATCH)
    if (UNLIKELY(ex == NULL)) {
        static const void *ids[OP_COUNT];
        for (uintptr_t i = 0; i < OP_COUNT; i++)
            ids[i] = (const void *)i;
        handler_table = ids;
        return NULL;
    }
#elif defined(WEFT_TAIL_DISPATCH)
    static const void *const handlers[OP_COUNT] = {
#define OP_HANDLER(name, shape) (const void *)h_##name,
        OPS(OP_HANDLER)
#undef OP_HANDLER
    };
    if (UNLIKELY(ex == NULL)) {
        handler_table = handlers;
        return NULL;
    }
#else
    static const void *const labels[OP_COUNT] = {
#define OP_LABEL(name, shape) &&L_##name,
        OPS(OP_LABEL)
#undef OP_LABEL
    };
    if (UNLIKELY(ex == NULL)) {
        handler_table = labels;
        return NULL;
    }
#endif

    weft_memory *mem0 = inst_memory(inst);
#ifdef WEFT_TAIL_DISPATCH
    tail_run locals = {.entry_fr = entry_fr, .may_yield = may_yield};
    ex->tail = &locals;
    KEEP_STATE();
    tail_handler first;
    memcpy(&first, pc, sizeof first);
    return first(HANDLER_PASS);
    /* the first CASE closes run() */
#else
    /* volatile: GCC would otherwise set the code on hot paths, before the
     * compare that decides whether to trap (a register move per access). */
    volatile weft_trap_code trap_code = WEFT_TRAP_NONE;
    weft_trap *pending = NULL;

    /* Set by call handlers before GOTO(call_func) / GOTO(tail_call_func). */
    weft_func *callee;
    uint64_t *args;
    const uint32_t *ret_pc;
#endif

#if defined(WEFT_SWITCH_DISPATCH)
dispatch:
#ifdef WEFT_OP_PROFILE
    op_profile_count((uint32_t)(uintptr_t)imm64_at(pc));
#endif
    switch ((uintptr_t)imm64_at(pc)) {
#elif !defined(WEFT_TAIL_DISPATCH)
    DISPATCH();
#endif

    /* ------------------------------------------------------------ control */
    CASE(unreachable) TRAP(WEFT_TRAP_UNREACHABLE);

    CASE(enter)
    {
        ENTER_FRAME(pc);
        NEXT(enter);
    }
    CASE(enter_pool)
    {
        /* pc[5]: where the OP_pool record is, relative to pc */
        ENTER_FRAME(pc);
        const uint32_t *pool = pc + pc[5];
        uint64_t *dst = fp + pool[2];
        for (uint32_t i = 0, n = pool[3]; i < n; i++)
            dst[i] = imm64_at(pool + 4 + 2 * i);
        NEXT(enter_pool);
    }

    CASE(pool) TRAP(WEFT_TRAP_UNREACHABLE);

    CASE(exit)
    {
        ex->frames_top = fr;
        return NULL;
    }

    CASE(fuel)
    {
        /* One unit per call and per loop iteration (compile.c emits this
         * only for engines with fuel on). */
        if (UNLIKELY(--ex->fuel < 0)) {
            ex->fuel = 0;
            TRAP(WEFT_TRAP_OUT_OF_FUEL);
        }
        NEXT(fuel);
    }

    CASE(br) JUMP_VIA(2);
    CASE(br_bk)
    {
        JUMP_BACK_VIA(2);
    }
#define BR_COND(name, cond, back)   \
    CASE(name)                      \
    {                               \
        if (cond) {                 \
            if (back)               \
                JUMP_BACK_VIA(3);   \
            JUMP_VIA(3);            \
        }                           \
        NEXT(name);                 \
    }
    BR_COND(br_nz, U32(pc[2]) != 0, 0)
    BR_COND(br_z, U32(pc[2]) == 0, 0)
    BR_COND(br_nz_bk, U32(pc[2]) != 0, 1)
    BR_COND(br_z_bk, U32(pc[2]) == 0, 1)
    BR_COND(br_nz64, U64(pc[2]) != 0, 0)
    BR_COND(br_z64, U64(pc[2]) == 0, 0)
    BR_COND(br_nz64_bk, U64(pc[2]) != 0, 1)
    BR_COND(br_z64_bk, U64(pc[2]) == 0, 1)
#undef BR_COND

    /* Fused compare-and-branch: slot/slot offset at pc[4]; i32 immediate at
     * pc[3], offset pc[4]; i64 immediate at pc[3..4], offset pc[5]. */
#define BR_CMP(name, OPR, T)                                                           \
    CASE(br_i32_##name)                                                                \
    {                                                                                  \
        if ((T)(uint32_t)fp[pc[2]] OPR(T)(uint32_t) fp[pc[3]])                         \
            JUMP_VIA(4);                                                               \
        NEXT(br_i32_##name);                                                           \
    }                                                                                  \
    CASE(br_i32_##name##_imm)                                                          \
    {                                                                                  \
        if ((T)(uint32_t)fp[pc[2]] OPR(T) pc[3])                                       \
            JUMP_VIA(4);                                                               \
        NEXT(br_i32_##name##_imm);                                                     \
    }                                                                                  \
    CASE(br_i32_##name##_bk)                                                           \
    {                                                                                  \
        if ((T)(uint32_t)fp[pc[2]] OPR(T)(uint32_t) fp[pc[3]]) {                       \
            JUMP_BACK_VIA(4);                                                          \
        }                                                                              \
        NEXT(br_i32_##name##_bk);                                                      \
    }                                                                                  \
    CASE(br_i32_##name##_imm_bk)                                                       \
    {                                                                                  \
        if ((T)(uint32_t)fp[pc[2]] OPR(T) pc[3]) {                                     \
            JUMP_BACK_VIA(4);                                                          \
        }                                                                              \
        NEXT(br_i32_##name##_imm_bk);                                                  \
    }
    CMP_I32(BR_CMP)
#undef BR_CMP
#define BR_CMP(name, OPR, T)                                                           \
    CASE(br_i64_##name)                                                                \
    {                                                                                  \
        if ((T)fp[pc[2]] OPR(T) fp[pc[3]])                                             \
            JUMP_VIA(4);                                                               \
        NEXT(br_i64_##name);                                                           \
    }                                                                                  \
    CASE(br_i64_##name##_imm)                                                          \
    {                                                                                  \
        if ((T)fp[pc[2]] OPR(T) imm64_at(pc + 3))                                      \
            JUMP_VIA(5);                                                               \
        NEXT(br_i64_##name##_imm);                                                     \
    }                                                                                  \
    CASE(br_i64_##name##_bk)                                                           \
    {                                                                                  \
        if ((T)fp[pc[2]] OPR(T) fp[pc[3]]) {                                           \
            JUMP_BACK_VIA(4);                                                          \
        }                                                                              \
        NEXT(br_i64_##name##_bk);                                                      \
    }                                                                                  \
    CASE(br_i64_##name##_imm_bk)                                                       \
    {                                                                                  \
        if ((T)fp[pc[2]] OPR(T) imm64_at(pc + 3)) {                                    \
            JUMP_BACK_VIA(5);                                                          \
        }                                                                              \
        NEXT(br_i64_##name##_imm_bk);                                                  \
    }
    CMP_I64(BR_CMP)
#undef BR_CMP

    CASE(br_inc_nz_bk)
    {
        uint32_t v = U32(pc[3]) + pc[4];
        fp[pc[2]] = v;
        if (v != 0) {
            JUMP_BACK_VIA(5);
        }
        NEXT(br_inc_nz_bk);
    }
#define BR_INC(name, OPR, T)                                                           \
    CASE(br_inc_##name##_bk)                                                           \
    {                                                                                  \
        uint32_t v = U32(pc[3]) + pc[4];                                               \
        fp[pc[2]] = v;                                                                 \
        if ((T)v OPR(T) U32(pc[5])) {                                                  \
            JUMP_BACK_VIA(6);                                                          \
        }                                                                              \
        NEXT(br_inc_##name##_bk);                                                      \
    }                                                                                  \
    CASE(br_inc_##name##_imm_bk)                                                       \
    {                                                                                  \
        uint32_t v = U32(pc[3]) + pc[4];                                               \
        fp[pc[2]] = v;                                                                 \
        if ((T)v OPR(T) pc[5]) {                                                       \
            JUMP_BACK_VIA(6);                                                          \
        }                                                                              \
        NEXT(br_inc_##name##_imm_bk);                                                  \
    }
    CMP_I32(BR_INC)
#undef BR_INC
#define BR_ADD(name, OPR, T)                                                           \
    CASE(br_add_##name##_imm_bk)                                                       \
    {                                                                                  \
        uint32_t v = U32(pc[3]) + U32(pc[4]);                                          \
        fp[pc[2]] = v;                                                                 \
        if ((T)v OPR(T) pc[5]) {                                                       \
            JUMP_BACK_VIA(6);                                                          \
        }                                                                              \
        NEXT(br_add_##name##_imm_bk);                                                  \
    }
    CMP_I32(BR_ADD)
#undef BR_ADD

    CASE(br_table)
    {
        uint32_t i = U32(pc[2]);
        uint32_t n = pc[3];
        if (i > n)
            i = n;
        JUMP_VIA(4 + i);
    }
    CASE(const_br_bk)
    {
        fp[pc[2]] = pc[3];
        JUMP_BACK_VIA(4);
    }

    CASE(ret)
    {
    LABEL(do_return)
        pc = fr->ret_pc;
        fp = fr->fp;
        if (UNLIKELY(fr->inst != inst)) {
            inst = fr->inst;
            RELOAD_MEMORY();
        }
        fr--;
        KEEP_STATE();
        DISPATCH();
    }
    CASE(ret1)
    {
        fp[0] = fp[pc[2]];
        GOTO(do_return);
    }

    CASE(call)
    {
        const cfunc *cf = (const cfunc *)(uintptr_t)imm64_at(pc + 3);
        PUSH_FRAME(pc + OPW_call, cf);
        fp += pc[2];
        /* The callee's prologue runs here: one dispatch fewer per call. */
        pc = cf->code;
        ENTER_FRAME(pc);
        pc += OPW_enter;
        DISPATCH();
    }
    CASE(call_pool)
    {
        const cfunc *cf = (const cfunc *)(uintptr_t)imm64_at(pc + 3);
        PUSH_FRAME(pc + OPW_call_pool, cf);
        fp += pc[2];
        pc = cf->code;
        DISPATCH();
    }
    CASE(call_import)
    {
        LOCAL(callee) = inst->funcs[pc[3]];
        LOCAL(args) = fp + pc[2];
        LOCAL(ret_pc) = pc + OPW_call_import;
        GOTO(call_func);
    }
    CASE(call_indirect)
    {
        weft_table *t = inst->tables[pc[4]];
        uint32_t i = U32(pc[3]);
        if (UNLIKELY(i >= t->size))
            TRAP(WEFT_TRAP_UNDEFINED_ELEMENT);
        LOCAL(callee) = (weft_func *)t->elems[i];
        if (UNLIKELY(!LOCAL(callee)))
            TRAP(WEFT_TRAP_INDIRECT_CALL_NULL);
        if (UNLIKELY(!signature_matches(LOCAL(callee), imm64_at(pc + 5), pc + 7)))
            TRAP(WEFT_TRAP_INDIRECT_CALL_TYPE);
        LOCAL(args) = fp + pc[2];
        LOCAL(ret_pc) = pc + OPW_call_indirect;
        GOTO(call_func);
    }

    CASE(return_call)
    {
        const cfunc *cf = (const cfunc *)(uintptr_t)imm64_at(pc + 3);
        memmove(fp, fp + pc[2], (size_t)cf->param_slots * sizeof(uint64_t));
        fr->cf = cf;
        pc = cf->code;
        DISPATCH();
    }
    CASE(return_call_import)
    {
        LOCAL(callee) = inst->funcs[pc[3]];
        LOCAL(args) = fp + pc[2];
        GOTO(tail_call_func);
    }
    CASE(return_call_indirect)
    {
        weft_table *t = inst->tables[pc[4]];
        uint32_t i = U32(pc[3]);
        if (UNLIKELY(i >= t->size))
            TRAP(WEFT_TRAP_UNDEFINED_ELEMENT);
        LOCAL(callee) = (weft_func *)t->elems[i];
        if (UNLIKELY(!LOCAL(callee)))
            TRAP(WEFT_TRAP_INDIRECT_CALL_NULL);
        if (UNLIKELY(!signature_matches(LOCAL(callee), imm64_at(pc + 5), pc + 7)))
            TRAP(WEFT_TRAP_INDIRECT_CALL_TYPE);
        LOCAL(args) = fp + pc[2];
        GOTO(tail_call_func);
    }

    /* ------------------------------------------------------- data movement */
    BINOP(copy, fp[A])
    CASE(copy2)
    {
        fp[D] = fp[A];
        fp[B] = fp[C];
        NEXT(copy2);
    }
    CASE(copy128)
    {
        uint64_t lo = fp[A], hi = fp[A + 1];
        fp[D] = lo;
        fp[D + 1] = hi;
        NEXT(copy128);
    }
    BINOP(const64, imm64_at(pc + 3))
    CASE(const128)
    {
        fp[D] = imm64_at(pc + 3);
        fp[D + 1] = imm64_at(pc + 5);
        NEXT(const128);
    }
    BINOP(select, U32(C) ? fp[A] : fp[B])
    CASE(select128)
    {
        uint32_t src = U32(C) ? A : B;
        uint64_t lo = fp[src], hi = fp[src + 1];
        fp[D] = lo;
        fp[D + 1] = hi;
        NEXT(select128);
    }
    BINOP(global_get, *inst->global_cells[A])
    CASE(global_set)
    {
        *inst->global_cells[A] = fp[D];
        NEXT(global_set);
    }
    CASE(global_get128)
    {
        uint64_t *g = inst->global_cells[A];
        fp[D] = g[0];
        fp[D + 1] = g[1];
        NEXT(global_get128);
    }
    CASE(global_set128)
    {
        uint64_t *g = inst->global_cells[A];
        g[0] = fp[D];
        g[1] = fp[D + 1];
        NEXT(global_set128);
    }

    /* -------------------------------------------------------------- memory */
    MEMORY_HANDLERS(, MEM)
    MEMORY_HANDLERS(_k, MEMK)
    MEMORY_HANDLERS(_s, MEMS)
    MEMORY_HANDLERS(_x, MEMX)

    BINOP(memory_size, mem0->size / WASM_PAGE_SIZE)
    CASE(memory_grow)
    {
        int64_t old = memory_grow_pages(mem0, U32(A));
        fp[D] = (uint32_t)old;
        RELOAD_MEMORY();
        NEXT(memory_grow);
    }
    CASE(memory_fill)
    {
        BOUNDED_BULK_CHECK(U32(B));
        LOCAL(trap_code) = memory_fill(mem0, U32(D), (uint8_t)U32(A), U32(B));
        if (UNLIKELY(LOCAL(trap_code)))
            GOTO(trap);
        NEXT(memory_fill);
    }
    CASE(memory_copy)
    {
        BOUNDED_BULK_CHECK(U32(B));
        LOCAL(trap_code) = memory_copy(mem0, U32(D), U32(A), U32(B));
        if (UNLIKELY(LOCAL(trap_code)))
            GOTO(trap);
        NEXT(memory_copy);
    }
    CASE(memory_init)
    {
        BOUNDED_BULK_CHECK(U32(B));
        LOCAL(trap_code) = memory_init(inst, mem0, pc[5], U32(D), U32(A), U32(B));
        if (UNLIKELY(LOCAL(trap_code)))
            GOTO(trap);
        NEXT(memory_init);
    }
    CASE(data_drop)
    {
        inst->data_dropped[pc[2]] = true;
        NEXT(data_drop);
    }

    /* ------------------------------------------------- tables, references */
    CASE(table_get)
    {
        weft_table *t = inst->tables[pc[4]];
        uint32_t i = U32(A);
        if (UNLIKELY(i >= t->size))
            TRAP(WEFT_TRAP_TABLE_OUT_OF_BOUNDS);
        fp[D] = (uint64_t)(uintptr_t)t->elems[i];
        NEXT(table_get);
    }
    CASE(table_set)
    {
        weft_table *t = inst->tables[pc[4]];
        uint32_t i = U32(D);
        if (UNLIKELY(i >= t->size))
            TRAP(WEFT_TRAP_TABLE_OUT_OF_BOUNDS);
        t->elems[i] = (void *)(uintptr_t)fp[A];
        NEXT(table_set);
    }
    BINOP(table_size, inst->tables[A]->size)
    CASE(table_grow)
    {
        BOUNDED_TABLE_CHECK(U32(B));
        int64_t old = table_grow_elems(inst->tables[pc[5]], U32(B), (void *)(uintptr_t)fp[A]);
        fp[D] = (uint32_t)old;
        NEXT(table_grow);
    }
    CASE(table_fill)
    {
        BOUNDED_TABLE_CHECK(U32(B));
        LOCAL(trap_code) = table_fill(inst->tables[pc[5]], U32(D), (void *)(uintptr_t)fp[A], U32(B));
        if (UNLIKELY(LOCAL(trap_code)))
            GOTO(trap);
        NEXT(table_fill);
    }
    CASE(table_copy)
    {
        BOUNDED_TABLE_CHECK(U32(B));
        LOCAL(trap_code) = table_copy(inst->tables[pc[5]], inst->tables[pc[6]], U32(D), U32(A), U32(B));
        if (UNLIKELY(LOCAL(trap_code)))
            GOTO(trap);
        NEXT(table_copy);
    }
    CASE(table_init)
    {
        BOUNDED_TABLE_CHECK(U32(B));
        LOCAL(trap_code) = table_init(inst, inst->tables[pc[5]], pc[6], U32(D), U32(A), U32(B));
        if (UNLIKELY(LOCAL(trap_code)))
            GOTO(trap);
        NEXT(table_init);
    }
    CASE(elem_drop)
    {
        inst->elem_dropped[pc[2]] = true;
        NEXT(elem_drop);
    }
    UNOP(ref_is_null, fp[A] == 0)
    BINOP(ref_func, (uint64_t)(uintptr_t)inst->funcs[A])

    /* ------------------------------------------------------------------ i32 */
    UNOP(i32_eqz, U32(A) == 0)
#define CMP_OPS(name, OPR, T)                              \
    BINOP(i32_##name, (T)U32(A) OPR(T) U32(B))             \
    BINOP(i32_##name##_imm, (T)U32(A) OPR(T) pc[4])
    CMP_I32(CMP_OPS)
#undef CMP_OPS
    UNOP(i32_clz, U32(A) ? (uint32_t)__builtin_clz(U32(A)) : 32)
    UNOP(i32_ctz, U32(A) ? (uint32_t)__builtin_ctz(U32(A)) : 32)
    UNOP(i32_popcnt, (uint32_t)__builtin_popcount(U32(A)))
    BINOP(i32_add, (uint32_t)(U32(A) + U32(B)))
    BINOP(i32_sub, (uint32_t)(U32(A) - U32(B)))
    BINOP(i32_mul, (uint32_t)(U32(A) * U32(B)))
    CASE(i32_div_s)
    {
        int32_t a = I32(A), b = I32(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        if (UNLIKELY(a == INT32_MIN && b == -1))
            TRAP(WEFT_TRAP_INTEGER_OVERFLOW);
        fp[D] = (uint32_t)(a / b);
        NEXT(i32_div_s);
    }
    CASE(i32_div_u)
    {
        uint32_t b = U32(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        fp[D] = U32(A) / b;
        NEXT(i32_div_u);
    }
    CASE(i32_rem_s)
    {
        int32_t a = I32(A), b = I32(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        fp[D] = b == -1 ? 0 : (uint32_t)(a % b);
        NEXT(i32_rem_s);
    }
    CASE(i32_rem_u)
    {
        uint32_t b = U32(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        fp[D] = U32(A) % b;
        NEXT(i32_rem_u);
    }
    BINOP(i32_and, U32(A) & U32(B))
    BINOP(i32_or, U32(A) | U32(B))
    BINOP(i32_xor, U32(A) ^ U32(B))
    BINOP(i32_shl, (uint32_t)(U32(A) << (U32(B) & 31)))
    BINOP(i32_shr_s, (uint32_t)(I32(A) >> (U32(B) & 31)))
    BINOP(i32_shr_u, U32(A) >> (U32(B) & 31))
    BINOP(i32_rotl, rotl32(U32(A), U32(B)))
    BINOP(i32_rotr, rotr32(U32(A), U32(B)))
    BINOP(i32_add_imm, (uint32_t)(U32(A) + pc[4]))
    CASE(i32_add_imm2)
    {
        fp[D] = (uint32_t)(U32(A) + pc[4]);
        fp[pc[5]] = (uint32_t)(U32(pc[6]) + pc[7]);
        NEXT(i32_add_imm2);
    }
    CASE(i32_add_imm_copy)
    {
        uint64_t sum = (uint32_t)(U32(A) + pc[4]);
        fp[D] = sum;
        fp[pc[5]] = sum;
        NEXT(i32_add_imm_copy);
    }
    CASE(i32_add_imm_global_set)
    {
        uint64_t sum = (uint32_t)(U32(A) + pc[4]);
        fp[D] = sum;
        *inst->global_cells[pc[5]] = sum;
        NEXT(i32_add_imm_global_set);
    }
    CASE(i32_add2)
    {
        fp[D] = (uint32_t)(U32(A) + U32(B));
        fp[pc[5]] = (uint32_t)(U32(pc[6]) + U32(pc[7]));
        NEXT(i32_add2);
    }
    BINOP(i32_mul_imm, (uint32_t)(U32(A) * pc[4]))
    BINOP(i32_div_u_k, div_u32_by_reciprocal(U32(A), imm64_at(pc + 5)))
    BINOP(i32_rem_u_k, rem_u32_by_reciprocal(U32(A), pc[4], imm64_at(pc + 5)))
    BINOP(i32_and_imm, U32(A) & pc[4])
    BINOP(i32_or_imm, U32(A) | pc[4])
    BINOP(i32_xor_imm, U32(A) ^ pc[4])
    BINOP(i32_shl_imm, (uint32_t)(U32(A) << pc[4])) /* immediates are pre-masked */
    BINOP(i32_shr_s_imm, (uint32_t)(I32(A) >> pc[4]))
    BINOP(i32_shr_u_imm, U32(A) >> pc[4])
    BINOP(i32_rotl_imm, rotl32(U32(A), pc[4]))
    BINOP(i32_rotr_imm, rotr32(U32(A), pc[4]))
    BINOP(i32_sub_imm_rev, (uint32_t)(pc[4] - U32(A)))
    BINOP(lea, (uint32_t)(U32(A) + (U32(B) << pc[5]) + pc[6]))
    BINOP(i32_xor_shl, U32(A) ^ (uint32_t)(U32(B) << pc[5]))
    BINOP(i32_xor_shr_u, U32(A) ^ (U32(B) >> pc[5]))
    BINOP(i32_xor_shr_mul, (uint32_t)((U32(A) ^ (U32(B) >> pc[5])) * pc[6]))
    BINOP(i32_xor_rotl, U32(A) ^ rotl32(U32(B), pc[5]))
    BINOP(i32_or_shl, U32(A) | (uint32_t)(U32(B) << pc[5]))
    BINOP(i32_or_shr_u, U32(A) | (U32(B) >> pc[5]))
    BINOP(i32_or_rotl, U32(A) | rotl32(U32(B), pc[5]))

    /* ------------------------------------------------------------------ i64 */
    UNOP(i64_eqz, U64(A) == 0)
#define CMP_OPS(name, OPR, T)                              \
    BINOP(i64_##name, (T)U64(A) OPR(T) U64(B))             \
    BINOP(i64_##name##_imm, (T)U64(A) OPR(T) imm64_at(pc + 4))
    CMP_I64(CMP_OPS)
#undef CMP_OPS
    UNOP(i64_clz, U64(A) ? (uint64_t)__builtin_clzll(U64(A)) : 64)
    UNOP(i64_ctz, U64(A) ? (uint64_t)__builtin_ctzll(U64(A)) : 64)
    UNOP(i64_popcnt, (uint64_t)__builtin_popcountll(U64(A)))
    BINOP(i64_add, U64(A) + U64(B))
    BINOP(i64_sub, U64(A) - U64(B))
    BINOP(i64_mul, U64(A) * U64(B))
    CASE(i64_div_s)
    {
        int64_t a = I64(A), b = I64(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        if (UNLIKELY(a == INT64_MIN && b == -1))
            TRAP(WEFT_TRAP_INTEGER_OVERFLOW);
        fp[D] = (uint64_t)(a / b);
        NEXT(i64_div_s);
    }
    CASE(i64_div_u)
    {
        uint64_t b = U64(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        fp[D] = U64(A) / b;
        NEXT(i64_div_u);
    }
    CASE(i64_rem_s)
    {
        int64_t a = I64(A), b = I64(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        fp[D] = b == -1 ? 0 : (uint64_t)(a % b);
        NEXT(i64_rem_s);
    }
    CASE(i64_rem_u)
    {
        uint64_t b = U64(B);
        if (UNLIKELY(b == 0))
            TRAP(WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO);
        fp[D] = U64(A) % b;
        NEXT(i64_rem_u);
    }
    BINOP(i64_and, U64(A) & U64(B))
    BINOP(i64_or, U64(A) | U64(B))
    BINOP(i64_xor, U64(A) ^ U64(B))
    BINOP(i64_shl, U64(A) << (U64(B) & 63))
    BINOP(i64_shr_s, (uint64_t)(I64(A) >> (U64(B) & 63)))
    BINOP(i64_shr_u, U64(A) >> (U64(B) & 63))
    BINOP(i64_rotl, rotl64(U64(A), U64(B)))
    BINOP(i64_rotr, rotr64(U64(A), U64(B)))
    BINOP(i64_add_imm, U64(A) + imm64_at(pc + 4))
    BINOP(i64_mul_imm, U64(A) * imm64_at(pc + 4))
    BINOP(i64_and_imm, U64(A) & imm64_at(pc + 4))
    BINOP(i64_or_imm, U64(A) | imm64_at(pc + 4))
    BINOP(i64_xor_imm, U64(A) ^ imm64_at(pc + 4))
    BINOP(i64_shl_imm, U64(A) << imm64_at(pc + 4))
    BINOP(i64_shr_s_imm, (uint64_t)(I64(A) >> imm64_at(pc + 4)))
    BINOP(i64_shr_u_imm, U64(A) >> imm64_at(pc + 4))
    BINOP(i64_rotl_imm, rotl64(U64(A), imm64_at(pc + 4)))
    BINOP(i64_rotr_imm, rotr64(U64(A), imm64_at(pc + 4)))
    BINOP(i64_sub_imm_rev, imm64_at(pc + 4) - U64(A))

    /* -------------------------------------------------------------- floats */
    BINOP(f32_eq, F32(A) == F32(B))
    BINOP(f32_ne, F32(A) != F32(B))
    BINOP(f32_lt, F32(A) < F32(B))
    BINOP(f32_gt, F32(A) > F32(B))
    BINOP(f32_le, F32(A) <= F32(B))
    BINOP(f32_ge, F32(A) >= F32(B))
    BINOP(f64_eq, F64(A) == F64(B))
    BINOP(f64_ne, F64(A) != F64(B))
    BINOP(f64_lt, F64(A) < F64(B))
    BINOP(f64_gt, F64(A) > F64(B))
    BINOP(f64_le, F64(A) <= F64(B))
    BINOP(f64_ge, F64(A) >= F64(B))
    UNOP(f32_abs, U32(A) & ~F32_SIGN)
    UNOP(f32_neg, U32(A) ^ F32_SIGN)
    UNOP(f32_ceil, f32_bits(wasm_ceilf(F32(A))))
    UNOP(f32_floor, f32_bits(wasm_floorf(F32(A))))
    UNOP(f32_trunc, f32_bits(wasm_truncf(F32(A))))
    UNOP(f32_nearest, f32_bits(wasm_nearestf(F32(A))))
    UNOP(f32_sqrt, f32_bits(sqrtf(F32(A))))
    BINOP(f32_add, f32_bits(F32(A) + F32(B)))
    BINOP(f32_sub, f32_bits(F32(A) - F32(B)))
    BINOP(f32_mul, f32_bits(F32(A) * F32(B)))
    BINOP(f32_div, f32_bits(F32(A) / F32(B)))
    BINOP(f32_min, f32_bits(wasm_fminf(F32(A), F32(B))))
    BINOP(f32_max, f32_bits(wasm_fmaxf(F32(A), F32(B))))
    BINOP(f32_copysign, (U32(A) & ~F32_SIGN) | (U32(B) & F32_SIGN))
    UNOP(f64_abs, U64(A) & ~F64_SIGN)
    UNOP(f64_neg, U64(A) ^ F64_SIGN)
    UNOP(f64_ceil, f64_bits(wasm_ceil(F64(A))))
    UNOP(f64_floor, f64_bits(wasm_floor(F64(A))))
    UNOP(f64_trunc, f64_bits(wasm_trunc(F64(A))))
    UNOP(f64_nearest, f64_bits(wasm_nearest(F64(A))))
    UNOP(f64_sqrt, f64_bits(sqrt(F64(A))))
    BINOP(f64_add, f64_bits(F64(A) + F64(B)))
    BINOP(f64_sub, f64_bits(F64(A) - F64(B)))
    BINOP(f64_mul, f64_bits(F64(A) * F64(B)))
    BINOP(f64_div, f64_bits(F64(A) / F64(B)))
    BINOP(f64_min, f64_bits(wasm_fmin(F64(A), F64(B))))
    BINOP(f64_max, f64_bits(wasm_fmax(F64(A), F64(B))))
    BINOP(f64_copysign, (U64(A) & ~F64_SIGN) | (U64(B) & F64_SIGN))
#define F64_MEM_OP(name, OPR, ea_expr)                       \
    CASE(name)                                               \
    {                                                        \
        MEM_EA_AT(8, ea_expr);                               \
        uint64_t m;                                          \
        memcpy(&m, mem0->base + ea, sizeof m);               \
        fp[D] = f64_bits(F64(A) OPR f64_from_bits(m));       \
        NEXT(name);                                          \
    }
#define EA_FM ((uint64_t)U32(B) + (uint64_t)pc[5])
#define EA_FMK EA_K_AT(4)
    F64_MEM_OP(f64_add_m, +, EA_FM)
    F64_MEM_OP(f64_sub_m, -, EA_FM)
    F64_MEM_OP(f64_mul_m, *, EA_FM)
    F64_MEM_OP(f64_add_mk, +, EA_FMK)
    F64_MEM_OP(f64_sub_mk, -, EA_FMK)
    F64_MEM_OP(f64_mul_mk, *, EA_FMK)
#undef F64_MEM_OP
#define I32_XOR_MEM8(name, ea_expr)                          \
    CASE(name)                                               \
    {                                                        \
        MEM_EA_AT(1, ea_expr);                               \
        fp[D] = U32(A) ^ (uint32_t)mem0->base[ea];           \
        NEXT(name);                                          \
    }
    I32_XOR_MEM8(i32_xor_m8, EA_FM)
    I32_XOR_MEM8(i32_xor_mk8, EA_FMK)
#undef I32_XOR_MEM8
#define MOVE(name, width)                                                 \
    CASE(name)                                                            \
    {                                                                     \
        uint8_t v[width]; /* through a copy: the two may overlap */       \
        {                                                                 \
            MEM_EA_AT(width, EA_K_AT(5));                                 \
            memcpy(v, mem0->base + ea, (width));                          \
        }                                                                 \
        {                                                                 \
            MEM_EA_AT(width, EA_K_AT(2));                                 \
            memcpy(mem0->base + ea, v, (width));                          \
        }                                                                 \
        NEXT(name);                                                       \
    }
    MOVE(move8, 1)
    MOVE(move16, 2)
    MOVE(move32, 4)
    MOVE(move64, 8)
#undef MOVE
    CASE(f64_add_rmw)
    {
        MEM_EA_AT(8, (uint64_t)U32(A) + (uint64_t)pc[4]);
        uint64_t m;
        memcpy(&m, mem0->base + ea, sizeof m);
        m = f64_bits(f64_from_bits(m) + F64(D));
        memcpy(mem0->base + ea, &m, sizeof m);
        NEXT(f64_add_rmw);
    }
    /* The product is rounded on its own (f64_rounded): the C compiler must
     * not contract the pair into an FMA, which would round once. */
#define F64_MUL_THEN(name, expr)                     \
    CASE(name)                                       \
    {                                                \
        double product = f64_rounded(F64(A) * F64(B)); \
        fp[D] = f64_bits(expr);                      \
        NEXT(name);                                  \
    }
    F64_MUL_THEN(f64_mul_add, product + F64(C))
    F64_MUL_THEN(f64_mul_sub, product - F64(C))
    F64_MUL_THEN(f64_mul_rsub, F64(C) - product)
#undef F64_MUL_THEN
    /* f64_mul_m / _mk fused into the f64.add that consumes the product;
     * c_word: where the addend's slot is */
#define F64_MUL_MEM_ADD(name, ea_expr, c_word)                                     \
    CASE(name)                                                                     \
    {                                                                              \
        MEM_EA_AT(8, ea_expr);                                                     \
        uint64_t m;                                                                \
        memcpy(&m, mem0->base + ea, sizeof m);                                     \
        double product = f64_rounded(F64(A) * f64_from_bits(m));                   \
        fp[D] = f64_bits(product + F64(pc[c_word]));                               \
        NEXT(name);                                                                \
    }
    F64_MUL_MEM_ADD(f64_mul_m_add, EA_FM, 6)
    F64_MUL_MEM_ADD(f64_mul_mk_add, EA_FMK, 7)
#undef F64_MUL_MEM_ADD
#undef EA_FM
#undef EA_FMK

    /* --------------------------------------------------------- conversions */
    UNOP(i32_wrap_i64, (uint32_t)U64(A))
#define TRUNC(name, ftype, range_ok, ctype, store)            \
    CASE(name)                                                \
    {                                                         \
        double x = ftype(A);                                  \
        if (UNLIKELY(x != x))                                 \
            TRAP(WEFT_TRAP_INVALID_CONVERSION);               \
        if (UNLIKELY(!range_ok(x)))                           \
            TRAP(WEFT_TRAP_INTEGER_OVERFLOW);                 \
        fp[D] = store((ctype)x);                              \
        NEXT(name);                                           \
    }
#define AS_U32(v) (uint32_t)(v)
#define AS_U64(v) (uint64_t)(v)
    TRUNC(i32_trunc_f32_s, F32, in_range_i32_s, int32_t, AS_U32)
    TRUNC(i32_trunc_f32_u, F32, in_range_u32, uint32_t, AS_U32)
    TRUNC(i32_trunc_f64_s, F64, in_range_i32_s, int32_t, AS_U32)
    TRUNC(i32_trunc_f64_u, F64, in_range_u32, uint32_t, AS_U32)
    TRUNC(i64_trunc_f32_s, F32, in_range_i64_s, int64_t, AS_U64)
    TRUNC(i64_trunc_f32_u, F32, in_range_u64, uint64_t, AS_U64)
    TRUNC(i64_trunc_f64_s, F64, in_range_i64_s, int64_t, AS_U64)
    TRUNC(i64_trunc_f64_u, F64, in_range_u64, uint64_t, AS_U64)
#undef TRUNC
    UNOP(i64_extend_i32_s, (uint64_t)(int64_t)I32(A))
    UNOP(f32_convert_i32_s, f32_bits((float)I32(A)))
    UNOP(f32_convert_i32_u, f32_bits((float)U32(A)))
    UNOP(f32_convert_i64_s, f32_bits((float)I64(A)))
    UNOP(f32_convert_i64_u, f32_bits((float)U64(A)))
    UNOP(f32_demote_f64, f32_bits((float)F64(A)))
    UNOP(f64_convert_i32_s, f64_bits((double)I32(A)))
    UNOP(f64_convert_i32_u, f64_bits((double)U32(A)))
    UNOP(f64_convert_i64_s, f64_bits((double)I64(A)))
    UNOP(f64_convert_i64_u, f64_bits((double)U64(A)))
    UNOP(f64_promote_f32, f64_bits((double)F32(A)))
    UNOP(i32_extend8_s, (uint32_t)(int32_t)(int8_t)U32(A))
    UNOP(i32_extend16_s, (uint32_t)(int32_t)(int16_t)U32(A))
    UNOP(i64_extend8_s, (uint64_t)(int64_t)(int8_t)U64(A))
    UNOP(i64_extend16_s, (uint64_t)(int64_t)(int16_t)U64(A))
    UNOP(i32_trunc_sat_f32_s, (uint32_t)sat_i32_s(F32(A)))
    UNOP(i32_trunc_sat_f32_u, sat_u32(F32(A)))
    UNOP(i32_trunc_sat_f64_s, (uint32_t)sat_i32_s(F64(A)))
    UNOP(i32_trunc_sat_f64_u, sat_u32(F64(A)))
    UNOP(i64_trunc_sat_f32_s, (uint64_t)sat_i64_s(F32(A)))
    UNOP(i64_trunc_sat_f32_u, sat_u64(F32(A)))
    UNOP(i64_trunc_sat_f64_s, (uint64_t)sat_i64_s(F64(A)))
    UNOP(i64_trunc_sat_f64_u, sat_u64(F64(A)))

    /* ---------------------------------------------------------------- SIMD */
#include "interp_simd.inc"

#ifdef WEFT_SWITCH_DISPATCH
    default:
        TRAP(WEFT_TRAP_UNREACHABLE);
    }
#endif

    /* --------------------------------------------------- calls to weft_func */
SHARED(call_func)
    /* callee, args, ret_pc are set. */
    if (LOCAL(callee)->kind == FUNC_WASM) {
        PUSH_FRAME(LOCAL(ret_pc), LOCAL(callee)->cf);
        fp = LOCAL(args);
        pc = LOCAL(callee)->cf->code;
        if (LOCAL(callee)->inst != inst) {
            inst = LOCAL(callee)->inst;
            RELOAD_MEMORY();
        }
        DISPATCH();
    }
    if (LOCAL(callee)->yields && LOCAL(may_yield)) {
        /* Return to the embedder, which runs the function and resumes at
         * ret_pc (interp_resume); unless the block run's embedder calls it
         * in place (ex->host_block: call_host does). Nested entries go above
         * its arguments. */
        if (!ex->host_block) {
            if (UNLIKELY(fr + 1 >= ex->frames_end))
                TRAP(WEFT_TRAP_CALL_STACK_EXHAUSTED);
            SUSPEND(LOCAL(ret_pc), LOCAL(args) + func_slot_count(LOCAL(callee)), false, LOCAL(callee), LOCAL(args));
        }
    } else if (UNLIKELY(ex->bounded)) {
        GOTO(slice); /* a native host function may block: not in a bounded run */
    }
    LOCAL(pending) = CALL_HOST(ex, fr, LOCAL(callee), inst, LOCAL(args));
    RELOAD_MEMORY();
    if (UNLIKELY(LOCAL(pending)))
        GOTO(trap);
    pc = LOCAL(ret_pc);
    DISPATCH();

SHARED(tail_call_func)
    /* callee and args are set; the callee replaces the current frame. */
    if (UNLIKELY(ex->bounded) && LOCAL(callee)->kind != FUNC_WASM)
        GOTO(slice); /* before the move: pc's operands are still in place */
    memmove(fp, LOCAL(args), (size_t)LOCAL(callee)->type->param_slots * sizeof(uint64_t));
    if (LOCAL(callee)->kind == FUNC_WASM) {
        fr->cf = LOCAL(callee)->cf;
        pc = LOCAL(callee)->cf->code;
        if (LOCAL(callee)->inst != inst) {
            inst = LOCAL(callee)->inst;
            RELOAD_MEMORY();
        }
        DISPATCH();
    }
    LOCAL(pending) = CALL_HOST(ex, fr, LOCAL(callee), inst, fp);
    RELOAD_MEMORY();
    if (UNLIKELY(LOCAL(pending)))
        GOTO(trap);
    GOTO(do_return);

SHARED(slice)
    /* A bounded run stops before the instruction at pc, which has changed
     * nothing yet; its embedder resumes it unbounded, re-running pc. */
    if (UNLIKELY(fr + 1 >= ex->frames_end)) {
        /* No room for the record: rather than fail where an unbounded run
         * would go on, this run goes on unbounded (enter_and_run restores
         * the mode when it returns). */
        ex->bounded = false;
        DISPATCH();
    }
    {
        uint64_t *top = fp + fr->cf->frame_slots;
        SUSPEND(pc, top, true, NULL, NULL);
    }

SHARED(trap)
    if (!LOCAL(pending) && LOCAL(trap_code) == WEFT_TRAP_INTERRUPTED &&
        !(atomic_load_explicit(&ex->interrupt, memory_order_relaxed) & INTERRUPT_STOP)) {
        /* Only the slice watchdog's flag (POLL): bounded runs stop, others
         * go on; either way pc, the polling instruction, runs again. */
        atomic_fetch_and_explicit(&ex->interrupt, ~INTERRUPT_SLICE, memory_order_relaxed);
        LOCAL(trap_code) = WEFT_TRAP_NONE;
        if (ex->bounded)
            GOTO(slice);
        DISPATCH();
    }
    if (!LOCAL(pending)) {
        if (LOCAL(trap_code) == WEFT_TRAP_INTERRUPTED)
            atomic_store(&ex->interrupt, 0); /* the request is consumed */
        LOCAL(pending) = trap_new_code(LOCAL(trap_code));
    }
    if (LOCAL(pending)) {
        for (frame *f = fr; f >= LOCAL(entry_fr); f--)
            if (f->cf)
                trap_push_frame(LOCAL(pending), f->cf);
    }
    ex->frames_top = LOCAL(entry_fr) - 1;
    return LOCAL(pending) ? LOCAL(pending) : trap_new_code(WEFT_TRAP_UNREACHABLE);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_handlers(void)
{
    run(NULL, NULL, NULL, NULL, NULL, NULL, false);
    memcpy(exit_stub, &handler_table[OP_exit], sizeof(void *));
}

const void *const *interp_handlers(void)
{
    pthread_once(&init_once, init_handlers);
    return handler_table;
}

static inline void copy_slots(uint64_t *dst, const uint64_t *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) /* usually 0-2 slots: no memcpy call */
        dst[i] = src[i];
}

/* run() with ex->bounded and ex->host_block set while it lasts: a run may
 * nest in another (a host function calling back into Wasm), whose mode
 * must hold again when it returns. */
static inline weft_trap *run_in_mode(exec *ex, bool bounded, weft_call_block *host_block,
                                     weft_instance *inst, const uint32_t *pc, uint64_t *fp,
                                     frame *fr, frame *base, bool may_yield)
{
    bool outer_bounded = ex->bounded;
    weft_call_block *outer_block = ex->host_block;
    if (host_block) { /* it may be abandoned: interp_abandon restores these */
        base->outer_bounded = outer_bounded;
        base->outer_block = outer_block;
    }
    ex->bounded = bounded;
    ex->host_block = host_block;
    weft_trap *t = run(ex, inst, pc, fp, fr, base, may_yield);
    ex->bounded = outer_bounded;
    ex->host_block = outer_block;
    return t;
}

/* Starts a call of Wasm function f: the arguments go to a new entry
 * record above the live frames (the handlers are initialized already: the
 * module was compiled). Inline in its callers: one call layer less on the
 * path of every call from the embedder. */
static inline __attribute__((always_inline)) weft_trap *
enter_and_run(weft_func *f, uint64_t *slots, bool may_yield, bool bounded,
              weft_call_block *host_block)
{
    weft_instance *inst = f->inst;
    if (UNLIKELY(!inst->ex.stack) && !exec_ensure(inst))
        return trap_new_message(WEFT_TRAP_CALL_STACK_EXHAUSTED, "out of memory for the stack");
    exec *ex = &inst->ex;
    const cfunc *cf = f->cf;
    uint64_t *fp = ex->sp;
    /* The whole frame, which holds the params and the results: the check
     * its enter op makes, made before the params are copied in. */
    if (UNLIKELY(fp + cf->frame_slots > ex->stack_end || ex->frames_top + 1 >= ex->frames_end))
        return trap_new_code(WEFT_TRAP_CALL_STACK_EXHAUSTED);
    copy_slots(fp, slots, cf->param_slots);
    frame *fr = ++ex->frames_top;
    fr->ret_pc = exit_stub;
    fr->fp = fp; /* where the results land, for interp_resume */
    fr->inst = inst;
    fr->cf = cf;
    ex->depth++;
    weft_trap *t = run_in_mode(ex, bounded, host_block, inst, cf->code, fp, fr, fr, may_yield);
    if (t == INTERP_YIELDED)
        return t;
    ex->depth--;
    if (!t)
        copy_slots(slots, fp, cf->result_slots);
    return t;
}

weft_trap *interp_call(weft_func *f, uint64_t *slots)
{
    return enter_and_run(f, slots, false, false, NULL);
}

/* A bounded start, marked for the slice watchdog while it lasts. The mark
 * is kept in ex: a host function called in place moves it
 * (call_host). */
static inline __attribute__((always_inline)) weft_trap *
start_bounded(weft_func *f, uint64_t *slots, weft_call_block *host_block)
{
    exec *ex = &f->inst->ex;
    ex->slice_mark = slice_run_begin(ex);
    weft_trap *t = enter_and_run(f, slots, true, true, host_block);
    slice_run_end(ex->slice_mark);
    return t;
}

weft_trap *interp_call_yielding(weft_func *f, uint64_t *slots, bool bounded)
{
    if (!bounded)
        return enter_and_run(f, slots, true, false, NULL);
    return start_bounded(f, slots, NULL);
}

static weft_trap *resume_run(weft_instance *entry, weft_trap *host_trap, uint64_t *slots,
                             bool bounded, weft_call_block *host_block);

/* A bounded resume, marked as start_bounded's start. */
static inline __attribute__((always_inline)) weft_trap *
resume_bounded(weft_instance *entry, weft_trap *host_trap, uint64_t *slots,
               weft_call_block *host_block)
{
    exec *ex = &entry->ex;
    ex->slice_mark = slice_run_begin(ex);
    weft_trap *t = resume_run(entry, host_trap, slots, true, host_block);
    slice_run_end(ex->slice_mark);
    return t;
}

weft_trap *interp_resume(weft_instance *entry, weft_trap *host_trap, uint64_t *slots,
                         bool bounded)
{
    if (!bounded)
        return resume_run(entry, host_trap, slots, false, NULL);
    return resume_bounded(entry, host_trap, slots, NULL);
}

/* A block start of a host function: refused. */
static int refuse_host_start(weft_call_block *b)
{
    b->trap = trap_new_message(WEFT_TRAP_BAD_ARGUMENTS, "a bounded call needs a Wasm function");
    return WEFT_CALL_TRAP;
}

/* All in one function, enter_and_run and resume_run inline: the path of
 * every resume of a fast call from Go. */
int interp_block_run(weft_call_block *b)
{
    weft_call_block *host_block = b->host_call ? b : NULL;
    weft_func *f = b->fn;
    b->trap = NULL;
    weft_trap *t;
    if (b->resume) {
        t = resume_bounded(f->inst, b->host_trap, b->slots, host_block);
        if (!t && !b->slots)
            b->host_slots = f->inst->ex.yield_args; /* the results, left in place */
    } else {
        if (UNLIKELY(f->kind != FUNC_WASM))
            return refuse_host_start(b);
        t = start_bounded(f, b->slots, host_block);
    }
    return call_outcome(&f->inst->ex, t, &b->host_env, &b->host_slots, &b->host_caller_data,
                        &b->trap);
}

/* interp_block_run for a start: no resume branch, and the outcome read
 * only when the run did not simply return (the path of every Go call). */
int interp_block_start(weft_call_block *b)
{
    weft_func *f = b->fn;
    if (UNLIKELY(f->kind != FUNC_WASM))
        return refuse_host_start(b);
    weft_trap *t;
    if (f->cf->brief) {
        /* It ends within microseconds: no watchdog mark (it calls no host
         * function, so nothing moves one; call_graph.h). */
        slice_clear_stale_flag(&f->inst->ex);
        t = enter_and_run(f, b->slots, true, true, NULL);
    } else {
        /* Host calls in place only for a function that may make one: the
         * Go package starts the others without what an in-place call needs
         * (cstack.CallLeaf), so were call_graph.c ever wrong, such a call
         * would yield, the slower way, rather than run in place. */
        t = start_bounded(f, b->slots, b->host_call && f->cf->reaches_host ? b : NULL);
    }
    if (LIKELY(!t))
        return WEFT_CALL_DONE;
    b->trap = NULL;
    return call_outcome(&f->inst->ex, t, &b->host_env, &b->host_slots, &b->host_caller_data,
                        &b->trap);
}

void interp_abandon(weft_instance *entry, weft_trap *trap)
{
    exec *ex = &entry->ex;
    frame *base = ex->frames_top;
    while (base >= ex->frames && base->ret_pc != exit_stub)
        base--;
    if (base < ex->frames)
        return; /* no run */
    if (trap)
        for (frame *f = ex->frames_top; f >= base; f--)
            if (f->cf)
                trap_push_frame(trap, f->cf);
    ex->frames_top = base - 1;
    ex->sp = base->fp;
    ex->depth--;
    ex->bounded = base->outer_bounded;
    ex->host_block = base->outer_block;
}

/* interp_resume's work, inline in it. */
static inline __attribute__((always_inline)) weft_trap *
resume_run(weft_instance *entry, weft_trap *host_trap, uint64_t *slots, bool bounded,
           weft_call_block *host_block)
{
    exec *ex = &entry->ex;
    frame *s = ex->frames_top; /* the suspension record */
    frame *base = s->run_base;
    uint64_t *entry_fp = base->fp;
    uint32_t result_slots = base->cf->result_slots;
    ex->sp = s->saved_sp;
    weft_trap *t;
    if (host_trap) {
        for (frame *f = s - 1; f >= base; f--)
            if (f->cf)
                trap_push_frame(host_trap, f->cf);
        ex->frames_top = base - 1;
        t = host_trap;
    } else {
        t = run_in_mode(ex, bounded && !s->slice, bounded && !s->slice ? host_block : NULL,
                        s->inst, s->ret_pc, s->fp, s - 1, base, true);
        if (t == INTERP_YIELDED)
            return t;
    }
    ex->depth--;
    if (!t && slots)
        copy_slots(slots, entry_fp, result_slots);
    ex->yield_args = entry_fp; /* where the results are, for slots == NULL */
    return t;
}
