// Command strs is a benchmark guest: string building, splitting, number
// formatting and parsing and word counting with strings, strconv and a
// map. It prints a checksum (main, for WASI _start) and, when built for
// wasip1, exports the same computation as `run`.
package main

import (
	"fmt"
	"strconv"
	"strings"
)

const (
	lines  = 8_000
	rounds = 1
)

var words = []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
	"iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma"}

func next(s *uint32) uint32 {
	x := *s
	x ^= x << 13
	x ^= x >> 17
	x ^= x << 5
	*s = x
	return x
}

func mix(h, v uint32) uint32 { return (h ^ v) * 16777619 }

func hashString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = mix(h, uint32(s[i]))
	}
	return h
}

func checksum() int32 {
	seed := uint32(0x0badf00d)
	h := uint32(2166136261)
	for r := 0; r < rounds; r++ {
		var b strings.Builder
		for i := 0; i < lines; i++ {
			n := 2 + next(&seed)%6
			for j := uint32(0); j < n; j++ {
				b.WriteString(words[next(&seed)%uint32(len(words))])
				b.WriteByte(' ')
			}
			b.WriteString(strconv.Itoa(int(next(&seed) % 100000)))
			b.WriteString(", ")
			b.WriteString(strconv.FormatFloat(float64(next(&seed)%10000)/8, 'f', 3, 64))
			b.WriteByte('\n')
		}
		text := b.String()
		counts := make(map[string]int)
		sum := 0
		for _, line := range strings.Split(text, "\n") {
			fields := strings.Fields(strings.ReplaceAll(line, ",", " "))
			for _, f := range fields {
				if n, err := strconv.Atoi(f); err == nil {
					sum += n
				} else if x, err := strconv.ParseFloat(f, 64); err == nil {
					sum += int(x * 8)
				} else {
					counts[strings.ToUpper(f)]++
				}
			}
		}
		for _, w := range words { // fixed order, not map order
			h = mix(hashString(h, strings.ToUpper(w)), uint32(counts[strings.ToUpper(w)]))
		}
		h = mix(mix(h, uint32(sum)), uint32(len(text)))
		h = mix(h, uint32(strings.Count(text, "eta")))
	}
	return int32(h & 0x7fffffff)
}

func main() {
	fmt.Println(checksum())
}
