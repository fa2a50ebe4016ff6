/* registry.h — the modules of one spec file: the named and current ones,
 * the names they are registered under, and the import set built from them.
 *
 * A module that is neither named nor registered can only be reached while
 * it is current, so it is freed as soon as another module replaces it;
 * the others live until the file ends. */
#ifndef SPEC_REGISTRY_H
#define SPEC_REGISTRY_H

#include <stddef.h>

#include "json.h"
#include "spectest_host.h"
#include "weft.h"

typedef enum module_state {
    MODULE_LOADED,  /* compiled and instantiated */
    MODULE_FAILED,  /* failed to compile or instantiate (already reported) */
    MODULE_SKIPPED  /* not run (text format) */
} module_state;

typedef struct module_rec {
    char *name; /* "$M" from the JSON, or NULL */
    weft_module *module;
    weft_instance *instance;
    module_state state;
    int registered;
    struct module_rec *next;
} module_rec;

typedef struct registration {
    char *as;
    module_rec *rec;
} registration;

typedef struct registry {
    module_rec *modules; /* newest first */
    module_rec *current;
    registration *regs;
    size_t nregs, capregs;
    const spectest_host *host;
    weft_imports *imports; /* built on demand, dropped by each register */
} registry;

void registry_init(registry *r, const spectest_host *host);
/* Frees every instance, then every module, then the import set. */
void registry_free(registry *r);

/* Adds a module (ownership of module/instance passes to the registry) and
 * makes it current. `name` (may be NULL) is copied. NULL if out of memory,
 * in which case module and instance are freed. */
module_rec *registry_add(registry *r, const json_string *name, weft_module *m,
                         weft_instance *inst, module_state state);
/* The module named `name`, or the current one when name is NULL. NULL if
 * there is none. */
module_rec *registry_find(const registry *r, const json_string *name);
/* Makes rec's exports importable under module name `as`. Returns 0 if out
 * of memory. */
int registry_register(registry *r, const json_string *as, module_rec *rec);
/* The imports for instantiating the next module: "spectest" plus every
 * registered module. Borrowed; NULL if out of memory. */
const weft_imports *registry_imports(registry *r);

#endif /* SPEC_REGISTRY_H */
