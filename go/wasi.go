package weft

/*
#include <stdlib.h>
#include "weft.h"
#include "glue.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"reflect"
	"runtime/cgo"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/weftwasm/weft/go/api"
	"github.com/weftwasm/weft/go/internal/wasihook"
	"github.com/weftwasm/weft/go/sys"
)

// WASI preview1 runs in C (core/src/wasi). In a runtime it is a namespace
// entry: a guest importing from it gets its own C WASI state, made from the
// guest's ModuleConfig (args, env, stdio, mounts, clocks, randomness) and
// freed with the guest.

func init() {
	wasihook.Instantiate = func(ctx context.Context, r interface{}, name string) (api.Closer, error) {
		rt, ok := r.(*runtime)
		if !ok {
			return nil, errors.New("wasip1: the runtime was not made by weft.NewRuntime")
		}
		w := &wasiModule{r: rt, name: name}
		if err := rt.register(name, w); err != nil {
			return nil, err
		}
		return w, nil
	}
}

// wasiModule is the "wasi_snapshot_preview1" namespace entry.
type wasiModule struct {
	r      *runtime
	name   string
	closed atomic.Bool
}

func (w *wasiModule) String() string                       { return fmt.Sprintf("Module[%s]", w.name) }
func (w *wasiModule) Name() string                         { return w.name }
func (w *wasiModule) Memory() api.Memory                   { return nil }
func (w *wasiModule) ExportedFunction(string) api.Function { return nil }
func (w *wasiModule) ExportedMemory(string) api.Memory     { return nil }
func (w *wasiModule) ExportedGlobal(string) api.Global     { return nil }
func (w *wasiModule) IsClosed() bool                       { return w.closed.Load() }

func (w *wasiModule) ExportedFunctionDefinitions() map[string]api.FunctionDefinition {
	return map[string]api.FunctionDefinition{}
}

func (w *wasiModule) ExportedMemoryDefinitions() map[string]api.MemoryDefinition {
	return map[string]api.MemoryDefinition{}
}

func (w *wasiModule) Close(ctx context.Context) error { return w.CloseWithExitCode(ctx, 0) }

func (w *wasiModule) CloseWithExitCode(context.Context, uint32) error {
	if w.closed.CompareAndSwap(false, true) {
		w.r.unregister(w.name, w)
	}
	return nil
}

func (w *wasiModule) closeFromRuntime(context.Context, uint32) { w.closed.Store(true) }

// link creates the guest's WASI state and offers its functions.
func (w *wasiModule) link(im *C.weft_imports, g *moduleInstance, cfg *moduleConfig) error {
	guest, err := newWasiGuest(cfg)
	if err != nil {
		return err
	}
	g.wasi = guest
	if C.weft_wasi_add_to_imports(guest.state, w.r.engine, im) == 0 {
		return errors.New("wasi: out of memory")
	}
	return nil
}

// wasiGuest is one guest's WASI state and the Go values its C callbacks
// reach through handle.
type wasiGuest struct {
	state  *C.weft_wasi
	handle cgo.Handle
	cfg    *moduleConfig

	stdout, stderr io.Writer
	stdin          io.Reader
	rand           io.Reader
	fakeWalltime   int64 // ns since the epoch, advanced per reading
	fakeNanotime   int64
}

// The fake clocks' start: 2022-01-01T00:00:00Z, and their step per reading.
const (
	fakeEpochNanos = 1640995200 * int64(time.Second)
	fakeClockStep  = int64(time.Millisecond)
)

func newWasiGuest(cfg *moduleConfig) (*wasiGuest, error) {
	g := &wasiGuest{cfg: cfg, fakeWalltime: fakeEpochNanos}
	c := C.weft_wasi_config_new()
	if c == nil {
		return nil, errors.New("wasi: out of memory")
	}
	defer C.weft_wasi_config_delete(c)
	g.handle = cgo.NewHandle(g)
	env := C.uintptr_t(g.handle)

	if err := g.configureArgsAndEnv(c); err != nil {
		g.handle.Delete()
		return nil, err
	}
	if err := g.configureMounts(c); err != nil {
		g.handle.Delete()
		return nil, err
	}
	g.configureStdio(c, env)
	g.configureClocks(c, env)
	g.rand = cfg.randSource
	if g.rand == nil {
		g.rand = rand.New(rand.NewSource(42)) // deterministic by default, as in wazero
	}
	C.weftgo_wasi_random(c, env)

	if e := C.weft_wasi_new(c, &g.state); e != nil {
		g.handle.Delete()
		return nil, errorFromC("wasi", e)
	}
	return g, nil
}

func (g *wasiGuest) configureArgsAndEnv(c *C.weft_wasi_config) error {
	if len(g.cfg.args) > 0 {
		argv := make([]*C.char, len(g.cfg.args))
		for i, a := range g.cfg.args {
			argv[i] = C.CString(a)
		}
		ok := C.weft_wasi_config_set_args(c, C.size_t(len(argv)), (**C.char)(unsafe.Pointer(&argv[0])))
		for _, p := range argv {
			C.free(unsafe.Pointer(p))
		}
		if ok == 0 {
			return errors.New("wasi: out of memory")
		}
	}
	for i := 0; i+1 < len(g.cfg.environ); i += 2 {
		key, value := g.cfg.environ[i], g.cfg.environ[i+1]
		if key == "" {
			return errors.New("environ invalid: empty key")
		}
		for _, ch := range key {
			if ch == '=' {
				return errors.New("environ invalid: key contains '=' character")
			}
		}
		k, v := cString(key), cString(value)
		C.weft_wasi_config_add_env(c, k.p, v.p)
		k.free()
		v.free()
	}
	return nil
}

func (g *wasiGuest) configureMounts(c *C.weft_wasi_config) error {
	var mounts []mount
	if g.cfg.fs != nil { // WithFS(fsys): fsys at "/"
		mounts = append(mounts, mount{fs: g.cfg.fs, guestPath: "/"})
	}
	if g.cfg.fsConfig != nil {
		mounts = append(mounts, g.cfg.fsConfig.mounts...)
	}
	for _, m := range mounts {
		if m.fs != nil {
			// An fs.FS is read-only; os.DirFS(dir) becomes a read-only mount
			// of dir. Other file systems live only in Go, which weft's WASI
			// (in C) cannot reach.
			dir, ok := hostDirOf(m.fs)
			if !ok {
				return fmt.Errorf("WithFSMount(%q): weft's WASI mounts host directories only (os.DirFS or WithDirMount), not a %T", m.guestPath, m.fs)
			}
			m = mount{hostDir: dir, guestPath: m.guestPath, readOnly: true}
		}
		var flags C.uint32_t
		if m.readOnly {
			flags = C.WEFT_WASI_MOUNT_READONLY
		}
		host, guest := cString(m.hostDir), cString(m.guestPath)
		ok := C.weft_wasi_config_mount(c, host.p, guest.p, flags)
		host.free()
		guest.free()
		if ok == 0 {
			return fmt.Errorf("WithDirMount(%q, %q): empty path", m.hostDir, m.guestPath)
		}
	}
	return nil
}

// configureStdio passes *os.File streams to C as descriptors (no Go on the
// write path) and anything else through callbacks.
func (g *wasiGuest) configureStdio(c *C.weft_wasi_config, env C.uintptr_t) {
	if f, ok := g.cfg.stdin.(*os.File); ok {
		C.weft_wasi_config_set_stdin_fd(c, C.int(f.Fd()))
	} else if g.cfg.stdin != nil {
		g.stdin = g.cfg.stdin
		C.weftgo_wasi_stdin(c, env)
	}
	if f, ok := g.cfg.stdout.(*os.File); ok {
		C.weft_wasi_config_set_stdout_fd(c, C.int(f.Fd()))
	} else if g.cfg.stdout != nil {
		g.stdout = g.cfg.stdout
		C.weftgo_wasi_stdout(c, env)
	}
	if f, ok := g.cfg.stderr.(*os.File); ok {
		C.weft_wasi_config_set_stderr_fd(c, C.int(f.Fd()))
	} else if g.cfg.stderr != nil {
		g.stderr = g.cfg.stderr
		C.weftgo_wasi_stderr(c, env)
	}
}

// configureClocks: host clocks run in C; custom and fake ones in Go.
func (g *wasiGuest) configureClocks(c *C.weft_wasi_config, env C.uintptr_t) {
	if !g.cfg.sysWalltime {
		C.weftgo_wasi_walltime(c, env, C.uint64_t(resolutionOr(g.cfg.walltimeResolution, g.cfg.walltime != nil)))
	}
	if !g.cfg.sysNanotime {
		C.weftgo_wasi_nanotime(c, env, C.uint64_t(resolutionOr(g.cfg.nanotimeResolution, g.cfg.nanotime != nil)))
	}
	if !g.cfg.sysNanosleep {
		C.weftgo_wasi_nanosleep(c, env)
	}
}

// resolutionOr is a custom clock's resolution, or 1 µs for the fakes.
func resolutionOr(res sys.ClockResolution, custom bool) uint64 {
	if custom && res > 0 {
		return uint64(res)
	}
	return uint64(time.Microsecond)
}

func (g *wasiGuest) close() {
	if g.state != nil {
		C.weft_wasi_delete(g.state)
		g.state = nil
	}
	g.handle.Delete()
}

func guestOf(env C.uintptr_t) *wasiGuest { return cgo.Handle(env).Value().(*wasiGuest) }

// errnoIO is WASI's EIO: a Go reader or writer failed.
const errnoIO = 29

//export weftgoWrite
func weftgoWrite(env C.uintptr_t, stream C.int, p *C.uint8_t, n C.size_t) C.int {
	g := guestOf(env)
	w := g.stdout
	if stream == 2 {
		w = g.stderr
	}
	if _, err := w.Write(unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))); err != nil {
		return errnoIO
	}
	return 0
}

//export weftgoRead
func weftgoRead(env C.uintptr_t, p *C.uint8_t, n C.size_t, nread *C.size_t) C.int {
	g := guestOf(env)
	got, err := g.stdin.Read(unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)))
	*nread = C.size_t(got)
	if err != nil && err != io.EOF && got == 0 {
		return errnoIO
	}
	return 0
}

//export weftgoWalltime
func weftgoWalltime(env C.uintptr_t) C.int64_t {
	g := guestOf(env)
	if g.cfg.walltime != nil {
		sec, nsec := g.cfg.walltime()
		return C.int64_t(sec*int64(time.Second) + int64(nsec))
	}
	g.fakeWalltime += fakeClockStep
	return C.int64_t(g.fakeWalltime)
}

//export weftgoNanotime
func weftgoNanotime(env C.uintptr_t) C.int64_t {
	g := guestOf(env)
	if g.cfg.nanotime != nil {
		return C.int64_t(g.cfg.nanotime())
	}
	g.fakeNanotime += fakeClockStep
	return C.int64_t(g.fakeNanotime)
}

//export weftgoNanosleep
func weftgoNanosleep(env C.uintptr_t, ns C.int64_t) {
	g := guestOf(env)
	if g.cfg.nanosleep != nil {
		g.cfg.nanosleep(int64(ns))
	} // default: return at once, as in wazero
}

//export weftgoRandom
func weftgoRandom(env C.uintptr_t, p *C.uint8_t, n C.size_t) C.int {
	g := guestOf(env)
	if _, err := io.ReadFull(g.rand, unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))); err != nil {
		return errnoIO
	}
	return 0
}

// dirFSType is the type os.DirFS returns: a directory path underneath.
var dirFSType = reflect.TypeOf(os.DirFS("."))

// hostDirOf returns the directory of an os.DirFS value.
func hostDirOf(fsys fs.FS) (string, bool) {
	v := reflect.ValueOf(fsys)
	if v.Type() != dirFSType || v.Kind() != reflect.String {
		return "", false
	}
	return v.String(), true
}
