// Command large is the compile-time benchmark guest: a program of
// realistic size that pulls in much of the standard library a Go plugin
// typically uses (encoding/json and xml, regexp, net/url,
// compress/gzip, crypto/sha256, math/big, sort, fmt). It is benchmarked
// mostly for how long a runtime takes to compile and instantiate it, but
// it also runs: main prints a deterministic checksum of its work.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

type Item struct {
	XMLName xml.Name          `json:"-" xml:"item"`
	ID      int               `json:"id" xml:"id,attr"`
	Name    string            `json:"name" xml:"name"`
	Tags    []string          `json:"tags" xml:"tag"`
	Price   float64           `json:"price" xml:"price"`
	Attrs   map[string]string `json:"attrs" xml:"-"`
}

// report formats items one per line, as a text/template would; the
// template package itself is left out on purpose: its use of
// reflect.Value.Method keeps every exported method of every type in the
// binary and nearly doubles its size (see bench/README.md).
func report(w io.Writer, its []Item) {
	for _, it := range its {
		fmt.Fprintf(w, "%d:%s:%d:%.2f\n", it.ID, strings.ToUpper(it.Name), len(it.Tags), it.Price)
	}
}

var emailRe = regexp.MustCompile(`([a-z0-9._%+-]+)@([a-z0-9.-]+\.[a-z]{2,})`)

func items(n int) []Item {
	out := make([]Item, n)
	for i := range out {
		out[i] = Item{
			ID:    i,
			Name:  fmt.Sprintf("item-%03d user%d@example%d.org", i, i*7, i%5),
			Tags:  strings.Fields(strings.Repeat("t ", i%4+1)),
			Price: float64(i*37%1000) / 8,
			Attrs: map[string]string{"k": fmt.Sprint(i), "z": "v"},
		}
	}
	return out
}

func work() (string, error) {
	its := items(200)
	js, err := json.Marshal(its)
	if err != nil {
		return "", err
	}
	var back []Item
	if err := json.Unmarshal(js, &back); err != nil {
		return "", err
	}
	sort.Slice(back, func(i, j int) bool {
		return back[i].Price > back[j].Price || back[i].Price == back[j].Price && back[i].ID < back[j].ID
	})
	xs, err := xml.Marshal(back[:20])
	if err != nil {
		return "", err
	}
	var rep bytes.Buffer
	report(&rep, back[:50])
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.ModTime = time.Unix(0, 0)
	zw.Write(js)
	zw.Close()
	zr, err := gzip.NewReader(&zipped)
	if err != nil {
		return "", err
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		return "", err
	}
	emails := emailRe.FindAllStringSubmatch(string(unzipped), -1)
	domains := map[string]int{}
	for _, m := range emails {
		domains[m[2]]++
	}
	keys := make([]string, 0, len(domains))
	for k := range domains {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	u, err := url.Parse("https://example.org/search?q=" + url.QueryEscape(strings.Join(keys, ",")))
	if err != nil {
		return "", err
	}
	fact := new(big.Int).MulRange(1, 60)
	t := time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC).Add(time.Duration(len(emails)) * time.Hour)
	sum := sha256.New()
	for _, part := range [][]byte{js, xs, rep.Bytes(), []byte(u.String()), []byte(fact.String()), []byte(t.Format(time.RFC3339))} {
		sum.Write(part)
	}
	return base64.StdEncoding.EncodeToString(sum.Sum(nil)), nil
}

func main() {
	digest, err := work()
	if err != nil {
		fmt.Fprintln(os.Stderr, "large:", err)
		os.Exit(1)
	}
	fmt.Println(digest)
}
