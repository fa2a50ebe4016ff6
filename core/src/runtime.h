/* runtime.h — the runtime objects behind the public handles: engine, compiled
 * module, instance, function, memory, table, global, and the execution
 * context (value stack + call frames) the interpreter runs on. */
#ifndef WEFT_RUNTIME_H
#define WEFT_RUNTIME_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "map_pool.h"
#include "module.h"
#include "weft.h"

#define WASM_PAGE_SIZE 65536u
#define WASM_MAX_PAGES 65536u /* 4 GiB: the 32-bit address space */

#if defined(__GNUC__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

struct weft_config {
    uint32_t max_memory_pages;
    uint64_t max_total_memory_pages; /* all live memories of one engine */
    size_t max_module_size;          /* bytes of a module binary */
    uint64_t max_total_table_elements; /* all live tables of one engine */
    uint32_t max_table_elements;
    uint32_t max_call_depth;
    uint32_t value_stack_slots;
    bool fuel;
    bool pooling; /* keep freed memories and stacks for reuse (map_pool.h) */
    uint32_t features;
};

struct weft_engine {
    atomic_uint refs;
    struct weft_config config;
    /* Pages committed by the engine's live memories, against
     * config.max_total_memory_pages (memory.c). */
    _Atomic uint64_t memory_pages;
    /* Elements of the engine's live tables, against
     * config.max_total_table_elements (table.c). */
    _Atomic uint64_t table_elements;
    /* Freed memory reservations (memory.c) and instance stacks
     * (instance.c), kept for the next instance when config.pooling. */
    map_pool memory_pool;
    map_pool stack_pool;
};

void engine_retain(weft_engine *e);

/* ------------------------------------------------------------------ code */

/* One compiled function: where its threaded code starts and its frame shape.
 * Frames are [params][declared locals][operand temporaries], 8-byte slots. */
typedef struct cfunc {
    const uint32_t *code;   /* entry: the prologue op */
    uint32_t frame_slots;   /* every slot the body may touch */
    uint32_t param_slots, result_slots;
    uint32_t index;         /* function index in the module */
    bool makes_calls;       /* has a call instruction (any kind) */
    bool brief;             /* ends within microseconds (op_long_table, call_graph.h) */
    bool reaches_host;      /* a run of it may call a host function (call_graph.h) */
    uint32_t words;         /* its code's length */
    const functype *type;
    const struct weft_module *module;
} cfunc;

struct weft_module {
    atomic_uint refs;
    weft_engine *engine;
    wmodule m;
    cfunc *cfuncs;     /* one per defined function (index - nfunc_imports) */
    uint32_t *code;    /* all functions' threaded code */
    size_t code_len;   /* in 32-bit words */
};

void module_retain(weft_module *m);
/* Decodes and validates a module, then has make_code(mod, arg) fill its
 * code and cfuncs (the compiler, or a deserializer). */
weft_error *module_build(weft_engine *e, const uint8_t *bytes, size_t len,
                         weft_error *(*make_code)(weft_module *, void *), void *arg,
                         weft_module **out);

/* --------------------------------------------------------------- objects */

/* Objects are either created by the host (owner == NULL, reference counted
 * by `refs`) or owned by an instance (lifetime tied to it: retaining the
 * object retains the owner). */
typedef struct objhdr {
    atomic_uint refs;
    weft_instance *owner;
} objhdr;

typedef enum func_kind { FUNC_WASM, FUNC_HOST, FUNC_HOST_UNCHECKED } func_kind;

/* Something another layer hangs on a function and the function frees: it
 * starts with its own destructor. */
typedef struct func_attachment {
    void (*destroy)(struct func_attachment *self);
} func_attachment;

struct weft_func {
    objhdr hdr;
    uint8_t kind; /* func_kind */
    const functype *type;
    /* FUNC_WASM */
    weft_instance *inst;
    const cfunc *cf;
    /* FUNC_HOST* */
    union {
        weft_host_fn generic;
        weft_host_fn_unchecked unchecked;
    } host;
    void *env;
    void (*finalizer)(void *);
    bool yields;         /* weft_func_new_yielding: returns to the embedder when it can */
    functype owned_type; /* host functions own their type */
    /* bindings/: the natural-signature closure weft_func_as_native made for
     * this function, created on first request, freed with the function. */
    _Atomic(func_attachment *) native_export;
};

/* weft_func_slot_count, inline for the interpreter's hot paths. */
static inline uint32_t func_slot_count(const weft_func *f) { return f->type->call_slots; }

/* Releases what the function holds besides its memory (finalizer, native
 * closure); called for host and instance-owned functions alike. */
void func_release_resources(weft_func *f);

struct weft_memory {
    objhdr hdr;
    weft_engine *engine; /* retained: its page budget pays for this memory */
    uint8_t *base;       /* never moves: the whole maximum is reserved up front */
    uint64_t size;       /* bytes accessible now */
    uint64_t max_pages;  /* declared maximum clamped to the engine limit */
    bool has_max;        /* declared maximum present (for import matching) */
    uint64_t declared_max;
    size_t reserved;     /* bytes of address space reserved */
};

struct weft_table {
    objhdr hdr;
    weft_engine *engine; /* retained: its element budget pays for this table */
    valtype elem;
    uint32_t size;
    uint64_t max;        /* UINT64_MAX when absent */
    uint32_t limit;      /* engine's max_table_elements */
    void **elems;        /* weft_func* for funcref, host pointer for externref */
    /* Instances that failed to instantiate after storing their functions in
     * this table: the table keeps them alive (see instance.c). */
    weft_instance **kept;
    uint32_t nkept;
};

struct weft_global {
    objhdr hdr;
    valtype type;
    bool mut;
    uint64_t val[2];     /* v128 uses both */
};

void obj_retain_func(weft_func *f);
void obj_release_func(weft_func *f);
void obj_retain_memory(weft_memory *m);
void obj_release_memory(weft_memory *m);
void obj_retain_table(weft_table *t);
void obj_release_table(weft_table *t);
void obj_retain_global(weft_global *g);
void obj_release_global(weft_global *g);

/* Memory internals (memory.c). */
typedef enum memory_refusal {
    MEMORY_OK,
    MEMORY_OVER_LIMIT,       /* min above the engine's per-memory limit */
    MEMORY_OVER_TOTAL,       /* min above what is left of the engine's total */
    MEMORY_OUT_OF_MEMORY     /* the system refused the reservation */
} memory_refusal;
/* A memory of min_pages, paid from e's page budget; NULL with *why set
 * when refused. */
weft_memory *memory_create(weft_engine *e, uint64_t min_pages, bool has_max, uint64_t max_pages,
                           memory_refusal *why);
void memory_destroy(weft_memory *m);
/* Returns the old page count, or -1 if growth is refused. */
int64_t memory_grow_pages(weft_memory *m, uint64_t delta);

/* Table internals (table.c). */
typedef enum table_refusal {
    TABLE_OK,
    TABLE_OVER_LIMIT,      /* min above the engine's per-table limit */
    TABLE_OVER_TOTAL,      /* min above what is left of the engine's total */
    TABLE_OUT_OF_MEMORY
} table_refusal;
/* A table of min elements, paid from e's element budget; NULL with *why
 * set when refused. */
weft_table *table_create(weft_engine *e, valtype elem, uint32_t min, bool has_max, uint64_t max,
                         void *init, table_refusal *why);
void table_destroy(weft_table *t);
int64_t table_grow_elems(weft_table *t, uint32_t delta, void *init);

/* ----------------------------------------------------- execution context */

/* A call frame record: how to resume the caller when function `cf` returns. */
typedef struct frame {
    const uint32_t *ret_pc;
    uint64_t *fp;          /* caller's frame (an entry record: the entry's frame) */
    weft_instance *inst;   /* caller's instance */
    const cfunc *cf;       /* the function this record belongs to (callee);
                              NULL for a suspension record */
    /* Suspension records only (a call that yielded to the embedder for a
     * host function, see weft_call_start): the entry record of the
     * suspended run and the value-stack top to restore on resume. */
    struct frame *run_base;
    uint64_t *saved_sp;
    bool slice; /* a bounded run's stop (see exec.bounded), not a host call */
    /* Entry records of block runs only: the mode of the run the entry is
     * nested in (exec.bounded, exec.host_block), for interp_abandon. */
    bool outer_bounded;
    struct weft_call_block *outer_block;
} frame;

/* The stacks one thread of Wasm execution runs on; one per instance,
 * allocated at its first call. Nested entries (a host function calling back
 * into Wasm) continue above the live frames. */
typedef struct exec {
    uint64_t *stack, *stack_end; /* value stack */
    uint64_t *sp;                /* first free slot for a new entry */
    frame *frames, *frames_end;
    frame *frames_top;           /* the innermost live frame record */
    size_t stack_bytes, frames_bytes;
    int64_t fuel;
    atomic_uint interrupt;       /* INTERRUPT_* bits: act at the next check */
    uint32_t depth;              /* nested entries from the host */
    /* The run in progress is bounded (weft_call_start_bounded): it stops
     * with WEFT_CALL_SLICE before a non-yielding host call, a large bulk
     * operation, or a check after the slice watchdog flagged it. */
    bool bounded;
    /* How the last yielding run stopped (see weft_call_start): at a host
     * call (yield_func), or, with yield_slice, a bounded run's stop. */
    bool yield_slice;
    weft_func *yield_func;
    uint64_t *yield_args;
    weft_instance *yield_caller;
    /* The block run in progress, if its embedder calls yielding host
     * functions in place (weft_call_block.host_call), else NULL. */
    struct weft_call_block *host_block;
    /* The bounded run's mark on its thread's slice watchdog slot. */
    struct run_slot *slice_mark;
    /* Only when the handlers tail-call each other (interp.c: clang 19):
     * the run in progress's other locals, its frame record and instance. */
    struct tail_run *tail;
    frame *tail_fr;
    weft_instance *tail_inst;
} exec;

/* exec.interrupt bits. STOP traps the run (weft_interrupt); SLICE, set by
 * the slice watchdog, stops a bounded run for its embedder to continue it
 * unbounded, and is ignored by other runs. */
#define INTERRUPT_STOP 1u
#define INTERRUPT_SLICE 2u

typedef struct retained {
    uint8_t kind; /* weft_externkind */
    void *obj;
} retained;

struct weft_interrupt_handle {
    exec *ex;
};

struct weft_caller {
    weft_instance *inst;
};

/* ------------------------------------------------------------- instance */

struct weft_instance {
    atomic_uint refs;
    weft_module *module;
    const wmodule *m;

    weft_func **funcs;        /* every function, imports first */
    weft_func *own_funcs;     /* storage for defined functions */
    weft_table **tables;
    weft_memory *mem0;        /* memory 0 or NULL (2.0 allows one memory) */
    weft_global **globals;
    uint64_t **global_cells;  /* globals[i]->val, for the interpreter */

    bool *elem_dropped;
    bool *data_dropped;

    /* The objects this instance imported, each retained (externref-style
     * pair of kind and object). */
    struct retained *retained;
    uint32_t nretained;

    exec ex;
    weft_interrupt_handle interrupt;
    void *host_data; /* the embedder's, see weft_instance_set_host_data */
};

void instance_retain(weft_instance *i);
void instance_release(weft_instance *i);
/* Allocates the instance's stacks on first use. Returns false on failure. */
bool exec_ensure(weft_instance *inst);

/* ---------------------------------------------------------------- traps */

typedef struct trap_frame {
    uint32_t func_index;
    const char *func_name;
    const char *module_name;
} trap_frame;

struct weft_trap {
    weft_trap_code code;
    int32_t exit_code;
    char *message;
    trap_frame *frames;
    size_t nframes, cap_frames;
    size_t omitted_frames; /* frames beyond TRAP_MAX_FRAMES, not recorded */
};

/* A backtrace keeps at most this many frames (the innermost ones): a
 * "call stack exhausted" trap would otherwise copy thousands of names. */
#define TRAP_MAX_FRAMES 256

weft_trap *trap_new_code(weft_trap_code code);
const char *trap_code_message(weft_trap_code code);
/* Appends one backtrace frame (innermost first); past TRAP_MAX_FRAMES it
 * only counts the frame as omitted. */
void trap_push_frame(weft_trap *t, const cfunc *cf);

/* --------------------------------------------------------------- interp */

/* Runs `f` (a Wasm function) on its instance's execution context. `slots`
 * holds the arguments and receives the results. Returns NULL or a trap. */
weft_trap *interp_call(weft_func *f, uint64_t *slots);
/* The yielding entry points (weft_call_start / weft_call_resume): a run that
 * meets a yielding host function returns INTERP_YIELDED with ex->yield_*
 * set; interp_resume continues it once the embedder ran the function
 * (host_trap: the function trapped). A bounded run (see exec.bounded) is
 * marked on its thread's slice_watchdog slot while it lasts. */
extern weft_trap *const INTERP_YIELDED;
weft_trap *interp_call_yielding(weft_func *f, uint64_t *slots, bool bounded);
/* A stop of a bounded run (frame.slice) always continues unbounded. */
weft_trap *interp_resume(weft_instance *entry, weft_trap *host_trap, uint64_t *slots,
                         bool bounded);
/* weft_call_block_run: a bounded start or resume, whose yielding host
 * functions its block's host_call, if set, runs in place. */
int interp_block_run(struct weft_call_block *b);
int interp_block_start(struct weft_call_block *b);

/* Reports how a yielding run ended (see weft_call_start). */
static inline int call_outcome(const exec *ex, weft_trap *t, void **host_env,
                               uint64_t **host_slots, void **host_caller_data, weft_trap **trap)
{
    if (t == INTERP_YIELDED && ex->yield_slice)
        return WEFT_CALL_SLICE;
    if (t == INTERP_YIELDED) {
        *host_env = ex->yield_func->env;
        *host_slots = ex->yield_args;
        *host_caller_data = ex->yield_caller ? ex->yield_caller->host_data : NULL;
        return WEFT_CALL_HOST;
    }
    *trap = t;
    return t ? WEFT_CALL_TRAP : WEFT_CALL_DONE;
}
/* Ends the innermost run of entry's exec without returning to it: a block
 * run whose host_call never returned (see weft_call_block_abandon). Its
 * frames go to trap (if not NULL) as a trap's would. */
void interp_abandon(weft_instance *entry, weft_trap *trap);
/* Calls any function (host or Wasm) with raw slots; `caller_inst` is the
 * calling instance a host function sees (may be NULL). */
weft_trap *func_call_raw(weft_func *f, weft_instance *caller_inst, uint64_t *slots);
/* The threaded-code handler address of each internal op (ops.h). */
const void *const *interp_handlers(void);

#endif
