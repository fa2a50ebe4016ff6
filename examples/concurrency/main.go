// Command concurrency runs many goroutines at once, each with its own
// instance of one CompiledModule: the compiled code is shared, each
// instance's memory and globals are its own, and the Go host function they
// all import is called from every goroutine.
//
//	go run ./examples/concurrency
//	go run ./examples/concurrency -workers 16 -per-worker 20000
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"sync/atomic"

	wazero "github.com/weftwasm/weft/go"
	"github.com/weftwasm/weft/go/api"
)

// collatzWasm is collatz.wat compiled by build.sh.
//
//go:embed collatz.wasm
var collatzWasm []byte

// chunks is how many scan calls each worker makes on its instance.
const chunks = 10

func main() {
	workers := flag.Int("workers", 8, "how many goroutines (and instances)")
	perWorker := flag.Int("per-worker", 10000, "how many numbers each worker scans")
	flag.Parse()
	if *workers < 1 || *perWorker < chunks {
		log.Fatalf("need at least 1 worker and %d numbers per worker", chunks)
	}
	if err := run(context.Background(), os.Stdout, *workers, *perWorker); err != nil {
		log.Fatal(err)
	}
}

// worker is one goroutine's share of the work, and what it found.
type worker struct {
	id     int
	lo, hi uint32 // the numbers it scans, inclusive

	// Set by the worker's own goroutine only (the host function runs on
	// the goroutine of the call that reached it): no lock needed.
	reports            int // env.new_best calls from its instance
	bestStart, bestLen uint32
	calls              uint32 // the instance's own count of scan calls
	err                error
}

type workerKey struct{}

// run splits 1..workers*perWorker among workers goroutines, each scanning
// its range in its own instance, and prints their results in worker order.
func run(ctx context.Context, w io.Writer, workers, perWorker int) error {
	r := wazero.NewRuntime(ctx)
	defer r.Close(ctx)

	// The host function is shared by every instance, so it may run on
	// several goroutines at once: what it shares (hostCalls) is atomic, and
	// what belongs to one worker it finds in the call's context.
	var hostCalls atomic.Int64
	_, err := r.NewHostModuleBuilder("env").
		NewFunctionBuilder().
		WithFunc(func(ctx context.Context, start, steps uint32) {
			hostCalls.Add(1)
			ctx.Value(workerKey{}).(*worker).reports++
		}).
		Export("new_best").
		Instantiate(ctx)
	if err != nil {
		return fmt.Errorf("host module env: %w", err)
	}

	// Compile once: decoding, validation and compilation are paid here, not
	// per instance.
	compiled, err := r.CompileModule(ctx, collatzWasm)
	if err != nil {
		return fmt.Errorf("compile collatz.wasm: %w", err)
	}

	ws := make([]*worker, workers)
	var wg sync.WaitGroup
	for i := range ws {
		lo := uint32(i*perWorker + 1)
		ws[i] = &worker{id: i + 1, lo: lo, hi: lo + uint32(perWorker) - 1}
		wg.Add(1)
		go func(wk *worker) {
			defer wg.Done()
			wk.err = wk.run(ctx, r, compiled)
		}(ws[i])
	}
	wg.Wait()

	fmt.Fprintf(w, "%d goroutines, one CompiledModule, one instance each, %d scan calls per instance\n", workers, chunks)
	best := ws[0]
	for _, wk := range ws {
		if wk.err != nil {
			return fmt.Errorf("worker %d: %w", wk.id, wk.err)
		}
		fmt.Fprintf(w, "worker %d: %d..%d: longest chain from %d (%d steps); instance counted %d calls, reported %d new bests to Go\n",
			wk.id, wk.lo, wk.hi, wk.bestStart, wk.bestLen, wk.calls, wk.reports)
		if wk.bestLen > best.bestLen {
			best = wk
		}
	}
	fmt.Fprintf(w, "longest Collatz chain from 1..%d: %d (%d steps); env.new_best was called %d times\n",
		ws[len(ws)-1].hi, best.bestStart, best.bestLen, hostCalls.Load())
	return nil
}

// run instantiates the worker's own module and scans its range in chunks.
func (wk *worker) run(ctx context.Context, r wazero.Runtime, compiled wazero.CompiledModule) error {
	// Instances need distinct names (or none) to live in one runtime.
	cfg := wazero.NewModuleConfig().WithName(fmt.Sprintf("collatz-%d", wk.id))
	mod, err := r.InstantiateModule(ctx, compiled, cfg)
	if err != nil {
		return err
	}
	defer mod.Close(ctx)

	ctx = context.WithValue(ctx, workerKey{}, wk)
	scan := mod.ExportedFunction("scan")
	size := (wk.hi - wk.lo + 1) / chunks
	for c := uint32(0); c < chunks; c++ {
		lo, hi := wk.lo+c*size, wk.lo+(c+1)*size-1
		if c == chunks-1 {
			hi = wk.hi
		}
		if _, err := scan.Call(ctx, api.EncodeU32(lo), api.EncodeU32(hi)); err != nil {
			return err
		}
	}
	// The instance's state, read from its exported globals.
	wk.bestStart = api.DecodeU32(mod.ExportedGlobal("best_start").Get())
	wk.bestLen = api.DecodeU32(mod.ExportedGlobal("best_steps").Get())
	wk.calls = api.DecodeU32(mod.ExportedGlobal("calls").Get())
	return nil
}
