/* cmd_inspect.c — `weft inspect FILE.wasm`: imports, exports (with their
 * types) and custom sections of a module. */
#include <stdio.h>

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

int cmd_inspect(int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "usage: weft inspect FILE.wasm\n");
        return CLI_EXIT_USAGE;
    }
    loaded_module lm;
    if (!load_module_file(argv[0], &lm))
        return CLI_EXIT_USAGE;
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
