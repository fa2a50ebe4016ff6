/* fuzz_decode.c — libFuzzer target: arbitrary bytes through the decoder,
 * the validator and the compiler (weft_module_validate, weft_module_new).
 *
 * Whatever the bytes, weft must not crash, hang or abort, and:
 *   - weft_module_validate and weft_module_new agree on validity (new may
 *     also refuse with a RESOURCE error, a limit of ours);
 *   - an error has a kind, a message, and an offset inside the input;
 *   - a module that compiles answers every metadata query, disassembles,
 *     survives serialize + deserialize, and runs (dummy imports, every
 *     export called with zero arguments, a little fuel per call).
 * Seeds: the spec suite's modules (make_seeds.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_harness.h"
#include "weft.h"

/* Fuel per call for modules that compile: enough to run their start and
 * a few loops, little enough to keep inputs fast. */
#define DECODE_RUN_FUEL 2000u
#define DECODE_RUN_MAX_CALLS 32u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_decode: %s\n", what);
        abort();
    }
}

static void check_error(const weft_error *err, size_t size)
{
    weft_error_kind kind = weft_error_kind_of(err);
    check(kind >= WEFT_ERROR_DECODE && kind <= WEFT_ERROR_ARGUMENT, "error of unknown kind");
    const char *msg = weft_error_message(err);
    check(msg && msg[0], "error without a message");
    int64_t off = weft_error_offset(err);
    if (off < -1 || off > (int64_t)size) {
        fprintf(stderr, "fuzz_decode: error offset %lld outside the %zu-byte input: %s\n",
                (long long)off, size, msg);
        abort();
    }
}

/* Every query of a compiled module, so that each is reached with every
 * shape of module the fuzzer finds. */
static void query_module(weft_module *m)
{
    size_t len;
    for (size_t i = 0, n = weft_module_import_count(m); i < n; i++) {
        check(weft_module_import_module(m, i, &len) != NULL, "import without module name");
        check(weft_module_import_name(m, i, &len) != NULL, "import without name");
        uint64_t min, max;
        weft_valkind kind;
        int mut;
        switch (weft_module_import_kind(m, i)) {
        case WEFT_EXTERN_FUNC:
            check(weft_module_import_functype(m, i) != NULL, "function import without type");
            break;
        case WEFT_EXTERN_MEMORY:
        case WEFT_EXTERN_TABLE:
            check(weft_module_import_limits(m, i, &min, &max), "limits of a memory/table import");
            check(min <= max, "import limits min > max");
            break;
        case WEFT_EXTERN_GLOBAL:
            check(weft_module_import_globaltype(m, i, &kind, &mut), "type of a global import");
            break;
        default:
            check(0, "import of unknown kind");
        }
    }
    for (size_t i = 0, n = weft_module_export_count(m); i < n; i++) {
        check(weft_module_export_name(m, i, &len) != NULL, "export without name");
        check(weft_module_export_index(m, i) != UINT32_MAX, "export without index");
        if (weft_module_export_kind(m, i) == WEFT_EXTERN_FUNC)
            check(weft_module_export_functype(m, i) != NULL, "function export without type");
    }
    check(weft_module_export_index(m, weft_module_export_count(m)) == UINT32_MAX,
          "export index past the end");
    for (size_t i = 0, n = weft_module_custom_section_count(m); i < n; i++) {
        check(weft_module_custom_section_name(m, i, &len) != NULL, "custom section without name");
        weft_module_custom_section_data(m, i, &len);
    }
    weft_module_name(m);
    for (uint32_t f = 0; f < 64; f++)
        weft_module_func_name(m, f);
    uint8_t *text = NULL;
    weft_error *err = weft_module_disassemble(m, UINT32_MAX, &text, &len);
    if (err)
        weft_error_delete(err); /* a module without defined functions */
    else
        check(text && strlen((char *)text) == len, "disassembly length");
    weft_bytes_delete(text);
}

static void roundtrip(weft_engine *e, weft_module *m, const uint8_t *data, size_t size)
{
    uint8_t *blob = NULL;
    size_t len = 0;
    weft_error *err = weft_module_serialize(m, &blob, &len);
    if (err) {
        fprintf(stderr, "fuzz_decode: serialize: %s\n", weft_error_message(err));
        abort();
    }
    weft_module *m2 = NULL;
    err = weft_module_deserialize(e, data, size, blob, len, &m2);
    if (err) {
        fprintf(stderr, "fuzz_decode: deserialize: %s\n", weft_error_message(err));
        abort();
    }
    weft_bytes_delete(blob);
    weft_module_delete(m2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static weft_engine *engine;
    if (!engine)
        engine = fx_engine_new(true);

    weft_error *verr = weft_module_validate(engine, data, size);
    weft_module *m = NULL;
    weft_error *err = weft_module_new(engine, data, size, &m);
    if (verr)
        check_error(verr, size);
    if (err) {
        check_error(err, size);
        check(m == NULL, "module and error both set");
        check(verr != NULL || weft_error_kind_of(err) == WEFT_ERROR_RESOURCE,
              "weft_module_validate accepts what weft_module_new refuses");
    } else {
        check(m != NULL, "neither module nor error");
        if (verr) {
            fprintf(stderr, "fuzz_decode: weft_module_new accepts what validate refuses: %s\n",
                    weft_error_message(verr));
            abort();
        }
    }
    weft_error_delete(verr);
    weft_error_delete(err);
    if (!m)
        return 0;

    query_module(m);
    roundtrip(engine, m, data, size);
    fx_opts o = {.fuel = DECODE_RUN_FUEL, .max_calls = DECODE_RUN_MAX_CALLS};
    fx_text t = {0};
    fx_run_module(engine, m, &o, &t);
    fx_text_free(&t);
    weft_module_delete(m);
    return 0;
}
