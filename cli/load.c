/* load.c — read and compile a module file (see load.h). */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"

/* Reads a whole file; NULL with errno set on failure. Caller frees. */
static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    unsigned char *buf = NULL;
    long size = -1;
    if (fseek(fp, 0, SEEK_END) == 0)
        size = ftell(fp);
    if (size >= 0 && fseek(fp, 0, SEEK_SET) == 0)
        buf = malloc(size > 0 ? (size_t)size : 1);
    if (buf && fread(buf, 1, (size_t)size, fp) != (size_t)size) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    fclose(fp);
    *len = buf ? (size_t)size : 0;
    return buf;
}

int load_module_file(const char *path, const weft_config *cfg, loaded_module *out)
{
    memset(out, 0, sizeof *out);
    unsigned char *bytes = read_file(path, &out->size);
    if (!bytes) {
        fprintf(stderr, "weft: %s: %s\n", path, strerror(errno));
        return 0;
    }
    out->engine = weft_engine_new(cfg); /* NULL: the defaults */
    if (!out->engine) {
        fprintf(stderr, "weft: cannot create an engine (out of memory)\n");
        free(bytes);
        return 0;
    }
    weft_error *err = weft_module_new(out->engine, bytes, out->size, &out->module);
    free(bytes);
    if (err) {
        describe_error(path, "invalid module", err);
        weft_error_delete(err);
        unload_module(out);
        return 0;
    }
    return 1;
}

void unload_module(loaded_module *lm)
{
    if (lm->module)
        weft_module_delete(lm->module);
    if (lm->engine)
        weft_engine_delete(lm->engine);
    memset(lm, 0, sizeof *lm);
}
