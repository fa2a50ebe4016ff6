package api

import "math"

// EncodeExternref encodes a host reference (e.g. a cgo handle) as a value.
func EncodeExternref(input uintptr) uint64 { return uint64(input) }

// DecodeExternref decodes an externref value.
func DecodeExternref(input uint64) uintptr { return uintptr(input) }

// EncodeI32 encodes an i32 value (the high 32 bits are zero).
func EncodeI32(input int32) uint64 { return uint64(uint32(input)) }

// DecodeI32 decodes an i32 value.
func DecodeI32(input uint64) int32 { return int32(input) }

// EncodeU32 encodes an i32 value given as unsigned.
func EncodeU32(input uint32) uint64 { return uint64(input) }

// DecodeU32 decodes an i32 value as unsigned.
func DecodeU32(input uint64) uint32 { return uint32(input) }

// EncodeI64 encodes an i64 value.
func EncodeI64(input int64) uint64 { return uint64(input) }

// EncodeF32 encodes an f32 value: its IEEE bits in the low 32 bits.
func EncodeF32(input float32) uint64 { return uint64(math.Float32bits(input)) }

// DecodeF32 decodes an f32 value.
func DecodeF32(input uint64) float32 { return math.Float32frombits(uint32(input)) }

// EncodeF64 encodes an f64 value: its IEEE bits.
func EncodeF64(input float64) uint64 { return math.Float64bits(input) }

// DecodeF64 decodes an f64 value.
func DecodeF64(input uint64) float64 { return math.Float64frombits(input) }
