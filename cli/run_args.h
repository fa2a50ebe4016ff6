/* run_args.h — the command line of `weft run`. Kept apart from cmd_run.c
 * so new flags (-env K=V, -mount host:guest for WASI) only touch this file
 * and the struct below. */
#ifndef WEFT_CLI_RUN_ARGS_H
#define WEFT_CLI_RUN_ARGS_H

/* The function `weft run` calls unless --invoke names another. */
#define RUN_DEFAULT_ENTRY "_start"

typedef struct run_args {
    const char *invoke; /* export to call */
    const char *file;   /* the module */
    int nargs;          /* arguments for the function, as typed */
    char **args;
} run_args;

/* Parses argv (the words after "run"). Options come before the file; every
 * word after it is an argument for the function, even one that starts with
 * '-' (a negative number). Returns 0 and prints a message on a usage error. */
int run_args_parse(int argc, char **argv, run_args *out);
void run_args_usage(void);

#endif /* WEFT_CLI_RUN_ARGS_H */
