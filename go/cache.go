package weft

/*
#include "weft.h"
*/
import "C"

import (
	"context"
	"crypto/sha256"
	goruntime "runtime"
	"sync"
)

// CompilationCache shares compiled modules between runtimes: compiling the
// same bytes again, in any runtime configured with the same cache and
// equivalent features and limits, returns the compiled code at once.
type CompilationCache interface {
	// Close frees the cached modules once no module or instance uses them.
	Close(context.Context) error
}

// NewCompilationCache returns an in-memory cache.
func NewCompilationCache() CompilationCache {
	c := &compilationCache{engines: map[engineKey]*C.weft_engine{}, modules: map[cacheKey]*C.weft_module{}}
	// A safety net; runtimes using the cache keep it reachable.
	goruntime.SetFinalizer(c, func(c *compilationCache) { _ = c.Close(context.Background()) })
	return c
}

type cacheKey struct {
	engine engineKey
	sum    [sha256.Size]byte
}

type compilationCache struct {
	dir string // "" for memory only

	mu      sync.Mutex
	closed  bool
	engines map[engineKey]*C.weft_engine
	modules map[cacheKey]*C.weft_module
}

// engine returns the cache's engine for k, creating it on first use.
func (c *compilationCache) engine(k engineKey) *C.weft_engine {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.engines[k]; ok {
		return e
	}
	e := newEngine(k)
	c.engines[k] = e
	return e
}

// compile returns the cached module for binary, compiling it on a miss.
// The module belongs to the cache.
func (c *compilationCache) compile(engine *C.weft_engine, k engineKey, binary []byte) (*C.weft_module, error) {
	key := cacheKey{engine: k, sum: sha256.Sum256(binary)}
	c.mu.Lock()
	if m, ok := c.modules[key]; ok {
		c.mu.Unlock()
		return m, nil
	}
	c.mu.Unlock()

	m, err := c.load(engine, key, binary)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.modules[key]; ok { // another goroutine compiled it meanwhile
		C.weft_module_delete(m)
		return old, nil
	}
	c.modules[key] = m
	return m, nil
}

// load compiles binary, or with a directory, rebuilds it from the code a
// previous process stored there (cache_dir.go).
func (c *compilationCache) load(engine *C.weft_engine, key cacheKey, binary []byte) (*C.weft_module, error) {
	if c.dir != "" {
		if m := c.loadFromDir(engine, key, binary); m != nil {
			return m, nil
		}
	}
	m, err := compileBytes(engine, binary)
	if err == nil && c.dir != "" {
		c.storeToDir(m, key)
	}
	return m, err
}

func (c *compilationCache) Close(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	for _, m := range c.modules {
		C.weft_module_delete(m) // instances keep their own references
	}
	for _, e := range c.engines {
		C.weft_engine_delete(e)
	}
	c.modules, c.engines = nil, nil
	return nil
}
