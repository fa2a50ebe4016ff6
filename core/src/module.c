/* module.c — weft_module: decode + validate + compile, and the queries on a
 * compiled module (imports, exports, custom sections, names). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "live_objects.h"
#include "runtime.h"
#include "validate.h"

/* The engine's module size limit, checked before anything is copied. */
static weft_error *check_module_size(const weft_engine *e, size_t len)
{
    if (len <= e->config.max_module_size)
        return NULL;
    return error_new(WEFT_ERROR_RESOURCE, -1, -1, "module too large: %zu bytes, the limit is %zu",
                     len, e->config.max_module_size);
}

weft_error *module_build(weft_engine *e, const uint8_t *bytes, size_t len,
                         weft_error *(*make_code)(weft_module *, void *), void *arg,
                         weft_module **out)
{
    *out = NULL;
    weft_error *size_err = check_module_size(e, len);
    if (size_err)
        return size_err;
    weft_module *mod = calloc(1, sizeof *mod);
    if (!mod)
        return error_new(WEFT_ERROR_RESOURCE, -1, -1, "out of memory");
    weft_error *err = wmodule_decode(&mod->m, bytes, len);
    if (err) {
        free(mod);
        return err;
    }
    err = validate_module(&mod->m);
    if (!err) {
        atomic_init(&mod->refs, 1);
        mod->engine = e;
        engine_retain(e);
        err = make_code(mod, arg);
        if (err) {
            weft_engine_delete(e);
            mod->engine = NULL;
        }
    }
    if (err) {
        free(mod->code);
        free(mod->cfuncs);
        wmodule_free(&mod->m);
        free(mod);
        return err;
    }
    live_inc(LIVE_MODULE);
    *out = mod;
    return NULL;
}

static weft_error *compile_code(weft_module *mod, void *unused)
{
    (void)unused;
    return compile_module(mod);
}

weft_error *weft_module_new(weft_engine *e, const uint8_t *bytes, size_t len, weft_module **out)
{
    return module_build(e, bytes, len, compile_code, NULL, out);
}

weft_error *weft_module_validate(weft_engine *e, const uint8_t *bytes, size_t len)
{
    wmodule m;
    weft_error *err = check_module_size(e, len);
    if (err)
        return err;
    err = wmodule_decode(&m, bytes, len);
    if (err)
        return err;
    err = validate_module(&m);
    if (!err)
        err = validate_bodies(&m, e->config.features);
    wmodule_free(&m);
    return err;
}

void module_retain(weft_module *m) { atomic_fetch_add(&m->refs, 1); }

void weft_module_delete(weft_module *m)
{
    if (!m || atomic_fetch_sub(&m->refs, 1) != 1)
        return;
    free(m->code);
    free(m->cfuncs);
    wmodule_free(&m->m);
    weft_engine_delete(m->engine);
    live_dec(LIVE_MODULE);
    free(m);
}

/* ------------------------------------------------------------ imports */

size_t weft_module_import_count(const weft_module *m) { return m->m.nimports; }

const char *weft_module_import_module(const weft_module *m, size_t i, size_t *len)
{
    if (len)
        *len = m->m.imports[i].module_len;
    return m->m.imports[i].module;
}

const char *weft_module_import_name(const weft_module *m, size_t i, size_t *len)
{
    if (len)
        *len = m->m.imports[i].name_len;
    return m->m.imports[i].name;
}

weft_externkind weft_module_import_kind(const weft_module *m, size_t i)
{
    return m->m.imports[i].kind;
}

const weft_functype *weft_module_import_functype(const weft_module *m, size_t i)
{
    const import *im = &m->m.imports[i];
    return im->kind == WEFT_EXTERN_FUNC ? &m->m.types[im->desc.type_index] : NULL;
}

static int limits_out(const limits *l, uint64_t *min, uint64_t *max)
{
    if (min)
        *min = l->min;
    if (max)
        *max = l->has_max ? l->max : UINT64_MAX;
    return 1;
}

int weft_module_import_limits(const weft_module *m, size_t i, uint64_t *min, uint64_t *max)
{
    const import *im = &m->m.imports[i];
    if (im->kind == WEFT_EXTERN_MEMORY)
        return limits_out(&im->desc.mem.lim, min, max);
    if (im->kind == WEFT_EXTERN_TABLE)
        return limits_out(&im->desc.table.lim, min, max);
    return 0;
}

int weft_module_import_globaltype(const weft_module *m, size_t i, weft_valkind *kind,
                                  int *mutability)
{
    const import *im = &m->m.imports[i];
    if (im->kind != WEFT_EXTERN_GLOBAL)
        return 0;
    if (kind)
        *kind = im->desc.global.type;
    if (mutability)
        *mutability = im->desc.global.mut ? WEFT_VAR : WEFT_CONST;
    return 1;
}

/* ------------------------------------------------------------ exports */

size_t weft_module_export_count(const weft_module *m) { return m->m.nexports; }

const char *weft_module_export_name(const weft_module *m, size_t i, size_t *len)
{
    if (len)
        *len = m->m.exports[i].name_len;
    return m->m.exports[i].name;
}

weft_externkind weft_module_export_kind(const weft_module *m, size_t i)
{
    return m->m.exports[i].kind;
}

uint32_t weft_module_export_index(const weft_module *m, size_t i)
{
    return i < m->m.nexports ? m->m.exports[i].index : UINT32_MAX;
}

const weft_functype *weft_module_export_functype(const weft_module *m, size_t i)
{
    const export *ex = &m->m.exports[i];
    return ex->kind == WEFT_EXTERN_FUNC ? wmodule_func_type(&m->m, ex->index) : NULL;
}

int weft_module_export_limits(const weft_module *m, size_t i, uint64_t *min, uint64_t *max)
{
    const export *ex = &m->m.exports[i];
    if (ex->kind == WEFT_EXTERN_MEMORY)
        return limits_out(&m->m.mems[ex->index].lim, min, max);
    if (ex->kind == WEFT_EXTERN_TABLE)
        return limits_out(&m->m.tables[ex->index].lim, min, max);
    return 0;
}

int weft_module_export_globaltype(const weft_module *m, size_t i, weft_valkind *kind,
                                  int *mutability)
{
    const export *ex = &m->m.exports[i];
    if (ex->kind != WEFT_EXTERN_GLOBAL)
        return 0;
    const globaltype *g = &m->m.globals[ex->index].type;
    if (kind)
        *kind = g->type;
    if (mutability)
        *mutability = g->mut ? WEFT_VAR : WEFT_CONST;
    return 1;
}

/* ------------------------------------------------------------ custom, names */

size_t weft_module_custom_section_count(const weft_module *m) { return m->m.ncustoms; }

const char *weft_module_custom_section_name(const weft_module *m, size_t i, size_t *len)
{
    if (len)
        *len = m->m.customs[i].name_len;
    return m->m.customs[i].name;
}

const uint8_t *weft_module_custom_section_data(const weft_module *m, size_t i, size_t *len)
{
    if (len)
        *len = m->m.customs[i].size;
    return m->m.customs[i].data;
}

const char *weft_module_name(const weft_module *m) { return m->m.module_name; }

const char *weft_module_func_name(const weft_module *m, uint32_t func_index)
{
    return wmodule_func_name(&m->m, func_index);
}
