// Command goguest is a WASI preview1 guest built with
// GOOS=wasip1 GOARCH=wasm: it prints its arguments and environment, reads a
// file from a mounted directory, walks that directory, sleeps, and exits
// with a chosen code. tests/wasi/run.sh runs it under `weft run` and checks
// its output; the Go package's tests may run it through the Go API.
//
// Usage: goguest DIR FILE SLEEP EXITCODE
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: goguest DIR FILE SLEEP EXITCODE")
		os.Exit(2)
	}
	dir, file := os.Args[1], os.Args[2]
	for i, a := range os.Args {
		fmt.Printf("arg[%d]=%s\n", i, a)
	}
	env := os.Environ()
	sort.Strings(env)
	for _, kv := range env {
		fmt.Printf("env %s\n", kv)
	}

	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(3)
	}
	fmt.Printf("file %s: %q\n", file, strings.TrimSpace(string(data)))

	var walked []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		kind := "file"
		if d.IsDir() {
			kind = "dir"
		}
		walked = append(walked, kind+" "+rel)
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "walk:", err)
		os.Exit(4)
	}
	for _, w := range walked {
		fmt.Println("walk", w)
	}

	if _, err := os.ReadFile(filepath.Join(dir, "../../etc/passwd")); err == nil {
		fmt.Println("escape: read a file outside the mount")
		os.Exit(5)
	}
	if err := os.WriteFile(filepath.Join(dir, "out.txt"), []byte("written by go\n"), 0o644); err != nil {
		fmt.Println("write:", err)
	} else {
		fmt.Println("write: ok")
	}

	d, err := time.ParseDuration(os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sleep:", err)
		os.Exit(2)
	}
	start := time.Now()
	time.Sleep(d)
	slept := time.Since(start)
	fmt.Printf("slept at least %v: %v\n", d, slept >= d)

	code, _ := strconv.Atoi(os.Args[4])
	os.Exit(code)
}
