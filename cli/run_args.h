/* run_args.h — the command line of `weft run`. Kept apart from cmd_run.c
 * so new flags only touch this file, run_args.c and the struct below. */
#ifndef WEFT_CLI_RUN_ARGS_H
#define WEFT_CLI_RUN_ARGS_H

#include <stdbool.h>
#include <stdint.h>

/* The function `weft run` calls unless --invoke names another. */
#define RUN_DEFAULT_ENTRY "_start"

/* One -mount host[:guest][:ro]. */
typedef struct run_mount {
    const char *host;
    const char *guest;
    bool readonly;
    char *owned; /* storage for the split strings */
} run_mount;

typedef struct run_args {
    const char *invoke; /* export to call */
    bool invoke_given;  /* --invoke was used: print the results */
    const char *file;   /* the module */
    int nargs;          /* arguments for the guest (WASI args or typed values) */
    char **args;
    const char **env;   /* -env K=V, in order */
    int nenv;
    bool env_inherit;   /* -env-inherit: the host's environment too */
    run_mount *mounts;  /* -mount */
    int nmounts;
    const char **listen; /* -listen HOST:PORT: preopened TCP listeners */
    int nlisten;
    uint64_t timeout_ns; /* -timeout D; 0: none */
    const char *timeout_text;
    bool hostlogging;    /* -hostlogging: log each WASI call to stderr */
    uint64_t fuel;       /* -fuel N: the run's fuel; 0: not metered */
    uint32_t max_memory_pages; /* -max-memory-pages N; 0: the engine's default */
} run_args;

/* Parses argv (the words after "run"). Options come before the file; every
 * word after it is an argument for the guest, even one that starts with
 * '-'. Options may be spelt with one dash or two. Returns 0 and prints a
 * message on a usage error. */
int run_args_parse(int argc, char **argv, run_args *out);
void run_args_free(run_args *ra);
void run_args_usage(void);

/* Parses a duration: "1.5s", "250ms", "2m", "1h", "10us", "100ns", or a
 * plain number of seconds. Returns 0 if malformed. */
int parse_duration(const char *s, uint64_t *ns);

#endif /* WEFT_CLI_RUN_ARGS_H */
