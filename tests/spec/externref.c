/* externref.c — host pointers standing for the spec suite's externref
 * numbers ("ref.extern N"). Small numbers map to the cells of a static
 * array; larger ones to heap cells found through a list, so any number works
 * and a pointer is never reused for another number. */
#include <stdlib.h>

#include "values.h"

/* The suite uses numbers below 200; this covers them without allocation. */
#define DIRECT_EXTERNREFS 1024

typedef struct extern_cell {
    uint64_t n;
    struct extern_cell *next;
} extern_cell;

static unsigned char direct_cells[DIRECT_EXTERNREFS];
static extern_cell *far_cells;

/* Returned when allocation fails: non-NULL, but shared by all such numbers,
 * which can only blur a comparison, never crash. */
static unsigned char fallback_cell;

void *spec_externref(uint64_t n)
{
    if (n < DIRECT_EXTERNREFS)
        return &direct_cells[n];
    for (extern_cell *c = far_cells; c; c = c->next)
        if (c->n == n)
            return c;
    extern_cell *c = malloc(sizeof *c);
    if (!c)
        return &fallback_cell;
    c->n = n;
    c->next = far_cells;
    far_cells = c;
    return c;
}

/* The number a pointer stands for; 0 if it is not one of ours. */
int spec_externref_number(const void *p, uint64_t *n)
{
    const unsigned char *b = p;
    if (b >= direct_cells && b < direct_cells + DIRECT_EXTERNREFS) {
        *n = (uint64_t)(b - direct_cells);
        return 1;
    }
    for (const extern_cell *c = far_cells; c; c = c->next) {
        if ((const void *)c == p) {
            *n = c->n;
            return 1;
        }
    }
    return 0;
}

void spec_externref_cleanup(void)
{
    while (far_cells) {
        extern_cell *next = far_cells->next;
        free(far_cells);
        far_cells = next;
    }
}
