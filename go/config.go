package weft

/*
#include "weft.h"
*/
import "C"

import (
	"io"
	"io/fs"

	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/sys"
)

// RuntimeConfig controls a Runtime: its features and limits. Each With
// method returns a copy; a RuntimeConfig is immutable and may be shared.
type RuntimeConfig interface {
	// WithCoreFeatures sets the WebAssembly features modules may use
	// (default api.CoreFeaturesV2). Turning SIMD off refuses its
	// instructions; turning the other 2.0 features off does not yet
	// reject modules that use them (see weft.h).
	WithCoreFeatures(api.CoreFeatures) RuntimeConfig

	// WithMemoryLimitPages caps every memory at this many 64 KiB pages
	// (default 65536, 4 GiB). A memory declaring a larger maximum is capped;
	// one whose minimum is larger fails to instantiate.
	WithMemoryLimitPages(memoryLimitPages uint32) RuntimeConfig

	// WithMemoryCapacityFromMax is accepted for wazero compatibility and has
	// no effect: weft always reserves a memory's maximum address range up
	// front, so memory never moves.
	WithMemoryCapacityFromMax(memoryCapacityFromMax bool) RuntimeConfig

	// WithDebugInfoEnabled toggles the Wasm stack trace in trap errors
	// (default on).
	WithDebugInfoEnabled(bool) RuntimeConfig

	// WithCompilationCache shares compiled modules with other runtimes
	// using the same cache (and, for a cache with a directory, with other
	// processes).
	WithCompilationCache(CompilationCache) RuntimeConfig

	// WithCustomSections keeps custom sections for
	// CompiledModule.CustomSections (default off, as in wazero).
	WithCustomSections(bool) RuntimeConfig

	// WithCloseOnContextDone makes a call stop when its context is canceled
	// or passes its deadline: the call returns a *sys.ExitError
	// (ExitCodeContextCanceled or ExitCodeDeadlineExceeded, unwrapping to
	// the context's error) and the module is closed. Off by default, as in
	// wazero; the check costs nothing while no context is done.
	WithCloseOnContextDone(bool) RuntimeConfig

	// WithPooling keeps closed modules' memories and stacks for the next
	// modules (on by default; config_limits.go).
	WithPooling(enabled bool) RuntimeConfig

	// Limits for untrusted guests (config_limits.go): call depth, value
	// stack, table size, total memory of the runtime, fuel.
	WithMaxCallDepth(depth uint32) RuntimeConfig
	WithValueStackSize(slots uint32) RuntimeConfig
	WithMaxTableElements(n uint32) RuntimeConfig
	WithTotalMemoryLimitPages(pages uint64) RuntimeConfig
	WithTotalTableElements(n uint64) RuntimeConfig
	WithFuel(enabled bool) RuntimeConfig
}

type runtimeConfig struct {
	features           api.CoreFeatures
	memoryLimitPages   uint32
	debugInfo          bool
	cache              *compilationCache
	customSections     bool
	closeOnContextDone bool
	limits             engineLimits
}

// The engine's own limit: 65536 pages of 64 KiB.
const maxMemoryPages = 65536

var defaultRuntimeConfig = &runtimeConfig{
	features:         api.CoreFeaturesV2,
	memoryLimitPages: maxMemoryPages,
	debugInfo:        true,
}

// NewRuntimeConfig returns the default configuration: WebAssembly 2.0, 4
// GiB memories, stack traces on.
func NewRuntimeConfig() RuntimeConfig { return defaultRuntimeConfig.clone() }

// NewRuntimeConfigInterpreter is NewRuntimeConfig: weft's engine is its
// threaded-code interpreter.
func NewRuntimeConfigInterpreter() RuntimeConfig { return NewRuntimeConfig() }

// NewRuntimeConfigCompiler is NewRuntimeConfig, for wazero compatibility:
// weft has no machine-code compiler; its interpreter runs everything.
func NewRuntimeConfigCompiler() RuntimeConfig { return NewRuntimeConfig() }

// callHooks reports whether calls have work to do around them (fuel,
// closing on a done context); without, they take a shorter path.
func (c *runtimeConfig) callHooks() bool { return c.closeOnContextDone || c.limits.fuel }

func (c *runtimeConfig) clone() *runtimeConfig {
	copied := *c
	return &copied
}

func (c *runtimeConfig) WithCoreFeatures(features api.CoreFeatures) RuntimeConfig {
	ret := c.clone()
	ret.features = features
	return ret
}

func (c *runtimeConfig) WithMemoryLimitPages(pages uint32) RuntimeConfig {
	ret := c.clone()
	if pages > maxMemoryPages {
		pages = maxMemoryPages
	}
	ret.memoryLimitPages = pages
	return ret
}

func (c *runtimeConfig) WithMemoryCapacityFromMax(bool) RuntimeConfig { return c.clone() }

func (c *runtimeConfig) WithDebugInfoEnabled(enabled bool) RuntimeConfig {
	ret := c.clone()
	ret.debugInfo = enabled
	return ret
}

func (c *runtimeConfig) WithCompilationCache(cache CompilationCache) RuntimeConfig {
	ret := c.clone()
	ret.cache, _ = cache.(*compilationCache)
	return ret
}

func (c *runtimeConfig) WithCustomSections(keep bool) RuntimeConfig {
	ret := c.clone()
	ret.customSections = keep
	return ret
}

func (c *runtimeConfig) WithCloseOnContextDone(enabled bool) RuntimeConfig {
	ret := c.clone()
	ret.closeOnContextDone = enabled
	return ret
}

// engineKey is what an engine depends on: runtimes whose configs have the
// same key can share compiled modules.
type engineKey struct {
	features         api.CoreFeatures
	memoryLimitPages uint32
	limits           engineLimits
}

func (c *runtimeConfig) engineKey() engineKey {
	return engineKey{features: c.features, memoryLimitPages: c.memoryLimitPages, limits: c.limits}
}

// The C engine's feature bits for wazero's CoreFeatures.
var featureBits = []struct {
	feature api.CoreFeatures
	bit     C.uint32_t
}{
	{api.CoreFeatureMutableGlobal, C.WEFT_FEATURE_MUTABLE_GLOBALS},
	{api.CoreFeatureSignExtensionOps, C.WEFT_FEATURE_SIGN_EXTENSION},
	{api.CoreFeatureNonTrappingFloatToIntConversion, C.WEFT_FEATURE_SATURATING_TRUNC},
	{api.CoreFeatureMultiValue, C.WEFT_FEATURE_MULTI_VALUE},
	{api.CoreFeatureReferenceTypes, C.WEFT_FEATURE_REFERENCE_TYPES},
	{api.CoreFeatureBulkMemoryOperations, C.WEFT_FEATURE_BULK_MEMORY},
	{api.CoreFeatureSIMD, C.WEFT_FEATURE_SIMD},
}

// newEngine creates the C engine for a key. The caller owns it.
func newEngine(k engineKey) *C.weft_engine {
	cfg := C.weft_config_new()
	defer C.weft_config_delete(cfg)
	var bits C.uint32_t
	for _, fb := range featureBits {
		if k.features.IsEnabled(fb.feature) {
			bits |= fb.bit
		}
	}
	C.weft_config_set_features(cfg, bits)
	C.weft_config_set_max_memory_pages(cfg, C.uint32_t(k.memoryLimitPages))
	k.limits.apply(cfg)
	return C.weft_engine_new(cfg)
}

// ModuleConfig configures one instantiation: its name, start functions and
// what its WASI sees (args, env, stdio, files, clocks, randomness). Each With
// method returns a copy.
type ModuleConfig interface {
	// WithArgs sets the guest's arguments; by convention the first is the
	// program name. Default: none.
	WithArgs(...string) ModuleConfig

	// WithEnv adds an environment variable. Default: none. An empty key or
	// one holding '=' fails the instantiation.
	WithEnv(key, value string) ModuleConfig

	// WithFS mounts fsys at "/", read-only. weft's WASI runs in C and can
	// only mount host directories: os.DirFS(dir) works (it becomes a
	// read-only mount of dir); any other fs.FS (embed.FS, fstest.MapFS...)
	// fails the instantiation with an error. For a writable mount use
	// WithFSConfig(NewFSConfig().WithDirMount(dir, "/")).
	WithFS(fs.FS) ModuleConfig

	// WithFSConfig sets the directories the guest may see.
	WithFSConfig(FSConfig) ModuleConfig

	// WithName sets the module's name in the runtime. Default: the name in
	// its name section, or "". Two modules with the same non-empty name
	// cannot be instantiated at once.
	WithName(string) ModuleConfig

	// WithStartFunctions sets the exports called after instantiation, in
	// order (those missing are skipped). Default: "_start".
	WithStartFunctions(...string) ModuleConfig

	// WithStderr sets where the guest's stderr goes. Default: discarded.
	WithStderr(io.Writer) ModuleConfig

	// WithStdin sets the guest's stdin. Default: at end of input.
	WithStdin(io.Reader) ModuleConfig

	// WithStdout sets where the guest's stdout goes. Default: discarded.
	WithStdout(io.Writer) ModuleConfig

	// WithWalltime sets the realtime clock. Default: a fake clock starting
	// at 2022-01-01 that advances 1 ms per reading (deterministic, as in
	// wazero).
	WithWalltime(sys.Walltime, sys.ClockResolution) ModuleConfig

	// WithSysWalltime uses the host's realtime clock.
	WithSysWalltime() ModuleConfig

	// WithNanotime sets the monotonic clock. Default: a fake clock that
	// advances 1 ms per reading.
	WithNanotime(sys.Nanotime, sys.ClockResolution) ModuleConfig

	// WithSysNanotime uses the host's monotonic clock.
	WithSysNanotime() ModuleConfig

	// WithNanosleep sets how the guest sleeps (poll_oneoff). Default:
	// returns at once.
	WithNanosleep(sys.Nanosleep) ModuleConfig

	// WithOsyield is accepted for wazero compatibility; weft's sched_yield
	// yields the host thread.
	WithOsyield(sys.Osyield) ModuleConfig

	// WithSysNanosleep sleeps for real.
	WithSysNanosleep() ModuleConfig

	// WithRandSource sets random_get's source. Default: a deterministic
	// source; pass crypto/rand.Reader for real randomness.
	WithRandSource(io.Reader) ModuleConfig
}

type moduleConfig struct {
	name               string
	nameSet            bool
	startFunctions     []string
	args               []string
	environ            []string // key, value pairs
	fs                 fs.FS
	fsConfig           *fsConfig
	stdin              io.Reader
	stdout, stderr     io.Writer
	walltime           sys.Walltime
	walltimeResolution sys.ClockResolution
	sysWalltime        bool
	nanotime           sys.Nanotime
	nanotimeResolution sys.ClockResolution
	sysNanotime        bool
	nanosleep          sys.Nanosleep
	sysNanosleep       bool
	randSource         io.Reader
}

// NewModuleConfig returns the default module configuration: start function
// "_start", no args, env, stdio or files, deterministic clocks and
// randomness.
func NewModuleConfig() ModuleConfig {
	return &moduleConfig{startFunctions: []string{"_start"}}
}

func (c *moduleConfig) clone() *moduleConfig {
	copied := *c
	copied.startFunctions = append([]string(nil), c.startFunctions...)
	copied.args = append([]string(nil), c.args...)
	copied.environ = append([]string(nil), c.environ...)
	return &copied
}

func (c *moduleConfig) WithArgs(args ...string) ModuleConfig {
	ret := c.clone()
	ret.args = append([]string(nil), args...)
	return ret
}

func (c *moduleConfig) WithEnv(key, value string) ModuleConfig {
	ret := c.clone()
	ret.environ = append(ret.environ, key, value)
	return ret
}

func (c *moduleConfig) WithFS(fsys fs.FS) ModuleConfig {
	ret := c.clone()
	ret.fs = fsys
	return ret
}

func (c *moduleConfig) WithFSConfig(config FSConfig) ModuleConfig {
	ret := c.clone()
	ret.fsConfig, _ = config.(*fsConfig)
	return ret
}

func (c *moduleConfig) WithName(name string) ModuleConfig {
	ret := c.clone()
	ret.name, ret.nameSet = name, true
	return ret
}

func (c *moduleConfig) WithStartFunctions(names ...string) ModuleConfig {
	ret := c.clone()
	ret.startFunctions = append([]string(nil), names...)
	return ret
}

func (c *moduleConfig) WithStderr(w io.Writer) ModuleConfig {
	ret := c.clone()
	ret.stderr = w
	return ret
}

func (c *moduleConfig) WithStdin(r io.Reader) ModuleConfig {
	ret := c.clone()
	ret.stdin = r
	return ret
}

func (c *moduleConfig) WithStdout(w io.Writer) ModuleConfig {
	ret := c.clone()
	ret.stdout = w
	return ret
}

func (c *moduleConfig) WithWalltime(walltime sys.Walltime, resolution sys.ClockResolution) ModuleConfig {
	ret := c.clone()
	ret.walltime, ret.walltimeResolution, ret.sysWalltime = walltime, resolution, false
	return ret
}

func (c *moduleConfig) WithSysWalltime() ModuleConfig {
	ret := c.clone()
	ret.walltime, ret.sysWalltime = nil, true
	return ret
}

func (c *moduleConfig) WithNanotime(nanotime sys.Nanotime, resolution sys.ClockResolution) ModuleConfig {
	ret := c.clone()
	ret.nanotime, ret.nanotimeResolution, ret.sysNanotime = nanotime, resolution, false
	return ret
}

func (c *moduleConfig) WithSysNanotime() ModuleConfig {
	ret := c.clone()
	ret.nanotime, ret.sysNanotime = nil, true
	return ret
}

func (c *moduleConfig) WithNanosleep(nanosleep sys.Nanosleep) ModuleConfig {
	ret := c.clone()
	ret.nanosleep, ret.sysNanosleep = nanosleep, false
	return ret
}

func (c *moduleConfig) WithOsyield(sys.Osyield) ModuleConfig { return c.clone() }

func (c *moduleConfig) WithSysNanosleep() ModuleConfig {
	ret := c.clone()
	ret.nanosleep, ret.sysNanosleep = nil, true
	return ret
}

func (c *moduleConfig) WithRandSource(r io.Reader) ModuleConfig {
	ret := c.clone()
	ret.randSource = r
	return ret
}
