package weft

/*
#include "weft.h"
*/
import "C"

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"unsafe"
)

// NewCompilationCacheWithDir returns a cache that also keeps compiled code
// in dirname (created if missing), so that later processes skip
// validation and compilation of modules they have seen. Entries made by
// another build of weft or for other features are recompiled and replaced.
// The directory must be as trusted as the program: the code in it is run.
func NewCompilationCacheWithDir(dirname string) (CompilationCache, error) {
	if err := os.MkdirAll(dirname, 0o700); err != nil {
		return nil, fmt.Errorf("compilation cache: %w", err)
	}
	if fi, err := os.Stat(dirname); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("compilation cache: %s is not a directory", dirname)
	}
	c := NewCompilationCache().(*compilationCache)
	c.dir = dirname
	return c, nil
}

// entryPath names the file of a module's code: its hash and the engine key.
func (c *compilationCache) entryPath(key cacheKey) string {
	fuel := "" // fuel metering compiles other code
	if key.engine.limits.fuel {
		fuel = "-fuel"
	}
	return filepath.Join(c.dir, fmt.Sprintf("%s-%x-%d%s.weftcode",
		hex.EncodeToString(key.sum[:]), uint64(key.engine.features), key.engine.memoryLimitPages, fuel))
}

// loadFromDir returns the module rebuilt from its file, or nil if there is
// no usable file.
func (c *compilationCache) loadFromDir(engine *C.weft_engine, key cacheKey, binary []byte) *C.weft_module {
	blob, err := os.ReadFile(c.entryPath(key))
	if err != nil || len(blob) == 0 || len(binary) == 0 {
		return nil
	}
	var mod *C.weft_module
	e := C.weft_module_deserialize(engine,
		(*C.uint8_t)(unsafe.Pointer(&binary[0])), C.size_t(len(binary)),
		(*C.uint8_t)(unsafe.Pointer(&blob[0])), C.size_t(len(blob)), &mod)
	if e != nil { // stale or damaged: compile and replace it
		C.weft_error_delete(e)
		return nil
	}
	return mod
}

// storeToDir writes the module's code, atomically (temp file + rename);
// failures only cost the next process a compile.
func (c *compilationCache) storeToDir(mod *C.weft_module, key cacheKey) {
	var p *C.uint8_t
	var n C.size_t
	if e := C.weft_module_serialize(mod, &p, &n); e != nil {
		C.weft_error_delete(e)
		return
	}
	defer C.weft_bytes_delete(p)
	tmp, err := os.CreateTemp(c.dir, "tmp-*.weftcode")
	if err != nil {
		return
	}
	_, werr := tmp.Write(unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)))
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), c.entryPath(key)) != nil {
		_ = os.Remove(tmp.Name())
	}
}
