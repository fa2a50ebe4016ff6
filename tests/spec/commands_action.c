/* commands_action.c — commands that run an action: action, assert_return,
 * assert_trap, assert_exhaustion. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "commands.h"
#include "commands_common.h"
#include "suite_rules.h"
#include "values.h"
#include "watchdog.h"

/* Room for a described action or a list of values in a message. */
#define DESC_SIZE 512
#define LIST_SIZE 768

/* What the reference interpreter says when the call stack overflows. */
#define EXHAUSTION_TEXT "call stack exhausted"

/* Finds the module the action runs on and runs it. Returns 1 with *res
 * filled (free it), or 0 with *o set when the action could not run. */
static int start_action(spec_file *f, const json_value *action, action_result *res, outcome *o)
{
    memset(res, 0, sizeof *res);
    if (!action || action->type != JSON_OBJECT) {
        *o = spec_fail(f, "command has no action");
        return 0;
    }
    const json_string *name = json_get_string(action, "module");
    const module_rec *rec = registry_find(&f->reg, name);
    char desc[DESC_SIZE], err[DESC_SIZE];
    if (rec && rec->state == MODULE_SKIPPED) {
        *o = spec_skip(f, SKIP_TEXT_FORMAT);
        return 0;
    }
    int ran = rec && rec->state == MODULE_LOADED && action_run(rec, action, res, err, sizeof err);
    if (ran && !res->timed_out)
        return 1;
    action_describe(action, desc, sizeof desc);
    if (ran)
        *o = spec_fail(f, "%s: still running after %u s: interrupted", desc, watchdog_limit());
    else if (!rec)
        *o = spec_fail(f, "%s: no module %s", desc, name ? name->chars : "loaded yet");
    else if (rec->state == MODULE_FAILED)
        *o = spec_fail(f, "%s: its module failed to load", desc);
    else
        *o = spec_fail(f, "%s: %s", desc, err);
    action_result_free(res);
    return 0;
}

static outcome fail_action(spec_file *f, const json_value *action, const char *fmt, ...)
    SPEC_PRINTF_LIKE(3, 4);

/* Fails with the described action in front of the formatted details. */
static outcome fail_action(spec_file *f, const json_value *action, const char *fmt, ...)
{
    char desc[DESC_SIZE], detail[SPEC_MESSAGE_SIZE / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    action_describe(action, desc, sizeof desc);
    return spec_fail(f, "%s: %s", desc, detail);
}

/* ---------------------------------------------------------------- lists */

static void format_results(const action_result *res, const spec_expected *lanes_from,
                           size_t nexpected, char *buf, size_t size)
{
    text t = text_start(buf, size);
    text_put(&t, "(");
    for (size_t i = 0; i < res->nresults; i++) {
        char v[SPEC_VALUE_TEXT_SIZE];
        spec_lane lane = i < nexpected ? (spec_lane)lanes_from[i].lane : LANE_I32;
        spec_value_format(&res->results[i], lane, v, sizeof v);
        text_put(&t, "%s%s", i ? ", " : "", v);
    }
    text_put(&t, ")");
}

static void format_expected(const spec_expected *e, size_t n, char *buf, size_t size)
{
    text t = text_start(buf, size);
    text_put(&t, "(");
    for (size_t i = 0; i < n; i++) {
        char v[SPEC_VALUE_TEXT_SIZE];
        spec_expected_format(&e[i], v, sizeof v);
        text_put(&t, "%s%s", i ? ", " : "", v);
    }
    text_put(&t, ")");
}

/* ------------------------------------------------------------- handlers */

outcome cmd_action(spec_file *f, const json_value *cmd)
{
    const json_value *action = json_get(cmd, "action");
    action_result res;
    outcome o;
    if (!start_action(f, action, &res, &o))
        return o;
    o = res.trap ? fail_action(f, action, "trapped: \"%s\"", weft_trap_message(res.trap))
                 : OUTCOME_PASS;
    action_result_free(&res);
    return o;
}

/* The most results an assertion may expect (multi-value tests stay far
 * below this). */
#define MAX_EXPECTED 64

static outcome check_results(spec_file *f, const json_value *cmd, const json_value *action,
                             const action_result *res)
{
    const json_value *expected = json_get(cmd, "expected");
    if (!expected || expected->type != JSON_ARRAY || expected->u.array.count > MAX_EXPECTED)
        return spec_fail(f, "missing or oversized \"expected\" list");
    size_t n = expected->u.array.count;
    spec_expected want[MAX_EXPECTED];
    char err[SPEC_VALUE_TEXT_SIZE];
    for (size_t i = 0; i < n; i++)
        if (!spec_expected_parse(&expected->u.array.items[i], &want[i], err))
            return spec_fail(f, "expected value %zu: %s", i, err);
    int ok = n == res->nresults;
    for (size_t i = 0; ok && i < n; i++)
        ok = spec_expected_match(&want[i], &res->results[i]);
    if (ok)
        return OUTCOME_PASS;
    char exp_text[LIST_SIZE], got_text[LIST_SIZE], desc[DESC_SIZE];
    format_expected(want, n, exp_text, sizeof exp_text);
    format_results(res, want, n, got_text, sizeof got_text);
    action_describe(action, desc, sizeof desc);
    return spec_fail(f, "%s: expected %s, got %s", desc, exp_text, got_text);
}

outcome cmd_assert_return(spec_file *f, const json_value *cmd)
{
    const json_value *action = json_get(cmd, "action");
    action_result res;
    outcome o;
    if (!start_action(f, action, &res, &o))
        return o;
    if (res.trap)
        o = fail_action(f, action, "unexpected trap \"%s\"", weft_trap_message(res.trap));
    else
        o = check_results(f, cmd, action, &res);
    action_result_free(&res);
    return o;
}

/* Runs the action and checks that it traps with the expected text. */
static outcome expect_trap(spec_file *f, const json_value *cmd, const json_string *text)
{
    const json_value *action = json_get(cmd, "action");
    action_result res;
    outcome o;
    if (!start_action(f, action, &res, &o))
        return o;
    if (res.trap && trap_text_matches(text, weft_trap_message(res.trap))) {
        o = OUTCOME_PASS;
    } else if (res.trap) {
        o = fail_action(f, action, "expected trap \"%s\", got trap \"%s\"", text->chars,
                        weft_trap_message(res.trap));
    } else {
        char got[LIST_SIZE];
        format_results(&res, NULL, 0, got, sizeof got);
        o = fail_action(f, action, "expected trap \"%s\", returned %s", text->chars, got);
    }
    action_result_free(&res);
    return o;
}

outcome cmd_assert_trap(spec_file *f, const json_value *cmd)
{
    /* Older wast2json writes a trapping module as assert_trap + filename. */
    if (json_get(cmd, "filename"))
        return cmd_assert_uninstantiable(f, cmd);
    const json_string *text = json_get_string(cmd, "text");
    json_string none = {"", 0};
    return expect_trap(f, cmd, text ? text : &none);
}

outcome cmd_assert_exhaustion(spec_file *f, const json_value *cmd)
{
    const json_string *text = json_get_string(cmd, "text");
    json_string fallback = {EXHAUSTION_TEXT, sizeof EXHAUSTION_TEXT - 1};
    return expect_trap(f, cmd, text ? text : &fallback);
}
