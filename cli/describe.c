/* describe.c — printing types, names and errors (see describe.h). */
#include "describe.h"

#include <string.h>

#define PRINTABLE_FIRST 0x20
#define PRINTABLE_LAST 0x7E

const char *describe_valkind(weft_valkind k)
{
    switch (k) {
    case WEFT_I32: return "i32";
    case WEFT_I64: return "i64";
    case WEFT_F32: return "f32";
    case WEFT_F64: return "f64";
    case WEFT_V128: return "v128";
    case WEFT_FUNCREF: return "funcref";
    case WEFT_EXTERNREF: return "externref";
    default: return "?";
    }
}

const char *describe_externkind(weft_externkind k)
{
    switch (k) {
    case WEFT_EXTERN_FUNC: return "func";
    case WEFT_EXTERN_TABLE: return "table";
    case WEFT_EXTERN_MEMORY: return "memory";
    case WEFT_EXTERN_GLOBAL: return "global";
    default: return "?";
    }
}

static void describe_kind_list(FILE *out, size_t n, const weft_functype *t,
                               weft_valkind (*kind_at)(const weft_functype *, size_t))
{
    fputc('(', out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%s", i ? ", " : "", describe_valkind(kind_at(t, i)));
    fputc(')', out);
}

void describe_functype(FILE *out, const weft_functype *t)
{
    if (!t) {
        fputs("(?)", out);
        return;
    }
    describe_kind_list(out, weft_functype_param_count(t), t, weft_functype_param);
    fputs(" -> ", out);
    describe_kind_list(out, weft_functype_result_count(t), t, weft_functype_result);
}

void describe_name(FILE *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        /* Bytes >= 0x80 are UTF-8 and print as they are. */
        if (c < PRINTABLE_FIRST || c == PRINTABLE_LAST + 1 || c == '\\')
            fprintf(out, "\\%02x", c);
        else
            fputc(c, out);
    }
}

void describe_error(const char *path, const char *what, const weft_error *e)
{
    const char *msg = weft_error_message(e);
    int64_t offset = weft_error_offset(e);
    fprintf(stderr, "weft: %s: %s: %s", path, what, msg);
    /* The engine's messages usually name the offset already; add it only
     * when they do not, so it is always there but never twice. */
    if (offset >= 0 && !strstr(msg, "offset"))
        fprintf(stderr, " (at offset 0x%llx)", (unsigned long long)offset);
    fputc('\n', stderr);
}

void describe_trap(const weft_trap *t)
{
    fprintf(stderr, "weft: trap: %s\n", weft_trap_message(t));
    size_t n = weft_trap_frame_count(t);
    for (size_t i = 0; i < n; i++) {
        const char *name = weft_trap_frame_func_name(t, i);
        fprintf(stderr, "  at func[%u]%s%s\n", (unsigned)weft_trap_frame_func_index(t, i),
                name ? " " : "", name ? name : "");
    }
    size_t omitted = weft_trap_frames_omitted(t);
    if (omitted)
        fprintf(stderr, "  ... %zu more frames\n", omitted);
}
