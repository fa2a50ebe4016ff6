// Package api holds the interfaces of weft's Go API that guests and host
// functions see — Module, Function, Memory, Global and their definitions —
// and the encoding of Wasm values as uint64. It mirrors
// github.com/tetratelabs/wazero/api so that code written against wazero
// compiles against weft after rewriting imports.
package api

import (
	"context"
	"fmt"
)

// ExternType is the kind of an import or export, in its binary encoding.
type ExternType = byte

// The extern kinds.
const (
	ExternTypeFunc   ExternType = 0x00
	ExternTypeTable  ExternType = 0x01
	ExternTypeMemory ExternType = 0x02
	ExternTypeGlobal ExternType = 0x03
)

// Names of the extern kinds as the text format writes them.
const (
	ExternTypeFuncName   = "func"
	ExternTypeTableName  = "table"
	ExternTypeMemoryName = "memory"
	ExternTypeGlobalName = "global"
)

// ExternTypeName returns the text-format name of et, or "unknown(0x..)".
func ExternTypeName(et ExternType) string {
	switch et {
	case ExternTypeFunc:
		return ExternTypeFuncName
	case ExternTypeTable:
		return ExternTypeTableName
	case ExternTypeMemory:
		return ExternTypeMemoryName
	case ExternTypeGlobal:
		return ExternTypeGlobalName
	}
	return fmt.Sprintf("unknown(0x%x)", et)
}

// ValueType is a Wasm value type in its binary encoding. Values cross the
// API as uint64: i32 and f32 in the low 32 bits (use EncodeI32/DecodeI32,
// EncodeF32/DecodeF32 ...), i64 and f64 as all 64 bits, externref as a
// uintptr, and v128 as two consecutive uint64 (low half first).
type ValueType = byte

// The value types.
const (
	ValueTypeI32       ValueType = 0x7f
	ValueTypeI64       ValueType = 0x7e
	ValueTypeF32       ValueType = 0x7d
	ValueTypeF64       ValueType = 0x7c
	ValueTypeV128      ValueType = 0x7b
	ValueTypeFuncref   ValueType = 0x70
	ValueTypeExternref ValueType = 0x6f
)

// ValueTypeName returns the text-format name of t ("i32" ...), or
// "unknown".
func ValueTypeName(t ValueType) string {
	switch t {
	case ValueTypeI32:
		return "i32"
	case ValueTypeI64:
		return "i64"
	case ValueTypeF32:
		return "f32"
	case ValueTypeF64:
		return "f64"
	case ValueTypeV128:
		return "v128"
	case ValueTypeFuncref:
		return "funcref"
	case ValueTypeExternref:
		return "externref"
	}
	return "unknown"
}

// Closer releases what an object holds.
type Closer interface {
	// Close releases the object's resources. It is safe to call more than
	// once.
	Close(context.Context) error
}

// Module is an instantiated module (a guest or a host module): its exports
// and its lifetime. A Module is used by one goroutine at a time.
type Module interface {
	fmt.Stringer

	// Name is the name the module was instantiated with; other modules
	// import its exports under this name.
	Name() string

	// Memory returns the module's memory (defined or imported), or nil.
	Memory() Memory

	// ExportedFunction returns the exported function `name`, or nil.
	ExportedFunction(name string) Function

	// ExportedFunctionDefinitions returns the definitions of every exported
	// function by export name.
	ExportedFunctionDefinitions() map[string]FunctionDefinition

	// ExportedMemory returns the exported memory `name`, or nil.
	ExportedMemory(name string) Memory

	// ExportedMemoryDefinitions returns the definitions of every exported
	// memory by export name.
	ExportedMemoryDefinitions() map[string]MemoryDefinition

	// ExportedGlobal returns the exported global `name` (a MutableGlobal if
	// it is mutable), or nil.
	ExportedGlobal(name string) Global

	// CloseWithExitCode closes the module; calls into it then fail with a
	// sys.ExitError of exitCode. A call running when it is closed (a host
	// function closing its caller) ends with that error. Safe to call more
	// than once: only the first exit code counts.
	CloseWithExitCode(ctx context.Context, exitCode uint32) error

	// IsClosed reports whether the module was closed.
	IsClosed() bool

	// Closer closes the module with exit code 0.
	Closer
}

// ExportDefinition is what every kind of import or export definition has.
type ExportDefinition interface {
	// ModuleName is the name of the module that defines the item.
	ModuleName() string

	// Index is the item's index in its kind's index space, imports first.
	Index() uint32

	// Import returns the module and name it is imported from, if it is an
	// import.
	Import() (moduleName, name string, isImport bool)

	// ExportNames are the names the item is exported under (often one).
	ExportNames() []string
}

// MemoryDefinition describes a memory: its limits in 64 KiB pages.
type MemoryDefinition interface {
	ExportDefinition

	// Min is the minimum number of pages.
	Min() uint32

	// Max is the maximum number of pages, if the memory declares one.
	Max() (uint32, bool)
}

// FunctionDefinition describes a function: its type and names.
type FunctionDefinition interface {
	ExportDefinition

	// Name is the function's name from the name section (guests) or the
	// builder (host functions); "" if it has none.
	Name() string

	// DebugName is a name for stack traces: "module.name", or
	// "module.$index" for a function without a name.
	DebugName() string

	// GoFunction returns the Go implementation (a GoModuleFunction,
	// GoFunction or the function given to WithFunc) of a host function, or
	// nil for a Wasm function.
	GoFunction() interface{}

	// ParamTypes are the parameter types.
	ParamTypes() []ValueType

	// ParamNames are the parameter names, if known (same length as
	// ParamTypes), else nil.
	ParamNames() []string

	// ResultTypes are the result types.
	ResultTypes() []ValueType

	// ResultNames are the result names, if known, else nil.
	ResultNames() []string
}

// Function is a function of an instantiated module, callable from Go.
type Function interface {
	// Definition describes the function.
	Definition() FunctionDefinition

	// Call runs the function with params encoded as uint64 (see ValueType)
	// and returns its results. The error is a trap ("wasm error: ..."), a
	// *sys.ExitError, or a misuse (wrong number of params, closed module).
	// Call must not be used by two goroutines at once.
	Call(ctx context.Context, params ...uint64) ([]uint64, error)

	// CallWithStack is Call without allocation: stack holds the params on
	// entry and the results on return; its length must be at least the
	// larger of the params' and the results' lengths.
	CallWithStack(ctx context.Context, stack []uint64) error
}

// GoModuleFunction is a host function implemented in Go that needs the
// calling module (to read its memory, say). stack holds the params on entry;
// the function writes its results there.
type GoModuleFunction interface {
	Call(ctx context.Context, mod Module, stack []uint64)
}

// GoModuleFunc is a func that is a GoModuleFunction.
type GoModuleFunc func(ctx context.Context, mod Module, stack []uint64)

// Call implements GoModuleFunction.
func (f GoModuleFunc) Call(ctx context.Context, mod Module, stack []uint64) {
	f(ctx, mod, stack)
}

// GoFunction is a host function implemented in Go that needs nothing of
// its caller. stack is as for GoModuleFunction.
type GoFunction interface {
	Call(ctx context.Context, stack []uint64)
}

// GoFunc is a func that is a GoFunction.
type GoFunc func(ctx context.Context, stack []uint64)

// Call implements GoFunction.
func (f GoFunc) Call(ctx context.Context, stack []uint64) { f(ctx, stack) }

// Global is a global variable of a module.
type Global interface {
	fmt.Stringer

	// Type is the global's value type.
	Type() ValueType

	// Get returns the global's value, encoded as uint64 (see ValueType).
	Get() uint64
}

// MutableGlobal is a Global declared mutable.
type MutableGlobal interface {
	Global

	// Set changes the global's value, encoded as for Get.
	Set(v uint64)
}

// Memory is a module's linear memory. Offsets are byte offsets; every
// accessor reports false rather than touching memory out of bounds.
type Memory interface {
	// Definition describes the memory.
	Definition() MemoryDefinition

	// Size returns the memory's current size in bytes.
	Size() uint32

	// Grow adds deltaPages pages of 64 KiB and returns the previous page
	// count, or false if the memory cannot grow that much.
	Grow(deltaPages uint32) (previousPages uint32, ok bool)

	ReadByte(offset uint32) (byte, bool)
	ReadUint16Le(offset uint32) (uint16, bool)
	ReadUint32Le(offset uint32) (uint32, bool)
	ReadFloat32Le(offset uint32) (float32, bool)
	ReadUint64Le(offset uint32) (uint64, bool)
	ReadFloat64Le(offset uint32) (float64, bool)

	// Read returns a view of byteCount bytes at offset, without copying:
	// writes through it change guest memory. The view stays valid across
	// Grow (the memory never moves) but keeps its length, and is invalid
	// once the module is closed.
	Read(offset, byteCount uint32) ([]byte, bool)

	WriteByte(offset uint32, v byte) bool
	WriteUint16Le(offset uint32, v uint16) bool
	WriteUint32Le(offset, v uint32) bool
	WriteFloat32Le(offset uint32, v float32) bool
	WriteUint64Le(offset uint32, v uint64) bool
	WriteFloat64Le(offset uint32, v float64) bool

	// Write copies v to offset.
	Write(offset uint32, v []byte) bool

	// WriteString copies the bytes of v to offset.
	WriteString(offset uint32, v string) bool
}

// CustomSection is a custom section of a module binary.
type CustomSection interface {
	// Name is the section's name.
	Name() string
	// Data is the section's contents.
	Data() []byte
}
