package api

import (
	"math"
	"testing"
)

func TestEncoding(t *testing.T) {
	tests := []struct {
		name    string
		encoded uint64
		want    uint64
	}{
		{"i32 -1", EncodeI32(-1), 0xffffffff},
		{"u32 max", EncodeU32(math.MaxUint32), 0xffffffff},
		{"i64 -1", EncodeI64(-1), math.MaxUint64},
		{"f32 1.5", EncodeF32(1.5), 0x3fc00000},
		{"f64 -2", EncodeF64(-2), 0xc000000000000000},
		{"externref", EncodeExternref(0xdead), 0xdead},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.encoded != tc.want {
				t.Errorf("got %#x, want %#x", tc.encoded, tc.want)
			}
		})
	}
	if DecodeI32(EncodeI32(-7)) != -7 || DecodeU32(EncodeU32(7)) != 7 ||
		DecodeF32(EncodeF32(-0.25)) != -0.25 || DecodeF64(EncodeF64(1e300)) != 1e300 ||
		DecodeExternref(EncodeExternref(42)) != 42 {
		t.Error("a value did not survive encode and decode")
	}
	if !math.IsNaN(float64(DecodeF32(EncodeF32(float32(math.NaN()))))) {
		t.Error("f32 NaN lost")
	}
}

func TestCoreFeatures(t *testing.T) {
	f := CoreFeaturesV2
	if !f.IsEnabled(CoreFeatureSIMD) || !f.IsEnabled(CoreFeaturesV1) {
		t.Fatal("V2 lacks SIMD or V1")
	}
	f = f.SetEnabled(CoreFeatureSIMD, false)
	if f.IsEnabled(CoreFeatureSIMD) || f.RequireEnabled(CoreFeatureSIMD) == nil {
		t.Error("SIMD still on")
	}
	if got := CoreFeatureSIMD.String(); got != "simd" {
		t.Errorf("String() = %q", got)
	}
	if got := (CoreFeatureMultiValue | CoreFeatureMutableGlobal).String(); got != "multi-value|mutable-global" {
		t.Errorf("String() = %q", got)
	}
}

func TestNames(t *testing.T) {
	if ValueTypeName(ValueTypeExternref) != "externref" || ValueTypeName(0) != "unknown" {
		t.Error("ValueTypeName")
	}
	if ExternTypeName(ExternTypeMemory) != "memory" || ExternTypeName(9) != "unknown(0x9)" {
		t.Error("ExternTypeName")
	}
}
