/* fuzz_exec.c — libFuzzer target: valid modules made by wasm-smith from the
 * fuzzer's bytes (smith.h), compiled, instantiated with dummy imports and
 * run: every export called with zero arguments, with fuel so that every
 * call ends. Checked (fx_check_wasm): a valid module compiles, nothing
 * crashes, and the module runs the same when rebuilt from its serialized
 * code. Regressions are kept as the modules themselves (the .wasm files
 * of regress/exec; `weft-smith convert` makes one from a crash input) and
 * replayed through fx_check_wasm by ctest, without Rust. */
#include <stdlib.h>

#include "exec_harness.h"
#include "smith.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static weft_engine *engine;
    if (!engine)
        engine = fx_engine_new(true);
    uint8_t *wasm = NULL;
    size_t len = 0;
    if (!weft_fuzz_smith(data, size, 0, &wasm, &len))
        return 0;
    fx_check_wasm(engine, wasm, len);
    weft_fuzz_smith_free(wasm, len);
    return 0;
}
