/*
 * weft.h — the one public header of libweft, a WebAssembly 2.0 runtime.
 *
 * ABI promise (see docs/ABI.md):
 *   - Only opaque handles cross this boundary, plus weft_val (fixed layout,
 *     24 bytes) and plain integer enums. No struct layout that could change is
 *     exposed; new behaviour arrives as new functions, never changed ones.
 *   - Every exported symbol starts with weft_. Everything else is hidden.
 *   - Errors are returned as objects, never printed, never abort()ed.
 *   - Ownership is written next to each function: "caller owns" means the
 *     caller must release it with the matching _delete function; "borrowed"
 *     means it lives as long as the object it came from.
 *   - Compiles as C99 and as C++.
 *
 * Object model:
 *   weft_engine    limits and feature switches; shared, thread-safe.
 *   weft_module    a decoded, validated, compiled module; immutable, shareable
 *                  between threads and instances.
 *   weft_instance  a module instantiated with its imports; used by one thread
 *                  at a time. Owns its memories, tables, globals and funcs.
 *   weft_func / weft_memory / weft_table / weft_global
 *                  extern objects: either owned by an instance (borrowed
 *                  handles from the instance's exports) or created by the host
 *                  with *_new (caller owns). An instance that imports an
 *                  object keeps it (and its owning instance) alive.
 */
#ifndef WEFT_H
#define WEFT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define WEFT_API __declspec(dllexport)
#elif defined(__GNUC__)
#define WEFT_API __attribute__((visibility("default")))
#else
#define WEFT_API
#endif

/* Bumped only when an existing function changes incompatibly (never, we hope). */
#define WEFT_ABI_VERSION 1
#define WEFT_VERSION_STRING "0.1.0"

/* The library's version string, e.g. "0.1.0". Static storage. */
WEFT_API const char *weft_version(void);
/* The WEFT_ABI_VERSION the library was built with. */
WEFT_API uint32_t weft_abi_version(void);

/* ------------------------------------------------------------------------ */
/* Opaque handles                                                           */

typedef struct weft_config weft_config;
typedef struct weft_engine weft_engine;
typedef struct weft_module weft_module;
typedef struct weft_imports weft_imports;
typedef struct weft_instance weft_instance;
typedef struct weft_func weft_func;
typedef struct weft_memory weft_memory;
typedef struct weft_table weft_table;
typedef struct weft_global weft_global;
typedef struct weft_functype weft_functype;
typedef struct weft_error weft_error;
typedef struct weft_trap weft_trap;
typedef struct weft_caller weft_caller;
typedef struct weft_interrupt_handle weft_interrupt_handle;

/* ------------------------------------------------------------------------ */
/* Values                                                                   */

/* Value kinds use the WebAssembly binary encoding of each type. */
typedef uint8_t weft_valkind;
#define WEFT_I32 ((weft_valkind)0x7F)
#define WEFT_I64 ((weft_valkind)0x7E)
#define WEFT_F32 ((weft_valkind)0x7D)
#define WEFT_F64 ((weft_valkind)0x7C)
#define WEFT_V128 ((weft_valkind)0x7B)
#define WEFT_FUNCREF ((weft_valkind)0x70)
#define WEFT_EXTERNREF ((weft_valkind)0x6F)

/* A tagged value. Fixed layout: kind at offset 0, payload at offset 8,
 * 24 bytes in all. A null funcref/externref is a NULL pointer. */
typedef struct weft_val {
    weft_valkind kind;
    uint8_t reserved_[7];
    union {
        int32_t i32;
        int64_t i64;
        float f32;
        double f64;
        uint8_t v128[16];
        weft_func *funcref;
        void *externref;
    } of;
} weft_val;

/* Extern kinds (binary encoding of import/export descriptors). */
typedef uint8_t weft_externkind;
#define WEFT_EXTERN_FUNC ((weft_externkind)0)
#define WEFT_EXTERN_TABLE ((weft_externkind)1)
#define WEFT_EXTERN_MEMORY ((weft_externkind)2)
#define WEFT_EXTERN_GLOBAL ((weft_externkind)3)

/* Mutability of a global. */
#define WEFT_CONST 0
#define WEFT_VAR 1

/* Trap codes. The message of a trap with a given code is the spec's text. */
typedef enum weft_trap_code {
    WEFT_TRAP_NONE = 0,
    WEFT_TRAP_UNREACHABLE = 1,              /* "unreachable" */
    WEFT_TRAP_MEMORY_OUT_OF_BOUNDS = 2,     /* "out of bounds memory access" */
    WEFT_TRAP_TABLE_OUT_OF_BOUNDS = 3,      /* "out of bounds table access" */
    WEFT_TRAP_INDIRECT_CALL_NULL = 4,       /* "uninitialized element" */
    WEFT_TRAP_INDIRECT_CALL_TYPE = 5,       /* "indirect call type mismatch" */
    WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO = 6,   /* "integer divide by zero" */
    WEFT_TRAP_INTEGER_OVERFLOW = 7,         /* "integer overflow" */
    WEFT_TRAP_INVALID_CONVERSION = 8,       /* "invalid conversion to integer" */
    WEFT_TRAP_CALL_STACK_EXHAUSTED = 9,     /* "call stack exhausted" */
    WEFT_TRAP_INTERRUPTED = 10,             /* "interrupted" */
    WEFT_TRAP_OUT_OF_FUEL = 11,             /* "all fuel consumed" */
    WEFT_TRAP_NULL_REFERENCE = 12,          /* "null reference" */
    WEFT_TRAP_HOST = 13,                    /* raised by a host function */
    WEFT_TRAP_EXIT = 14,                    /* guest exit (e.g. WASI proc_exit) */
    WEFT_TRAP_BAD_ARGUMENTS = 15,           /* API misuse: wrong arg count/kinds */
    WEFT_TRAP_UNDEFINED_ELEMENT = 16        /* "undefined element": call_indirect
                                               index beyond the table */
} weft_trap_code;

/* Error kinds of weft_error (compile, link and API errors; not traps). */
typedef enum weft_error_kind {
    WEFT_ERROR_DECODE = 1,       /* malformed binary */
    WEFT_ERROR_VALIDATE = 2,     /* well-formed but invalid */
    WEFT_ERROR_LINK = 3,         /* unknown import, incompatible import type */
    WEFT_ERROR_RESOURCE = 4,     /* a configured limit or out of memory */
    WEFT_ERROR_ARGUMENT = 5      /* API misuse */
} weft_error_kind;

/* ------------------------------------------------------------------------ */
/* Errors and traps                                                         */

/* Human-readable message, e.g. "unexpected end at offset 0x1a". Borrowed. */
WEFT_API const char *weft_error_message(const weft_error *e);
WEFT_API weft_error_kind weft_error_kind_of(const weft_error *e);
/* Byte offset in the module binary the error refers to, or -1 if none. */
WEFT_API int64_t weft_error_offset(const weft_error *e);
/* Index of the function whose body is at fault, or -1 if none. */
WEFT_API int64_t weft_error_func_index(const weft_error *e);
WEFT_API void weft_error_delete(weft_error *e);

/* A new host trap with the given message (copied). Caller owns; returning it
 * from a host function passes ownership to the runtime. */
WEFT_API weft_trap *weft_trap_new(const char *message);
/* A trap that ends the guest with an exit code (what WASI proc_exit uses). */
WEFT_API weft_trap *weft_trap_new_exit(int32_t exit_code);
WEFT_API weft_trap_code weft_trap_code_of(const weft_trap *t);
/* Message; for spec traps the spec's text ("integer divide by zero"). Borrowed. */
WEFT_API const char *weft_trap_message(const weft_trap *t);
/* Exit code of a WEFT_TRAP_EXIT trap, 0 otherwise. */
WEFT_API int32_t weft_trap_exit_code(const weft_trap *t);
/* Backtrace, innermost frame first. At most 256 frames are kept (the
 * innermost); weft_trap_frames_omitted counts the outer ones left out. */
WEFT_API size_t weft_trap_frame_count(const weft_trap *t);
WEFT_API size_t weft_trap_frames_omitted(const weft_trap *t);
WEFT_API uint32_t weft_trap_frame_func_index(const weft_trap *t, size_t i);
/* Function name from the name section (or an export name), NULL if none. Borrowed. */
WEFT_API const char *weft_trap_frame_func_name(const weft_trap *t, size_t i);
/* Module name from the name section, NULL if none. Borrowed. */
WEFT_API const char *weft_trap_frame_module_name(const weft_trap *t, size_t i);
WEFT_API void weft_trap_delete(weft_trap *t);

/* ------------------------------------------------------------------------ */
/* Configuration and engine                                                 */

/* A configuration with defaults: 1 GiB modules, 65536 max memory pages per
 * memory and no total, 10,000,000 max table elements per table and no
 * total, call depth 100,000, value stack 4 Mi slots (32 MiB of address
 * space, touched as used), fuel off, all WebAssembly 2.0 features and tail
 * calls on. Caller owns.
 *
 * Limits and what exceeding them does (docs: tests/hostile/README.md):
 *   module size                            compile: WEFT_ERROR_RESOURCE
 *   memory pages (per memory, per engine)  instantiation: WEFT_ERROR_RESOURCE;
 *                                          memory.grow / weft_memory_grow: -1
 *   table elements (per table, per engine) instantiation: WEFT_ERROR_RESOURCE;
 *                                          table.grow / weft_table_grow: -1
 *   call depth, value stack                WEFT_TRAP_CALL_STACK_EXHAUSTED
 *   fuel                                   WEFT_TRAP_OUT_OF_FUEL
 * A trap leaves the instance usable: the next call starts afresh. */
WEFT_API weft_config *weft_config_new(void);
WEFT_API void weft_config_delete(weft_config *c);
/* Upper bound on any memory's size in 64 KiB pages (<= 65536). A memory
 * declaring a larger maximum is capped; one whose minimum is larger fails
 * to instantiate. */
WEFT_API void weft_config_set_max_memory_pages(weft_config *c, uint32_t pages);
/* Upper bound on the pages of all live memories of an engine together
 * (instances' memories and weft_memory_new's), counted as committed: a
 * memory's current size, not its maximum. An instantiation whose memory
 * does not fit fails with WEFT_ERROR_RESOURCE ("... exceeds the engine's
 * total memory limit: N of M pages in use"); a grow that does not fit
 * returns -1. Pages come back when a memory is freed. Default UINT64_MAX:
 * no limit. */
WEFT_API void weft_config_set_max_total_memory_pages(weft_config *c, uint64_t pages);
/* Upper bound on a module binary's size in bytes (default 1 GiB): a larger
 * one is refused by weft_module_new / _validate / _deserialize with
 * WEFT_ERROR_RESOURCE before it is read. Whatever the size, compiling
 * allocates memory in proportion to the bytes, not to the counts they
 * declare (a body declaring 2^32 locals, a vector of 2^32 types in a few
 * bytes, a data segment longer than the module are decode errors, found
 * before any allocation), and the decoder's fixed limits (module.h) bound
 * each count: 50,000 locals per function, 65,520 br_table targets, 10,000
 * nested blocks, 1,000 params or results, a body of 7,654,321 bytes. */
WEFT_API void weft_config_set_max_module_size(weft_config *c, size_t bytes);
/* Upper bound on any table's size in elements: a table whose minimum is
 * larger fails to instantiate, a grow past it returns -1. */
WEFT_API void weft_config_set_max_table_elements(weft_config *c, uint32_t n);
/* Upper bound on the elements of all live tables of an engine together (a
 * module may declare 100,000 tables, each up to the per-table limit). An
 * instantiation whose tables do not fit fails with WEFT_ERROR_RESOURCE
 * ("... exceed the engine's total table limit: N of M elements in use"), a
 * grow that does not fit returns -1; elements come back when a table is
 * freed. Default UINT64_MAX: no limit. */
WEFT_API void weft_config_set_max_total_table_elements(weft_config *c, uint64_t n);
/* Maximum depth of nested Wasm calls (the called function counts as 1)
 * before "call stack exhausted". 0 is taken as 1. */
WEFT_API void weft_config_set_max_call_depth(weft_config *c, uint32_t depth);
/* Size of each instance's value stack in 8-byte slots (each call takes its
 * function's frame: params, locals and operand temporaries); a call whose
 * frame does not fit traps with "call stack exhausted". 0 is taken as 1. */
WEFT_API void weft_config_set_value_stack_slots(weft_config *c, uint32_t slots);
/* With fuel on, every function call and every loop iteration consumes one
 * unit of the instance's fuel; a call that runs out traps with
 * WEFT_TRAP_OUT_OF_FUEL. Fuel starts at 0: see weft_instance_set_fuel.
 * Costs a little speed, so it is off by default. */
WEFT_API void weft_config_set_fuel(weft_config *c, int enabled);
/* With pooling on (the default), an engine keeps up to 8 freed memory
 * reservations and 8 freed instance stacks, and hands them to the next
 * instances that need the same sizes: instantiating and closing a small
 * module then makes no mmap, munmap or page fault. A memory is zeroed
 * before it is kept and only pages its new instance may use are accessible;
 * the kept memories hold at most 32 MiB resident together, a kept stack
 * 128 KiB, until the engine is deleted. Off: every memory and stack is unmapped when
 * freed. Only instance-defined memories are kept; a host pointer into a
 * closed instance's memory (a bug in any case) may then see another
 * instance's memory rather than fault. */
WEFT_API void weft_config_set_pooling(weft_config *c, int enabled);

/* Feature switches (all on by default). Enforced so far: TAIL_CALL and
 * SIMD's instructions (a v128 in a signature is not refused yet); turning
 * the other 2.0 features off is accepted but does not yet reject modules
 * that use them. */
#define WEFT_FEATURE_MUTABLE_GLOBALS   (1u << 0)
#define WEFT_FEATURE_SIGN_EXTENSION    (1u << 1)
#define WEFT_FEATURE_SATURATING_TRUNC  (1u << 2)
#define WEFT_FEATURE_MULTI_VALUE       (1u << 3)
#define WEFT_FEATURE_REFERENCE_TYPES   (1u << 4)
#define WEFT_FEATURE_BULK_MEMORY       (1u << 5)
#define WEFT_FEATURE_SIMD              (1u << 6)
#define WEFT_FEATURE_TAIL_CALL         (1u << 7)
#define WEFT_FEATURES_V2 0x7Fu
WEFT_API void weft_config_set_features(weft_config *c, uint32_t features);

/* An engine built from a config (the config is copied; the caller still owns
 * it). Engines are thread-safe and reference-counted by the modules compiled
 * with them. Caller owns. */
WEFT_API weft_engine *weft_engine_new(const weft_config *c);
WEFT_API void weft_engine_delete(weft_engine *e);
/* Pages committed now by the engine's live memories (what
 * weft_config_set_max_total_memory_pages limits). Thread-safe. */
WEFT_API uint64_t weft_engine_memory_pages(const weft_engine *e);
/* Elements of the engine's live tables now (what
 * weft_config_set_max_total_table_elements limits). Thread-safe. */
WEFT_API uint64_t weft_engine_table_elements(const weft_engine *e);

/* ------------------------------------------------------------------------ */
/* Function types                                                           */

/* A function type. Caller owns; release with weft_functype_delete. */
WEFT_API weft_functype *weft_functype_new(size_t nparams, const weft_valkind *params,
                                          size_t nresults, const weft_valkind *results);
WEFT_API void weft_functype_delete(weft_functype *t);
WEFT_API size_t weft_functype_param_count(const weft_functype *t);
WEFT_API size_t weft_functype_result_count(const weft_functype *t);
WEFT_API weft_valkind weft_functype_param(const weft_functype *t, size_t i);
WEFT_API weft_valkind weft_functype_result(const weft_functype *t, size_t i);

/* ------------------------------------------------------------------------ */
/* Modules                                                                  */

/* Decodes, validates and compiles a module. On success sets *out (caller
 * owns) and returns NULL; otherwise returns an error (caller owns) naming what
 * is wrong and where. The bytes are copied. */
WEFT_API weft_error *weft_module_new(weft_engine *e, const uint8_t *bytes, size_t len,
                                     weft_module **out);
/* The module's compiled code as bytes, for a compilation cache: a later
 * process gives them back with the same wasm bytes to
 * weft_module_deserialize and skips validation and compilation. On success
 * sets *out (free with weft_bytes_delete) and *len. */
WEFT_API weft_error *weft_module_serialize(const weft_module *m, uint8_t **out, size_t *len);
WEFT_API void weft_bytes_delete(uint8_t *p);
/* Rebuilds a module from its wasm bytes and what weft_module_serialize
 * made of it, without validating or compiling the function bodies again.
 * Bytes from another build of weft, another engine configuration (features,
 * fuel) or another module, and damaged bytes, are refused with an error
 * (WEFT_ERROR_ARGUMENT: compile instead). The check is for accidents, not
 * attacks: serialized code is trusted like the program itself, so keep it
 * where only the program can write. */
WEFT_API weft_error *weft_module_deserialize(weft_engine *e, const uint8_t *wasm, size_t wasm_len,
                                             const uint8_t *data, size_t len, weft_module **out);
/* Decodes and validates only. Returns NULL when valid, else an error. */
WEFT_API weft_error *weft_module_validate(weft_engine *e, const uint8_t *bytes, size_t len);
WEFT_API void weft_module_delete(weft_module *m);

/* Imports, in declaration order. Strings are borrowed and NUL-terminated;
 * the _len variants give the byte length (names may hold NUL bytes). */
WEFT_API size_t weft_module_import_count(const weft_module *m);
WEFT_API const char *weft_module_import_module(const weft_module *m, size_t i, size_t *len);
WEFT_API const char *weft_module_import_name(const weft_module *m, size_t i, size_t *len);
WEFT_API weft_externkind weft_module_import_kind(const weft_module *m, size_t i);
/* Exports, in declaration order. */
WEFT_API size_t weft_module_export_count(const weft_module *m);
WEFT_API const char *weft_module_export_name(const weft_module *m, size_t i, size_t *len);
WEFT_API weft_externkind weft_module_export_kind(const weft_module *m, size_t i);
/* The exported item's index in its kind's index space (imports first),
 * e.g. the function index of a function export; UINT32_MAX if i is out of
 * range. */
WEFT_API uint32_t weft_module_export_index(const weft_module *m, size_t i);
/* The type of the i-th import/export when it is a function. Borrowed. */
WEFT_API const weft_functype *weft_module_import_functype(const weft_module *m, size_t i);
WEFT_API const weft_functype *weft_module_export_functype(const weft_module *m, size_t i);
/* Memory/table limits of the i-th import/export (min, max; max = UINT64_MAX
 * when absent). Returns 0 if the import/export is not of that kind. */
WEFT_API int weft_module_import_limits(const weft_module *m, size_t i, uint64_t *min, uint64_t *max);
WEFT_API int weft_module_export_limits(const weft_module *m, size_t i, uint64_t *min, uint64_t *max);
/* Global type of the i-th import/export. Returns 0 if not a global. */
WEFT_API int weft_module_import_globaltype(const weft_module *m, size_t i, weft_valkind *kind,
                                           int *mutability);
WEFT_API int weft_module_export_globaltype(const weft_module *m, size_t i, weft_valkind *kind,
                                           int *mutability);
/* Custom sections, in order of appearance. Borrowed. */
WEFT_API size_t weft_module_custom_section_count(const weft_module *m);
WEFT_API const char *weft_module_custom_section_name(const weft_module *m, size_t i, size_t *len);
WEFT_API const uint8_t *weft_module_custom_section_data(const weft_module *m, size_t i,
                                                        size_t *len);
/* Module name from the name section, or NULL. Borrowed. */
WEFT_API const char *weft_module_name(const weft_module *m);
/* Name of function index `func_index` from the name section, or NULL. */
WEFT_API const char *weft_module_func_name(const weft_module *m, uint32_t func_index);
/* The threaded code compiled for defined function `func_index` (UINT32_MAX:
 * every defined function) as text, one internal instruction a line, for
 * reading what the compiler made of a body (`weft inspect --code`). The
 * format is for people and may change between builds. On success sets *out
 * (NUL-terminated; free with weft_bytes_delete) and *len (without the NUL);
 * an imported or unknown function index is a WEFT_ERROR_ARGUMENT error. */
WEFT_API weft_error *weft_module_disassemble(const weft_module *m, uint32_t func_index,
                                             uint8_t **out, size_t *len);

/* ------------------------------------------------------------------------ */
/* Imports                                                                  */

/* A set of named externs offered to weft_instance_new. Objects added are
 * retained by the set until it is deleted. Caller owns. */
WEFT_API weft_imports *weft_imports_new(void);
WEFT_API void weft_imports_delete(weft_imports *im);
/* Add an extern under module/name. A later add of the same pair wins. */
WEFT_API void weft_imports_add_func(weft_imports *im, const char *module, const char *name,
                                    weft_func *f);
WEFT_API void weft_imports_add_memory(weft_imports *im, const char *module, const char *name,
                                      weft_memory *m);
WEFT_API void weft_imports_add_table(weft_imports *im, const char *module, const char *name,
                                     weft_table *t);
WEFT_API void weft_imports_add_global(weft_imports *im, const char *module, const char *name,
                                      weft_global *g);
/* Offer every export of an instance under one module name. */
WEFT_API void weft_imports_add_instance(weft_imports *im, const char *module,
                                        weft_instance *inst);

/* ------------------------------------------------------------------------ */
/* Instances                                                                */

/* Instantiates a module: resolves imports by module/name with type matching,
 * allocates memories/tables/globals, applies active segments and runs the
 * start function. Returns NULL and sets *out (caller owns) on success. Link
 * errors return a weft_error. A trap while initialising (out-of-bounds
 * segment, start function trap) returns NULL error, leaves *out NULL and sets
 * *trap (caller owns). `imports` may be NULL. */
WEFT_API weft_error *weft_instance_new(weft_module *m, const weft_imports *imports,
                                       weft_instance **out, weft_trap **trap);
/* weft_instance_new with the instance's fuel set to `fuel` before its
 * start function runs (with weft_config_set_fuel; weft_instance_new starts
 * at 0, so a start function traps with WEFT_TRAP_OUT_OF_FUEL at once). */
WEFT_API weft_error *weft_instance_new_with_fuel(weft_module *m, const weft_imports *imports,
                                                 uint64_t fuel, weft_instance **out,
                                                 weft_trap **trap);
/* Releases the caller's reference; the instance is freed once no other
 * instance imports from it. */
WEFT_API void weft_instance_delete(weft_instance *inst);
WEFT_API weft_module *weft_instance_module(const weft_instance *inst);

/* Exports by name; NULL if absent or of another kind. Borrowed: valid while
 * the instance lives. */
WEFT_API weft_func *weft_instance_export_func(const weft_instance *inst, const char *name);
WEFT_API weft_memory *weft_instance_export_memory(const weft_instance *inst, const char *name);
WEFT_API weft_table *weft_instance_export_table(const weft_instance *inst, const char *name);
WEFT_API weft_global *weft_instance_export_global(const weft_instance *inst, const char *name);
/* Exports by index (module export order): kind and object. Borrowed. */
WEFT_API weft_externkind weft_instance_export_kind(const weft_instance *inst, size_t i);
WEFT_API void *weft_instance_export_at(const weft_instance *inst, size_t i);
/* Memory index 0 of the instance (defined or imported), or NULL. Borrowed. */
WEFT_API weft_memory *weft_instance_memory(const weft_instance *inst);
/* One pointer of the embedder's own, kept with the instance (NULL at
 * first); a host function finds it through weft_caller_instance. weft
 * never reads it or frees it. */
WEFT_API void weft_instance_set_host_data(weft_instance *inst, void *data);
WEFT_API void *weft_instance_host_data(const weft_instance *inst);

/* Fuel (only with weft_config_set_fuel): set the remaining fuel of the
 * instance's execution context and read it back. A call consumes the fuel
 * of the instance it was made on (the entry), also while it runs functions
 * of other instances it imported. A call that runs out leaves 0. */
WEFT_API void weft_instance_set_fuel(weft_instance *inst, uint64_t fuel);
WEFT_API uint64_t weft_instance_fuel(const weft_instance *inst);

/* Interruption. The handle is borrowed from the instance and valid while it
 * lives. weft_interrupt may be called from any thread: the call running on
 * the instance stops at its next loop back-edge or call with a
 * WEFT_TRAP_INTERRUPTED trap. The request is sticky: if nothing is running,
 * the next call traps at once. weft_interrupt_clear withdraws it. */
WEFT_API weft_interrupt_handle *weft_instance_interrupt_handle(weft_instance *inst);
WEFT_API void weft_interrupt(weft_interrupt_handle *h);
WEFT_API void weft_interrupt_clear(weft_interrupt_handle *h);

/* ------------------------------------------------------------------------ */
/* Functions                                                                */

/* Generic host function: args[i] / results[i] follow the function type. To
 * trap, return a weft_trap (ownership passes to the runtime); else NULL. */
typedef weft_trap *(*weft_host_fn)(void *env, weft_caller *caller, const weft_val *args,
                                   weft_val *results);
/* Raw host function: slots holds the arguments on entry (one uint64 per value,
 * two for v128, i32/f32 in the low 32 bits) and receives the results. It has
 * max(param slots, result slots) entries. */
typedef weft_trap *(*weft_host_fn_unchecked)(void *env, weft_caller *caller, uint64_t *slots);

/* A host function. `finalizer` (may be NULL) is called with env when the
 * function is freed. The type is copied. Caller owns the result. */
WEFT_API weft_func *weft_func_new(weft_engine *e, const weft_functype *type, weft_host_fn fn,
                                  void *env, void (*finalizer)(void *));
WEFT_API weft_func *weft_func_new_unchecked(weft_engine *e, const weft_functype *type,
                                            weft_host_fn_unchecked fn, void *env,
                                            void (*finalizer)(void *));
/* Releases a host-created function (no-op for instance-owned ones). */
WEFT_API void weft_func_delete(weft_func *f);
/* The function's type. Borrowed. */
WEFT_API const weft_functype *weft_func_type(const weft_func *f);
/* Function index within its instance's module, or UINT32_MAX for host functions. */
WEFT_API uint32_t weft_func_index(const weft_func *f);

/* Calls a function. nargs/nresults must match its type and each arg's kind
 * must match, else a WEFT_TRAP_BAD_ARGUMENTS trap is returned. Returns NULL
 * on success, else a trap (caller owns). */
WEFT_API weft_trap *weft_func_call(weft_func *f, const weft_val *args, size_t nargs,
                                   weft_val *results, size_t nresults);
/* Fast path: arguments and results in raw slots as for weft_host_fn_unchecked.
 * No checks beyond the ones the guest itself needs. */
WEFT_API weft_trap *weft_func_call_unchecked(weft_func *f, uint64_t *slots);
/* Number of uint64 slots weft_func_call_unchecked needs for this function. */
WEFT_API size_t weft_func_slot_count(const weft_func *f);

/* ---- Yielding calls: host functions run by the embedder itself ----------
 *
 * A runtime whose host functions live in another language (the Go package)
 * pays dearly for each call from C back into that language. A yielding host
 * function avoids it: a call begun with weft_call_start returns to the
 * embedder when the guest calls one (WEFT_CALL_HOST), the embedder runs it
 * on *host_slots (arguments in, results out, as for
 * weft_host_fn_unchecked) and continues the call with weft_call_resume.
 * Calls that are not begun this way (weft_func_call, start functions, C
 * pointers) call the function's `fn` as usual.
 *
 *     int r = weft_call_start(f, slots, &env, &hs, &data, &trap);
 *     while (r == WEFT_CALL_HOST) {
 *         weft_trap *t = run_host_function(env, data, hs);
 *         r = weft_call_resume(f, t, slots, &env, &hs, &data, &trap);
 *     }
 *
 * The host function may itself call into Wasm (any instance, yielding or
 * not) before it resumes; suspended calls nest. Until it resumes, the
 * suspended call's instance must not be deleted. */
#define WEFT_CALL_DONE 0 /* finished: results in slots */
#define WEFT_CALL_HOST 1 /* a yielding host function waits to be run */
#define WEFT_CALL_TRAP 2 /* trapped: *trap is set (caller owns) */
#define WEFT_CALL_SLICE 3 /* a bounded call stopped: continue it at once (below) */

/* A yielding host function (see above); fn runs it when the call cannot
 * yield. Otherwise as weft_func_new_unchecked. Caller owns. */
WEFT_API weft_func *weft_func_new_yielding(weft_engine *e, const weft_functype *type,
                                           weft_host_fn_unchecked fn, void *env,
                                           void (*finalizer)(void *));
/* The env of a host function (NULL for Wasm functions). */
WEFT_API void *weft_func_host_env(const weft_func *f);
/* Begins a call of f with raw slots (as weft_func_call_unchecked). On
 * WEFT_CALL_HOST sets *host_env (the host function's env), *host_slots (its
 * arguments/results, valid until resumed) and *host_caller_data (the calling
 * instance's host data, see weft_instance_set_host_data). */
WEFT_API int weft_call_start(weft_func *f, uint64_t *slots, void **host_env,
                             uint64_t **host_slots, void **host_caller_data, weft_trap **trap);
/* Continues the call of f suspended at its innermost WEFT_CALL_HOST, after
 * the host function ran; host_trap non-NULL makes that host call trap
 * (ownership passes). Results land in slots; with slots NULL they stay in
 * the engine and, on WEFT_CALL_DONE, *host_slots points at them (valid
 * until the next call on the instance). Returns as weft_call_start. */
WEFT_API int weft_call_resume(weft_func *f, weft_trap *host_trap, uint64_t *slots,
                              void **host_env, uint64_t **host_slots, void **host_caller_data,
                              weft_trap **trap);

/* ---- Bounded calls: for an embedder that must get control back soon ----
 *
 * weft_call_start_bounded and weft_call_resume_bounded run like the two
 * calls above, except that the run never blocks and never lasts much
 * longer than a millisecond. It stops, returning WEFT_CALL_SLICE, before a
 * call of a non-yielding host function (which might block), before a bulk
 * memory operation of more than 1 MiB, and at its first loop back-edge or
 * function entry after a watchdog thread saw it running for 1-2 ms. The
 * embedder then continues it with weft_call_resume (unbounded: a stopped
 * call always goes on unbounded) before it makes any other call on the
 * instance, passing NULL as host_trap to go on, or a trap to end it there.
 * WEFT_CALL_HOST is reported as by weft_call_start.
 *
 * The Go package uses these to run calls without cgo's syscall transition:
 * the garbage collector then waits for a run to return, and the bound
 * keeps that wait short. f must be a Wasm function; for any other, the
 * call traps with WEFT_TRAP_BAD_ARGUMENTS. */
WEFT_API int weft_call_start_bounded(weft_func *f, uint64_t *slots, void **host_env,
                                     uint64_t **host_slots, void **host_caller_data,
                                     weft_trap **trap);
WEFT_API int weft_call_resume_bounded(weft_func *f, weft_trap *host_trap, uint64_t *slots,
                                      void **host_env, uint64_t **host_slots,
                                      void **host_caller_data, weft_trap **trap);

/* A bounded start or resume described in memory, for an embedder that can
 * hand a C function only one pointer: a stack switch written in assembly
 * (the Go package's go/internal/cstack, runtime.asmcgocall) calls
 * fn(void *arg) and takes back an int32. The fields are
 * the arguments of weft_call_start_bounded (resume 0) or
 * weft_call_resume_bounded (resume 1), and what they return through their
 * out-parameters. */
typedef struct weft_call_block {
    /* in */
    weft_func *fn;        /* the Wasm function called, or whose call resumes */
    uint64_t *slots;      /* as the two calls' slots (NULL on resume: results stay) */
    weft_trap *host_trap; /* resume: the host function's trap, or NULL */
    int32_t resume;       /* 0: start fn on slots; 1: resume its call */
    /* out: as weft_call_start's, set when the code returned says so */
    void *host_env;
    uint64_t *host_slots;
    void *host_caller_data;
    weft_trap *trap;
    /* in, optional: with host_call set, a yielding host function that the
     * run calls is called in place rather than ending the run with
     * WEFT_CALL_HOST: the run fills host_env, host_slots and
     * host_caller_data as a yield would, calls host_call(host_call_data)
     * on its own stack, and goes on with the function's results (in
     * host_slots) or, if it returns a trap, ends with that trap. The
     * function may call back into Wasm. For an embedder that can run its
     * host functions from the stack the run is on (the Go package's fast
     * calls); others leave it NULL. */
    weft_trap *(*host_call)(void *host_call_data);
    void *host_call_data;
} weft_call_block;
/* Runs the bounded call or resumption that block (a weft_call_block)
 * describes; returns its WEFT_CALL_* code. */
WEFT_API int32_t weft_call_block_run(void *block);
/* weft_call_block_run for a start, whatever block's resume says: a little
 * cheaper, for the embedder's hottest calls. trap, host_env, host_slots and
 * host_caller_data are set only when the code returned is not
 * WEFT_CALL_DONE. */
WEFT_API int32_t weft_call_block_start(void *block);
/* Ends a block run that will never be returned to: one whose host_call
 * never returned (in the Go package, a host function that panicked, the
 * panic unwinding past the run's frames on the stack it runs on). The
 * instance's innermost run is popped as a trap would end it, its frames
 * added to trap (if not NULL), and the mode of any run it was nested in is
 * restored, so that the instance goes on working. Only for a block run
 * with host_call, and only while its host_call is the innermost thing
 * running on the instance. */
WEFT_API void weft_call_block_abandon(weft_call_block *block, weft_trap *trap);
/* Whether f, a Wasm function, has any call instruction (of any kind): if
 * not, a call of it never reaches a host function. 1 for host functions. */
WEFT_API int weft_func_makes_calls(const weft_func *f);
/* Whether a call of f, a Wasm function, may run a host function: f or a
 * function it calls directly (at any depth) calls an imported function or
 * calls through a table. If not, the call runs the module's own code only,
 * whatever it calls. 1 for host functions. */
WEFT_API int weft_func_may_reach_host(const weft_func *f);

/* What a host function can reach of its caller. Borrowed for the duration of
 * the host call. */
WEFT_API weft_instance *weft_caller_instance(weft_caller *c);
WEFT_API weft_memory *weft_caller_memory(weft_caller *c);
WEFT_API weft_func *weft_caller_export_func(weft_caller *c, const char *name);

/* ------------------------------------------------------------------------ */
/* Memories                                                                 */

/* A host memory of `min` pages, at most `max` (UINT32_MAX: no maximum).
 * Caller owns. NULL if the limits are invalid or exceed the engine's. */
WEFT_API weft_memory *weft_memory_new(weft_engine *e, uint32_t min, uint32_t max);
WEFT_API void weft_memory_delete(weft_memory *m);
/* Base of linear memory. The base never moves, even across grow. It is
 * valid while the memory lives (for an instance's memory: while the
 * instance does); after that the engine may give the same range to a new
 * instance's memory (weft_config_set_pooling). */
WEFT_API uint8_t *weft_memory_data(weft_memory *m);
WEFT_API size_t weft_memory_size(const weft_memory *m);
/* The address of the memory's current size in bytes, which memory.grow and
 * weft_memory_grow update in place: an embedder (the Go package) can bounds-
 * check its accesses without a call. Valid while the memory lives. Read it
 * from the thread running the memory's instance, or with an atomic load. */
WEFT_API const uint64_t *weft_memory_size_address(const weft_memory *m);
WEFT_API uint32_t weft_memory_pages(const weft_memory *m);
/* Grows by delta pages; returns the old page count, or -1 on failure. */
WEFT_API int64_t weft_memory_grow(weft_memory *m, uint32_t delta);
WEFT_API uint64_t weft_memory_max_pages(const weft_memory *m);

/* ------------------------------------------------------------------------ */
/* Tables                                                                   */

/* A host table of reference kind `kind` (WEFT_FUNCREF/WEFT_EXTERNREF).
 * Elements start as `init` (NULL for null). Caller owns. */
WEFT_API weft_table *weft_table_new(weft_engine *e, weft_valkind kind, uint32_t min,
                                    uint32_t max, const weft_val *init);
WEFT_API void weft_table_delete(weft_table *t);
WEFT_API weft_valkind weft_table_kind(const weft_table *t);
WEFT_API uint32_t weft_table_size(const weft_table *t);
/* Element get/set; returns 0 if out of bounds or of the wrong kind. */
WEFT_API int weft_table_get(const weft_table *t, uint32_t i, weft_val *out);
WEFT_API int weft_table_set(weft_table *t, uint32_t i, const weft_val *v);
/* Grows by delta filled with init; returns the old size or -1. */
WEFT_API int64_t weft_table_grow(weft_table *t, uint32_t delta, const weft_val *init);

/* ------------------------------------------------------------------------ */
/* Globals                                                                  */

/* A host global with initial value (its kind is the global's type). Caller owns. */
WEFT_API weft_global *weft_global_new(weft_engine *e, const weft_val *init, int mutability);
WEFT_API void weft_global_delete(weft_global *g);
WEFT_API weft_valkind weft_global_kind(const weft_global *g);
WEFT_API int weft_global_mutability(const weft_global *g);
WEFT_API void weft_global_get(const weft_global *g, weft_val *out);
/* Returns 0 if the global is immutable or the kind differs. */
WEFT_API int weft_global_set(weft_global *g, const weft_val *v);

/* ======================================================================== */
/* WASI preview1                                                            */
/* ======================================================================== */
/*
 * The 46 functions of wasi_snapshot_preview1, implemented in the core.
 *
 *   weft_wasi_config  what a guest may see: args, env, stdio, mounted
 *                     directories, preopened sockets, clocks, randomness.
 *                     A plain description; reusable for many guests.
 *   weft_wasi         the WASI state of ONE guest instance: its fd table,
 *                     args, env and exit status. Its functions serve the first
 *                     instance that calls them; a call from another instance
 *                     traps.
 *
 * Sandbox: the guest sees nothing the embedder did not configure. Stdio is
 * empty/discarded unless set; no directory is visible unless mounted; every
 * path resolves beneath its mount: "..", absolute paths and symlinks leading
 * out (at any depth, also under concurrent renames) fail with EPERM
 * (WASI errno 63). Read-only mounts grant no write rights; writes there fail
 * with EROFS (69). Missing rights are ENOTCAPABLE (76). A bad guest pointer
 * is EFAULT (21), never a crash.
 *
 * Typical use (error checks omitted):
 *   weft_wasi_config *c = weft_wasi_config_new();
 *   weft_wasi_config_set_args(c, argc, argv);
 *   weft_wasi_config_inherit_stdio(c);
 *   weft_wasi_config_mount(c, "/srv/data", "/data", WEFT_WASI_MOUNT_READONLY);
 *   weft_wasi *w;
 *   weft_wasi_new(c, &w);                   then weft_wasi_config_delete(c)
 *   weft_imports *im = weft_imports_new();
 *   weft_wasi_add_to_imports(w, engine, im);
 *   weft_instance_new(module, im, &inst, &trap);
 *   weft_func_call(weft_instance_export_func(inst, "_start"), ...);
 *   weft_wasi_exit_code(w, &code);          a WEFT_TRAP_EXIT trap also says it
 *   weft_instance_delete(inst); weft_imports_delete(im); weft_wasi_delete(w);
 */

typedef struct weft_wasi_config weft_wasi_config;
typedef struct weft_wasi weft_wasi;

/* WASI errno values a callback may return (any preview1 errno is allowed). */
#define WEFT_WASI_ESUCCESS 0
#define WEFT_WASI_EAGAIN 6
#define WEFT_WASI_EBADF 8
#define WEFT_WASI_EINTR 27
#define WEFT_WASI_EINVAL 28
#define WEFT_WASI_EIO 29
#define WEFT_WASI_ENOSPC 51
#define WEFT_WASI_EPIPE 64

/* Callbacks. Each gets back the `env` it was registered with; env must stay
 * valid until every weft_wasi made from the configuration is deleted. They
 * run on the thread running the guest, one at a time per weft_wasi.
 *
 * weft_wasi_write_fn: consume all n bytes (stdout/stderr); return 0 or a
 *   WASI errno (the guest's write fails with it).
 * weft_wasi_read_fn: read up to n bytes into p (stdin), set *nread (0 means
 *   end of input); return 0 or a WASI errno. May block.
 * weft_wasi_clock_fn: the current time in nanoseconds (wall clock: since the
 *   Unix epoch; monotonic: from any fixed origin, never decreasing).
 * weft_wasi_sleep_fn: sleep ns nanoseconds (poll_oneoff's clock waits).
 * weft_wasi_random_fn: fill p with n random bytes; return 0 or a WASI errno.
 * weft_wasi_log_fn: one line (no newline) per WASI call, for tracing. */
typedef int (*weft_wasi_write_fn)(void *env, const uint8_t *p, size_t n);
typedef int (*weft_wasi_read_fn)(void *env, uint8_t *p, size_t n, size_t *nread);
typedef int64_t (*weft_wasi_clock_fn)(void *env);
typedef void (*weft_wasi_sleep_fn)(void *env, int64_t ns);
typedef int (*weft_wasi_random_fn)(void *env, uint8_t *p, size_t n);
typedef void (*weft_wasi_log_fn)(void *env, const char *line);

/* An empty configuration: no args, no env, stdin at end of input, stdout and
 * stderr discarded, no mounts, host clocks and the host's random source.
 * Caller owns; NULL if out of memory. The environment variable
 * WEFT_WASI_RESOLVE=walk (read here) forces the portable path resolver
 * instead of openat2 (for tests). */
WEFT_API weft_wasi_config *weft_wasi_config_new(void);
WEFT_API void weft_wasi_config_delete(weft_wasi_config *c);

/* Replaces the arguments (argv[0] is the program name by convention). The
 * strings are copied. Returns 1, or 0 if out of memory (args unchanged). */
WEFT_API int weft_wasi_config_set_args(weft_wasi_config *c, size_t argc,
                                       const char *const *argv);
/* Adds KEY=VALUE to the environment (copied). Returns 0 if the key is empty
 * or holds '=', or if out of memory; else 1. */
WEFT_API int weft_wasi_config_add_env(weft_wasi_config *c, const char *key, const char *value);

/* Stdio from host descriptors: weft_wasi_new duplicates host_fd, so the
 * caller keeps its own; a guest closing its stdio closes only the copy.
 * A negative host_fd restores the default (empty stdin / discarded output). */
WEFT_API void weft_wasi_config_set_stdin_fd(weft_wasi_config *c, int host_fd);
WEFT_API void weft_wasi_config_set_stdout_fd(weft_wasi_config *c, int host_fd);
WEFT_API void weft_wasi_config_set_stderr_fd(weft_wasi_config *c, int host_fd);
/* Host descriptors 0, 1 and 2 as the guest's stdio. */
WEFT_API void weft_wasi_config_inherit_stdio(weft_wasi_config *c);
/* Stdio through callbacks (e.g. a Go io.Reader / io.Writer). A NULL fn
 * restores the default. */
WEFT_API void weft_wasi_config_set_stdin_reader(weft_wasi_config *c, weft_wasi_read_fn fn,
                                                void *env);
WEFT_API void weft_wasi_config_set_stdout_writer(weft_wasi_config *c, weft_wasi_write_fn fn,
                                                 void *env);
WEFT_API void weft_wasi_config_set_stderr_writer(weft_wasi_config *c, weft_wasi_write_fn fn,
                                                 void *env);

/* Mount flags. */
#define WEFT_WASI_MOUNT_READONLY 0x1u

/* Makes host directory `host_dir` visible to the guest as preopened
 * directory `guest_path` (e.g. "/data", "/" or "."). Preopens get guest fds
 * 3, 4, ... in the order mounted. Both strings are copied; host_dir is
 * opened by weft_wasi_new. Returns 0 if an argument is empty or out of
 * memory, else 1. */
WEFT_API int weft_wasi_config_mount(weft_wasi_config *c, const char *host_dir,
                                    const char *guest_path, uint32_t flags);
/* Offers a host socket (listening or connected stream socket) to the guest
 * for sock_accept / sock_recv / sock_send / sock_shutdown. It gets the next
 * guest fd after the mounts. weft_wasi_new duplicates it. Returns 0 if
 * host_fd is negative or out of memory, else 1. */
WEFT_API int weft_wasi_config_preopen_socket(weft_wasi_config *c, int host_fd);

/* Clocks: a NULL fn restores the host clock. resolution_ns is what
 * clock_res_get reports (0: 1 ns). The nanotime clock is WASI's monotonic
 * clock and the one poll_oneoff measures its waits with; when a custom
 * nanotime is set, set a sleeper too so waits agree with it. */
WEFT_API void weft_wasi_config_set_walltime(weft_wasi_config *c, weft_wasi_clock_fn fn,
                                            void *env, uint64_t resolution_ns);
WEFT_API void weft_wasi_config_set_nanotime(weft_wasi_config *c, weft_wasi_clock_fn fn,
                                            void *env, uint64_t resolution_ns);
WEFT_API void weft_wasi_config_set_nanosleep(weft_wasi_config *c, weft_wasi_sleep_fn fn,
                                             void *env);
/* random_get's source; NULL restores the host's (getrandom). */
WEFT_API void weft_wasi_config_set_random(weft_wasi_config *c, weft_wasi_random_fn fn,
                                          void *env);
/* Calls fn with one line per WASI call: name, arguments, result errno. */
WEFT_API void weft_wasi_config_set_logger(weft_wasi_config *c, weft_wasi_log_fn fn, void *env);

/* Creates the WASI state of one guest from a configuration (which is copied:
 * the caller may delete it at once). Opens the mounted directories and
 * duplicates stdio and socket descriptors. On success sets *out (caller
 * owns) and returns NULL; otherwise returns an error (caller owns), e.g.
 * "mount /data: cannot open host directory x: No such file or directory". */
WEFT_API weft_error *weft_wasi_new(const weft_wasi_config *c, weft_wasi **out);
/* Adds the 46 wasi_snapshot_preview1 functions of `w` to `im` (which
 * retains them). Returns 1, or 0 if out of memory. */
WEFT_API int weft_wasi_add_to_imports(weft_wasi *w, weft_engine *e, weft_imports *im);
/* If the guest ended with proc_exit (or a fatal proc_raise, which exits
 * with 128 + the signal number), stores its exit code and returns 1;
 * otherwise returns 0. */
WEFT_API int weft_wasi_exit_code(const weft_wasi *w, int32_t *code);
/* Closes every descriptor of the state at once. Instances that still hold
 * its functions keep a reference to the memory, which is freed with the
 * last of them; their later WASI calls trap. Not while the guest runs (as
 * for weft_instance_delete). NULL is ignored. */
WEFT_API void weft_wasi_delete(weft_wasi *w);

/* ------------------------------------------------------------------------ */
/* Native functions (bindings/, built on libffi)                            */
/*                                                                          */
/* A function's natural C signature follows its Wasm type: parameters map  */
/* i32 -> int32_t, i64 -> int64_t, f32 -> float, f64 -> double,             */
/* funcref -> weft_func*, externref -> void*. No result: void. One result:  */
/* its C type is the return type. Several results: the function returns     */
/* void and takes one trailing pointer per result. v128 has no natural C    */
/* form and is refused. With WEFT_NATIVE_CALLER the first parameter is a    */
/* weft_caller*.                                                            */

/* Flag: the native function's first parameter is the weft_caller*. */
#define WEFT_NATIVE_CALLER 1u

/* Any C function pointer; cast to the natural signature before calling. */
typedef void (*weft_native_fn)(void);

/* A host function that is a plain C function with its natural signature.
 * The libffi call interface is prepared once, here. To trap, the function
 * calls weft_native_trap() before it returns. On success returns NULL and
 * sets *out (caller owns; release with weft_func_delete). Errors
 * (WEFT_ERROR_ARGUMENT: a v128 in the type, unknown flags; RESOURCE: libffi
 * failed) are returned, caller owns. */
WEFT_API weft_error *weft_func_new_native(weft_engine *e, const weft_functype *type,
                                          weft_native_fn fn, uint32_t flags, weft_func **out);

/* Called from inside a native function (or a trampoline's handler) running
 * on this thread: the call traps with `t` once the function returns, and
 * what it returns is ignored. Ownership of t passes to the runtime. A second
 * call before returning replaces (and frees) the first trap. */
WEFT_API void weft_native_trap(weft_trap *t);

/* Takes the trap left on this thread by the last call through a
 * weft_func_as_native pointer (or a trampoline entry called from C), or
 * NULL if it returned normally. Caller owns the result. A call that traps
 * returns zero (or leaves its result pointers untouched). */
WEFT_API weft_trap *weft_native_take_trap(void);

/* A trampoline: a libffi closure that presents a C entry point with the
 * natural signature of `type` and forwards every call to one generic
 * `handler` with the user's `handle`. Arguments arrive in `slots` (one
 * uint64 per value, i32/f32 in the low 32 bits, as for
 * weft_func_call_unchecked); the handler writes the results there. A
 * non-NULL trap it returns is raised as by weft_native_trap. `caller` is
 * the entry's leading weft_caller* with WEFT_NATIVE_CALLER, else NULL.
 * This is how foreign runtimes (the Go package) hand their host functions
 * to weft_func_new_native. */
typedef weft_trap *(*weft_trampoline_handler)(void *handle, weft_caller *caller,
                                              uint64_t *slots);
typedef struct weft_trampoline weft_trampoline;

/* Creates a trampoline; the closure is allocated once, here. On success
 * returns NULL and sets *out (caller owns; free with weft_trampoline_delete
 * once no function uses its entry). Errors as weft_func_new_native. */
WEFT_API weft_error *weft_trampoline_new(const weft_functype *type, uint32_t flags,
                                         weft_trampoline_handler handler, void *handle,
                                         weft_trampoline **out);
/* The natural-signature entry point. Borrowed: valid until the trampoline
 * is deleted. */
WEFT_API weft_native_fn weft_trampoline_entry(const weft_trampoline *t);
WEFT_API void weft_trampoline_delete(weft_trampoline *t);

/* A host function whose body is a trampoline: calls go Wasm -> ffi_call ->
 * the closure's natural-signature entry -> handler(handle, caller, slots).
 * The trampoline is freed with the function, and then finalizer(handle) is
 * called (finalizer may be NULL). On success returns NULL and sets *out
 * (caller owns). Errors as weft_trampoline_new. */
WEFT_API weft_error *weft_func_new_trampoline(weft_engine *e, const weft_functype *type,
                                              weft_trampoline_handler handler, void *handle,
                                              void (*finalizer)(void *), weft_func **out);

/* A function (typically a Wasm export) as a plain C function pointer with
 * its natural signature (no weft_caller parameter). The closure is made on
 * the first request and freed with the function; later requests return the
 * same pointer. Traps are reported through weft_native_take_trap. The
 * pointer may be called from any thread, under the same rule as the
 * function's instance: one thread at a time. On success returns NULL and
 * sets *out. Errors as weft_func_new_native. */
WEFT_API weft_error *weft_func_as_native(weft_func *f, weft_native_fn *out);

#ifdef __cplusplus
}
#endif

#endif /* WEFT_H */
