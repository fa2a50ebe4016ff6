/* commands.c — the table of command types (see commands.h). */
#include "commands.h"

static const command_def COMMANDS[] = {
    {"module", cmd_module, 0},
    {"register", cmd_register, 0},
    {"action", cmd_action, 1},
    {"assert_return", cmd_assert_return, 1},
    {"assert_trap", cmd_assert_trap, 1},
    {"assert_exhaustion", cmd_assert_exhaustion, 1},
    {"assert_invalid", cmd_assert_invalid, 1},
    {"assert_malformed", cmd_assert_invalid, 1},
    {"assert_unlinkable", cmd_assert_unlinkable, 1},
    {"assert_uninstantiable", cmd_assert_uninstantiable, 1},
};
#define COMMAND_COUNT (sizeof COMMANDS / sizeof COMMANDS[0])

const command_def *command_find(const json_string *type)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (json_string_is(type, COMMANDS[i].type))
            return &COMMANDS[i];
    return NULL;
}
