package weft

// LiveInstances reports how many C instances are not freed yet.
func LiveInstances() int64 { return liveInstances.Load() }
