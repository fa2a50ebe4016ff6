/* commands_common.h — helpers shared by the command handlers: loading a
 * command's module file and matching trap messages. */
#ifndef SPEC_COMMANDS_COMMON_H
#define SPEC_COMMANDS_COMMON_H

#include "json.h"
#include "spec_file.h"
#include "weft.h"

typedef enum load_status {
    LOAD_OK,            /* *out holds the compiled module */
    LOAD_SKIPPED,       /* text format: the skip is already recorded */
    LOAD_FAILED_IO,     /* the failure is already recorded in f->message */
    LOAD_COMPILE_ERROR  /* *err holds the engine's error (caller frees) */
} load_status;

/* Reads and compiles the module file named by cmd's "filename". */
load_status load_module(spec_file *f, const json_value *cmd, weft_module **out,
                        weft_error **err);
/* Whether our trap message fits the expected text: either is a prefix of
 * the other ("uninitialized element 2" vs ours "uninitialized element"). */
int trap_text_matches(const json_string *expected, const char *ours);
/* The "text" of a command as printable characters (for messages). */
const char *command_text(const json_value *cmd);

#endif /* SPEC_COMMANDS_COMMON_H */
