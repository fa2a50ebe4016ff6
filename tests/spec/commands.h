/* commands.h — the wast2json command types and their handlers. */
#ifndef SPEC_COMMANDS_H
#define SPEC_COMMANDS_H

#include "json.h"
#include "spec_file.h"

typedef outcome (*command_fn)(spec_file *f, const json_value *cmd);

typedef struct command_def {
    const char *type;  /* "assert_return", ... */
    command_fn run;
    int is_assertion;  /* counted as one passed/failed/skipped assertion */
} command_def;

/* The definition of a command type, or NULL if unknown. */
const command_def *command_find(const json_string *type);

/* Handlers for modules (commands_module.c). */
outcome cmd_module(spec_file *f, const json_value *cmd);
outcome cmd_register(spec_file *f, const json_value *cmd);
outcome cmd_assert_invalid(spec_file *f, const json_value *cmd);
outcome cmd_assert_unlinkable(spec_file *f, const json_value *cmd);
outcome cmd_assert_uninstantiable(spec_file *f, const json_value *cmd);
/* Handlers for actions (commands_action.c). */
outcome cmd_action(spec_file *f, const json_value *cmd);
outcome cmd_assert_return(spec_file *f, const json_value *cmd);
outcome cmd_assert_trap(spec_file *f, const json_value *cmd);
outcome cmd_assert_exhaustion(spec_file *f, const json_value *cmd);

#endif /* SPEC_COMMANDS_H */
