package weft

/*
#include "weft.h"
*/
import "C"

import (
	"encoding/binary"
	"math"
	"sync/atomic"
	"unsafe"

	"github.com/weftwasm/weft/go/api"
)

// memory is an instance's linear memory, read and written in place. The C
// engine reserves the memory's whole address range up front, so base never
// moves; the current size is read from the engine's own counter (no cgo
// call per access).
type memory struct {
	owner *moduleInstance
	mem   *C.weft_memory
	base  unsafe.Pointer
	size  *uint64 // the engine's live byte count
	def   api.MemoryDefinition
}

func newMemory(owner *moduleInstance, mem *C.weft_memory, def api.MemoryDefinition) *memory {
	return &memory{
		owner: owner,
		mem:   mem,
		base:  unsafe.Pointer(C.weft_memory_data(mem)),
		size:  (*uint64)(unsafe.Pointer(C.weft_memory_size_address(mem))),
		def:   def,
	}
}

func (m *memory) Definition() api.MemoryDefinition { return m.def }

// bytes returns the current size, or 0 once the instance is freed.
func (m *memory) bytes() uint64 {
	if m.owner.freed.Load() {
		return 0
	}
	return atomic.LoadUint64(m.size)
}

func (m *memory) Size() uint32 {
	s := m.bytes()
	if s > math.MaxUint32 { // a full 4 GiB memory: report the largest uint32
		return math.MaxUint32
	}
	return uint32(s)
}

func (m *memory) Grow(deltaPages uint32) (uint32, bool) {
	if m.owner.freed.Load() {
		return 0, false
	}
	old := int64(C.weft_memory_grow(m.mem, C.uint32_t(deltaPages)))
	if old < 0 {
		return 0, false
	}
	return uint32(old), true
}

// view returns n bytes at offset, or nil, false if out of bounds.
func (m *memory) view(offset uint32, n uint64) ([]byte, bool) {
	if uint64(offset)+n > m.bytes() {
		return nil, false
	}
	if n == 0 {
		return []byte{}, true
	}
	return unsafe.Slice((*byte)(unsafe.Add(m.base, uintptr(offset))), n), true
}

func (m *memory) Read(offset, byteCount uint32) ([]byte, bool) {
	return m.view(offset, uint64(byteCount))
}

func (m *memory) ReadByte(offset uint32) (byte, bool) {
	b, ok := m.view(offset, 1)
	if !ok {
		return 0, false
	}
	return b[0], true
}

func (m *memory) ReadUint16Le(offset uint32) (uint16, bool) {
	b, ok := m.view(offset, 2)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint16(b), true
}

func (m *memory) ReadUint32Le(offset uint32) (uint32, bool) {
	b, ok := m.view(offset, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b), true
}

func (m *memory) ReadFloat32Le(offset uint32) (float32, bool) {
	v, ok := m.ReadUint32Le(offset)
	return math.Float32frombits(v), ok
}

func (m *memory) ReadUint64Le(offset uint32) (uint64, bool) {
	b, ok := m.view(offset, 8)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b), true
}

func (m *memory) ReadFloat64Le(offset uint32) (float64, bool) {
	v, ok := m.ReadUint64Le(offset)
	return math.Float64frombits(v), ok
}

func (m *memory) WriteByte(offset uint32, v byte) bool {
	b, ok := m.view(offset, 1)
	if ok {
		b[0] = v
	}
	return ok
}

func (m *memory) WriteUint16Le(offset uint32, v uint16) bool {
	b, ok := m.view(offset, 2)
	if ok {
		binary.LittleEndian.PutUint16(b, v)
	}
	return ok
}

func (m *memory) WriteUint32Le(offset, v uint32) bool {
	b, ok := m.view(offset, 4)
	if ok {
		binary.LittleEndian.PutUint32(b, v)
	}
	return ok
}

func (m *memory) WriteFloat32Le(offset uint32, v float32) bool {
	return m.WriteUint32Le(offset, math.Float32bits(v))
}

func (m *memory) WriteUint64Le(offset uint32, v uint64) bool {
	b, ok := m.view(offset, 8)
	if ok {
		binary.LittleEndian.PutUint64(b, v)
	}
	return ok
}

func (m *memory) WriteFloat64Le(offset uint32, v float64) bool {
	return m.WriteUint64Le(offset, math.Float64bits(v))
}

func (m *memory) Write(offset uint32, v []byte) bool {
	b, ok := m.view(offset, uint64(len(v)))
	if ok {
		copy(b, v)
	}
	return ok
}

func (m *memory) WriteString(offset uint32, v string) bool {
	b, ok := m.view(offset, uint64(len(v)))
	if ok {
		copy(b, v)
	}
	return ok
}
