package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(context.Background(), &out, dir); err != nil {
		t.Fatal(err)
	}
	want := `the guest printed:
  hello from Go wasip1/wasm
  args: guest --verbose two words
  env GREETING=hello from the host
  /data holds: etc-link, input.txt
  /data/input.txt: 3 lines, 21 words
  wrote /data/report.txt
  read /etc/passwd: not visible (Bad file number)
  read /data/etc-link/passwd: not visible (Operation not permitted)
the guest wrote report.txt:
  Lines of input.txt, longest first, as read by the guest:
  40	and writes its report next to this file.
  35	WebAssembly runs here in a sandbox:
  34	it sees only what the host mounts,
`
	if got := out.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// The guest's file is on the host's disk, in the mounted directory.
	if _, err := os.Stat(filepath.Join(dir, "report.txt")); err != nil {
		t.Error(err)
	}
}
