/* registry.c — per-file module bookkeeping (see registry.h). */
#define _POSIX_C_SOURCE 200809L
#include "registry.h"

#include <stdlib.h>
#include <string.h>

#define REGS_INITIAL 8

void registry_init(registry *r, const spectest_host *host)
{
    memset(r, 0, sizeof *r);
    r->host = host;
}

static void drop_imports(registry *r)
{
    if (r->imports) {
        weft_imports_delete(r->imports);
        r->imports = NULL;
    }
}

static void rec_free(module_rec *rec)
{
    free(rec->name);
    free(rec);
}

/* Instances go first: one may import from another, and a module must not be
 * freed while an instance of it may still exist. */
void registry_free(registry *r)
{
    drop_imports(r);
    for (module_rec *m = r->modules; m; m = m->next)
        if (m->instance)
            weft_instance_delete(m->instance);
    while (r->modules) {
        module_rec *next = r->modules->next;
        if (r->modules->module)
            weft_module_delete(r->modules->module);
        rec_free(r->modules);
        r->modules = next;
    }
    for (size_t i = 0; i < r->nregs; i++)
        free(r->regs[i].as);
    free(r->regs);
    memset(r, 0, sizeof *r);
}

/* Frees the current module if nothing else can reach it any more. */
static void retire_current(registry *r)
{
    module_rec *cur = r->current;
    if (!cur || cur->name || cur->registered)
        return;
    for (module_rec **p = &r->modules; *p; p = &(*p)->next) {
        if (*p == cur) {
            *p = cur->next;
            break;
        }
    }
    if (cur->instance)
        weft_instance_delete(cur->instance);
    if (cur->module)
        weft_module_delete(cur->module);
    rec_free(cur);
    r->current = NULL;
}

module_rec *registry_add(registry *r, const json_string *name, weft_module *m,
                         weft_instance *inst, module_state state)
{
    module_rec *rec = calloc(1, sizeof *rec);
    if (rec && name)
        rec->name = strndup(name->chars, name->len);
    if (!rec || (name && !rec->name)) {
        free(rec);
        if (inst)
            weft_instance_delete(inst);
        if (m)
            weft_module_delete(m);
        return NULL;
    }
    rec->module = m;
    rec->instance = inst;
    rec->state = state;
    retire_current(r);
    rec->next = r->modules;
    r->modules = rec;
    r->current = rec;
    return rec;
}

module_rec *registry_find(const registry *r, const json_string *name)
{
    if (!name)
        return r->current;
    for (module_rec *m = r->modules; m; m = m->next)
        if (m->name && json_string_is(name, m->name))
            return m;
    return NULL;
}

int registry_register(registry *r, const json_string *as, module_rec *rec)
{
    if (r->nregs == r->capregs) {
        size_t ncap = r->capregs ? r->capregs * 2 : REGS_INITIAL;
        registration *n = realloc(r->regs, ncap * sizeof *n);
        if (!n)
            return 0;
        r->regs = n;
        r->capregs = ncap;
    }
    char *copy = strndup(as->chars, as->len);
    if (!copy)
        return 0;
    r->regs[r->nregs].as = copy;
    r->regs[r->nregs].rec = rec;
    r->nregs++;
    rec->registered = 1;
    drop_imports(r);
    return 1;
}

/* Whether registration i is replaced by a later one under the same name:
 * re-registering a name replaces the whole module, not single exports. */
static int superseded(const registry *r, size_t i)
{
    for (size_t j = i + 1; j < r->nregs; j++)
        if (strcmp(r->regs[i].as, r->regs[j].as) == 0)
            return 1;
    return 0;
}

const weft_imports *registry_imports(registry *r)
{
    if (r->imports)
        return r->imports;
    r->imports = weft_imports_new();
    if (!r->imports)
        return NULL;
    spectest_host_add_to(r->host, r->imports);
    for (size_t i = 0; i < r->nregs; i++) {
        const registration *reg = &r->regs[i];
        if (reg->rec->state == MODULE_LOADED && !superseded(r, i))
            weft_imports_add_instance(r->imports, reg->as, reg->rec->instance);
    }
    return r->imports;
}
