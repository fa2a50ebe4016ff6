package main

/*
#include <malloc.h>
#include <stdint.h>

// The engine's live-object counters (core/src/live_objects.h): internal to
// weft, not in weft.h, linked into this program with the engine by cgo.
int live_objects_read(int64_t *out, int n);
const char *live_objects_name(int k);
*/
import "C"

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// maxLiveKinds bounds the kinds of live_objects.h read (it has 13).
const maxLiveKinds = 32

// liveObjects is a count of the C engine's live objects by kind.
type liveObjects struct {
	names  []string
	counts []int64
}

func readLiveObjects() liveObjects {
	var buf [maxLiveKinds]C.int64_t
	n := int(C.live_objects_read(&buf[0], maxLiveKinds))
	n = min(n, maxLiveKinds)
	l := liveObjects{names: make([]string, n), counts: make([]int64, n)}
	for k := 0; k < n; k++ {
		l.names[k] = C.GoString(C.live_objects_name(C.int(k)))
		l.counts[k] = int64(buf[k])
	}
	return l
}

func (l liveObjects) total() int64 {
	var t int64
	for _, c := range l.counts {
		t += c
	}
	return t
}

// String lists the non-zero kinds: "module=3 instance=2", or "none".
func (l liveObjects) String() string {
	var parts []string
	for k, c := range l.counts {
		if c != 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", l.names[k], c))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// cacheKinds are the kinds that count caches, not objects a host holds: an
// engine's pooled memories and stacks (core/src/map_pool.h) fill up to a
// bound under load and go with their engine. They may grow while the
// runtimes are open, but must be back at zero once all are closed.
var cacheKinds = map[string]bool{"pooled mapping": true}

// withoutCaches is l with the counts of cacheKinds left out (as zero).
func (l liveObjects) withoutCaches() liveObjects {
	out := liveObjects{names: l.names, counts: make([]int64, len(l.counts))}
	for k, c := range l.counts {
		if !cacheKinds[l.names[k]] {
			out.counts[k] = c
		}
	}
	return out
}

// diff lists the kinds whose count differs from base: "trap +3".
func (l liveObjects) diff(base liveObjects) string {
	var parts []string
	for k, c := range l.counts {
		if d := c - base.counts[k]; d != 0 {
			parts = append(parts, fmt.Sprintf("%s %+d", l.names[k], d))
		}
	}
	return strings.Join(parts, ", ")
}

// memStatus holds /proc/self/status's resident-set figures, in bytes.
type memStatus struct {
	rss, peak int64 // VmRSS, VmHWM
}

func readMemStatus() (memStatus, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return memStatus{}, err
	}
	defer f.Close()
	var s memStatus
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		var dst *int64
		switch key {
		case "VmRSS":
			dst = &s.rss
		case "VmHWM":
			dst = &s.peak
		default:
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 10, 64)
		if err != nil {
			return memStatus{}, fmt.Errorf("/proc/self/status %s: %w", key, err)
		}
		*dst = kb << 10
	}
	if s.rss == 0 {
		return memStatus{}, fmt.Errorf("/proc/self/status has no VmRSS")
	}
	return s, sc.Err()
}

// resetPeak restarts VmHWM from the current RSS (Linux 4.0+), so the peak
// reported is the soak's, not the warm-up's. It reports whether it could.
func resetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// settle gives memory back the way a long-lived service would see it after
// closing everything: Go's collector runs (twice, so that finalizers queued
// by the first run have run), Go returns free memory to the OS, and glibc's
// malloc_trim returns the C heap's free pages. It repeats until the C
// engine's live-object count stops changing (finalizers may free C objects),
// for at most a second.
func settle() liveObjects {
	deadline := time.Now().Add(time.Second)
	prev := readLiveObjects()
	for {
		runtime.GC()
		runtime.GC()
		debug.FreeOSMemory()
		C.malloc_trim(0)
		time.Sleep(20 * time.Millisecond)
		cur := readLiveObjects()
		if cur.diff(prev) == "" || time.Now().After(deadline) {
			return cur
		}
		prev = cur
	}
}

// liveHeap is the bytes of Go heap objects in use (after settle's GC: the
// live heap).
func liveHeap() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
