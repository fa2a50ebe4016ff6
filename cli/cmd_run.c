/* cmd_run.c — `weft run`: instantiate a module and call one export with
 * arguments from the command line, printing its results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "describe.h"
#include "load.h"
#include "run_args.h"
#include "values.h"

#define ERROR_TEXT_SIZE 256

/* Prints a trap and gives the exit status: the guest's own code when it
 * exited (WASI proc_exit), else CLI_EXIT_TRAP. Frees the trap. */
static int finish_trap(weft_trap *t)
{
    int rc = CLI_EXIT_TRAP;
    if (weft_trap_code_of(t) == WEFT_TRAP_EXIT)
        rc = (int)weft_trap_exit_code(t);
    else
        describe_trap(t);
    weft_trap_delete(t);
    return rc;
}

/* `weft run` offers no imports until WASI arrives, so say so plainly
 * rather than let the first missing import read like a broken module. */
static int check_no_imports(const char *path, const weft_module *m)
{
    size_t n = weft_module_import_count(m);
    if (n == 0)
        return 1;
    size_t mlen = 0, nlen = 0;
    const char *mod = weft_module_import_module(m, 0, &mlen);
    const char *name = weft_module_import_name(m, 0, &nlen);
    fprintf(stderr, "weft: %s: cannot link: the module imports %s ", path,
            describe_externkind(weft_module_import_kind(m, 0)));
    describe_name(stderr, mod, mlen);
    fputc('.', stderr);
    describe_name(stderr, name, nlen);
    if (n > 1)
        fprintf(stderr, " (and %zu more)", n - 1);
    fprintf(stderr, ", but `weft run` provides no imports yet\n");
    return 0;
}

static void list_function_exports(const weft_module *m)
{
    size_t n = weft_module_export_count(m), shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (weft_module_export_kind(m, i) != WEFT_EXTERN_FUNC)
            continue;
        size_t len = 0;
        const char *name = weft_module_export_name(m, i, &len);
        fputs(shown++ ? ", " : "weft: exported functions: ", stderr);
        describe_name(stderr, name, len);
    }
    fputs(shown ? "\n" : "weft: the module exports no functions\n", stderr);
}

static int parse_args(const run_args *ra, const weft_functype *t, weft_val *vals)
{
    char err[ERROR_TEXT_SIZE];
    for (int i = 0; i < ra->nargs; i++) {
        if (!cli_parse_value(ra->args[i], weft_functype_param(t, (size_t)i), &vals[i], err,
                             sizeof err)) {
            fprintf(stderr, "weft: argument %d of %s: %s\n", i + 1, ra->invoke, err);
            return 0;
        }
    }
    return 1;
}

static int check_arity(const run_args *ra, const weft_functype *t)
{
    size_t np = weft_functype_param_count(t);
    if ((size_t)ra->nargs == np)
        return 1;
    fprintf(stderr, "weft: %s has type ", ra->invoke);
    describe_functype(stderr, t);
    fprintf(stderr, ": it takes %zu argument%s, got %d\n", np, np == 1 ? "" : "s", ra->nargs);
    return 0;
}

/* Calls the function with the parsed arguments and prints its results. */
static int call_and_print(weft_func *f, const run_args *ra)
{
    const weft_functype *t = weft_func_type(f);
    if (!check_arity(ra, t))
        return CLI_EXIT_USAGE;
    size_t np = weft_functype_param_count(t), nr = weft_functype_result_count(t);
    weft_val *args = calloc(np ? np : 1, sizeof *args);
    weft_val *results = calloc(nr ? nr : 1, sizeof *results);
    int rc = CLI_EXIT_USAGE;
    if (!args || !results) {
        fprintf(stderr, "weft: out of memory\n");
    } else if (parse_args(ra, t, args)) {
        weft_trap *trap = weft_func_call(f, args, np, results, nr);
        if (trap) {
            rc = finish_trap(trap);
        } else {
            for (size_t i = 0; i < nr; i++)
                cli_print_value(stdout, &results[i]);
            rc = CLI_EXIT_OK;
        }
    }
    free(args);
    free(results);
    return rc;
}

static int run_instance(weft_instance *inst, const run_args *ra)
{
    weft_func *f = weft_instance_export_func(inst, ra->invoke);
    if (f)
        return call_and_print(f, ra);
    fprintf(stderr, "weft: %s: no exported function \"%s\"%s\n", ra->file, ra->invoke,
            strcmp(ra->invoke, RUN_DEFAULT_ENTRY) == 0 ? " (choose one with --invoke NAME)" : "");
    list_function_exports(weft_instance_module(inst));
    return CLI_EXIT_USAGE;
}

static int run_module(const loaded_module *lm, const run_args *ra)
{
    if (!check_no_imports(ra->file, lm->module))
        return CLI_EXIT_USAGE;
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    weft_error *err = weft_instance_new(lm->module, NULL, &inst, &trap);
    if (err) {
        describe_error(ra->file, "cannot instantiate", err);
        weft_error_delete(err);
        return CLI_EXIT_USAGE;
    }
    if (trap) /* the start function or a segment trapped */
        return finish_trap(trap);
    int rc = run_instance(inst, ra);
    weft_instance_delete(inst);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    run_args ra;
    if (!run_args_parse(argc, argv, &ra))
        return CLI_EXIT_USAGE;
    loaded_module lm;
    if (!load_module_file(ra.file, &lm))
        return CLI_EXIT_USAGE;
    int rc = run_module(&lm, &ra);
    unload_module(&lm);
    return rc;
}
