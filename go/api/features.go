package api

import (
	"fmt"
	"strings"
)

// CoreFeatures is a set of WebAssembly core specification features, as bit
// flags. WebAssembly 2.0 (CoreFeaturesV2) is the default.
type CoreFeatures uint64

// The features of WebAssembly 1.0 (mutable globals was its only proposal).
const CoreFeaturesV1 = CoreFeatureMutableGlobal

// The features of WebAssembly 2.0.
const CoreFeaturesV2 = CoreFeaturesV1 |
	CoreFeatureBulkMemoryOperations |
	CoreFeatureMultiValue |
	CoreFeatureNonTrappingFloatToIntConversion |
	CoreFeatureReferenceTypes |
	CoreFeatureSignExtensionOps |
	CoreFeatureSIMD

// The individual features, each a proposal merged into the core spec.
const (
	// CoreFeatureBulkMemoryOperations: memory.copy/fill/init, data.drop,
	// table.copy/init, elem.drop and passive segments.
	CoreFeatureBulkMemoryOperations CoreFeatures = 1 << iota
	// CoreFeatureMultiValue: functions and blocks with several results.
	CoreFeatureMultiValue
	// CoreFeatureMutableGlobal: importing and exporting mutable globals.
	CoreFeatureMutableGlobal
	// CoreFeatureNonTrappingFloatToIntConversion: the trunc_sat family.
	CoreFeatureNonTrappingFloatToIntConversion
	// CoreFeatureReferenceTypes: funcref/externref values, several tables.
	CoreFeatureReferenceTypes
	// CoreFeatureSignExtensionOps: i32.extend8_s and its siblings.
	CoreFeatureSignExtensionOps
	// CoreFeatureSIMD: the v128 type and its instructions.
	CoreFeatureSIMD
)

var featureNames = []struct {
	f    CoreFeatures
	name string
}{
	{CoreFeatureBulkMemoryOperations, "bulk-memory-operations"},
	{CoreFeatureMultiValue, "multi-value"},
	{CoreFeatureMutableGlobal, "mutable-global"},
	{CoreFeatureNonTrappingFloatToIntConversion, "nontrapping-float-to-int-conversion"},
	{CoreFeatureReferenceTypes, "reference-types"},
	{CoreFeatureSignExtensionOps, "sign-extension-ops"},
	{CoreFeatureSIMD, "simd"},
}

// SetEnabled returns f with feature turned on or off.
func (f CoreFeatures) SetEnabled(feature CoreFeatures, val bool) CoreFeatures {
	if val {
		return f | feature
	}
	return f &^ feature
}

// IsEnabled reports whether every feature in `feature` is on.
func (f CoreFeatures) IsEnabled(feature CoreFeatures) bool { return f&feature == feature }

// RequireEnabled returns an error naming feature if it is off.
func (f CoreFeatures) RequireEnabled(feature CoreFeatures) error {
	if f.IsEnabled(feature) {
		return nil
	}
	return fmt.Errorf("feature %q is disabled", feature)
}

// String lists the enabled features, separated by '|'.
func (f CoreFeatures) String() string {
	var names []string
	for _, fn := range featureNames {
		if f&fn.f != 0 {
			names = append(names, fn.name)
		}
	}
	return strings.Join(names, "|")
}
