/* cmd_run.c — `weft run`: instantiate a module with WASI preview1 and run
 * it: `_start` (a WASI command) by default, or one export called with typed
 * arguments from the command line (--invoke), printing its results. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "describe.h"
#include "load.h"
#include "run_args.h"
#include "timeout.h"
#include "values.h"
#include "wasi_setup.h"

#define ERROR_TEXT_SIZE 256
#define WASI_MODULE "wasi_snapshot_preview1"
#define REACTOR_INIT "_initialize"

/* Prints a trap and gives the exit status: the guest's own code when it
 * exited (WASI proc_exit), else CLI_EXIT_TRAP. Frees the trap. */
static int finish_trap(weft_trap *t, bool timed_out, const char *timeout_text)
{
    int rc = CLI_EXIT_TRAP;
    if (weft_trap_code_of(t) == WEFT_TRAP_EXIT) {
        rc = (int)weft_trap_exit_code(t);
    } else {
        if (timed_out && weft_trap_code_of(t) == WEFT_TRAP_INTERRUPTED)
            fprintf(stderr, "weft: the guest ran longer than -timeout %s\n", timeout_text);
        if (weft_trap_code_of(t) == WEFT_TRAP_OUT_OF_FUEL)
            fprintf(stderr, "weft: the guest used up its -fuel\n");
        describe_trap(t);
    }
    weft_trap_delete(t);
    return rc;
}

/* `weft run` offers only WASI; name the first other import plainly rather
 * than let it read like a broken module. */
static int check_imports(const char *path, const weft_module *m)
{
    size_t n = weft_module_import_count(m);
    for (size_t i = 0; i < n; i++) {
        size_t mlen = 0, nlen = 0;
        const char *mod = weft_module_import_module(m, i, &mlen);
        if (mlen == strlen(WASI_MODULE) && memcmp(mod, WASI_MODULE, mlen) == 0 &&
            weft_module_import_kind(m, i) == WEFT_EXTERN_FUNC)
            continue;
        const char *name = weft_module_import_name(m, i, &nlen);
        fprintf(stderr, "weft: %s: cannot link: the module imports %s ", path,
                describe_externkind(weft_module_import_kind(m, i)));
        describe_name(stderr, mod, mlen);
        fputc('.', stderr);
        describe_name(stderr, name, nlen);
        fprintf(stderr, ", but `weft run` provides only " WASI_MODULE " functions\n");
        return 0;
    }
    return 1;
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

/* The guest's run: the call, and whether -timeout cut it short. */
typedef struct run_ctx {
    const run_args *ra;
    weft_instance *inst;
    run_timer *timer;
} run_ctx;

static weft_trap *timed_call(run_ctx *rc, weft_func *f, const weft_val *args, size_t nargs,
                             weft_val *results, size_t nresults)
{
    if (rc->ra->timeout_ns && !rc->timer)
        rc->timer = timer_start(weft_instance_interrupt_handle(rc->inst), rc->ra->timeout_ns);
    return weft_func_call(f, args, nargs, results, nresults);
}

static int trap_status(run_ctx *rc, weft_trap *t)
{
    bool fired = timer_stop(rc->timer);
    rc->timer = NULL;
    return finish_trap(t, fired, rc->ra->timeout_text);
}

/* --invoke: calls the function with the parsed arguments, prints results. */
static int call_and_print(run_ctx *rc, weft_func *f)
{
    const run_args *ra = rc->ra;
    const weft_functype *t = weft_func_type(f);
    if (!check_arity(ra, t))
        return CLI_EXIT_USAGE;
    size_t np = weft_functype_param_count(t), nr = weft_functype_result_count(t);
    weft_val *args = calloc(np ? np : 1, sizeof *args);
    weft_val *results = calloc(nr ? nr : 1, sizeof *results);
    int status = CLI_EXIT_USAGE;
    if (!args || !results) {
        fprintf(stderr, "weft: out of memory\n");
    } else if (parse_args(ra, t, args)) {
        weft_trap *trap = timed_call(rc, f, args, np, results, nr);
        if (trap) {
            status = trap_status(rc, trap);
        } else {
            for (size_t i = 0; i < nr; i++)
                cli_print_value(stdout, &results[i]);
            status = CLI_EXIT_OK;
        }
    }
    free(args);
    free(results);
    return status;
}

/* A WASI reactor is initialised before any export is called. */
static int init_reactor(run_ctx *rc)
{
    weft_func *init = weft_instance_export_func(rc->inst, REACTOR_INIT);
    if (!init || weft_functype_param_count(weft_func_type(init)) != 0 ||
        weft_functype_result_count(weft_func_type(init)) != 0)
        return -1;
    weft_trap *trap = timed_call(rc, init, NULL, 0, NULL, 0);
    return trap ? trap_status(rc, trap) : -1;
}

static int run_instance(run_ctx *rc)
{
    const run_args *ra = rc->ra;
    weft_func *f = weft_instance_export_func(rc->inst, ra->invoke);
    if (!f) {
        fprintf(stderr, "weft: %s: no exported function \"%s\"%s\n", ra->file, ra->invoke,
                ra->invoke_given ? "" : " (choose one with --invoke NAME)");
        list_function_exports(weft_instance_module(rc->inst));
        return CLI_EXIT_USAGE;
    }
    if (ra->invoke_given) {
        int early = init_reactor(rc);
        return early >= 0 ? early : call_and_print(rc, f);
    }
    /* A command: _start with the arguments as WASI args. */
    const weft_functype *t = weft_func_type(f);
    if (weft_functype_param_count(t) || weft_functype_result_count(t)) {
        fprintf(stderr, "weft: %s: %s must take and return nothing; use --invoke to call it\n",
                ra->file, ra->invoke);
        return CLI_EXIT_USAGE;
    }
    weft_trap *trap = timed_call(rc, f, NULL, 0, NULL, 0);
    if (trap)
        return trap_status(rc, trap);
    return CLI_EXIT_OK;
}

static int run_module(const loaded_module *lm, const run_args *ra)
{
    if (!check_imports(ra->file, lm->module))
        return CLI_EXIT_USAGE;
    weft_wasi *wasi = wasi_setup(ra);
    if (!wasi)
        return CLI_EXIT_USAGE;
    weft_imports *im = weft_imports_new();
    if (!im || !weft_wasi_add_to_imports(wasi, lm->engine, im)) {
        fprintf(stderr, "weft: out of memory\n");
        weft_imports_delete(im);
        weft_wasi_delete(wasi);
        return CLI_EXIT_USAGE;
    }
    run_ctx rc = {ra, NULL, NULL};
    weft_trap *trap = NULL;
    int status;
    /* Without -fuel the engine does not meter, and the fuel given is unused. */
    weft_error *err = weft_instance_new_with_fuel(lm->module, im, ra->fuel, &rc.inst, &trap);
    if (err) {
        describe_error(ra->file, "cannot instantiate", err);
        weft_error_delete(err);
        status = CLI_EXIT_USAGE;
    } else if (trap) { /* the start function or a segment trapped */
        status = finish_trap(trap, false, NULL);
    } else {
        status = run_instance(&rc);
        timer_stop(rc.timer);
        weft_instance_delete(rc.inst);
    }
    weft_imports_delete(im);
    weft_wasi_delete(wasi);
    return status;
}

int cmd_run(int argc, char **argv)
{
    run_args ra;
    if (!run_args_parse(argc, argv, &ra))
        return CLI_EXIT_USAGE;
    weft_config *cfg = weft_config_new();
    if (!cfg) {
        run_args_free(&ra);
        return CLI_EXIT_USAGE;
    }
    weft_config_set_fuel(cfg, ra.fuel != 0);
    if (ra.max_memory_pages)
        weft_config_set_max_memory_pages(cfg, ra.max_memory_pages);
    loaded_module lm;
    int rc = CLI_EXIT_USAGE;
    int loaded = load_module_file(ra.file, cfg, &lm);
    weft_config_delete(cfg);
    if (loaded) {
        rc = run_module(&lm, &ra);
        unload_module(&lm);
    }
    fflush(stdout);
    run_args_free(&ra);
    return rc;
}
