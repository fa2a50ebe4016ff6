/* cli.h — the subcommands of the `weft` command-line tool and the exit
 * codes they share. */
#ifndef WEFT_CLI_H
#define WEFT_CLI_H

/* Exit codes: 0 success, 1 the guest trapped, 2 the command could not run
 * (usage error, unreadable or invalid module, link error). */
#define CLI_EXIT_OK 0
#define CLI_EXIT_TRAP 1
#define CLI_EXIT_USAGE 2

/* Each subcommand gets the arguments after its own name. */
int cmd_version(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_run(int argc, char **argv);

#endif /* WEFT_CLI_H */
