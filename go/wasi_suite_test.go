package weft_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	weft "github.com/weftwasm/weft/go"
)

// The WASI test guest of tests/wasi (every preview1 function, results and
// errno, in groups) through the Go API, as tests/wasi/run.sh runs it
// through the CLI. Not here: "sock" (the Go API has no socket preopens),
// "race" (needs tests/wasi/swapper.py; run.sh covers it), and the CLI's own
// exit-code checks.
func TestWasiSuiteThroughGoAPI(t *testing.T) {
	guest, err := os.ReadFile("../tests/wasi/wasi_suite.wasm")
	if err != nil {
		t.Skip("tests/wasi/wasi_suite.wasm is absent:", err)
	}
	r := newWasiRuntime(t)
	compiled, err := r.CompileModule(context.Background(), guest)
	if err != nil {
		t.Fatal(err)
	}
	summary := regexp.MustCompile(`(?m)^wasi-suite [a-z]+: ([0-9]+) passed, ([0-9]+) failed$`)

	tests := []struct {
		group string
		args  []string
		setup func(t *testing.T, dir string, cfg weft.ModuleConfig) weft.ModuleConfig
	}{
		{"args", []string{"a", "b c", ""}, func(t *testing.T, _ string, cfg weft.ModuleConfig) weft.ModuleConfig {
			return cfg.WithEnv("FOO", "bar").WithEnv("EMPTY", "")
		}},
		{"clock", nil, nil},
		{"random", nil, nil},
		{"proc", nil, nil},
		{"stdio", nil, func(t *testing.T, _ string, cfg weft.ModuleConfig) weft.ModuleConfig {
			return cfg.WithStdin(bytes.NewBufferString("line one\nline two\n"))
		}},
		{"fd", nil, scratchMount},
		{"readdir", nil, scratchMount},
		{"path", nil, scratchMount},
		{"efault", nil, scratchMount},
		{"readonly", nil, func(t *testing.T, dir string, cfg weft.ModuleConfig) weft.ModuleConfig {
			mustMkdir(t, filepath.Join(dir, "scratch"), filepath.Join(dir, "ro", "dir"))
			mustWrite(t, filepath.Join(dir, "ro", "ro.txt"), "read only\n")
			return cfg.WithFSConfig(weft.NewFSConfig().
				WithDirMount(filepath.Join(dir, "scratch"), "/scratch").
				WithReadOnlyDirMount(filepath.Join(dir, "ro"), "/ro"))
		}},
		{"poll", nil, func(t *testing.T, dir string, cfg weft.ModuleConfig) weft.ModuleConfig {
			cfg = scratchMount(t, dir, cfg)
			rd, wr, err := os.Pipe() // stdin becomes readable late, then closes
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { rd.Close() })
			go func() {
				time.Sleep(time.Second) // as tests/wasi/run.sh: after the group's other checks
				fmt.Fprint(wr, "late\n")
				wr.Close()
			}()
			return cfg.WithStdin(rd)
		}},
		{"sandbox", nil, func(t *testing.T, dir string, cfg weft.ModuleConfig) weft.ModuleConfig {
			makeSandboxTree(t, dir)
			return cfg.WithFSConfig(weft.NewFSConfig().
				WithDirMount(filepath.Join(dir, "root"), "/scratch").
				WithReadOnlyDirMount(filepath.Join(dir, "ro"), "/ro"))
		}},
	}
	total := 0
	for _, tc := range tests {
		t.Run(tc.group, func(t *testing.T) {
			dir := t.TempDir()
			var stdout, stderr bytes.Buffer
			cfg := weft.NewModuleConfig().WithName("").
				WithArgs(append([]string{"wasi_suite", tc.group}, tc.args...)...).
				WithStdout(&stdout).WithStderr(&stderr).
				WithSysWalltime().WithSysNanotime().WithSysNanosleep().WithRandSource(rand.Reader)
			if tc.setup != nil {
				cfg = tc.setup(t, dir, cfg)
			}
			if _, err := r.InstantiateModule(context.Background(), compiled, cfg); err != nil {
				t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			m := summary.FindStringSubmatch(stdout.String())
			if m == nil {
				t.Fatalf("no summary line; stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
			}
			passed, _ := strconv.Atoi(m[1])
			if m[2] != "0" || passed == 0 {
				t.Errorf("%s\n%s", m[0], stdout.String())
			}
			total += passed
		})
	}
	t.Logf("%d WASI checks passed through the Go API", total)
}

func scratchMount(t *testing.T, dir string, cfg weft.ModuleConfig) weft.ModuleConfig {
	mustMkdir(t, filepath.Join(dir, "scratch"))
	return cfg.WithFSConfig(weft.NewFSConfig().WithDirMount(filepath.Join(dir, "scratch"), "/scratch"))
}

func mustMkdir(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// makeSandboxTree builds what the sandbox group expects around its mount
// (tests/wasi/run.sh, make_sandbox_tree): links pointing out in every way.
func makeSandboxTree(t *testing.T, d string) {
	t.Helper()
	mustMkdir(t, filepath.Join(d, "outside"), filepath.Join(d, "root/sub/deeper"),
		filepath.Join(d, "ro/dir"), filepath.Join(d, "root/swap_real"))
	mustWrite(t, filepath.Join(d, "outside/secret.txt"), "OUTSIDE")
	mustWrite(t, filepath.Join(d, "root/inside.txt"), "INSIDE")
	mustWrite(t, filepath.Join(d, "root/swap_real/secret.txt"), "INSIDE")
	mustWrite(t, filepath.Join(d, "ro/ro.txt"), "read only\n")
	links := []struct{ target, name string }{
		{filepath.Join(d, "outside/secret.txt"), "root/link_abs"},
		{"../outside/secret.txt", "root/link_up"},
		{"../../outside/secret.txt", "root/sub/link_upup"},
		{"../outside", "root/link_dir_out"},
		{"/", "root/link_root"},
		{"..", "root/link_dotdot"},
		{"chain2", "root/chain1"},
		{"sub/chain3", "root/chain2"},
		{"../../outside/secret.txt", "root/sub/chain3"},
		{"../inside.txt", "root/sub/link_ok"},
		{"../../sub/../inside.txt", "root/sub/deeper/link_ok2"},
		{"swap_real", "root/swap"},
	}
	for _, l := range links {
		if err := os.Symlink(l.target, filepath.Join(d, l.name)); err != nil {
			t.Fatal(err)
		}
	}
}
