/* trap.c — weft_trap objects: a code, the spec's message, an optional exit
 * code and a backtrace of function indices and names. */
#include <stdlib.h>
#include <string.h>

#include "interp_support.h"
#include "live_objects.h"
#include "runtime.h"

static const char *const trap_messages[] = {
    [WEFT_TRAP_NONE] = "no trap",
    [WEFT_TRAP_UNREACHABLE] = "unreachable",
    [WEFT_TRAP_MEMORY_OUT_OF_BOUNDS] = "out of bounds memory access",
    [WEFT_TRAP_TABLE_OUT_OF_BOUNDS] = "out of bounds table access",
    [WEFT_TRAP_INDIRECT_CALL_NULL] = "uninitialized element",
    [WEFT_TRAP_INDIRECT_CALL_TYPE] = "indirect call type mismatch",
    [WEFT_TRAP_INTEGER_DIVIDE_BY_ZERO] = "integer divide by zero",
    [WEFT_TRAP_INTEGER_OVERFLOW] = "integer overflow",
    [WEFT_TRAP_INVALID_CONVERSION] = "invalid conversion to integer",
    [WEFT_TRAP_CALL_STACK_EXHAUSTED] = "call stack exhausted",
    [WEFT_TRAP_INTERRUPTED] = "interrupted",
    [WEFT_TRAP_OUT_OF_FUEL] = "all fuel consumed",
    [WEFT_TRAP_NULL_REFERENCE] = "null reference",
    [WEFT_TRAP_HOST] = "host trap",
    [WEFT_TRAP_EXIT] = "exit",
    [WEFT_TRAP_BAD_ARGUMENTS] = "bad arguments",
    [WEFT_TRAP_UNDEFINED_ELEMENT] = "undefined element",
};

const char *trap_code_message(weft_trap_code code)
{
    if ((size_t)code < sizeof trap_messages / sizeof trap_messages[0] && trap_messages[code])
        return trap_messages[code];
    return "trap";
}

weft_trap *trap_new_message(weft_trap_code code, const char *message)
{
    weft_trap *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->code = code;
    t->message = strdup(message ? message : "");
    if (!t->message) {
        free(t);
        return NULL;
    }
    live_inc(LIVE_TRAP);
    return t;
}

weft_trap *trap_new_code(weft_trap_code code) { return trap_new_message(code, trap_code_message(code)); }

void trap_push_frame(weft_trap *t, const cfunc *cf)
{
    if (t->nframes == TRAP_MAX_FRAMES) {
        t->omitted_frames++;
        return;
    }
    if (t->nframes == t->cap_frames) {
        size_t cap = t->cap_frames ? t->cap_frames * 2 : 16;
        if (cap > TRAP_MAX_FRAMES)
            cap = TRAP_MAX_FRAMES;
        trap_frame *grown = realloc(t->frames, cap * sizeof *grown);
        if (!grown) {
            t->omitted_frames++; /* a shorter backtrace beats no trap */
            return;
        }
        t->frames = grown;
        t->cap_frames = cap;
    }
    trap_frame *f = t->frames;
    const wmodule *m = &cf->module->m;
    f[t->nframes].func_index = cf->index;
    /* Copies: a trap may outlive the module it came from. */
    const char *fname = wmodule_func_name(m, cf->index);
    f[t->nframes].func_name = fname ? strdup(fname) : NULL;
    f[t->nframes].module_name = m->module_name ? strdup(m->module_name) : NULL;
    t->nframes++;
}

weft_trap *weft_trap_new(const char *message) { return trap_new_message(WEFT_TRAP_HOST, message); }

weft_trap *weft_trap_new_exit(int32_t exit_code)
{
    weft_trap *t = trap_new_code(WEFT_TRAP_EXIT);
    if (t)
        t->exit_code = exit_code;
    return t;
}

weft_trap_code weft_trap_code_of(const weft_trap *t) { return t->code; }
const char *weft_trap_message(const weft_trap *t) { return t->message; }
int32_t weft_trap_exit_code(const weft_trap *t) { return t->code == WEFT_TRAP_EXIT ? t->exit_code : 0; }
size_t weft_trap_frame_count(const weft_trap *t) { return t->nframes; }
size_t weft_trap_frames_omitted(const weft_trap *t) { return t->omitted_frames; }

uint32_t weft_trap_frame_func_index(const weft_trap *t, size_t i)
{
    return i < t->nframes ? t->frames[i].func_index : UINT32_MAX;
}

const char *weft_trap_frame_func_name(const weft_trap *t, size_t i)
{
    return i < t->nframes ? t->frames[i].func_name : NULL;
}

const char *weft_trap_frame_module_name(const weft_trap *t, size_t i)
{
    return i < t->nframes ? t->frames[i].module_name : NULL;
}

void weft_trap_delete(weft_trap *t)
{
    if (!t)
        return;
    free(t->message);
    for (size_t i = 0; i < t->nframes; i++) {
        free((char *)t->frames[i].func_name);
        free((char *)t->frames[i].module_name);
    }
    live_dec(LIVE_TRAP);
    free(t->frames);
    free(t);
}
