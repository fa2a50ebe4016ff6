/* validate.h — module-level validation and the body compiler's entry points. */
#ifndef WEFT_VALIDATE_H
#define WEFT_VALIDATE_H

#include "module.h"
#include "runtime.h"

/* Validates everything but function bodies; fills m->func_declared. */
weft_error *validate_module(wmodule *m);

/* Validates every function body and compiles it into wm->code/cfuncs. */
weft_error *compile_module(weft_module *wm);

/* Validates every function body without generating code. */
weft_error *validate_bodies(const wmodule *m, uint32_t features);

#endif
