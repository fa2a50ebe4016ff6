package weft

/*
#cgo CFLAGS: -std=gnu11 -O2 -I${SRCDIR}/../core/include
#include <stdlib.h>
#include "weft.h"
#include "glue.h"
*/
import "C"

import (
	// The C engine, its WASI and its libffi bindings, compiled by cgo from
	// their own directories (see core/src/cgo.go).
	_ "github.com/weftwasm/weft/bindings"
	_ "github.com/weftwasm/weft/core/include"
	_ "github.com/weftwasm/weft/core/src"
	_ "github.com/weftwasm/weft/core/src/wasi"
)
