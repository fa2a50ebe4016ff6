package weft

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

// cstr is a C copy of a Go string, freed by free().
type cstr struct{ p *C.char }

func cString(s string) cstr { return cstr{C.CString(s)} }

func (c cstr) free() { C.free(unsafe.Pointer(c.p)) }
