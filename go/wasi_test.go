package weft_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	weft "github.com/weftwasm/weft/go"
	wasi_snapshot_preview1 "github.com/weftwasm/weft/go/imports/wasip1"
	"github.com/weftwasm/weft/go/sys"
)

func newWasiRuntime(t *testing.T) weft.Runtime {
	t.Helper()
	r := newRuntime(t, nil)
	wasi_snapshot_preview1.MustInstantiate(context.Background(), r)
	return r
}

func TestWasiStdioArgsEnvExit(t *testing.T) {
	r := newWasiRuntime(t)
	tests := []struct {
		name     string
		args     []string
		wantOut  string
		wantCode uint32
		exits    bool // calls proc_exit (else returns from _start)
	}{
		{"return from _start", []string{"prog"}, "prog\nFOO=bar\n", 0, false},
		{"proc_exit(0) is success", []string{"prog", ""}, "prog\n\nFOO=bar\n", 0, true},
		{"exit code from proc_exit", []string{"prog", "abc"}, "prog\nabc\nFOO=bar\n", 3, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cfg := weft.NewModuleConfig().WithName("").WithArgs(tc.args...).WithEnv("FOO", "bar").
				WithStdin(strings.NewReader("input!")).WithStdout(&stdout).WithStderr(&stderr)
			mod, err := r.InstantiateWithConfig(context.Background(), readTestdata(t, "wasi_hello.wasm"), cfg)
			if tc.wantCode == 0 && err != nil {
				t.Fatalf("error %v", err)
			}
			if tc.wantCode != 0 {
				var exit *sys.ExitError
				if !errors.As(err, &exit) || exit.ExitCode() != tc.wantCode {
					t.Fatalf("error %v, want exit code %d", err, tc.wantCode)
				}
			}
			if mod == nil || mod.IsClosed() != tc.exits {
				t.Errorf("module closed: %v, want %v", mod != nil && mod.IsClosed(), tc.exits)
			}
			if stdout.String() != tc.wantOut {
				t.Errorf("stdout %q, want %q", stdout.String(), tc.wantOut)
			}
			if stderr.String() != "input!" {
				t.Errorf("stderr %q, want the stdin echo", stderr.String())
			}
		})
	}
}

func TestWasiConfigErrors(t *testing.T) {
	r := newWasiRuntime(t)
	tests := []struct {
		name string
		cfg  weft.ModuleConfig
		want string
	}{
		{"empty env key", weft.NewModuleConfig().WithEnv("", "x"), "environ invalid: empty key"},
		{"= in env key", weft.NewModuleConfig().WithEnv("A=B", "x"), "environ invalid: key contains '=' character"},
		{"fs.FS mount", weft.NewModuleConfig().WithFSConfig(weft.NewFSConfig().WithFSMount(fstest.MapFS{}, "/")),
			"mounts host directories only (os.DirFS or WithDirMount), not a fstest.MapFS"},
		{"WithFS", weft.NewModuleConfig().WithFS(fstest.MapFS{}), "mounts host directories only"},
		{"missing host dir", weft.NewModuleConfig().WithFSConfig(weft.NewFSConfig().WithDirMount("/nonexistent/weft", "/")),
			"cannot open host directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.InstantiateWithConfig(context.Background(), readTestdata(t, "wasi_hello.wasm"), tc.cfg.WithName(""))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// The Go program of tests/wasi/goguest (GOOS=wasip1) through the Go API:
// args, env, a mounted directory read, walked and written, a real sleep,
// an exit code.
func TestWasiGoGuest(t *testing.T) {
	guest, err := os.ReadFile("../tests/wasi/goguest/goguest.wasm")
	if err != nil {
		t.Skip("tests/wasi/goguest/goguest.wasm is absent:", err)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	for _, d := range []string{data, filepath.Join(data, "sub"), filepath.Join(dir, "outside")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(data, "msg.txt"), []byte("hello from the host\n"), 0o644))
	must(os.WriteFile(filepath.Join(data, "sub", "inner.txt"), []byte("x"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "outside", "passwd"), []byte("SECRET"), 0o644))

	r := newWasiRuntime(t)
	var stdout, stderr bytes.Buffer
	cfg := weft.NewModuleConfig().
		WithArgs("goguest", "/data", "msg.txt", "60ms", "7").
		WithEnv("FOO", "bar").
		WithStdout(&stdout).WithStderr(&stderr).
		WithFSConfig(weft.NewFSConfig().WithDirMount(data, "/data")).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep()
	start := time.Now()
	_, err = r.InstantiateWithConfig(context.Background(), guest, cfg)
	elapsed := time.Since(start)
	var exit *sys.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 7 {
		t.Fatalf("error %v, want exit code 7; stderr: %s", err, stderr.String())
	}
	want := strings.Join([]string{
		"arg[0]=goguest", "arg[1]=/data", "arg[2]=msg.txt", "arg[3]=60ms", "arg[4]=7",
		"env FOO=bar",
		`file msg.txt: "hello from the host"`,
		"walk dir .", "walk file msg.txt", "walk dir sub", "walk file sub/inner.txt",
		"write: ok", "slept at least 60ms: true",
	}, "\n") + "\n"
	if stdout.String() != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), want)
	}
	if elapsed < 60*time.Millisecond {
		t.Errorf("finished in %v: the sleep did not sleep", elapsed)
	}
	if b, err := os.ReadFile(filepath.Join(data, "out.txt")); err != nil || string(b) != "written by go\n" {
		t.Errorf("out.txt = %q, %v", b, err)
	}
}

// Without WASI instantiated, a WASI guest fails to link, naming the module.
func TestWasiNotInstantiated(t *testing.T) {
	r := newRuntime(t, nil)
	_, err := r.Instantiate(context.Background(), readTestdata(t, "wasi_hello.wasm"))
	if err == nil || err.Error() != "module[wasi_snapshot_preview1] not instantiated" {
		t.Errorf("error %v", err)
	}
}

// os.DirFS(dir) mounts dir read-only, as an fs.FS is in wazero: the Go
// guest reads it but cannot write there.
func TestWasiDirFSMountIsReadOnly(t *testing.T) {
	guest, err := os.ReadFile("../tests/wasi/goguest/goguest.wasm")
	if err != nil {
		t.Skip("tests/wasi/goguest/goguest.wasm is absent:", err)
	}
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "msg.txt"), []byte("from DirFS\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newWasiRuntime(t)
	var stdout bytes.Buffer
	cfg := weft.NewModuleConfig().WithArgs("goguest", "/data", "msg.txt", "0s", "0").
		WithStdout(&stdout).WithFSConfig(weft.NewFSConfig().WithFSMount(os.DirFS(data), "/data"))
	if _, err := r.InstantiateWithConfig(context.Background(), guest, cfg); err != nil {
		t.Fatal(err)
	}
	out := stdout.String()
	if !strings.Contains(out, `file msg.txt: "from DirFS"`) || strings.Contains(out, "write: ok") {
		t.Errorf("stdout:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(data, "out.txt")); err == nil {
		t.Error("the guest wrote through a read-only os.DirFS mount")
	}
}
