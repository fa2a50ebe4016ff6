// Command sortmap is a benchmark guest: sort.Slice, slices.Sort and map
// updates over pseudo-random integers, the kind of work a Go plugin does
// with collections. It prints a checksum (main, for WASI _start) and, when
// built for wasip1, exports the same computation as `run`.
package main

import (
	"fmt"
	"slices"
	"sort"
)

const (
	count  = 200_000
	rounds = 1
)

type pair struct {
	key   uint32
	count int
}

// xorshift32, the same generator as the C guests.
func next(s *uint32) uint32 {
	x := *s
	x ^= x << 13
	x ^= x >> 17
	x ^= x << 5
	*s = x
	return x
}

func mix(h, v uint32) uint32 { return (h ^ v) * 16777619 }

func checksum() int32 {
	seed := uint32(0x5eed1234)
	h := uint32(2166136261)
	for r := 0; r < rounds; r++ {
		nums := make([]uint32, count)
		counts := make(map[uint32]int)
		for i := range nums {
			nums[i] = next(&seed) % 50_000
			counts[nums[i]]++
		}
		slices.Sort(nums)
		pairs := make([]pair, 0, len(counts))
		for k, c := range counts {
			pairs = append(pairs, pair{k, c})
		}
		// Map order is random: sort by (count desc, key asc) for a total order.
		sort.Slice(pairs, func(i, j int) bool {
			if pairs[i].count != pairs[j].count {
				return pairs[i].count > pairs[j].count
			}
			return pairs[i].key < pairs[j].key
		})
		for i := 0; i < len(nums); i += 101 {
			h = mix(h, nums[i])
		}
		for _, p := range pairs[:100] {
			h = mix(mix(h, p.key), uint32(p.count))
		}
		h = mix(h, uint32(len(pairs)))
	}
	return int32(h & 0x7fffffff)
}

func main() {
	fmt.Println(checksum())
}
