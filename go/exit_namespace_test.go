package weft_test

import (
	"context"
	"errors"
	"testing"

	weft "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/sys"
)

// A module that exits through WASI's proc_exit leaves the runtime's
// namespace, named or anonymous, though the Close that follows finds it
// closed already. Found by tests/soak: anonymous modules that had called
// proc_exit piled up in the namespace until the runtime closed.
func TestExitedModuleLeavesNamespace(t *testing.T) {
	ctx := context.Background()
	r := newWasiRuntime(t)
	base := weft.NamespaceLen(r)
	wasm := readTestdata(t, "wasi_hello.wasm")
	for _, name := range []string{"", "", "named", "named"} {
		// _start calls proc_exit(3): the length of its first argument.
		cfg := weft.NewModuleConfig().WithName(name).WithArgs("prog", "abc")
		mod, err := r.InstantiateWithConfig(ctx, wasm, cfg)
		var exit *sys.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 3 {
			t.Fatalf("error %v, want exit code 3", err)
		}
		if err := mod.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if n := weft.NamespaceLen(r); n != base {
			t.Fatalf("module %q exited and was closed: the namespace holds %d modules, want %d", name, n, base)
		}
	}
}
