/* action.h — running a spec "action": invoke an exported function with
 * arguments, or read an exported global. */
#ifndef SPEC_ACTION_H
#define SPEC_ACTION_H

#include <stddef.h>

#include "json.h"
#include "registry.h"
#include "weft.h"

/* Results up to this count need no allocation. */
#define ACTION_INLINE_RESULTS 8

typedef struct action_result {
    weft_trap *trap;   /* set if the call trapped (owned) */
    weft_val *results; /* nresults values, valid when trap is NULL */
    size_t nresults;
    weft_val inline_results[ACTION_INLINE_RESULTS];
    int timed_out; /* the watchdog had to interrupt the call */
} action_result;

/* Runs `action` (the JSON object) on the loaded module rec. Returns 1 when
 * the action ran (trapped or not); 0 if it could not be run at all (no such
 * export, bad arguments...), with a message in err. Free the result with
 * action_result_free either way. */
int action_run(const module_rec *rec, const json_value *action, action_result *out,
               char *err, size_t errsize);
void action_result_free(action_result *r);
/* Describes an action for messages: invoke "name"(i32:1, ...) or get "g". */
void action_describe(const json_value *action, char *buf, size_t size);

#endif /* SPEC_ACTION_H */
