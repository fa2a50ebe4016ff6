/* commands_common.c — module loading and trap text matching. */
#include "commands_common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "suite_rules.h"

#define WAT_SUFFIX ".wat"

static int is_text_module(const json_value *cmd, const json_string *filename)
{
    const json_string *type = json_get_string(cmd, "module_type");
    if (type)
        return json_string_is(type, "text");
    size_t n = strlen(WAT_SUFFIX);
    return filename->len >= n &&
           memcmp(filename->chars + filename->len - n, WAT_SUFFIX, n) == 0;
}

/* Replaces *m by the module rebuilt from its serialized code (-s). */
static weft_error *reload_serialized(spec_file *f, const uint8_t *wasm, size_t len,
                                     weft_module **m)
{
    uint8_t *blob;
    size_t blob_len;
    weft_error *err = weft_module_serialize(*m, &blob, &blob_len);
    weft_module_delete(*m);
    *m = NULL;
    if (err)
        return err;
    err = weft_module_deserialize(f->engine, wasm, len, blob, blob_len, m);
    weft_bytes_delete(blob);
    return err;
}

load_status load_module(spec_file *f, const json_value *cmd, weft_module **out,
                        weft_error **err)
{
    *out = NULL;
    *err = NULL;
    const json_string *filename = json_get_string(cmd, "filename");
    if (!filename || strlen(filename->chars) != filename->len) {
        spec_fail(f, "command has no usable \"filename\"");
        return LOAD_FAILED_IO;
    }
    if (is_text_module(cmd, filename)) {
        spec_skip(f, SKIP_TEXT_FORMAT);
        return LOAD_SKIPPED;
    }
    char *path = path_join(f->dir, filename->chars);
    size_t len = 0;
    char *bytes = path ? file_read(path, &len) : NULL;
    if (!bytes) {
        spec_fail(f, "cannot read %s: %s", path ? path : filename->chars, strerror(errno));
        free(path);
        return LOAD_FAILED_IO;
    }
    free(path);
    *err = weft_module_new(f->engine, (const uint8_t *)bytes, len, out);
    if (!*err && f->opt->roundtrip)
        *err = reload_serialized(f, (const uint8_t *)bytes, len, out);
    free(bytes);
    return *err ? LOAD_COMPILE_ERROR : LOAD_OK;
}

int trap_text_matches(const json_string *expected, const char *ours)
{
    size_t n = strlen(ours);
    if (n == 0)
        return expected->len == 0;
    size_t common = n < expected->len ? n : expected->len;
    return memcmp(ours, expected->chars, common) == 0;
}

const char *command_text(const json_value *cmd)
{
    const json_string *s = json_get_string(cmd, "text");
    return s ? s->chars : "";
}
