package weft

import "github.com/weftwasm/weft/go/api"

// LiveInstances reports how many C instances are not freed yet.
func LiveInstances() int64 { return liveInstances.Load() }

// NamespaceLen reports how many modules r's namespace holds, named and
// anonymous.
func NamespaceLen(r Runtime) int {
	rt := r.(*runtime)
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return len(rt.modules) + len(rt.others)
}

// HostCallPaths names the ways C can enter a Go host function: a yielding
// function called in place by fast calls (the default), or with the call
// returning to Go and resuming; a libffi closure; a raw C -> Go callback.
var HostCallPaths = []struct {
	Name    string
	path    hostCallPath
	inPlace bool
}{
	{"in-place", hostCallYield, true}, {"yield", hostCallYield, false},
	{"trampoline", hostCallTrampoline, true}, {"direct", hostCallDirect, true},
}

// UseHostCallPath makes host modules instantiated from now on use path i
// of HostCallPaths (and modules that call them, from now on, call them in
// place or not), and returns a func that restores the default.
func UseHostCallPath(i int) (restore func()) {
	oldPath, oldInPlace := defaultHostCallPath, hostCallsInPlace
	defaultHostCallPath = HostCallPaths[i].path
	hostCallsInPlace = HostCallPaths[i].inPlace
	return func() { defaultHostCallPath, hostCallsInPlace = oldPath, oldInPlace }
}

// FastCalls reports whether calls enter C without cgo (fastcall.go).
const FastCalls = fastCalls

// FastCallStacks reports how many C stacks for fast calls are mapped.
func FastCallStacks() int { return fastCallStacks() }

// HostCallParked reports whether a host call of mod's waits parked on its
// C stack (fast calls only).
func HostCallParked(mod api.Module) bool {
	return parkedHostCall(mod.(*moduleInstance).calls) != 0
}

// CallIsGuarded reports whether calls of f take the guarded fast path
// (function.guarded: fast calls of a function that may reach a host
// function).
func CallIsGuarded(f api.Function) bool { return f.(*function).guarded }
