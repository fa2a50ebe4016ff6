package weft

import "sync"

// ownedC is what a runtime owns on the C side and must free: one free
// function per object (an instance, a host function, a compiled module,
// the engine). Close paths free their object through it (free), and a
// forgotten runtime's cleanup (runtime.AddCleanup in NewRuntimeWithConfig)
// frees whatever is left (freeAll).
//
// The free functions capture C pointers and plain values only, never a Go
// object that leads back to the runtime: a cleanup whose argument reaches
// its object would keep that object alive forever.
type ownedC struct {
	mu    sync.Mutex
	next  uint64
	frees map[uint64]func()
	last  func() // the engine: freed after everything else
}

func newOwnedC() *ownedC { return &ownedC{frees: map[uint64]func(){}} }

// add records how to free one object and returns its key.
func (o *ownedC) add(free func()) uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.next++
	o.frees[o.next] = free
	return o.next
}

// free frees the object of key now, once.
func (o *ownedC) free(key uint64) {
	o.mu.Lock()
	f := o.frees[key]
	delete(o.frees, key)
	o.mu.Unlock()
	if f != nil {
		f()
	}
}

// freeAll frees everything left, the engine last.
func (o *ownedC) freeAll() {
	o.mu.Lock()
	frees := o.frees
	last := o.last
	o.frees, o.last = map[uint64]func(){}, nil
	o.mu.Unlock()
	for _, f := range frees {
		f()
	}
	if last != nil {
		last()
	}
}
