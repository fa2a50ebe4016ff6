/* host.c — embedding weft in a C program (examples/c-host):
 * load guest.wasm, give it two host functions written as plain C functions
 * with their natural signatures, and call its export `summarize`.
 *
 *   usage: c-host guest.wasm N FACTOR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "weft.h"

/* env.scale: (i32, f64) -> f64, a plain C function. */
static double scale(int32_t value, double factor) { return value * factor; }

/* env.print: (i32 ptr, i32 len) -> (), reading the guest's memory through
 * the caller, so it takes a leading weft_caller*. */
static void print(weft_caller *caller, int32_t ptr, int32_t len)
{
    weft_memory *mem = weft_caller_memory(caller);
    if (!mem || ptr < 0 || len < 0 || (size_t)ptr + (size_t)len > weft_memory_size(mem)) {
        weft_native_trap(weft_trap_new("print: text outside guest memory"));
        return;
    }
    printf("%.*s\n", (int)len, (const char *)weft_memory_data(mem) + ptr);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    unsigned char *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Adds a natural-signature host function under env.NAME. */
static int add_native(weft_engine *e, weft_imports *im, const char *name, weft_native_fn fn,
                      uint32_t flags, size_t np, const weft_valkind *p, size_t nr,
                      const weft_valkind *r)
{
    weft_functype *type = weft_functype_new(np, p, nr, r);
    weft_func *f = NULL;
    weft_error *err = weft_func_new_native(e, type, fn, flags, &f);
    weft_functype_delete(type);
    if (err) {
        fprintf(stderr, "c-host: %s: %s\n", name, weft_error_message(err));
        weft_error_delete(err);
        return 0;
    }
    weft_imports_add_func(im, "env", name, f);
    weft_func_delete(f); /* the import set holds its own reference */
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: c-host guest.wasm N FACTOR\n");
        return 2;
    }
    size_t len;
    unsigned char *bytes = read_file(argv[1], &len);
    if (!bytes) {
        fprintf(stderr, "c-host: cannot read %s\n", argv[1]);
        return 1;
    }
    weft_config *cfg = weft_config_new();
    weft_engine *engine = weft_engine_new(cfg);
    weft_config_delete(cfg);

    weft_module *module = NULL;
    weft_error *err = weft_module_new(engine, bytes, len, &module);
    free(bytes);
    if (err) {
        fprintf(stderr, "c-host: %s\n", weft_error_message(err));
        return 1;
    }

    const weft_valkind scale_params[] = {WEFT_I32, WEFT_F64}, f64 = WEFT_F64;
    const weft_valkind print_params[] = {WEFT_I32, WEFT_I32};
    weft_imports *imports = weft_imports_new();
    if (!add_native(engine, imports, "scale", (weft_native_fn)(void (*)(void))scale, 0, 2,
                    scale_params, 1, &f64) ||
        !add_native(engine, imports, "print", (weft_native_fn)(void (*)(void))print,
                    WEFT_NATIVE_CALLER, 2, print_params, 0, NULL))
        return 1;

    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    err = weft_instance_new(module, imports, &inst, &trap);
    weft_imports_delete(imports);
    if (err || trap) {
        fprintf(stderr, "c-host: %s\n", err ? weft_error_message(err) : weft_trap_message(trap));
        return 1;
    }

    /* Call the export as a plain C function pointer. */
    weft_native_fn fn;
    err = weft_func_as_native(weft_instance_export_func(inst, "summarize"), &fn);
    if (err) {
        fprintf(stderr, "c-host: %s\n", weft_error_message(err));
        return 1;
    }
    double (*summarize)(int32_t, double) = (double (*)(int32_t, double))fn;
    double total = summarize(atoi(argv[2]), atof(argv[3]));
    if ((trap = weft_native_take_trap()) != NULL) {
        fprintf(stderr, "c-host: trap: %s\n", weft_trap_message(trap));
        weft_trap_delete(trap);
        return 1;
    }
    printf("host: summarize = %g\n", total);

    weft_instance_delete(inst);
    weft_module_delete(module);
    weft_engine_delete(engine);
    return 0;
}
