package weft_test

import (
	"math"
	"sync"
	"testing"

	"github.com/weftwasm/weft/go/api"
)

// Memory() is made once, on the first call, and read without a lock
// after: goroutines that ask for it at once all get the same one, and so
// do ExportedMemory and later calls.
func TestMemoryIsMadeOnce(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	got := make([]api.Memory, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = mod.Memory()
		}()
	}
	wg.Wait()
	for i, mem := range append(got, mod.Memory(), mod.ExportedMemory("memory")) {
		if mem == nil || mem != got[0] {
			t.Fatalf("memory %d is %p, want %p", i, mem, got[0])
		}
	}
}

func TestMemoryReadWrite(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	mem := mod.Memory()
	if mem == nil || mod.ExportedMemory("memory") == nil {
		t.Fatal("no memory")
	}
	if got := mem.Size(); got != 65536 {
		t.Fatalf("Size() = %d", got)
	}
	if b, ok := mem.Read(100, 5); !ok || string(b) != "hello" {
		t.Errorf("Read(100, 5) = %q, %v", b, ok)
	}

	tests := []struct {
		name  string
		write func(offset uint32) bool
		check func(offset uint32) bool
	}{
		{"byte", func(o uint32) bool { return mem.WriteByte(o, 0xab) },
			func(o uint32) bool { v, ok := mem.ReadByte(o); return ok && v == 0xab }},
		{"uint16", func(o uint32) bool { return mem.WriteUint16Le(o, 0xbeef) },
			func(o uint32) bool { v, ok := mem.ReadUint16Le(o); return ok && v == 0xbeef }},
		{"uint32", func(o uint32) bool { return mem.WriteUint32Le(o, 0xdeadbeef) },
			func(o uint32) bool { v, ok := mem.ReadUint32Le(o); return ok && v == 0xdeadbeef }},
		{"uint64", func(o uint32) bool { return mem.WriteUint64Le(o, math.MaxUint64-1) },
			func(o uint32) bool { v, ok := mem.ReadUint64Le(o); return ok && v == math.MaxUint64-1 }},
		{"float32", func(o uint32) bool { return mem.WriteFloat32Le(o, -1.25) },
			func(o uint32) bool { v, ok := mem.ReadFloat32Le(o); return ok && v == -1.25 }},
		{"float64", func(o uint32) bool { return mem.WriteFloat64Le(o, math.Pi) },
			func(o uint32) bool { v, ok := mem.ReadFloat64Le(o); return ok && v == math.Pi }},
		{"bytes", func(o uint32) bool { return mem.Write(o, []byte("weft")) },
			func(o uint32) bool { b, ok := mem.Read(o, 4); return ok && string(b) == "weft" }},
		{"string", func(o uint32) bool { return mem.WriteString(o, "wasm") },
			func(o uint32) bool { b, ok := mem.Read(o, 4); return ok && string(b) == "wasm" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.write(200) || !tc.check(200) {
				t.Error("in-bounds access failed")
			}
			// The last bytes of memory are reachable, one past is not.
			last := mem.Size() - 8
			if !tc.write(last) || !tc.check(last) {
				t.Error("access at the end failed")
			}
			if tc.write(mem.Size()-1) && tc.name != "byte" {
				t.Error("an access crossing the end succeeded")
			}
			if tc.write(math.MaxUint32) {
				t.Error("an access at 4 GiB succeeded")
			}
		})
	}
}

// Read returns a view: no copy, shared with the guest, valid across Grow.
func TestMemoryViewIsShared(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	mem := mod.Memory()
	view, ok := mem.Read(0, 16)
	if !ok {
		t.Fatal("Read failed")
	}
	view[3] = 77
	if got := mustCall(t, mod, "load_u8", 3); got[0] != 77 {
		t.Errorf("guest sees %d, want 77", got[0])
	}
	mustCall(t, mod, "store_u8", 4, 99)
	if view[4] != 99 {
		t.Errorf("view sees %d, want 99", view[4])
	}
	if prev, ok := mem.Grow(1); !ok || prev != 1 {
		t.Fatalf("Grow(1) = %d, %v", prev, ok)
	}
	if got := mustCall(t, mod, "grow", 1); got[0] != 2 {
		t.Fatalf("guest memory.grow = %d", got[0])
	}
	if mem.Size() != 3*65536 {
		t.Errorf("Size() = %d after growing twice", mem.Size())
	}
	view[5] = 55 // still valid after grow: the memory never moves
	if got := mustCall(t, mod, "load_u8", 5); got[0] != 55 {
		t.Errorf("guest sees %d after grow, want 55", got[0])
	}
	if _, ok := mem.Grow(2); ok {
		t.Error("grew past the maximum of 4 pages")
	}
	if b, ok := mem.Read(mem.Size(), 0); !ok || len(b) != 0 {
		t.Error("an empty read at the end failed")
	}
	if d := mem.Definition(); d.Min() != 1 {
		t.Errorf("Definition().Min() = %d", d.Min())
	} else if max, ok := d.Max(); !ok || max != 4 {
		t.Errorf("Definition().Max() = %d, %v", max, ok)
	}
}

func TestGlobals(t *testing.T) {
	r := newRuntime(t, nil)
	mod, _ := instantiateCalls(t, r)
	counter := mod.ExportedGlobal("counter")
	if counter == nil || counter.Get() != 7 || counter.Type() != 0x7e {
		t.Fatalf("counter = %v", counter)
	}
	mustCall(t, mod, "bump")
	if counter.Get() != 8 {
		t.Errorf("counter = %d after bump", counter.Get())
	}
	mg, ok := counter.(interface{ Set(uint64) })
	if !ok {
		t.Fatal("a mutable global is not an api.MutableGlobal")
	}
	mg.Set(100)
	mustCall(t, mod, "bump")
	if counter.Get() != 101 {
		t.Errorf("counter = %d, want 101", counter.Get())
	}
	ratio := mod.ExportedGlobal("ratio")
	if _, mutable := ratio.(interface{ Set(uint64) }); mutable {
		t.Error("an immutable global has Set")
	}
	if math.Float32frombits(uint32(ratio.Get())) != 0.5 || ratio.String() != "global(0.500000)" {
		t.Errorf("ratio = %v", ratio)
	}
	if mod.ExportedGlobal("nope") != nil {
		t.Error("a missing global was found")
	}
}
