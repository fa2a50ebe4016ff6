/* commands_module.c — commands about whole modules: module, register,
 * assert_invalid / assert_malformed, assert_unlinkable,
 * assert_uninstantiable. */
#include <string.h>

#include "commands.h"
#include "commands_common.h"
#include "suite_rules.h"
#include "watchdog.h"

/* Instantiates m with the file's imports. Returns 1 with *inst set, or 0
 * with *err or *trap set (caller frees). */
static int instantiate(spec_file *f, weft_module *m, weft_instance **inst, weft_error **err,
                       weft_trap **trap)
{
    *inst = NULL;
    *err = NULL;
    *trap = NULL;
    const weft_imports *imports = registry_imports(&f->reg);
    if (!imports)
        return 0; /* out of memory: no err nor trap, caller reports */
    /* No instance exists yet to interrupt: the watchdog can only give up. */
    watchdog_arm(NULL);
    *err = weft_instance_new(m, imports, inst, trap);
    watchdog_disarm();
    return *inst != NULL && !*err && !*trap;
}

/* Records why instantiation failed; frees err/trap. */
static outcome fail_instantiate(spec_file *f, const char *what, weft_error *err, weft_trap *trap)
{
    outcome o;
    if (err)
        o = spec_fail(f, "%s: link error: %s", what, weft_error_message(err));
    else if (trap)
        o = spec_fail(f, "%s: trapped while instantiating: %s", what, weft_trap_message(trap));
    else
        o = spec_fail(f, "%s: cannot build the imports (out of memory)", what);
    weft_error_delete(err);
    weft_trap_delete(trap);
    return o;
}

outcome cmd_module(spec_file *f, const json_value *cmd)
{
    const json_string *name = json_get_string(cmd, "name");
    weft_module *m;
    weft_error *err;
    weft_instance *inst = NULL;
    weft_trap *trap;
    outcome o = OUTCOME_NONE;
    module_state state = MODULE_FAILED;
    switch (load_module(f, cmd, &m, &err)) {
    case LOAD_SKIPPED:
        state = MODULE_SKIPPED;
        o = OUTCOME_SKIP;
        break;
    case LOAD_FAILED_IO: o = OUTCOME_FAIL; break;
    case LOAD_COMPILE_ERROR:
        o = spec_fail(f, "module failed to compile: %s", weft_error_message(err));
        weft_error_delete(err);
        break;
    case LOAD_OK:
        if (instantiate(f, m, &inst, &err, &trap))
            state = MODULE_LOADED;
        else
            o = fail_instantiate(f, "module failed to instantiate", err, trap);
        break;
    }
    /* A failed module still becomes current: assertions on it must fail
     * rather than run against the previous module. */
    if (!registry_add(&f->reg, name, m, inst, state))
        return spec_fail(f, "out of memory");
    return o;
}

outcome cmd_register(spec_file *f, const json_value *cmd)
{
    const json_string *as = json_get_string(cmd, "as");
    const json_string *name = json_get_string(cmd, "name");
    module_rec *rec = registry_find(&f->reg, name);
    if (!as)
        return spec_fail(f, "register without \"as\"");
    if (!rec)
        return spec_fail(f, "no module %s", name ? name->chars : "loaded yet");
    if (rec->state != MODULE_LOADED)
        return OUTCOME_NONE; /* its failure or skip is counted already */
    if (!registry_register(&f->reg, as, rec))
        return spec_fail(f, "out of memory");
    return OUTCOME_NONE;
}

outcome cmd_assert_invalid(spec_file *f, const json_value *cmd)
{
    weft_module *m;
    weft_error *err;
    switch (load_module(f, cmd, &m, &err)) {
    case LOAD_SKIPPED: return OUTCOME_SKIP;
    case LOAD_FAILED_IO: return OUTCOME_FAIL;
    case LOAD_COMPILE_ERROR: {
        const json_string *text = json_get_string(cmd, "text");
        outcome o = spec_expect_message(f, text ? text->chars : "", weft_error_message(err));
        weft_error_delete(err);
        return o;
    }
    case LOAD_OK: break;
    }
    weft_module_delete(m);
    return spec_fail(f, "module compiled, but should be rejected with \"%s\"", command_text(cmd));
}

outcome cmd_assert_unlinkable(spec_file *f, const json_value *cmd)
{
    weft_module *m;
    weft_error *err;
    weft_instance *inst;
    weft_trap *trap;
    switch (load_module(f, cmd, &m, &err)) {
    case LOAD_SKIPPED: return OUTCOME_SKIP;
    case LOAD_FAILED_IO: return OUTCOME_FAIL;
    case LOAD_COMPILE_ERROR: {
        outcome o = spec_fail(f, "module failed to compile (expected link error \"%s\"): %s",
                              command_text(cmd), weft_error_message(err));
        weft_error_delete(err);
        return o;
    }
    case LOAD_OK: break;
    }
    outcome o;
    if (instantiate(f, m, &inst, &err, &trap)) {
        weft_instance_delete(inst);
        o = spec_fail(f, "module linked, expected link error \"%s\"", command_text(cmd));
    } else if (err && weft_error_kind_of(err) == WEFT_ERROR_LINK) {
        o = spec_expect_message(f, command_text(cmd), weft_error_message(err));
        weft_error_delete(err);
    } else {
        o = fail_instantiate(f, "expected a link error", err, trap);
    }
    weft_module_delete(m);
    return o;
}

outcome cmd_assert_uninstantiable(spec_file *f, const json_value *cmd)
{
    weft_module *m;
    weft_error *err;
    weft_instance *inst;
    weft_trap *trap;
    switch (load_module(f, cmd, &m, &err)) {
    case LOAD_SKIPPED: return OUTCOME_SKIP;
    case LOAD_FAILED_IO: return OUTCOME_FAIL;
    case LOAD_COMPILE_ERROR: {
        outcome o = spec_fail(f, "module failed to compile (expected trap \"%s\"): %s",
                              command_text(cmd), weft_error_message(err));
        weft_error_delete(err);
        return o;
    }
    case LOAD_OK: break;
    }
    outcome o;
    const json_string *text = json_get_string(cmd, "text");
    if (instantiate(f, m, &inst, &err, &trap)) {
        weft_instance_delete(inst);
        o = spec_fail(f, "module instantiated, expected trap \"%s\"", command_text(cmd));
    } else if (trap && (!text || trap_text_matches(text, weft_trap_message(trap)))) {
        weft_trap_delete(trap);
        o = OUTCOME_PASS;
    } else if (trap) {
        o = spec_fail(f, "expected trap \"%s\", got trap \"%s\"", command_text(cmd),
                      weft_trap_message(trap));
        weft_trap_delete(trap);
    } else {
        o = fail_instantiate(f, "expected a trap", err, trap);
    }
    weft_module_delete(m);
    return o;
}
