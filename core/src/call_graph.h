/* call_graph.h — what a function's direct calls make of it: whether its
 * run may reach a host function, and whether it is brief.
 *
 * A run leaves its module's own code only through call_import and
 * call_indirect (and their return_call forms): an import may be a host
 * function, or another module's function that calls one, and a table may
 * hold either. Direct calls stay inside. So a function may reach a host
 * function if it calls out itself, or calls directly one that may. One
 * that may not, however deep its direct calls go, never runs host code: a
 * call of it from Go needs no guard against a Go host function's panic
 * (weft_func_may_reach_host; the Go package's function.guarded).
 *
 * A brief function (cfunc.brief: its start skips the slice watchdog's
 * mark) ends within microseconds: it has no op of op_long_table but direct
 * calls of brief functions, none of them recursive, and the code it may
 * run, its own and its callees' for each call site, is at most
 * BRIEF_MAX_WORDS.
 *
 * The compiler and the code cache's loader mark each function for what it
 * does itself (cfunc.reaches_host if it calls out; cfunc.brief if it would
 * be, its direct calls aside), and note its direct calls here;
 * call_graph_finish then follows the calls. */
#ifndef WEFT_CALL_GRAPH_H
#define WEFT_CALL_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ops.h"
#include "runtime.h"

typedef struct call_graph {
    uint32_t *edges; /* (caller, callee) pairs, one per call site, as defined-function indices */
    size_t nedges, cap;
    bool incomplete; /* out of memory noting one: call_graph_finish guesses */
} call_graph;

/* Notes a call site in defined function caller of defined function callee. */
void call_graph_add(call_graph *g, uint32_t caller, uint32_t callee);

/* Completes reaches_host and brief for the ndefined cfuncs (see above) and
 * frees g's memory. Without memory enough (now, or for a call_graph_add)
 * it errs on the safe side: every function with a call may reach a host
 * function, and none is brief. */
void call_graph_finish(call_graph *g, cfunc *cfuncs, uint32_t ndefined);

/* Frees g's memory (call_graph_finish does). */
void call_graph_free(call_graph *g);

#endif
