package weft_test

// Fuzz targets for the Go API's value marshalling: api.Encode*/Decode*,
// Function.Call arguments and results through a small guest (in C memory
// and, past 16 slots, through the Go slice), and Memory's bounds. Their
// seed corpus (f.Add and testdata/fuzz/) runs with every `go test`; fuzz
// them with
//
//	go test ./go -run '^$' -fuzz FuzzCallValues -fuzztime 5m
//	go test ./go -run '^$' -fuzz FuzzMemoryBounds -fuzztime 5m

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// manyValues is the arity of the guest's "many" (params and results): more
// than the 16 slots that travel in C memory.
const manyValues = 20

// valuesGuest assembles the guest by hand (no .wasm to keep in step):
//
//	(memory (export "mem") 1 4)
//	id_i32, id_i64, id_f32, id_f64, id_ref: return their parameter
//	widen (i32) -> i64: i64.extend_i32_u
//	add (i32 i32) -> i32: i32.add
//	swap (i32 i64 f32 f64) -> (f64 f32 i64 i32): reversed
//	many (i64 x 20) -> (i64 x 20): reversed
//	store (i32 i64): i64.store   load (i32) -> i64: i64.load
func valuesGuest() []byte {
	const (
		i32, i64, f32, f64, externref = 0x7f, 0x7e, 0x7d, 0x7c, 0x6f
	)
	uleb := func(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }
	vec := func(items ...[]byte) []byte {
		b := uleb(nil, uint64(len(items)))
		for _, it := range items {
			b = append(b, it...)
		}
		return b
	}
	section := func(id byte, body []byte) []byte {
		return append(uleb([]byte{id}, uint64(len(body))), body...)
	}
	functype := func(params, results []byte) []byte {
		b := append([]byte{0x60}, uleb(nil, uint64(len(params)))...)
		b = append(b, params...)
		b = append(b, uleb(nil, uint64(len(results)))...)
		return append(b, results...)
	}
	name := func(s string) []byte { return append(uleb(nil, uint64(len(s))), s...) }
	body := func(code ...byte) []byte {
		b := append([]byte{0}, code...) // no locals
		b = append(b, 0x0b)
		return append(uleb(nil, uint64(len(b))), b...)
	}
	getLocals := func(order ...int) []byte {
		var b []byte
		for _, i := range order {
			b = append(b, 0x20, byte(i))
		}
		return b
	}

	manyTypes := bytes.Repeat([]byte{i64}, manyValues)
	reversed := make([]int, manyValues)
	for i := range reversed {
		reversed[i] = manyValues - 1 - i
	}
	type fn struct {
		name string
		typ  []byte
		code []byte
	}
	fns := []fn{
		{"id_i32", functype([]byte{i32}, []byte{i32}), getLocals(0)},
		{"id_i64", functype([]byte{i64}, []byte{i64}), getLocals(0)},
		{"id_f32", functype([]byte{f32}, []byte{f32}), getLocals(0)},
		{"id_f64", functype([]byte{f64}, []byte{f64}), getLocals(0)},
		{"id_ref", functype([]byte{externref}, []byte{externref}), getLocals(0)},
		{"widen", functype([]byte{i32}, []byte{i64}), append(getLocals(0), 0xad)},
		{"add", functype([]byte{i32, i32}, []byte{i32}), append(getLocals(0, 1), 0x6a)},
		{"swap", functype([]byte{i32, i64, f32, f64}, []byte{f64, f32, i64, i32}), getLocals(3, 2, 1, 0)},
		{"many", functype(manyTypes, manyTypes), getLocals(reversed...)},
		{"store", functype([]byte{i32, i64}, nil), append(getLocals(0, 1), 0x37, 3, 0)},
		{"load", functype([]byte{i32}, []byte{i64}), append(getLocals(0), 0x29, 3, 0)},
	}
	var types, funcs, exports, codes [][]byte
	for i, f := range fns {
		types = append(types, f.typ)
		funcs = append(funcs, uleb(nil, uint64(i)))
		exports = append(exports, append(append(name(f.name), 0), uleb(nil, uint64(i))...))
		codes = append(codes, body(f.code...))
	}
	exports = append(exports, append(name("mem"), 2, 0))
	m := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	m = append(m, section(1, vec(types...))...)
	m = append(m, section(3, vec(funcs...))...)
	m = append(m, section(5, vec([]byte{1, 1, 4}))...) // min 1 page, max 4
	m = append(m, section(7, vec(exports...))...)
	return append(m, section(10, vec(codes...))...)
}

// valuesModule compiles the guest once per fuzz target; each input gets a
// fresh instance.
func valuesModule(f *testing.F) (weft.Runtime, weft.CompiledModule) {
	ctx := context.Background()
	r := weft.NewRuntime(ctx)
	f.Cleanup(func() { _ = r.Close(ctx) })
	cm, err := r.CompileModule(ctx, valuesGuest())
	if err != nil {
		f.Fatal(err)
	}
	return r, cm
}

func instantiateValues(t *testing.T, r weft.Runtime, cm weft.CompiledModule) api.Module {
	ctx := context.Background()
	mod, err := r.InstantiateModule(ctx, cm, weft.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mod.Close(ctx) })
	return mod
}

func call(t *testing.T, mod api.Module, name string, params ...uint64) []uint64 {
	t.Helper()
	res, err := mod.ExportedFunction(name).Call(context.Background(), params...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// FuzzCallValues: values survive Encode -> Call -> Decode bit for bit (NaN
// payloads included), the high half of an i32 argument is ignored, and an
// i32 result's high half is zero.
func FuzzCallValues(f *testing.F) {
	r, cm := valuesModule(f)
	f.Add(uint64(0), uint64(0), uint32(0), uint64(0))
	f.Add(uint64(math.MaxUint64), uint64(1)<<63, uint32(0x7fc00001), math.Float64bits(math.NaN()))
	f.Add(uint64(0xffffffff_80000000), uint64(0x8000000000000000), uint32(0xff800000), uint64(0x7ff0000000000001))
	f.Add(uint64(0x12345678_9abcdef0), uint64(42), math.Float32bits(-0.0), math.Float64bits(math.Inf(-1)))
	f.Fuzz(func(t *testing.T, a, b uint64, fbits uint32, dbits uint64) {
		mod := instantiateValues(t, r, cm)
		x, y := int32(a), int32(b)

		// Encode/Decode round trips.
		if api.DecodeI32(api.EncodeI32(x)) != x || api.EncodeI32(x)>>32 != 0 {
			t.Fatalf("EncodeI32(%d)", x)
		}
		if api.DecodeU32(api.EncodeU32(uint32(a))) != uint32(a) {
			t.Fatalf("EncodeU32(%d)", uint32(a))
		}
		if int64(api.EncodeI64(int64(a))) != int64(a) {
			t.Fatalf("EncodeI64(%d)", int64(a))
		}
		if math.Float32bits(api.DecodeF32(uint64(fbits))) != fbits || api.EncodeF32(math.Float32frombits(fbits)) != uint64(fbits) {
			t.Fatalf("F32 bits %#x", fbits)
		}
		if math.Float64bits(api.DecodeF64(dbits)) != dbits || api.EncodeF64(math.Float64frombits(dbits)) != dbits {
			t.Fatalf("F64 bits %#x", dbits)
		}
		if api.EncodeExternref(api.DecodeExternref(a)) != a {
			t.Fatalf("externref %#x", a)
		}

		// Through the guest.
		if got := call(t, mod, "id_i32", api.EncodeI32(x))[0]; api.DecodeI32(got) != x || got>>32 != 0 {
			t.Fatalf("id_i32(%d) = %#x", x, got)
		}
		if got := call(t, mod, "id_i64", a)[0]; got != a {
			t.Fatalf("id_i64(%#x) = %#x", a, got)
		}
		if got := call(t, mod, "id_f32", uint64(fbits))[0]; got != uint64(fbits) {
			t.Fatalf("id_f32(%#x) = %#x", fbits, got)
		}
		if got := call(t, mod, "id_f64", dbits)[0]; got != dbits {
			t.Fatalf("id_f64(%#x) = %#x", dbits, got)
		}
		if got := call(t, mod, "id_ref", a)[0]; got != a {
			t.Fatalf("id_ref(%#x) = %#x", a, got)
		}
		// a's high half is junk for an i32 parameter: the guest sees only x.
		if got := call(t, mod, "widen", a)[0]; got != uint64(uint32(a)) {
			t.Fatalf("widen(%#x) = %#x", a, got)
		}
		if got := call(t, mod, "add", a, b)[0]; got != api.EncodeI32(x+y) {
			t.Fatalf("add(%#x, %#x) = %#x, want %#x", a, b, got, api.EncodeI32(x+y))
		}
		got := call(t, mod, "swap", api.EncodeI32(x), b, uint64(fbits), dbits)
		if len(got) != 4 || got[0] != dbits || got[1] != uint64(fbits) || got[2] != b || got[3] != api.EncodeI32(x) {
			t.Fatalf("swap = %#x", got)
		}
		params := make([]uint64, manyValues)
		for i := range params {
			params[i] = a*uint64(i+1) ^ b
		}
		got = call(t, mod, "many", params...)
		for i := range got {
			if got[i] != params[manyValues-1-i] {
				t.Fatalf("many: result %d = %#x, want %#x", i, got[i], params[manyValues-1-i])
			}
		}
		stack := append([]uint64(nil), params...)
		if err := mod.ExportedFunction("many").CallWithStack(context.Background(), stack); err != nil {
			t.Fatal(err)
		}
		for i := range stack {
			if stack[i] != params[manyValues-1-i] {
				t.Fatalf("many (CallWithStack): result %d = %#x", i, stack[i])
			}
		}
	})
}

// FuzzMemoryBounds: every Memory accessor succeeds exactly when the access
// fits in the memory's current size, reads what was written (by the host
// or the guest), and Grow moves the bound.
func FuzzMemoryBounds(f *testing.F) {
	r, cm := valuesModule(f)
	f.Add(uint32(0), []byte("weft"), uint8(0), uint64(1))
	f.Add(uint32(65536-4), []byte("edge"), uint8(1), uint64(2))
	f.Add(uint32(65536-3), []byte("over"), uint8(3), uint64(3))
	f.Add(uint32(math.MaxUint32), []byte{1}, uint8(4), uint64(4))
	f.Add(uint32(4*65536-8), []byte{}, uint8(255), uint64(math.MaxUint64))
	f.Fuzz(func(t *testing.T, off uint32, data []byte, grow uint8, v uint64) {
		mod := instantiateValues(t, r, cm)
		mem := mod.ExportedMemory("mem")
		fits := func(n uint64) bool { return uint64(off)+n <= uint64(mem.Size()) }

		// Grow by 0..4 pages (a fifth of inputs try past the maximum of 4).
		delta := uint32(grow % 5)
		before := mem.Size()
		old, ok := mem.Grow(delta)
		wantOK := uint64(before)/65536+uint64(delta) <= 4
		if ok != wantOK || (ok && (old != before/65536 || mem.Size() != before+delta*65536)) ||
			(!ok && mem.Size() != before) {
			t.Fatalf("Grow(%d) from %d bytes = %d, %v; size now %d", delta, before, old, ok, mem.Size())
		}

		if ok := mem.Write(off, data); ok != fits(uint64(len(data))) {
			t.Fatalf("Write(%d, %d bytes) = %v with size %d", off, len(data), ok, mem.Size())
		} else if ok {
			if got, ok := mem.Read(off, uint32(len(data))); !ok || !bytes.Equal(got, data) {
				t.Fatalf("Read(%d, %d) = %x, %v; wrote %x", off, len(data), got, ok, data)
			}
		}
		if _, ok := mem.Read(off, uint32(len(data))); ok != fits(uint64(len(data))) {
			t.Fatalf("Read(%d, %d) = %v with size %d", off, len(data), ok, mem.Size())
		}
		if ok := mem.WriteUint64Le(off, v); ok != fits(8) {
			t.Fatalf("WriteUint64Le(%d) = %v", off, ok)
		} else if ok {
			// The guest reads what the host wrote, and the reverse.
			if got := call(t, mod, "load", uint64(off))[0]; got != v {
				t.Fatalf("guest load(%d) = %#x, host wrote %#x", off, got, v)
			}
			call(t, mod, "store", uint64(off), ^v)
			if got, ok := mem.ReadUint64Le(off); !ok || got != ^v {
				t.Fatalf("ReadUint64Le(%d) = %#x, %v; guest stored %#x", off, got, ok, ^v)
			}
		} else if _, err := mod.ExportedFunction("load").Call(context.Background(), uint64(off)); err == nil {
			t.Fatalf("guest load(%d) past the end (size %d) did not trap", off, mem.Size())
		}
		if _, ok := mem.ReadUint32Le(off); ok != fits(4) {
			t.Fatalf("ReadUint32Le(%d) = %v", off, ok)
		}
		if ok := mem.WriteUint16Le(off, uint16(v)); ok != fits(2) {
			t.Fatalf("WriteUint16Le(%d) = %v", off, ok)
		}
		if _, ok := mem.ReadByte(off); ok != fits(1) {
			t.Fatalf("ReadByte(%d) = %v", off, ok)
		}
		if ok := mem.WriteFloat64Le(off, math.Float64frombits(v)); ok != fits(8) {
			t.Fatalf("WriteFloat64Le(%d) = %v", off, ok)
		} else if ok {
			if got, _ := mem.ReadUint64Le(off); got != v { // NaN payloads kept
				t.Fatalf("WriteFloat64Le bits %#x read back as %#x", v, got)
			}
		}
		if ok := mem.WriteFloat32Le(off, math.Float32frombits(uint32(v))); ok != fits(4) {
			t.Fatalf("WriteFloat32Le(%d) = %v", off, ok)
		} else if ok {
			if got, _ := mem.ReadUint32Le(off); got != uint32(v) {
				t.Fatalf("WriteFloat32Le bits %#x read back as %#x", uint32(v), got)
			}
		}
	})
}
