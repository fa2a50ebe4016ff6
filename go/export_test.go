package weft

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

// HostCallPaths names the ways C can enter a Go host function.
var HostCallPaths = []struct {
	Name string
	path hostCallPath
}{{"yield", hostCallYield}, {"trampoline", hostCallTrampoline}, {"direct", hostCallDirect}}

// UseHostCallPath makes host modules instantiated from now on use path i
// of HostCallPaths, and returns a func that restores the default.
func UseHostCallPath(i int) (restore func()) {
	old := defaultHostCallPath
	defaultHostCallPath = HostCallPaths[i].path
	return func() { defaultHostCallPath = old }
}

// FastCalls reports whether calls enter C without cgo (fastcall.go).
const FastCalls = fastCalls

// FastCallStacks reports how many C stacks for fast calls are mapped.
func FastCallStacks() int { return fastCallStacks() }
