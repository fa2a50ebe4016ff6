/* action.c — invoke and get (see action.h). */
#include "action.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "values.h"
#include "watchdog.h"

/* Arguments up to this count need no allocation. */
#define INLINE_ARGS 16

/* Finds an export by its exact byte string: names may hold NUL bytes, so
 * the NUL-terminated lookups of weft.h cannot be used. Walks the module's
 * export list and takes the object at the same index from the instance. */
static void *find_export(const module_rec *rec, const json_string *name, weft_externkind kind)
{
    size_t n = weft_module_export_count(rec->module);
    for (size_t i = 0; i < n; i++) {
        size_t len = 0;
        const char *s = weft_module_export_name(rec->module, i, &len);
        if (len == name->len && memcmp(s, name->chars, len) == 0)
            return weft_module_export_kind(rec->module, i) == kind
                       ? weft_instance_export_at(rec->instance, i)
                       : NULL;
    }
    return NULL;
}

static void describe_name(text *t, const json_string *field)
{
    text_put(t, "\"");
    if (field)
        text_put_escaped(t, field->chars, field->len);
    text_put(t, "\"");
}

static int parse_args(const json_value *args, weft_val *vals, char *err, size_t errsize)
{
    char verr[SPEC_VALUE_TEXT_SIZE];
    for (size_t i = 0; i < args->u.array.count; i++) {
        if (!spec_value_parse(&args->u.array.items[i], &vals[i], verr)) {
            snprintf(err, errsize, "argument %zu: %s", i, verr);
            return 0;
        }
    }
    return 1;
}

static int alloc_results(action_result *out, size_t n)
{
    out->nresults = n;
    out->results = n <= ACTION_INLINE_RESULTS ? out->inline_results
                                              : calloc(n, sizeof *out->results);
    return out->results != NULL;
}

static int run_invoke(const module_rec *rec, const json_value *action, action_result *out,
                      char *err, size_t errsize)
{
    const json_string *field = json_get_string(action, "field");
    const json_value *args = json_get(action, "args");
    if (!field || (args && args->type != JSON_ARRAY)) {
        snprintf(err, errsize, "malformed invoke action");
        return 0;
    }
    weft_func *f = find_export(rec, field, WEFT_EXTERN_FUNC);
    if (!f) {
        snprintf(err, errsize, "no exported function of that name");
        return 0;
    }
    size_t nargs = args ? args->u.array.count : 0;
    weft_val inline_args[INLINE_ARGS];
    weft_val *vals = nargs <= INLINE_ARGS ? inline_args : calloc(nargs, sizeof *vals);
    size_t nresults = weft_functype_result_count(weft_func_type(f));
    int ok = vals != NULL && alloc_results(out, nresults);
    if (!ok)
        snprintf(err, errsize, "out of memory");
    else if (nargs > 0)
        ok = parse_args(args, vals, err, errsize);
    if (ok) {
        watchdog_arm(rec->instance);
        out->trap = weft_func_call(f, vals, nargs, out->results, out->nresults);
        out->timed_out = watchdog_disarm();
    }
    if (vals != inline_args)
        free(vals);
    return ok;
}

static int run_get(const module_rec *rec, const json_value *action, action_result *out,
                   char *err, size_t errsize)
{
    const json_string *field = json_get_string(action, "field");
    weft_global *g = field ? find_export(rec, field, WEFT_EXTERN_GLOBAL) : NULL;
    if (!g) {
        snprintf(err, errsize, "no exported global of that name");
        return 0;
    }
    alloc_results(out, 1); /* one result always fits inline */
    weft_global_get(g, &out->results[0]);
    return 1;
}

int action_run(const module_rec *rec, const json_value *action, action_result *out,
               char *err, size_t errsize)
{
    memset(out, 0, sizeof *out);
    const json_string *type = json_get_string(action, "type");
    if (type && json_string_is(type, "invoke"))
        return run_invoke(rec, action, out, err, errsize);
    if (type && json_string_is(type, "get"))
        return run_get(rec, action, out, err, errsize);
    snprintf(err, errsize, "unknown action type");
    return 0;
}

void action_result_free(action_result *r)
{
    if (r->trap)
        weft_trap_delete(r->trap);
    if (r->results != r->inline_results)
        free(r->results);
    r->trap = NULL;
    r->results = NULL;
}

void action_describe(const json_value *action, char *buf, size_t size)
{
    text t = text_start(buf, size);
    const json_string *type = json_get_string(action, "type");
    const json_string *module = json_get_string(action, "module");
    const json_value *args = json_get(action, "args");
    text_put(&t, "%s ", type && json_string_is(type, "get") ? "get" : "invoke");
    if (module)
        text_put(&t, "%.*s.", (int)module->len, module->chars);
    describe_name(&t, json_get_string(action, "field"));
    if (!type || !json_string_is(type, "invoke"))
        return;
    text_put(&t, "(");
    for (size_t i = 0; args && args->type == JSON_ARRAY && i < args->u.array.count; i++) {
        char v[SPEC_VALUE_TEXT_SIZE], verr[SPEC_VALUE_TEXT_SIZE];
        spec_expected e;
        if (spec_expected_parse(&args->u.array.items[i], &e, verr))
            spec_expected_format(&e, v, sizeof v);
        else
            snprintf(v, sizeof v, "?");
        text_put(&t, "%s%s", i ? ", " : "", v);
    }
    text_put(&t, ")");
}
