/* consumer.c — a C program built against an installed libweft (see
 * ../check_install.sh): compiles a tiny module and calls its export. */
#include <stdio.h>
#include <string.h>

#include <weft.h>

/* (module (func (export "add") (param i32 i32) (result i32)
 *   local.get 0 local.get 1 i32.add)) */
static const unsigned char ADD_WASM[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f,
    0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00,
    0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b};

int main(void)
{
    weft_config *cfg = weft_config_new();
    weft_engine *engine = weft_engine_new(cfg);
    weft_config_delete(cfg);
    weft_module *module = NULL;
    weft_error *err = weft_module_new(engine, ADD_WASM, sizeof ADD_WASM, &module);
    if (err) {
        fprintf(stderr, "consumer: %s\n", weft_error_message(err));
        return 1;
    }
    weft_instance *inst = NULL;
    weft_trap *trap = NULL;
    if (weft_instance_new(module, NULL, &inst, &trap) || trap)
        return 1;
    weft_val args[2], result;
    memset(args, 0, sizeof args);
    args[0].kind = args[1].kind = WEFT_I32;
    args[0].of.i32 = 40;
    args[1].of.i32 = 2;
    if (weft_func_call(weft_instance_export_func(inst, "add"), args, 2, &result, 1))
        return 1;
    printf("consumer: weft %s, add(40, 2) = %d\n", weft_version(), result.of.i32);
    weft_instance_delete(inst);
    weft_module_delete(module);
    weft_engine_delete(engine);
    return result.of.i32 == 42 ? 0 : 1;
}
