/* call_graph.c — follows direct calls to complete cfunc.reaches_host and
 * cfunc.brief (see call_graph.h). */
#include "call_graph.h"

#include <stdlib.h>
#include <string.h>

void call_graph_add(call_graph *g, uint32_t caller, uint32_t callee)
{
    if (g->incomplete)
        return;
    if (g->nedges == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 256;
        uint32_t *grown = realloc(g->edges, 2 * cap * sizeof *grown);
        if (!grown) {
            g->incomplete = true;
            return;
        }
        g->edges = grown;
        g->cap = cap;
    }
    g->edges[2 * g->nedges] = caller;
    g->edges[2 * g->nedges + 1] = callee;
    g->nedges++;
}

void call_graph_free(call_graph *g)
{
    free(g->edges);
    g->edges = NULL;
    g->nedges = g->cap = 0;
}

/* The call sites by callee: callers[first[c] .. first[c + 1]) call c. */
typedef struct by_callee {
    uint32_t *first, *callers;
} by_callee;

static bool index_by_callee(const call_graph *g, uint32_t n, by_callee *ix)
{
    ix->first = calloc((size_t)n + 1, sizeof *ix->first);
    ix->callers = malloc((g->nedges ? g->nedges : 1) * sizeof *ix->callers);
    uint32_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
    bool ok = ix->first && ix->callers && fill;
    if (ok) {
        for (size_t e = 0; e < g->nedges; e++)
            ix->first[g->edges[2 * e + 1] + 1]++;
        for (uint32_t i = 0; i < n; i++)
            ix->first[i + 1] += ix->first[i];
        memcpy(fill, ix->first, ((size_t)n + 1) * sizeof *fill);
        for (size_t e = 0; e < g->nedges; e++)
            ix->callers[fill[g->edges[2 * e + 1]]++] = g->edges[2 * e];
    }
    free(fill);
    return ok;
}

/* Marks reaches_host on the callers, transitively, of the functions marked:
 * a walk from those, each function queued once. */
static void mark_host_reach(const by_callee *ix, cfunc *cfuncs, uint32_t n, uint32_t *queue)
{
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < n; i++)
        if (cfuncs[i].reaches_host)
            queue[tail++] = i;
    while (head < tail) {
        uint32_t callee = queue[head++];
        for (uint32_t k = ix->first[callee]; k < ix->first[callee + 1]; k++) {
            uint32_t caller = ix->callers[k];
            if (!cfuncs[caller].reaches_host) {
                cfuncs[caller].reaches_host = true;
                queue[tail++] = caller;
            }
        }
    }
}

/* Settles brief, callees before their callers: a function is settled once
 * every call site in it is (pending counts those left), each adding its
 * callee's cost to the function's own. A cost is the code a function may
 * run, capped just past the limit; too_long for one not brief even
 * without its calls. Functions on or above a cycle are never settled: not
 * brief. */
static bool settle_brief(const call_graph *g, const by_callee *ix, cfunc *cfuncs, uint32_t n,
                         uint32_t *queue)
{
    uint32_t *pending = calloc(n ? n : 1, sizeof *pending);
    uint32_t *cost = malloc((n ? n : 1) * sizeof *cost);
    if (!pending || !cost) {
        free(pending);
        free(cost);
        return false;
    }
    const uint32_t too_long = BRIEF_MAX_WORDS + 1;
    for (size_t e = 0; e < g->nedges; e++)
        pending[g->edges[2 * e]]++;
    uint32_t head = 0, tail = 0;
    for (uint32_t i = 0; i < n; i++) {
        cost[i] = cfuncs[i].brief && cfuncs[i].words < too_long ? cfuncs[i].words : too_long;
        cfuncs[i].brief = false; /* until settled */
        if (pending[i] == 0)
            queue[tail++] = i;
    }
    while (head < tail) {
        uint32_t callee = queue[head++];
        cfuncs[callee].brief = cost[callee] < too_long;
        for (uint32_t k = ix->first[callee]; k < ix->first[callee + 1]; k++) {
            uint32_t caller = ix->callers[k];
            uint32_t sum = cost[caller] + cost[callee]; /* each < 2^11: no overflow */
            cost[caller] = sum < too_long ? sum : too_long;
            if (--pending[caller] == 0)
                queue[tail++] = caller;
        }
    }
    free(pending);
    free(cost);
    return true;
}

void call_graph_finish(call_graph *g, cfunc *cfuncs, uint32_t ndefined)
{
    by_callee ix = {0};
    uint32_t *queue = malloc((ndefined ? ndefined : 1) * sizeof *queue);
    bool indexed = !g->incomplete && queue && index_by_callee(g, ndefined, &ix);
    if (indexed)
        mark_host_reach(&ix, cfuncs, ndefined, queue);
    bool settled = indexed && settle_brief(g, &ix, cfuncs, ndefined, queue);
    for (uint32_t i = 0; i < ndefined && !settled; i++) { /* the safe side */
        cfuncs[i].reaches_host |= !indexed && cfuncs[i].makes_calls;
        cfuncs[i].brief = cfuncs[i].brief && !cfuncs[i].makes_calls;
    }
    free(ix.first);
    free(ix.callers);
    free(queue);
    call_graph_free(g);
}
