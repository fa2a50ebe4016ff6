/* cmd_inspect.c — `weft inspect FILE.wasm`: imports, exports (with their
 * types) and custom sections of a module; with --code, the threaded code the
 * compiler made of its functions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "describe.h"
#include "load.h"

/* Limits of a table or memory: "min 1, max 2" ("no max" when absent). */
static void print_limits(uint64_t min, uint64_t max)
{
    printf("min %llu, ", (unsigned long long)min);
    if (max == UINT64_MAX)
        printf("no max");
    else
        printf("max %llu", (unsigned long long)max);
}

/* The type part of an import or export, from whichever accessor applies. */
typedef struct extern_view {
    weft_externkind kind;
    const weft_functype *functype;
    int has_limits;
    uint64_t min, max;
    int has_global;
    weft_valkind global_kind;
    int mutability;
} extern_view;

static void print_extern_type(const extern_view *v)
{
    switch (v->kind) {
    case WEFT_EXTERN_FUNC: describe_functype(stdout, v->functype); break;
    case WEFT_EXTERN_TABLE:
    case WEFT_EXTERN_MEMORY:
        if (v->has_limits)
            print_limits(v->min, v->max);
        if (v->kind == WEFT_EXTERN_MEMORY && v->has_limits)
            printf(" pages");
        break;
    case WEFT_EXTERN_GLOBAL:
        if (v->has_global)
            printf("%s %s", v->mutability == WEFT_VAR ? "mut" : "const",
                   describe_valkind(v->global_kind));
        break;
    default: break;
    }
}

static void print_imports(const weft_module *m)
{
    size_t n = weft_module_import_count(m);
    printf("imports (%zu):\n", n);
    for (size_t i = 0; i < n; i++) {
        extern_view v = {0};
        v.kind = weft_module_import_kind(m, i);
        if (v.kind == WEFT_EXTERN_FUNC)
            v.functype = weft_module_import_functype(m, i);
        v.has_limits = weft_module_import_limits(m, i, &v.min, &v.max);
        v.has_global = weft_module_import_globaltype(m, i, &v.global_kind, &v.mutability);
        size_t mlen = 0, nlen = 0;
        const char *mod = weft_module_import_module(m, i, &mlen);
        const char *name = weft_module_import_name(m, i, &nlen);
        printf("  %-6s ", describe_externkind(v.kind));
        describe_name(stdout, mod, mlen);
        putchar('.');
        describe_name(stdout, name, nlen);
        printf(": ");
        print_extern_type(&v);
        putchar('\n');
    }
}

static void print_exports(const weft_module *m)
{
    size_t n = weft_module_export_count(m);
    printf("exports (%zu):\n", n);
    for (size_t i = 0; i < n; i++) {
        extern_view v = {0};
        v.kind = weft_module_export_kind(m, i);
        if (v.kind == WEFT_EXTERN_FUNC)
            v.functype = weft_module_export_functype(m, i);
        v.has_limits = weft_module_export_limits(m, i, &v.min, &v.max);
        v.has_global = weft_module_export_globaltype(m, i, &v.global_kind, &v.mutability);
        size_t len = 0;
        const char *name = weft_module_export_name(m, i, &len);
        printf("  %-6s ", describe_externkind(v.kind));
        describe_name(stdout, name, len);
        printf(": ");
        print_extern_type(&v);
        putchar('\n');
    }
}

static void print_custom_sections(const weft_module *m)
{
    size_t n = weft_module_custom_section_count(m);
    printf("custom sections (%zu):\n", n);
    for (size_t i = 0; i < n; i++) {
        size_t name_len = 0, data_len = 0;
        const char *name = weft_module_custom_section_name(m, i, &name_len);
        weft_module_custom_section_data(m, i, &data_len);
        printf("  ");
        describe_name(stdout, name, name_len);
        printf(": %zu bytes\n", data_len);
    }
}

/* The function index --code=WHICH names: a number or an export's name. UINT32_MAX when WHICH is NULL (every function). */
static int find_function(const weft_module *m, const char *which, uint32_t *out)
{
    *out = UINT32_MAX;
    if (!which)
        return 1;
    char *end;
    unsigned long n = strtoul(which, &end, 10);
    if (*which && !*end && n < UINT32_MAX) {
        *out = (uint32_t)n;
        return 1;
    }
    for (size_t i = 0; i < weft_module_export_count(m); i++) {
        size_t len = 0;
        const char *name = weft_module_export_name(m, i, &len);
        if (weft_module_export_kind(m, i) == WEFT_EXTERN_FUNC && len == strlen(which) &&
            memcmp(name, which, len) == 0) {
            *out = weft_module_export_index(m, i);
            return 1;
        }
    }
    return 0;
}

static int print_code(const weft_module *m, const char *which)
{
    uint32_t fi;
    if (!find_function(m, which, &fi)) {
        fprintf(stderr, "weft inspect: no function \"%s\"\n", which);
        return CLI_EXIT_USAGE;
    }
    uint8_t *text = NULL;
    size_t len = 0;
    weft_error *err = weft_module_disassemble(m, fi, &text, &len);
    if (err) {
        fprintf(stderr, "weft inspect: %s\n", weft_error_message(err));
        weft_error_delete(err);
        return CLI_EXIT_USAGE;
    }
    fwrite(text, 1, len, stdout);
    weft_bytes_delete(text);
    return CLI_EXIT_OK;
}

int cmd_inspect(int argc, char **argv)
{
    const char *which = NULL;
    int code = 0;
    if (argc == 2 && strncmp(argv[0], "--code", 6) == 0 &&
        (argv[0][6] == 0 || argv[0][6] == '=')) {
        code = 1;
        which = argv[0][6] == '=' ? argv[0] + 7 : NULL;
        argc--;
        argv++;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: weft inspect [--code[=FUNC]] FILE.wasm\n");
        return CLI_EXIT_USAGE;
    }
    loaded_module lm;
    if (!load_module_file(argv[0], NULL, &lm))
        return CLI_EXIT_USAGE;
    if (code) {
        int rc = print_code(lm.module, which);
        unload_module(&lm);
        return rc;
    }
    const char *name = weft_module_name(lm.module);
    printf("module %s: %zu bytes", argv[0], lm.size);
    if (name)
        printf(", name \"%s\"", name);
    putchar('\n');
    print_imports(lm.module);
    print_exports(lm.module);
    print_custom_sections(lm.module);
    unload_module(&lm);
    return CLI_EXIT_OK;
}
