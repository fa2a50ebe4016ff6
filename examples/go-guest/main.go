// Command go-guest runs a Go program compiled to WebAssembly
// (GOOS=wasip1 GOARCH=wasm, source in guest/) inside a Go host, through
// WASI preview1: the host chooses the guest's arguments and environment,
// captures its stdout and stderr, and mounts one host directory at /data.
// The guest lists and reads it, writes a report there, and finds nothing
// outside it.
//
//	go run ./examples/go-guest
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	wazero "github.com/weftwasm/weft/go"
	wasi_snapshot_preview1 "github.com/weftwasm/weft/go/imports/wasip1"
	"github.com/weftwasm/weft/go/sys"
)

// guestWasm is guest/ compiled by build.sh.
//
//go:embed guest.wasm
var guestWasm []byte

// input is the file the host puts in the guest's directory.
const input = `WebAssembly runs here in a sandbox:
it sees only what the host mounts,
and writes its report next to this file.
`

func main() {
	dir, err := os.MkdirTemp("", "weft-go-guest-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := run(context.Background(), os.Stdout, dir); err != nil {
		log.Fatal(err)
	}
}

// run puts input.txt in dir, runs the guest with dir mounted at /data,
// and prints what the guest printed and the report it wrote.
func run(ctx context.Context, w io.Writer, dir string) error {
	if err := os.WriteFile(filepath.Join(dir, "input.txt"), []byte(input), 0o644); err != nil {
		return err
	}
	// A way out, if the sandbox let the guest follow it.
	if err := os.Symlink("/etc", filepath.Join(dir, "etc-link")); err != nil {
		return err
	}

	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)
	// The guest imports wasi_snapshot_preview1: instantiate it first.
	wasi_snapshot_preview1.MustInstantiate(ctx, r)

	var stdout, stderr bytes.Buffer
	cfg := wazero.NewModuleConfig().
		WithArgs("guest", "--verbose", "two words"). // args[0] is the program name
		WithEnv("GREETING", "hello from the host").
		WithStdout(&stdout).
		WithStderr(&stderr).
		WithFSConfig(wazero.NewFSConfig().WithDirMount(dir, "/data"))

	// Instantiating a WASI command runs its _start, that is its main. When
	// main returns (exit code 0) the module comes back closed and err is nil.
	_, err := r.InstantiateWithConfig(ctx, guestWasm, cfg)
	var exit *sys.ExitError
	switch {
	case errors.As(err, &exit):
		return fmt.Errorf("guest exited with code %d; stderr:\n%s", exit.ExitCode(), stderr.String())
	case err != nil:
		return fmt.Errorf("run guest.wasm: %w", err)
	}

	fmt.Fprintf(w, "the guest printed:\n%s", indent(stdout.String()))
	report, err := os.ReadFile(filepath.Join(dir, "report.txt"))
	if err != nil {
		return fmt.Errorf("the guest wrote no report: %w", err)
	}
	fmt.Fprintf(w, "the guest wrote report.txt:\n%s", indent(string(report)))
	return nil
}

// indent prefixes each line of s with two spaces.
func indent(s string) string {
	var b bytes.Buffer
	for _, line := range bytes.SplitAfter([]byte(s), []byte("\n")) {
		if len(line) > 0 {
			b.WriteString("  ")
			b.Write(line)
		}
	}
	return b.String()
}
